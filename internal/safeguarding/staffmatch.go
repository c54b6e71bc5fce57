package safeguarding

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// A concern about "another adult" names them in free text, and nothing
// stops a member of staff typing the principal's name there: logged so, an
// allegation about the principal would reach the principal. So a typed name
// is compared with the staff roster first, and a match is not accepted as
// another adult (policy §11.3; DESIGN.md "Routing").

// StaffMatches are the members of staff whom a name or e-mail address typed
// for "another adult" names: by full name, by preferred name (KnownAs) with
// or without the surname, by title and surname ("Mrs Okafor"), or by
// e-mail. Case, spacing, punctuation, accents and titles (Mr, Mrs, Ms, Dr…)
// are ignored. A name or role typed as the school's head ("headteacher",
// "the principal") names the principal whatever else is typed.
func StaffMatches(name, role string, staff []StaffMember) []StaffMember {
	typed, titled := normaliseName(name)
	email := strings.ToLower(strings.TrimSpace(name))
	headRole := isHeadRole(role) || isHeadRole(name)
	var out []StaffMember
	for _, m := range staff {
		if typed != "" && namesMember(typed, titled, m) ||
			m.Email != "" && email == strings.ToLower(strings.TrimSpace(m.Email)) ||
			headRole && m.Principal {
			out = append(out, m)
		}
	}
	return out
}

// namesMember reports whether a normalised typed name names m.
func namesMember(typed string, titled bool, m StaffMember) bool {
	full, _ := normaliseName(m.Name)
	if full == "" {
		return false
	}
	words := strings.Fields(full)
	surname := words[len(words)-1]
	if typed == full {
		return true
	}
	// "Mrs Okafor": a title and a surname alone name a member of staff; a
	// surname alone, without a title, is too common a word to.
	if titled && typed == surname {
		return true
	}
	known, _ := normaliseName(m.KnownAs)
	if known == "" {
		return false
	}
	// A preferred first name alone, like a surname alone, needs a title.
	return typed == known+" "+surname || typed == known && (titled || strings.Contains(known, " "))
}

// ResolveAdult checks a concern about "another adult" against the staff
// roster. If the name names no one on it, in is unchanged. If it does, and
// the person logging has not yet confirmed that the adult is a different
// person of the same name, the members of staff it names are returned: the
// concern may not be logged until the person chooses one of them (as a
// concern about a member of staff) or confirms. A name that names the
// principal makes the concern one about the principal even so: it goes to
// the chair of governors, who may move it if it is someone else (policy
// §11.3), and never to the principal.
func (in ConcernInput) ResolveAdult(staff []StaffMember) (ConcernInput, []StaffMember) {
	if in.SubjectKind != SubjectOtherAdult {
		return in, nil
	}
	matches := StaffMatches(in.SubjectAdultName, in.SubjectAdultRole, staff)
	if len(matches) == 0 {
		return in, nil
	}
	if !in.DifferentPerson {
		return in, matches
	}
	if head, ok := PrincipalOf(matches); ok {
		in.SubjectKind, in.SubjectPersonID = SubjectStaff, head.ID
	}
	return in, nil
}

// StaffNamedProblem is what the concern form says when the adult typed is
// named like a member of staff.
func StaffNamedProblem(matches []StaffMember) string {
	if _, ok := PrincipalOf(matches); ok {
		return "This is the principal's name. Say whether it is the principal: either way, only the chair of governors will see the concern"
	}
	return "This is the name of a member of staff. Choose them, or confirm that it is a different person of the same name"
}

// nameTitles are the words before a name that say nothing of who it is.
var nameTitles = []string{"mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "lady", "lord",
	"rev", "revd", "reverend", "fr", "father", "sister", "brother"}

// normaliseName lowers a name, strips its accents and punctuation, collapses
// its spacing and drops any titles before it; titled reports whether it had
// one.
func normaliseName(s string) (name string, titled bool) {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// an accent, apart from its letter
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// O'Brien is OBrien
		default:
			b.WriteRune(' ')
		}
	}
	words := strings.Fields(b.String())
	for len(words) > 1 && slices.Contains(nameTitles, words[0]) {
		words, titled = words[1:], true
	}
	return strings.Join(words, " "), titled
}

// isHeadRole reports whether a typed role is the school's head.
func isHeadRole(role string) bool {
	r, _ := normaliseName(role)
	switch strings.ReplaceAll(r, " ", "") {
	case "principal", "headteacher", "head", "headmaster", "headmistress", "executiveprincipal", "executiveheadteacher", "theprincipal", "thehead", "theheadteacher":
		return true
	}
	return false
}

package safeguarding

import (
	"strings"
	"time"
	"unicode/utf8"
)

// MoveInput is where a case handler moves a concern whose subject turns
// out to be someone else (the principal, a safeguarding lead, another
// member of staff, another adult, or the children linked to it), with the
// reason. The route follows the new subject at once.
type MoveInput struct {
	SubjectKind      SubjectKind
	SubjectPersonID  int64 // when SubjectKind is SubjectStaff
	SubjectAdultName string
	SubjectAdultRole string
	Reason           string
}

// Problems says what is missing or wrong with a move, field by field, as
// the move form names its fields: staff is the roster the person may
// choose from, and hasPupils whether children are linked to the concern.
func (in MoveInput) Problems(staff []StaffMember, hasPupils bool) FieldProblems {
	p := FieldProblems{}
	switch in.SubjectKind {
	case SubjectPupils:
		if !hasPupils {
			p["move-subject"] = "No child is linked to this concern: choose whom it is about"
		}
	case SubjectStaff:
		found := false
		for _, m := range staff {
			found = found || m.ID == in.SubjectPersonID
		}
		if !found {
			p["move-person"] = "Choose the member of staff the concern is about"
		}
	case SubjectOtherAdult:
		if strings.TrimSpace(in.SubjectAdultName) == "" {
			p["move-adult-name"] = "Enter the adult's name, or describe them"
		} else if utf8.RuneCountInString(in.SubjectAdultName) > 200 {
			p["move-adult-name"] = "Their name must be 200 characters or fewer"
		}
		if utf8.RuneCountInString(in.SubjectAdultRole) > 100 {
			p["move-adult-role"] = "Their role must be 100 characters or fewer"
		}
	default:
		p["move-subject"] = "Choose whom the concern is about"
	}
	if strings.TrimSpace(in.Reason) == "" {
		p["move-reason"] = "Enter the reason for moving the concern"
	}
	return p
}

// ResolveMove is in as the store files it. An adult named like the
// principal stays an allegation about the principal unless the person
// moving it is the chair, who handles those and may say it is someone else
// (StaffMatches; policy §11.3).
func (in MoveInput) ResolveMove(v Viewer, staff []StaffMember) MoveInput {
	if in.SubjectKind != SubjectOtherAdult || Handles(v.Roles, RoutePrincipal) {
		return in
	}
	if head, ok := PrincipalOf(StaffMatches(in.SubjectAdultName, in.SubjectAdultRole, staff)); ok {
		in.SubjectKind, in.SubjectPersonID = SubjectStaff, head.ID
	}
	return in
}

// ApplyMove decides whether v may move c as in says, and returns the entry
// that records the move: its reason, and whom the concern is now about (to,
// as the store names them). It does not say whom the concern was about:
// those who handle it after the move read the whole chronology, and a
// former subject among them (the principal, once the chair has said it is
// not them) must not learn from it that they were. EFORBIDDEN (shown as not
// found) if v may not move c; EINVALID for a move to v themself, or to the
// subject it already has.
func ApplyMove(v Viewer, c Concern, in MoveInput, to string, now time.Time) (Entry, error) {
	if !Can(v, c.Access(), ActionMove) {
		return Entry{}, Errorf(EFORBIDDEN, "No such concern")
	}
	if in.SubjectKind == SubjectStaff && in.SubjectPersonID == v.PersonID {
		return Entry{}, Errorf(EINVALID, "You cannot move a concern to be about yourself")
	}
	same := in.SubjectKind == c.SubjectKind
	switch in.SubjectKind {
	case SubjectStaff:
		same = same && in.SubjectPersonID == c.SubjectPersonID
	case SubjectOtherAdult:
		same = same && strings.TrimSpace(in.SubjectAdultName) == strings.TrimSpace(c.SubjectAdultName)
	}
	if same {
		return Entry{}, Errorf(EINVALID, "The concern is already about them")
	}
	return Entry{SchoolID: c.SchoolID, ConcernID: c.ID, Kind: EntryMoved, AuthorID: v.PersonID, AuthorName: v.Name, At: now,
		Body: strings.TrimSpace(in.Reason), Details: EntryDetails{ToSubject: to}}, nil
}

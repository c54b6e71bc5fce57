package roster

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Pupil is one pupil as a roster file gives them.
type Pupil struct {
	Line int // the file's line the pupil is on

	UPN                 string // "" when the file gives none
	FirstName, LastName string // legal names
	// PreferredFirstName and PreferredLastName are the names the pupil
	// goes by; "" when the file gives none or they are the legal ones.
	PreferredFirstName, PreferredLastName string
	DateOfBirth                           time.Time
	YearGroup                             int // 1 to 14
	RegistrationGroup                     string
	Flags                                 Flags

	// given are the optional columns the file has (givenUPN, …): a
	// column the file does not have leaves what the roster holds alone.
	given columnSet
}

// columnSet is a set of a pupil file's optional columns.
type columnSet uint16

const (
	givenPreferredFirst columnSet = 1 << iota
	givenPreferredLast
	givenRegistrationGroup
	givenSEND
	givenLookedAfter
	givenPreviouslyLookedAfter
	givenYoungCarer
	givenExcluded
)

// optionalPupilColumns maps each optional column's key to its bit.
var optionalPupilColumns = map[string]columnSet{
	"preferred_first_name": givenPreferredFirst, "preferred_last_name": givenPreferredLast,
	"registration_group": givenRegistrationGroup, "send": givenSEND, "looked_after": givenLookedAfter,
	"previously_looked_after": givenPreviouslyLookedAfter, "young_carer": givenYoungCarer, "excluded": givenExcluded,
}

// keepOmitted is p with what its file has no column for taken from the
// roster's record of the same pupil, so that a file without, say, a SEN
// column clears nobody's flag. A line without a UPN keeps the roster's.
func keepOmitted(roster, p Pupil) Pupil {
	if p.UPN == "" {
		p.UPN = roster.UPN
	}
	keep := func(bit columnSet, dst *string, src string) {
		if p.given&bit == 0 {
			*dst = src
		}
	}
	keepFlag := func(bit columnSet, dst *bool, src bool) {
		if p.given&bit == 0 {
			*dst = src
		}
	}
	keep(givenPreferredFirst, &p.PreferredFirstName, roster.PreferredFirstName)
	keep(givenPreferredLast, &p.PreferredLastName, roster.PreferredLastName)
	keep(givenRegistrationGroup, &p.RegistrationGroup, roster.RegistrationGroup)
	keepFlag(givenSEND, &p.Flags.SEND, roster.Flags.SEND)
	keepFlag(givenLookedAfter, &p.Flags.LookedAfter, roster.Flags.LookedAfter)
	keepFlag(givenPreviouslyLookedAfter, &p.Flags.PreviouslyLookedAfter, roster.Flags.PreviouslyLookedAfter)
	keepFlag(givenYoungCarer, &p.Flags.YoungCarer, roster.Flags.YoungCarer)
	keepFlag(givenExcluded, &p.Flags.Excluded, roster.Flags.Excluded)
	return p
}

// Flags are the circumstances the policy asks staff to watch (§5.1, §7.4).
type Flags struct {
	SEND                  bool // special educational needs or disability
	LookedAfter           bool // a child looked after
	PreviouslyLookedAfter bool
	YoungCarer            bool
	Excluded              bool
}

// Limits the database also holds (migrations 00001, 00021, 00026).
const (
	maxNameChars  = 100
	maxGroupChars = 20
	minYearGroup  = 1
	maxYearGroup  = 14
)

var pupilFields = makeFields([]fieldSpec{
	{"upn", "UPN", false},
	{"first_name", "legal first name", true},
	{"last_name", "legal last name", true},
	{"preferred_first_name", "preferred first name", false},
	{"preferred_last_name", "preferred last name", false},
	{"date_of_birth", "date of birth", true},
	{"year_group", "year group", true},
	{"registration_group", "registration group", false},
	{"send", "SEND flag", false},
	{"looked_after", "child looked after flag", false},
	{"previously_looked_after", "previously looked after flag", false},
	{"young_carer", "young carer flag", false},
	{"excluded", "excluded flag", false},
})

// ParsePupils reads a pupil roster. It reads every line and reports every
// problem it finds, in file order; the pupils are usable only when there
// are no problems.
func ParsePupils(data []byte) ([]Pupil, []Problem) {
	t := readTable(data, pupilFields)
	if len(t.problems) > 0 && t.columns == nil || hasHeaderProblem(t.problems) {
		return nil, t.problems
	}
	var (
		pupils   []Pupil
		problems = t.problems
		upnLine  = map[string]int{}
		nameLine = map[string]int{}
	)
	for i := range t.rows {
		p, ps := parsePupil(&t, i)
		if len(ps) == 0 {
			if p.UPN != "" {
				if first, dup := upnLine[p.UPN]; dup {
					v, col, _ := t.value(i, "upn")
					ps = append(ps, Problem{Line: p.Line, Column: col, Value: v, Message: fmt.Sprintf("This UPN is also on line %d: each pupil once", first)})
				} else {
					upnLine[p.UPN] = p.Line
				}
			} else {
				// Without a UPN a pupil is known by legal name and date of
				// birth, so two such lines would be one pupil twice.
				k := p.matchKey()
				if first, dup := nameLine[k]; dup {
					ps = append(ps, Problem{Line: p.Line, Message: fmt.Sprintf("This pupil (same legal name and date of birth, no UPN) is also on line %d: give each a UPN, or list them once", first)})
				} else {
					nameLine[k] = p.Line
				}
			}
		}
		problems = append(problems, ps...)
		pupils = append(pupils, p)
	}
	if len(pupils) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Message: "The file has a header line but no pupils"})
	}
	return pupils, sortProblems(problems)
}

// hasHeaderProblem reports whether a required column is missing: then no
// line can be read, and each would only repeat the header's problem.
func hasHeaderProblem(ps []Problem) bool {
	for _, p := range ps {
		if p.Line <= 1 {
			return true
		}
	}
	return false
}

// matchKey is how a pupil without a UPN is recognised on the roster.
func (p Pupil) matchKey() string {
	return strings.ToLower(p.FirstName) + "\x00" + strings.ToLower(p.LastName) + "\x00" + p.DateOfBirth.Format(time.DateOnly)
}

// MatchKey is how a pupil is recognised on the roster when no UPN matches:
// legal names, ignoring case, and date of birth.
func MatchKey(firstName, lastName string, born time.Time) string {
	return Pupil{FirstName: firstName, LastName: lastName, DateOfBirth: born}.matchKey()
}

// parsePupil reads record i, with every problem it has.
func parsePupil(t *table, i int) (Pupil, []Problem) {
	p := Pupil{Line: t.lines[i]}
	for key, bit := range optionalPupilColumns {
		if t.has(key) {
			p.given |= bit
		}
	}
	var problems []Problem
	bad := func(key, message string) {
		v, col, _ := t.value(i, key)
		problems = append(problems, Problem{Line: p.Line, Column: col, Value: v, Message: message})
	}
	get := func(key string) string { v, _, _ := t.value(i, key); return v }

	if v := get("upn"); v != "" {
		upn := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		if !validUPN(upn) {
			bad("upn", "A UPN is 13 characters: a letter, 11 digits, then a digit or a letter")
		}
		p.UPN = upn
	}
	name := func(key, what string, required bool) string {
		v := collapseSpaces(get(key))
		switch {
		case v == "" && required:
			bad(key, "Enter the pupil's "+what)
		case len([]rune(v)) > maxNameChars:
			bad(key, fmt.Sprintf("The %s must be %d characters or fewer", what, maxNameChars))
		}
		return v
	}
	p.FirstName = name("first_name", "legal first name", true)
	p.LastName = name("last_name", "legal last name", true)
	p.PreferredFirstName = name("preferred_first_name", "preferred first name", false)
	p.PreferredLastName = name("preferred_last_name", "preferred last name", false)
	if p.PreferredFirstName == p.FirstName {
		p.PreferredFirstName = ""
	}
	if p.PreferredLastName == p.LastName {
		p.PreferredLastName = ""
	}

	if v := get("date_of_birth"); v == "" {
		bad("date_of_birth", "Enter the pupil's date of birth")
	} else if d, ok := ParseDate(v); !ok {
		bad("date_of_birth", "Enter the date of birth as 2011-03-04 or 04/03/2011 (day first)")
	} else {
		p.DateOfBirth = d
	}

	if v := get("year_group"); v == "" {
		bad("year_group", "Enter the pupil's year group")
	} else if y, msg := ParseYearGroup(v); msg != "" {
		bad("year_group", msg)
	} else {
		p.YearGroup = y
	}

	p.RegistrationGroup = collapseSpaces(get("registration_group"))
	if len([]rune(p.RegistrationGroup)) > maxGroupChars {
		bad("registration_group", fmt.Sprintf("The registration group must be %d characters or fewer", maxGroupChars))
	}

	flag := func(key string, send bool) bool {
		v := get(key)
		b, ok := ParseFlag(v, send)
		if !ok {
			if send {
				bad(key, "Enter Y or N (or the SEN codes K, E or S)")
			} else {
				bad(key, "Enter Y or N")
			}
		}
		return b
	}
	p.Flags = Flags{
		SEND:                  flag("send", true),
		LookedAfter:           flag("looked_after", false),
		PreviouslyLookedAfter: flag("previously_looked_after", false),
		YoungCarer:            flag("young_carer", false),
		Excluded:              flag("excluded", false),
	}
	return p, problems
}

var upnPattern = regexp.MustCompile(`^[A-Z][0-9]{11}[0-9A-Z]$`)

func validUPN(s string) bool { return upnPattern.MatchString(s) }

func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	ukDate  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)
)

// ParseDate reads a date in ISO form (2011-03-04) or in the UK's, day
// first (04/03/2011, also with - or .). A time after it, as some exports
// add ("04/03/2011 00:00"), is ignored.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if date, _, ok := strings.Cut(s, " "); ok {
		s = date
	}
	if date, _, ok := strings.Cut(s, "T"); ok && isoDate.MatchString(date) {
		s = date
	}
	var y, m, d string
	if g := isoDate.FindStringSubmatch(s); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if g := ukDate.FindStringSubmatch(s); g != nil {
		d, m, y = g[1], g[2], g[3]
	} else {
		return time.Time{}, false
	}
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	if yy < 1900 || yy > 2100 || mm < 1 || mm > 12 || dd < 1 {
		return time.Time{}, false
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd { // 31/02 rolls into March
		return time.Time{}, false
	}
	return t, true
}

var yearPattern = regexp.MustCompile(`^(?:year|yr|y|nc year|nc|ncy)?\s*0*(\d{1,2})$`)

// ParseYearGroup reads a year group as "7", "07", "Year 7", "Yr 7" or "Y7".
// Haven holds Years 1 to 14; Reception and Nursery, which a primary
// school's MIS exports as "R", "Reception", "N" or "Nursery", are refused
// with a message that says so. msg is "" when s is a year group.
func ParseYearGroup(s string) (year int, msg string) {
	v := strings.ToLower(collapseSpaces(s))
	switch v {
	case "r", "rec", "reception", "yr r", "year r", "n", "n1", "n2", "nursery", "yn", "year n":
		return 0, "Haven holds pupils in Years 1 to 14: leave Reception and Nursery pupils out of the file"
	}
	g := yearPattern.FindStringSubmatch(v)
	if g == nil {
		return 0, "Enter the year group as a number from 1 to 14, such as 7 or Year 7"
	}
	y, _ := strconv.Atoi(g[1])
	if y < minYearGroup || y > maxYearGroup {
		return 0, "Enter a year group from 1 to 14"
	}
	return y, ""
}

// ParseFlag reads a yes-or-no column: Y, Yes, True, 1 or N, No, False, 0,
// or blank for no. The SEN column may also hold the DfE's SEN provision
// codes: K (SEN support), E (education, health and care plan) and S (a
// statement) mean yes. ok is false for anything else.
func ParseFlag(s string, sen bool) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes", "true", "1", "t":
		return true, true
	case "", "n", "no", "false", "0", "f":
		return false, true
	case "k", "e", "s":
		return sen, sen
	}
	return false, false
}

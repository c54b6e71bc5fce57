package safeguarding

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ConcernInput is a concern as a member of staff submits it: what the
// concern form produces, and what the store files.
//
// The first entry of a concern's chronology holds it as submitted, encoded
// with these Go field names: do not rename them.
type ConcernInput struct {
	SubmissionToken  string // one per form: a resent form files one concern
	SubjectKind      SubjectKind
	PupilIDs         []int64 // the pupils it is about, or the children a concern about an adult involves
	SubjectPersonID  int64
	SubjectAdultName string
	SubjectAdultRole string
	// DifferentPerson: the person logging has confirmed that "another adult"
	// is not the member of staff of the same name (ResolveAdult).
	DifferentPerson bool
	Categories      []string
	// Indicators and ChildsWords are those of the one pupil, when there is
	// one and Parts does not give them, or of a concern that names no
	// pupil. With several pupils they are each pupil's own (Parts), never
	// the concern's: Problems refuses them here.
	Indicators   []string
	ChildsWords  string
	WhatHappened string
	// Parts are the pupils' own parts, indicators and words. Optional for
	// one pupil (the child harmed or at risk, with Indicators and
	// ChildsWords) and for the children of a concern about an adult (each
	// harmed or at risk); a concern about several pupils gives each a part.
	Parts        []PupilPart
	HappenedOn   time.Time
	HappenedTime string
	Location     string
	OthersTold   string
	ActionsTaken string
	Urgent       bool
}

// ConcernChoices are what a concern may choose from: the kinds of concern
// and the CSE indicators, and the people a concern may be about (needed
// only for a concern about a member of staff).
type ConcernChoices struct {
	Categories []Category
	Indicators []Indicator
	Staff      []StaffMember
}

// Problems says what is missing or wrong, field by field; empty means the
// concern may be logged. Fields are named as the concern form names them,
// each with its first problem only. today is the date in the school's time
// zone: nothing logged happened after it.
//
// A concern about an adult may name children involved (PupilIDs): it is
// still routed by the adult. Whether the pupils are on the school's roll, and whom a concern about a
// member of staff goes to, the store decides as it files the concern.
func (in ConcernInput) Problems(choices ConcernChoices, today time.Time) FieldProblems {
	p := FieldProblems{}
	check := func(ok bool, field, message string) {
		if _, seen := p[field]; !ok && !seen {
			p[field] = message
		}
	}
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	maxChars := func(s string, n int) bool { return utf8.RuneCountInString(s) <= n }

	switch in.SubjectKind {
	case SubjectPupils:
		check(len(in.PupilIDs) > 0, "pupil-query", "Choose the child or children the concern is about")
	case SubjectStaff:
		onRoster := slices.ContainsFunc(choices.Staff, func(m StaffMember) bool { return m.ID == in.SubjectPersonID })
		check(onRoster, "subject-person", "Choose the member of staff the concern is about")
	case SubjectOtherAdult:
		check(!blank(in.SubjectAdultName), "adult-name", "Enter the adult's name, or describe them")
		check(maxChars(in.SubjectAdultName, 200), "adult-name", "Their name must be 200 characters or fewer")
		check(maxChars(in.SubjectAdultRole, 100), "adult-role", "Their role must be 100 characters or fewer")
	default:
		check(false, "subject", "Select who the concern is about")
	}

	knownCategory := func(code string) bool {
		return slices.ContainsFunc(choices.Categories, func(c Category) bool { return c.Code == code })
	}
	knownIndicator := func(code string) bool {
		return slices.ContainsFunc(choices.Indicators, func(i Indicator) bool { return i.Code == code })
	}
	check(len(in.Categories) > 0 && allOf(in.Categories, knownCategory), "category", "Select at least one category")
	check(allOf(in.Indicators, knownIndicator), "indicator", "Select signs of exploitation from the list")
	in.checkPupilParts(p, knownIndicator)

	check(!blank(in.WhatHappened), "what-happened", "Describe what happened")
	check(maxChars(in.WhatHappened, 20000), "what-happened", "What happened must be 20,000 characters or fewer")
	check(maxChars(in.ChildsWords, 20000), "childs-words", "The child's words must be 20,000 characters or fewer")
	if len(in.PupilIDs) > 1 {
		// Whose they are would be a guess: each child's are kept apart.
		check(len(in.Indicators) == 0, "indicator", "Tick the signs in the section of the child they were seen in")
		check(in.ChildsWords == "", "childs-words", "Write each child's words in that child's own section")
	}

	check(!in.HappenedOn.IsZero(), "happened", "Enter the date it happened")
	check(!in.HappenedOn.After(today), "happened", "The date it happened must be today or in the past")
	check(in.HappenedTime == "" || clock24.MatchString(in.HappenedTime), "happened-time",
		"Enter the time on the 24-hour clock, like 14:30, or leave it blank")

	check(maxChars(in.Location, 500), "location", "Where it happened must be 500 characters or fewer")
	check(maxChars(in.OthersTold, 5000), "others-told", "Who else you have told must be 5,000 characters or fewer")
	check(maxChars(in.ActionsTaken, 5000), "actions-taken", "What you have already done must be 5,000 characters or fewer")
	return p
}

// checkPupilParts adds to p what is wrong with the pupils' own parts. Each
// pupil of a concern about several pupils must be given a part; the one
// pupil, or the children of a concern about an adult, are the child harmed
// or at risk unless a part is given. The one pupil's indicators and words
// come from Parts or from the concern's fields, not both.
func (in ConcernInput) checkPupilParts(p FieldProblems, knownIndicator func(string) bool) {
	partOptional := in.SubjectKind != SubjectPupils || len(in.PupilIDs) == 1
	checkParts(p, in.Parts, in.PupilIDs, partOptional, knownIndicator)
	for _, id := range in.PupilIDs {
		partField, _, _ := PartFields(id)
		if _, given := PartOf(in.Parts, id); !given && !partOptional {
			if _, ok := p[partField]; !ok {
				p[partField] = "Select the part this child had"
			}
		}
	}
	if len(in.PupilIDs) == 1 {
		if pp, ok := PartOf(in.Parts, in.PupilIDs[0]); ok && (len(pp.Indicators) > 0 || pp.ChildsWords != "") &&
			(len(in.Indicators) > 0 || in.ChildsWords != "") {
			if _, ok := p["childs-words"]; !ok {
				p["childs-words"] = "Write the child's words once"
			}
		}
	}
}

// CheckParts is EINVALID when the input would file indicators or words
// that are no one pupil's on a concern about several pupils: the store
// checks it, so that whose they are is never guessed and nothing given is
// dropped. Problems says the same field by field.
func (in ConcernInput) CheckParts() error {
	if len(in.PupilIDs) > 1 && (len(in.Indicators) > 0 || in.ChildsWords != "") {
		return Errorf(EINVALID, "Record each child's signs of exploitation and words in that child's own section")
	}
	for _, pp := range in.Parts {
		if !slices.Contains(in.PupilIDs, pp.PupilID) {
			return Errorf(EINVALID, "Choose the child or children the concern is about")
		}
	}
	return nil
}

// PupilParts are the pupils' own parts as they are filed, in the order of
// PupilIDs: each as given in Parts, or the child harmed or at risk; the one
// pupil of a concern gets the concern's indicators and words (Indicators,
// ChildsWords) unless Parts gave them.
func (in ConcernInput) PupilParts() []PupilPart {
	out := make([]PupilPart, 0, len(in.PupilIDs))
	for _, id := range in.PupilIDs {
		pp, ok := PartOf(in.Parts, id)
		if !ok || pp.Part == "" {
			pp.PupilID, pp.Part = id, PartHarmed
		}
		out = append(out, pp)
	}
	if len(out) == 1 && len(out[0].Indicators) == 0 && out[0].ChildsWords == "" {
		out[0].Indicators, out[0].ChildsWords = in.Indicators, in.ChildsWords
	}
	return out
}

// UnattributedWords are the child's words that are no pupil's own: those
// of a concern that names no pupil. They stay on the concern.
func (in ConcernInput) UnattributedWords() string {
	if len(in.PupilIDs) > 0 {
		return ""
	}
	return in.ChildsWords
}

// AllIndicators are every CSE indicator the concern records, each once:
// every pupil's own, or the concern's when it names no pupil. The concern
// keeps them for queries and reports; a pupil's file counts only theirs.
func (in ConcernInput) AllIndicators() []string {
	lists := [][]string{}
	if len(in.PupilIDs) == 0 {
		lists = append(lists, in.Indicators)
	}
	for _, pp := range in.PupilParts() {
		lists = append(lists, pp.Indicators)
	}
	return unionIndicators(lists...)
}

// clock24 is a time of day as a concern records it: HH:MM, 00:00 to 23:59.
var clock24 = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

func allOf(codes []string, ok func(string) bool) bool {
	for _, c := range codes {
		if !ok(c) {
			return false
		}
	}
	return true
}

// Snapshot is the concern as its first chronology entry keeps it, in the
// record's own format: a rename here changes nothing stored.
// The pupils' parts are kept as filed (PupilParts); the concern's own
// indicators and words are only those of a concern that names no pupil.
func (in ConcernInput) Snapshot() ConcernSnapshot {
	s := ConcernSnapshot{SubmissionToken: in.SubmissionToken, SubjectKind: in.SubjectKind, PupilIDs: in.PupilIDs,
		SubjectPersonID: in.SubjectPersonID, SubjectAdultName: in.SubjectAdultName, SubjectAdultRole: in.SubjectAdultRole,
		Categories: in.Categories, WhatHappened: in.WhatHappened, ChildsWords: in.UnattributedWords(),
		HappenedOn: SnapshotDate(in.HappenedOn), HappenedTime: in.HappenedTime, Location: in.Location,
		OthersTold: in.OthersTold, ActionsTaken: in.ActionsTaken, Urgent: in.Urgent}
	if len(in.PupilIDs) == 0 {
		s.Indicators = in.Indicators
	}
	for _, pp := range in.PupilParts() {
		s.Pupils = append(s.Pupils, SnapshotPupil(pp))
	}
	return s
}

// StaffMember is a person on a school's staff roster, as the concern form
// offers them as a subject.
type StaffMember struct {
	ID        int64
	Name      string
	JobTitle  string
	Principal bool   // holds the principal's role: a concern about them goes to the chair alone
	Email     string // for telling a member of staff typed as "another adult" (StaffMatches)
	KnownAs   string // the name they go by, if not their full name's first: "Pat", "Bob Smith"
}

// PrincipalOf is the school's principal among staff, and whether there is
// one: the person a concern about "the principal (headteacher)" is about.
func PrincipalOf(staff []StaffMember) (StaffMember, bool) {
	for _, m := range staff {
		if m.Principal {
			return m, true
		}
	}
	return StaffMember{}, false
}

// Draft is the concern a person was writing, kept server-side so that
// nothing typed is lost when a session ends mid-form. One per person.
type Draft struct {
	Form    json.RawMessage // the form's fields, as the web front encoded them
	SavedAt time.Time
}

// FormLists are the school's lists the concern form offers, and the
// viewer's draft.
type FormLists struct {
	Staff      []StaffMember // the people a concern may be about: everyone active but the viewer
	YearGroups []int         // the year groups with active pupils, youngest first
	Draft      *Draft        // the viewer's draft; nil when they have none
	// Contacts are the school's emergency numbers, for a child in danger.
	Contacts SchoolContacts
}

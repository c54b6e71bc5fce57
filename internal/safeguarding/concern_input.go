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
	Indicators      []string
	WhatHappened    string
	ChildsWords     string
	HappenedOn      time.Time
	HappenedTime    string
	Location        string
	OthersTold      string
	ActionsTaken    string
	Urgent          bool
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

	check(!blank(in.WhatHappened), "what-happened", "Describe what happened")
	check(maxChars(in.WhatHappened, 20000), "what-happened", "What happened must be 20,000 characters or fewer")
	check(maxChars(in.ChildsWords, 20000), "childs-words", "The child's words must be 20,000 characters or fewer")

	check(!in.HappenedOn.IsZero(), "happened", "Enter the date it happened")
	check(!in.HappenedOn.After(today), "happened", "The date it happened must be today or in the past")
	check(in.HappenedTime == "" || clock24.MatchString(in.HappenedTime), "happened-time",
		"Enter the time on the 24-hour clock, like 14:30, or leave it blank")

	check(maxChars(in.Location, 500), "location", "Where it happened must be 500 characters or fewer")
	check(maxChars(in.OthersTold, 5000), "others-told", "Who else you have told must be 5,000 characters or fewer")
	check(maxChars(in.ActionsTaken, 5000), "actions-taken", "What you have already done must be 5,000 characters or fewer")
	return p
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
func (in ConcernInput) Snapshot() ConcernSnapshot {
	return ConcernSnapshot{SubmissionToken: in.SubmissionToken, SubjectKind: in.SubjectKind, PupilIDs: in.PupilIDs,
		SubjectPersonID: in.SubjectPersonID, SubjectAdultName: in.SubjectAdultName, SubjectAdultRole: in.SubjectAdultRole,
		Categories: in.Categories, Indicators: in.Indicators, WhatHappened: in.WhatHappened, ChildsWords: in.ChildsWords,
		HappenedOn: SnapshotDate(in.HappenedOn), HappenedTime: in.HappenedTime, Location: in.Location,
		OthersTold: in.OthersTold, ActionsTaken: in.ActionsTaken, Urgent: in.Urgent}
}

// SubmittedConcernAccount reads what the member of staff wrote, and the
// child's words, from a concern's first entry, whose snapshot may be of any
// version; ok is false for any other entry. It decodes only the account:
// the child's page shows it for every concern in a chronology that may run
// to hundreds.
func SubmittedConcernAccount(e Entry) (a ConcernAccount, ok bool) {
	if e.Kind != EntryConcernLogged {
		return a, false
	}
	a, err := DecodeConcernAccount([]byte(e.Body))
	return a, err == nil
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

package safeguarding

import (
	"encoding/json"
	"time"
)

// ConcernInput is a concern as a member of staff submits it: what the
// concern form produces, and what the store files.
//
// The first entry of a concern's chronology holds it as submitted, encoded
// with these Go field names: do not rename them.
type ConcernInput struct {
	SubmissionToken  string // one per form: a resent form files one concern
	SubjectKind      SubjectKind
	PupilIDs         []int64
	SubjectPersonID  int64
	SubjectAdultName string
	SubjectAdultRole string
	Categories       []string
	Indicators       []string
	WhatHappened     string
	ChildsWords      string
	HappenedOn       time.Time
	HappenedTime     string
	Location         string
	OthersTold       string
	ActionsTaken     string
	Urgent           bool
}

// SubmittedAccount is what the member of staff wrote when logging a
// concern, as the first entry of its chronology (EntryConcernLogged) holds
// it in the snapshot of the form as submitted.
type SubmittedAccount struct {
	WhatHappened string
	ChildsWords  string
}

// SubmittedConcernAccount reads the account from a concern's first entry;
// ok is false for any other entry. It decodes only these two fields of the
// snapshot: the child's page shows them for every concern in a chronology
// that may run to hundreds.
func SubmittedConcernAccount(e Entry) (a SubmittedAccount, ok bool) {
	if e.Kind != EntryConcernLogged {
		return a, false
	}
	return a, json.Unmarshal([]byte(e.Body), &a) == nil
}

// StaffMember is a person on a school's staff roster, as the concern form
// offers them as a subject.
type StaffMember struct {
	ID       int64
	Name     string
	JobTitle string
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
}

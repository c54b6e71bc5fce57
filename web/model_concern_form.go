package web

import (
	"slices"
	"strconv"
)

// Subjects of a concern, as the form's "subject" radios post them.
const (
	SubjectPupils     = "pupils"
	SubjectPrincipal  = "principal" // the school's principal: a concern about a member of staff, that one
	SubjectStaff      = "staff"
	SubjectOtherAdult = "other_adult"
)

// ConcernForm is what a member of staff has typed into the concern form,
// exactly as typed, so that every re-render (an error, a pupil search, a
// restored draft) shows it back unchanged.
type ConcernForm struct {
	Token  string // one per form: a resent form files one concern
	Author string // the person id the form was first shown to

	Subject       string   // SubjectPupils, SubjectPrincipal, SubjectStaff or SubjectOtherAdult
	PupilQuery    string   // the pupil search box
	PupilYear     string   // the pupil search's year group; "" for any
	PupilIDs      []string // the pupils ticked
	SubjectPerson string   // a member of staff's person id
	AdultName     string
	AdultRole     string
	// AdultMatch answers whether another adult named like a member of
	// staff is them: the member of staff's person id, or "different".
	AdultMatch string

	Categories []string // category codes
	Indicators []string // CSE indicator codes

	WhatHappened  string
	ChildsWords   string
	HappenedDay   string
	HappenedMonth string
	HappenedYear  string
	HappenedTime  string
	Location      string
	OthersTold    string
	ActionsTaken  string
	Urgent        string // "yes", "no" or ""
}

// PupilResultsID is the id of the concern form's list of pupils found:
// "Find pupils" brings the page back there (/concerns#pupil-results).
const PupilResultsID = "pupil-results"

// PupilChoice is a pupil the form lists as a checkbox: one already ticked,
// or one a search found.
type PupilChoice struct {
	ID                int64
	Name              string
	YearGroup         int
	RegistrationGroup string // "" when the roster gives none
	Born              string // the date of birth, as "3 March 2012"
}

// Details is what tells the pupil apart from another of the same name:
// "Year 12, registration group 12WD, born 3 March 2009".
func (p PupilChoice) Details() string {
	s := yearLabel(p.YearGroup)
	if p.RegistrationGroup != "" {
		s += ", registration group " + p.RegistrationGroup
	}
	if p.Born != "" {
		s += ", born " + p.Born
	}
	return s
}

// StaffChoice is a person on the staff roster.
type StaffChoice struct {
	ID             int64
	Name, JobTitle string
	Principal      bool
	WhoSees        string // who sees a concern about them, when the form says so
}

// CodeLabel is one entry of a reference list: a category or a CSE indicator.
type CodeLabel struct {
	Code, Label string
}

// ConcernFormPage is the concern form with everything it offers.
type ConcernFormPage struct {
	Form   ConcernForm
	Errors Errors
	// Restored: the form was filled from the person's saved draft.
	Restored bool
	// DraftSaved: the person pressed "Save draft".
	DraftSaved bool
	// Discarded: the person chose to start again, and their draft is gone.
	Discarded bool

	// Pupils lists the ticked pupils, then those the search found.
	Pupils []PupilChoice
	// PupilSearch says what the search found, when there was one.
	PupilSearch string
	YearGroups  []int
	Staff       []StaffChoice
	Categories  []CodeLabel
	Indicators  []CodeLabel

	// Emergency is the panel shown when a child is in immediate danger.
	Emergency Emergency

	// AdultMatches are the members of staff "another adult" is named like:
	// the person must choose one or say it is someone else.
	AdultMatches []StaffChoice

	// PrincipalOffered: the school has a principal other than the person
	// logging, so "The principal (headteacher)" is a choice of its own.
	PrincipalOffered bool
	// WhoSees says, for each answer to "Who is the concern about?" (keyed
	// by its value), who will see the concern.
	WhoSees map[string]string
}

// subjectChecked reports whether subject is the chosen radio.
func (p ConcernFormPage) subjectChecked(subject string) bool { return p.Form.Subject == subject }

// childrenIntro says what the pupils chosen mean for each kind of subject.
const childrenIntro = "If the concern is about a child, choose them here. If it is about an adult, choose any children involved: only the people who handle a concern about that adult will see it on the children's files."

func (p ConcernFormPage) pupilChoices() Choices {
	c := Choices{Name: "pupil", Legend: "Choose the child or children", Hint: "Tick each child the concern is about or involves."}
	for _, pupil := range p.Pupils {
		id := strconv.FormatInt(pupil.ID, 10)
		c.Items = append(c.Items, Choice{Value: id, Label: pupil.Name, Hint: pupil.Details(),
			Checked: slices.Contains(p.Form.PupilIDs, id)})
	}
	return c
}

func (p ConcernFormPage) yearOptions() []Option {
	opts := []Option{{Value: "", Label: "Any year group", Selected: p.Form.PupilYear == ""}}
	for _, y := range p.YearGroups {
		v := strconv.Itoa(y)
		opts = append(opts, Option{Value: v, Label: yearLabel(y), Selected: p.Form.PupilYear == v})
	}
	return opts
}

func (p ConcernFormPage) staffOptions() []Option { return staffOptions(p.Staff, p.Form.SubjectPerson) }

// staffOptions lists the staff to choose from, selected (a person id)
// chosen.
func staffOptions(staff []StaffChoice, selected string) []Option {
	opts := []Option{{Value: "", Label: "Choose a member of staff", Selected: selected == ""}}
	for _, s := range staff {
		v := strconv.FormatInt(s.ID, 10)
		label := s.Name
		if s.JobTitle != "" {
			label += " – " + s.JobTitle
		}
		opts = append(opts, Option{Value: v, Label: label, Selected: selected == v})
	}
	return opts
}

// AdultDifferent is the AdultMatch answer that another adult is not the
// member of staff of the same name.
const AdultDifferent = "different"

func (p ConcernFormPage) adultMatchChoices() Choices {
	c := Choices{Name: "adult-match", Legend: "Is this the member of staff?",
		Hint: "The name you typed is the name of someone on the staff. A concern about a member of staff goes to whoever handles concerns about them."}
	principal := false
	for _, m := range p.AdultMatches {
		v := strconv.FormatInt(m.ID, 10)
		label := "Yes, it is " + m.Name
		if m.JobTitle != "" {
			label += " – " + m.JobTitle
		}
		c.Items = append(c.Items, Choice{Value: v, Label: label, Hint: m.WhoSees, Checked: p.Form.AdultMatch == v})
		principal = principal || m.Principal
	}
	different := Choice{Value: AdultDifferent, Label: "No, it is a different person of the same name", Checked: p.Form.AdultMatch == AdultDifferent}
	if principal {
		different.Hint = "A concern naming the principal goes to the chair of governors even so, and only the chair will see it. The chair can move it if it is someone else."
	}
	c.Items = append(c.Items, different)
	return c
}

func (p ConcernFormPage) categoryChoices() Choices {
	c := Choices{Name: "category", Legend: "What kind of concern is it?", Hint: "Select all that apply.",
		Error: p.Errors.Get("category")}
	for _, cat := range p.Categories {
		c.Items = append(c.Items, Choice{Value: cat.Code, Label: cat.Label, Checked: slices.Contains(p.Form.Categories, cat.Code)})
	}
	return c
}

func (p ConcernFormPage) indicatorChoices() Choices {
	c := Choices{Name: "indicator", Legend: "Signs of child sexual exploitation", Hint: "Tick any you have noticed (policy §5.2).",
		Small: true, Error: p.Errors.Get("indicator")}
	for _, ind := range p.Indicators {
		c.Items = append(c.Items, Choice{Value: ind.Code, Label: ind.Label, Checked: slices.Contains(p.Form.Indicators, ind.Code)})
	}
	return c
}

// aboutAdult reports whether the form is, as answered so far, about an
// adult: the danger asked about is then to the children they may harm.
func (p ConcernFormPage) aboutAdult() bool { return p.Form.AboutAdult() }

// AboutAdult reports whether the form's subject is an adult, so that its
// questions about danger are worded for the children at risk.
func (f ConcernForm) AboutAdult() bool {
	switch f.Subject {
	case SubjectPrincipal, SubjectStaff, SubjectOtherAdult:
		return true
	}
	return false
}

// urgentHint says what "Yes" does.
const urgentHint = "Yes marks your concern urgent and shows you whom to call now."

// urgentConditionalClass is the class of the emergency panel beneath "Yes":
// hidden until it is chosen (haven.scss hides it without scripts too).
func urgentConditionalClass(yes bool) string {
	if yes {
		return "govuk-radios__conditional haven-urgent-reveal"
	}
	return "govuk-radios__conditional haven-urgent-reveal govuk-radios__conditional--hidden"
}

func yearLabel(y int) string { return "Year " + strconv.Itoa(y) }

// ConcernLogged is the confirmation shown to the member of staff who has
// just logged a concern.
type ConcernLogged struct {
	Reference string // the concern's number
	Subject   string // whom it is about, as the logger chose
	Urgent    bool
	// HandledBy says where it goes and who will see it, in a sentence or
	// two: the DSL, or for an allegation about an adult the case manager.
	HandledBy string
	// Alerted says who has been e-mailed about it, in a sentence.
	Alerted string
	// SpeakTo says whom to tell in person as well (policy §11.1, §11.3).
	SpeakTo string
	// AboutChild: the concern is about pupils, so it is in the DSL's queue.
	AboutChild bool
	// Emergency is the panel shown for an urgent concern.
	Emergency Emergency
}

// DraftOffer offers a person the concern they started and did not log:
// continue it or start again.
type DraftOffer struct {
	SavedAt      string // when the draft was last saved: "3 March 2026 at 10:14am"
	ContinueHref string // the form with the draft in it
}

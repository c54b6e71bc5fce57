package web

import (
	"slices"
	"strconv"
	"strings"
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
	// Indicators and ChildsWords are the one child's, or those of a
	// concern that names no child; with several children each child's own
	// are in Children.
	Indicators []string // CSE indicator codes

	WhatHappened string
	ChildsWords  string
	// Children are each ticked pupil's own part, indicators and words, as
	// typed in the pupil's own fields (child-<id>-part, …), in the order
	// of PupilIDs.
	Children      []ChildPartForm
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

// ChildPartForm is one pupil's own fields on the concern form.
type ChildPartForm struct {
	PupilID    string
	Part       string   // a safeguarding.Part; "" if the form did not ask
	Indicators []string // CSE indicator codes seen in them
	Words      string   // their own words, verbatim
}

// ChildPart is the pupil's own fields as typed, and whether there are any.
func (f ConcernForm) ChildPart(pupilID string) (ChildPartForm, bool) {
	for _, c := range f.Children {
		if c.PupilID == pupilID {
			return c, true
		}
	}
	return ChildPartForm{PupilID: pupilID}, false
}

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
	// Chosen are the ticked pupils: one gets a part that defaults to the
	// child harmed or at risk; several each get their own section.
	Chosen []PupilChoice
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
		Error: p.Errors.Get("category"), Small: true, Columns: true}
	for _, cat := range p.Categories {
		c.Items = append(c.Items, Choice{Value: cat.Code, Label: cat.Label, Checked: slices.Contains(p.Form.Categories, cat.Code)})
	}
	return c
}

// PartChoices are the parts a child may have had, as radios named name,
// with chosen checked: the child harmed or at risk unless another is.
func PartChoices(name, legend, chosen, err string) Choices {
	if chosen == "" {
		chosen = PartHarmed
	}
	c := Choices{Name: name, Legend: legend, Error: err, Small: true}
	for _, part := range partLabels {
		c.Items = append(c.Items, Choice{Value: part.Code, Label: part.Label, Checked: chosen == part.Code})
	}
	return c
}

// PartHarmed is the part a child has unless another is chosen.
const PartHarmed = "harmed"

// partLabels are the parts a child may have had, as safeguarding.Parts
// words them.
var partLabels = []CodeLabel{{"harmed", "The child harmed or at risk"}, {"harmed_others", "The child who harmed"},
	{"witness", "A witness"}, {"other", "Other"}}

// PartLabel is a part's words: "The child harmed or at risk".
func PartLabel(code string) string {
	for _, p := range partLabels {
		if p.Code == code {
			return p.Label
		}
	}
	return partLabels[0].Label
}

// showsConcernSigns: the concern's own checklist and words are asked for
// (one child or none), or hold what was typed before a second child was
// chosen, which is shown until it is moved to a child's section.
func (p ConcernFormPage) showsConcernSigns() bool {
	return !p.sections() || len(p.Form.Indicators) > 0 || strings.TrimSpace(p.Form.ChildsWords) != ""
}

// sections reports whether each chosen child gets a section of their own:
// when several are chosen, or when the one chosen has signs or words typed
// in their own fields (a second child was chosen, then unticked), which
// stay in view.
func (p ConcernFormPage) sections() bool {
	if len(p.Chosen) > 1 {
		return true
	}
	for _, c := range p.Chosen {
		if typed, _ := p.Form.ChildPart(strconv.FormatInt(c.ID, 10)); len(typed.Indicators) > 0 || strings.TrimSpace(typed.Words) != "" {
			return true
		}
	}
	return false
}

// PlaceErrors puts each message where the page has its field, once Chosen
// is known: one about a child the page does not show (not on the roll)
// becomes the children's message, and one about the one child's signs or
// words, which the page asks as the concern's, becomes theirs.
func (p *ConcernFormPage) PlaceErrors() {
	var out Errors
	for _, e := range p.Errors {
		if id, field, ok := childField(e.Field); ok {
			switch {
			case !slices.ContainsFunc(p.Chosen, func(c PupilChoice) bool { return strconv.FormatInt(c.ID, 10) == id }):
				e = FieldError{Field: "pupil-query", Message: "Choose the child or children the concern is about"}
			case !p.sections() && field == "indicator":
				e.Field = "indicator"
			case !p.sections() && field == "words":
				e.Field = "childs-words"
			}
		}
		if out.Get(e.Field) == "" {
			out = append(out, e)
		}
	}
	p.Errors = out
}

// childField splits a child's own field name, "child-12-words", into the
// pupil's id and the field ("words").
func childField(name string) (id, field string, ok bool) {
	rest, ok := strings.CutPrefix(name, "child-")
	if !ok {
		return "", "", false
	}
	id, field, ok = strings.Cut(rest, "-")
	return id, field, ok
}

func (p ConcernFormPage) indicatorChoices() Choices {
	return indicatorChoices(p.Indicators, "indicator", "Signs of child sexual exploitation", p.Form.Indicators, p.Errors.Get("indicator"))
}

// indicatorChoices is the §5.2 checklist named name, with ticked ticked.
func indicatorChoices(list []CodeLabel, name, legend string, ticked []string, err string) Choices {
	c := Choices{Name: name, Legend: legend, Hint: "Tick any you have noticed (policy §5.2).", Small: true, Error: err}
	for _, ind := range list {
		c.Items = append(c.Items, Choice{Value: ind.Code, Label: ind.Label, Checked: slices.Contains(ticked, ind.Code)})
	}
	return c
}

// ChildSection is one chosen child's own fields on the form.
type ChildSection struct {
	Pupil                     PupilChoice
	Part                      Choices
	Indicators                Choices
	Words                     Input
	IndicatorsOpen            bool // some are ticked or wrong: the checklist is open
	PartField, IndicatorField string
}

// childSections are the chosen children's own sections, when several are chosen.
func (p ConcernFormPage) childSections() []ChildSection {
	var out []ChildSection
	for _, pupil := range p.Chosen {
		typed, _ := p.Form.ChildPart(strconv.FormatInt(pupil.ID, 10))
		out = append(out, NewChildSection(pupil, typed, p.Indicators, p.Errors, PartHarmed))
	}
	return out
}

// NewChildSection is pupil's own fields as typed, with their messages; a
// part not typed is defaultPart, or none chosen if that is "".
func NewChildSection(pupil PupilChoice, typed ChildPartForm, indicators []CodeLabel, errs Errors, defaultPart string) ChildSection {
	id := strconv.FormatInt(pupil.ID, 10)
	partField, indicatorField, wordsField := "child-"+id+"-part", "child-"+id+"-indicator", "child-"+id+"-words"
	part := typed.Part
	if part == "" {
		part = defaultPart
	}
	sec := ChildSection{Pupil: pupil, PartField: partField, IndicatorField: indicatorField,
		Part: Choices{Name: partField, Legend: "Their part", Error: errs.Get(partField), Small: true},
		Indicators: indicatorChoices(indicators, indicatorField, "Signs of child sexual exploitation seen in them",
			typed.Indicators, errs.Get(indicatorField)),
		Words: Input{Name: wordsField, Label: "What they said, in their own words (optional)", Value: typed.Words,
			Hint: "Word for word, even if it is rude or unclear.", Error: errs.Get(wordsField)},
		IndicatorsOpen: len(typed.Indicators) > 0 || errs.Get(indicatorField) != ""}
	for _, pl := range partLabels {
		sec.Part.Items = append(sec.Part.Items, Choice{Value: pl.Code, Label: pl.Label, Checked: part == pl.Code})
	}
	return sec
}

// onePart is the one chosen child's part, which defaults to the child
// harmed or at risk: its radios, and whether they start open.
func (p ConcernFormPage) onePart() (Choices, bool) {
	id := strconv.FormatInt(p.Chosen[0].ID, 10)
	typed, _ := p.Form.ChildPart(id)
	field := "child-" + id + "-part"
	c := PartChoices(field, "Their part", typed.Part, p.Errors.Get(field))
	return c, c.Error != "" || (typed.Part != "" && typed.Part != PartHarmed)
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

// partOf is the part typed for pupil id, or the child harmed or at risk.
func (f ConcernForm) partOf(id int64) string {
	typed, _ := f.ChildPart(strconv.FormatInt(id, 10))
	if typed.Part == "" {
		return PartHarmed
	}
	return typed.Part
}

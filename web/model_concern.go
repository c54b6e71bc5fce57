package web

import "slices"

// ConcernView is a concern's page: the concern exactly as it was logged,
// then as much of its chronology as the viewer may see, then the forms for
// what the viewer may do. A control the viewer may not use is left out.
type ConcernView struct {
	Reference     string    // the concern's number
	Deadlines     []DueItem // its open deadlines, for those who see them
	EntriesAction string    // where every form on the page posts
	Subject       string    // whom it is about: "Tom Hughes", "Ann Lee (visitor)"
	Status        StatusTag
	Urgent        bool
	// Escalation says when and to whom the concern was escalated, for
	// those who read it in full; "" when it was not.
	Escalation  string
	Banner      string // what the last form did, after it succeeded
	Errors      Errors // the failed form's messages, keyed by EntryFieldID
	Typed       EntryDraft
	KeptEntry   bool   // Typed is the person's draft, kept from before, not a refused form
	DraftAction string // where entry_draft.js saves an entry as it is typed
	Author      string // the viewer's id, posted with each entry form so that an expired session's entry is kept for them only

	Logged LoggedConcern
	// FullRecord: the viewer reads the whole chronology. Otherwise they
	// logged the concern and see only what they wrote and the feedback
	// given to them.
	FullRecord    bool
	FeedbackGiven bool
	Chronology    []ChronologyItem

	FurtherInformation bool            // the member of staff who logged it may add to it
	WhoSees            string          // who will see what they add, in a sentence
	Triage             *TriageControls // nil for anyone who does not handle the concern
	MoveHref           string          // the form that moves the concern to its right subject; "" if the viewer may not
	// EntryPupils are the concern's pupils (value: id, label: name), when
	// an entry may be about some of them (entryAbout).
	EntryPupils []Choice

	// BodyMap is the form that records a body map, for those who may
	// (safeguarding.MayAddBodyMap) while the concern is open; nil otherwise.
	BodyMap *BodyMapForm
	// Attachments are the files kept with the concern that the viewer may
	// see; Attach the form that adds one, nil if the viewer may not.
	Attachments []AttachmentRow
	Attach      *AttachForm
}

// aboutPupilsKind reports whether an entry of kind may be about named
// pupils (safeguarding.AboutPupilsKinds).
func aboutPupilsKind(kind string) bool {
	switch kind {
	case "action", "conversation_with_child", "contact_with_parents", "decision", "referral", "outcome":
		return true
	}
	return false
}

// aboutChecked reports whether pupil (an id) was ticked in the failed form
// for kind.
func (v ConcernView) aboutChecked(kind, pupil string) bool {
	return slices.Contains(v.draft(kind).About, pupil)
}

// concernHeadingPrefix starts a concern page's heading; the subject follows,
// isolated (<bdi>) on the page so that right-to-left names, or direction
// controls typed into a name, cannot reorder the heading's own words.
const concernHeadingPrefix = "Concern about "

// Title is the page's <title>: the concern's number, never whom it is
// about, which a browser shows in its tabs, history and bookmarks.
func (v ConcernView) Title() string { return "Concern " + v.Reference }

// LoggedConcern is what the member of staff wrote, as they wrote it.
type LoggedConcern struct {
	About     []SubjectName
	AboutNote string // "Member of staff", "Visitor", the pupils' year groups
	// Involves are the children a concern about an adult involves, and
	// InvolvesNote their year groups.
	Involves     []SubjectName
	InvolvesNote string
	Categories   []string
	// Indicators and ChildsWords are the one child's, or the concern's
	// when it names no child or they are not yet attributed; with several
	// children, each child's own are in Parts.
	Indicators   []string // CSE indicators ticked, in the policy's words
	WhatHappened []string // one paragraph per line typed, shared by every child
	ChildsWords  []string // verbatim, shown as a quotation apart from the account
	// PartLabel is the one child's part ("The child harmed or at risk").
	PartLabel string
	// Parts are each child's own part, when the concern names several.
	Parts []LoggedPart
	// Unattributed: logged about several children before each child's part
	// was recorded; Indicators and ChildsWords are no one child's yet.
	Unattributed bool
	// AttributeHref is the form that records each child's part, for a case
	// handler of an unattributed concern; "" otherwise.
	AttributeHref string
	When          string
	Where         string
	OthersTold    []string
	ActionsTaken  []string
	Urgent        bool
	LoggedBy      string
	LoggedAt      string
}

// LoggedPart is one child's own part of a concern about several.
type LoggedPart struct {
	Child      SubjectName
	Part       string
	Indicators []string // in the policy's words
	Words      []string // verbatim, one paragraph per line
}

// ChronologyItem is one entry of the chronology.
type ChronologyItem struct {
	Anchor      string // the element id, "entry-42", stable across viewers
	Number      int    // its place in the chronology, from 1
	Heading     string // the kind of entry
	Author, At  string
	Happened    string // when it happened, if earlier than At, when it was written
	BodyLabel   string // what the paragraphs are ("Outcome", "Reason"); may be empty
	Paragraphs  []string
	Facts       []SummaryRow // structured details: a referral's agency, a decision's reason
	Corrects    *EntryRef    // the entry this one corrects
	CorrectedBy []EntryRef   // later entries that correct this one
	BodyMap     *BodyMapView // a body map entry's marks
}

// EntryRef points at another entry of the same chronology.
type EntryRef struct {
	Number int
	Anchor string
}

// TriageControls are what a case handler may do to the concern as it stands.
type TriageControls struct {
	Open           bool     // an open concern; a closed one may only be reopened or corrected
	CanAcknowledge bool     // it is new
	CanStart       bool     // it may move to "in progress"
	Assignees      []Option // DSLs and deputies; nil where assigning does not apply
	Agencies       []Choice // referral agencies, in the form's order
	Entries        []Option // entries a correction may name
	ReferrerName   string   // who feedback goes to
	Referrals      []Option // referrals a response may answer; none, and there is no response form
	Awaiting       []string // referrals that await the agency's response, each in a line, for the close form
	NextSteps      []Option // what the school may do when an agency will not investigate (§11.11–11.12)
	TimedKinds     []string // the kinds of entry whose form asks when it happened
}

// EntryDraft is what was typed into the entry form that failed, so that
// it comes back with every value kept. Kind names that form.
type EntryDraft struct {
	Kind                                     string
	Body, Reason, Judgement                  string
	SafeToTell                               bool
	Agency, AgencyOther, Reference           string
	ReferredDay, ReferredMonth, ReferredYear string
	Corrects, Assignee                       string
	About                                    []string // the pupils it is about (ids); none for the whole concern
	EntryTimeDraft
	ReferralResponseDraft
	BodyMapDraft
}

// EntryTimeDraft is when an entry says it happened, as typed.
type EntryTimeDraft struct {
	HappenedDay, HappenedMonth, HappenedYear, HappenedTime string
	HappenedReason                                         string
}

// ReferralResponseDraft is an agency's response, and closing without one,
// as typed.
type ReferralResponseDraft struct {
	Referral, AgencyAction, AgencyContact       string
	RespondedDay, RespondedMonth, RespondedYear string
	NoResponseWhy                               string
	// Whether the agency will investigate, and if not the next step and
	// its reason (§11.11–11.12).
	Statutory, NextStep, NextStepReason string
}

// EntryFieldID is the id of field in the form for entries of kind. Every
// form on the page has a "body", so ids carry the kind; the few fields that
// appear in one form only keep their names, which the components also use
// as ids.
func EntryFieldID(kind, field string) string {
	switch field {
	case "agency", "safe_to_tell", "referred_on", "responded_on", "statutory", "next_step":
		return field
	}
	return kind + "-" + field
}

// EntryFormID is the id of the whole form for entries of kind, which a
// problem with no field of its own (closing a closed concern) points at.
func EntryFormID(kind string) string { return "form-" + kind }

// draft is what was typed into the form for kind, if that form failed.
func (v ConcernView) draft(kind string) EntryDraft {
	if v.Typed.Kind == kind {
		return v.Typed
	}
	return EntryDraft{}
}

// problem is the message for a field of the form for kind.
func (v ConcernView) problem(kind, field string) string {
	return v.Errors.Get(EntryFieldID(kind, field))
}

func (v ConcernView) agencyChoices() Choices {
	d := v.draft("referral")
	c := Choices{Name: "agency", Legend: "Agency", Error: v.problem("referral", "agency")}
	for _, a := range v.Triage.Agencies {
		a.Checked = a.Value == d.Agency
		c.Items = append(c.Items, a)
	}
	return c
}

func (v ConcernView) safeToTellChoices() Choices {
	return Choices{Name: "safe_to_tell", Legend: "Telling them would not put the child or others at risk",
		Hint:  "Policy §11.15: parents or carers are told unless telling them would put the child or others at risk of harm.",
		Error: v.problem("contact_with_parents", "safe_to_tell"),
		Items: []Choice{{Value: "yes", Label: "I have judged that telling the parents or carers would not put the child or others at risk of harm",
			Checked: v.draft("contact_with_parents").SafeToTell}}}
}

// concernSelect marks the option whose value is chosen; with nothing
// chosen, the options keep their own selection (the current assignee).
func concernSelect(options []Option, chosen string) []Option {
	if chosen == "" {
		return options
	}
	out := make([]Option, len(options))
	for i, o := range options {
		o.Selected = o.Value == chosen
		out[i] = o
	}
	return out
}

// unattributedKey is key, saying so when what it names is no one child's yet.
func unattributedKey(key string, unattributed bool) string {
	if unattributed {
		return key + " (not yet attributed to a child)"
	}
	return key
}

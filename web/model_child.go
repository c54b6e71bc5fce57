package web

// ChildPage is everything about one pupil that the viewer may see.
type ChildPage struct {
	Reference     string // the pupil's number
	Name          string
	Details       []SummaryRow // year group, date of birth, age
	OpenReferrals []ChildReferral
	// Transfer is the pupil's transfer between schools, for those who
	// transfer files (empty for anyone else).
	Transfer     ChildTransfer
	PatternFlags []PatternFlag    // the child's, open and reviewed, newest first
	Indicators   []ChildIndicator // in the policy's order (§5.2)
	Concerns     []ChildConcern   // newest first
	Chronology   []ChildEntry     // every entry of every concern above, or the latest of them, oldest first
	// ShowAllHref, when set, links to the whole chronology, of which
	// Chronology holds only the latest: ChronologyShown of ChronologyTotal.
	ShowAllHref                      string
	ChronologyShown, ChronologyTotal string
	// ExportHref, when set, downloads the whole file as a PDF (for the DSL
	// and deputies).
	ExportHref string
	// ViewsShown says the viewer reads who has opened the file (the DSL
	// and deputies): Views are the latest openings, newest first, and
	// ViewsHref the audit page of every reading of the file.
	ViewsShown bool
	Views      []FileView
	ViewsHref  string
}

// Title is the page's <title>: the pupil's number, never their name, which
// a browser shows in its tabs, history and bookmarks.
func (c ChildPage) Title() string { return "Child's file " + c.Reference }

// SubjectName is a name on a concern's subject line. Href links a pupil's
// name to their page when the viewer may see it, and is empty otherwise.
// Another: a pupil the viewer may not see named, shown as "another pupil".
// A named pupil prints as "another pupil" too.
type SubjectName struct {
	Name, Href string
	Another    bool
}

// ConcernLink names a concern and links to its page.
type ConcernLink struct {
	Text, Href string
}

// StatusTag is a concern's status as a coloured tag.
type StatusTag struct {
	Label, Colour string
}

// ChildConcern is one concern about the child, as the child's page lists it.
type ChildConcern struct {
	Concern    ConcernLink
	LoggedAt   string
	LoggedBy   string
	Categories string
	Status     StatusTag
	Urgent     bool
	Part       string        // the child's part: "The child harmed or at risk"
	AlsoAbout  []SubjectName // the other pupils the concern is about, or involves
	// AboutAdult names the adult a concern is about when it is about an
	// adult and involves the child; "" for a concern about children.
	AboutAdult string
}

// ChildEntry is one line of the child's chronology.
type ChildEntry struct {
	Heading    string // "Decision", or "Concern logged: Neglect, Online safety"
	At         string
	Happened   string // when it happened, if earlier than At, when it was written
	Author     string
	Concern    ConcernLink
	BodyLabel  string       // what the paragraphs are ("Outcome"); may be empty
	Paragraphs []string     // what the entry says, one paragraph per line typed
	Facts      []SummaryRow // structured details: a referral's agency, a decision's reason
	BodyMap    *BodyMapView // a body map entry's marks
}

// ChildIndicator is one CSE indicator as recorded for the child over time.
type ChildIndicator struct {
	Label       string
	Times       string // how many concerns ticked it
	Staff       string // how many different members of staff
	First, Last string
}

// ChildReferral is a referral that awaits the agency's response.
type ChildReferral struct {
	Agency, Reference, ReferredOn string
	Concern                       ConcernLink
	Due                           DueItem // when the response is due; Due.Due is "" when none is owed
}

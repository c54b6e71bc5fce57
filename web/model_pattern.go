package web

// PatternSettingsPath is the page on which the DSL or a deputy sets the
// school's pattern rules.
const PatternSettingsPath = "/settings/patterns"

// PatternFlag is a child flagged for review by a pattern rule, as the queue
// and the child's page show it.
type PatternFlag struct {
	ReviewHref string // the flag's page, where it is reviewed
	Child      string // the child's name
	ChildHref  string
	YearGroup  string // "Year 9"
	Rule       string // the rule's short name
	Raised     string // when it was raised
	Concerns   []ConcernLink
	Open       bool
	// Review says who reviewed it, when, and what they decided, once they
	// have; Reason is why.
	Review, Reason string
}

// PatternReviewPage is a flag's page: the rule, what it looks for, the
// concerns that raised it, and the review form while it is open.
type PatternReviewPage struct {
	Flag        PatternFlag
	Description string // what the rule looks for, as the school sets it
	Concerns    []PatternConcern
	// The form, kept as typed when it is shown again.
	Decision []Choice
	Reason   string
	Errors   Errors
	// CanReview: the viewer may record the review (the DSL and deputies).
	CanReview bool
	Saved     bool
}

// PatternConcern is one concern that raised a flag.
type PatternConcern struct {
	Concern    ConcernLink
	LoggedAt   string
	LoggedBy   string
	Categories string
	Indicators string // the child's own, "None" when none
	Status     StatusTag
}

// PatternSettingsForm is the pattern rules' settings form, as saved or as
// typed.
type PatternSettingsForm struct {
	CSEOn, ConcernsOn, MissingOn            bool
	CSEIndicators, CSEStaff, CSEDays        string
	ConcernsMany, ConcernsDays, MissingDays string
	Errors                                  Errors
	Saved                                   bool
	LastChanged                             string
}

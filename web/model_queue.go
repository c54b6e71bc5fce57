package web

// Queue is the DSL's queue: the open concerns the viewer may see, urgent
// first, with a filter form that works without JavaScript.
type Queue struct {
	Filter QueueFilter
	Rows   []QueueRow
	// PatternFlags are the children flagged by a pattern rule and not yet
	// reviewed, newest first, whatever the filter.
	PatternFlags []PatternFlag
	// PrevHref and NextHref link to the neighbouring pages, FirstHref back to
	// the first; each is empty when there is no such page.
	PrevHref, NextHref, FirstHref string
}

// QueueFilter is the filter form, each list with the current choice selected.
type QueueFilter struct {
	Status, Category, YearGroup, Assignee []Option
	// Filtered is true when anything but the default view is chosen, so the
	// page offers to clear the filters.
	Filtered bool
}

// QueueRow is one concern in the queue.
type QueueRow struct {
	Href       string
	Subject    string
	YearGroups string // "Year 8", "Years 8 and 10"; empty for an adult
	Categories []string
	LoggedBy   string
	Age        string // "3 h ago"
	LoggedAt   string // the full date and time, for the age's title
	Status     StatusTag
	Assignee   string // empty when unassigned
	Urgent     bool
	// Deadlines marks a concern with a deadline due today or missed
	// (DESIGN.md "Referrals and deadlines"): "Response overdue", "Feedback
	// due", …
	Deadlines []QueueMarker
}

// QueueMarker is one tag on a queue row.
type QueueMarker struct {
	Text, Colour string
}

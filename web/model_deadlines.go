package web

// ClosuresPath is the page on which the DSL, a deputy or the administrator
// keeps the school's closure days.
const ClosuresPath = "/settings/closures"

// DuePath is the Due view: every open deadline of the school.
const DuePath = "/due"

// ClosuresForm is the closure days page: the days kept, and the form that
// adds more, as typed.
type ClosuresForm struct {
	Closures []ClosureRow
	From, To DateFields
	Reason   string
	Errors   Errors
	Saved    string // what was just done, for the banner: "added", "removed" or ""
}

// ClosureRow is one closure as the page lists it.
type ClosureRow struct {
	ID       int64
	Days     string // "Monday 21 December 2026 to Friday 1 January 2027"
	Reason   string
	FormPath string // where its remove form posts
}

// DueView is the Due view's list.
type DueView struct {
	Items   []DueItem
	Overdue int // in all, listed or not
	More    int // how many more are open than are listed
}

// DueItem is one open deadline as the Due view lists it.
type DueItem struct {
	What  string // "Response to a referral"
	From  string // "Children's social care", for a response
	Due   string // "Monday 12 October 2026"
	State string // "Overdue", "Due today" or ""
	About string // what it is for: "Concern 123", or the leaver whose file is due
	Link  string
}

// nextStepRevealClass is the class of the next step beneath "No statutory
// investigation": hidden until it is chosen (haven.scss shows it once
// chosen, without scripts too).
func nextStepRevealClass(chosen bool) string {
	if chosen {
		return "govuk-radios__conditional haven-urgent-reveal"
	}
	return "govuk-radios__conditional haven-urgent-reveal govuk-radios__conditional--hidden"
}

// nextStepChoices are the next steps offered, with chosen checked.
func nextStepChoices(steps []Option, chosen string) []Choice {
	var out []Choice
	for _, n := range steps {
		out = append(out, Choice{Value: n.Value, Label: n.Label, Checked: n.Value == chosen})
	}
	return out
}

// Heading is what is due and, for a response, from whom.
func (d DueItem) Heading() string {
	if d.From == "" {
		return d.What
	}
	return d.What + " (" + d.From + ")"
}

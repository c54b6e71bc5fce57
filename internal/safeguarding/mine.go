package safeguarding

// MyConcernsPage is one page of the concerns a person logged, newest first.
type MyConcernsPage struct {
	Concerns []Concern
	// Next is the cursor for the following page (pass it as after), or 0
	// when this is the last page.
	Next int64
}

package web

// RetentionPath is the retention page: the child-protection files whose
// retention date has come, for the DSL and the principal to review.
const RetentionPath = "/retention"

// RetentionPage lists the files due for review, each with who has agreed
// to destroy it and the form to agree, and the files destroyed.
type RetentionPage struct {
	Banner    string // what was just done
	Errors    Errors
	Due       []RetentionFile
	Destroyed []string // "File 3 destroyed on 4 June 2026: proposed by …, confirmed by …"
}

// RetentionFile is one file due for review.
type RetentionFile struct {
	Name, Href  string // the pupil, and their page
	Details     []SummaryRow
	Agreements  []SummaryRow // who agreed, when, and why
	Action      string       // where the agreement is posted
	ReasonField string       // the reason's field name and id
	Reason      string       // as typed, kept when the form is refused
	Error       string
	// Step is what agreeing does now: "propose" (nobody has agreed),
	// "confirm" (the other person has; agreeing destroys the file) or
	// "wait" (the viewer has agreed; the other person must).
	Step string
}

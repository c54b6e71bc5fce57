package web

// RecordParts is the form on which a case handler records each child's own
// part, signs and words for a concern logged about several children before
// parts were recorded. What the concern recorded is shown above it, to be
// given to the child or children it belongs to, and no one else.
type RecordParts struct {
	Reference    string // the concern's number
	Action, Back string
	Indicators   []string // the signs recorded on the concern, in the policy's words
	ChildsWords  []string // the words recorded on the concern, one paragraph per line
	Sections     []ChildSection
	Errors       Errors
}

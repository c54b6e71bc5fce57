package safeguarding

// ConcernAlert tells a new concern's case handlers (Handles) that it was
// logged. It holds ids only: no child's name and no detail ever reach the
// job queue or an e-mail.
type ConcernAlert struct {
	SchoolID        int64
	ConcernID       int64
	Urgent          bool
	Route           Route
	SubjectPersonID int64 // not alerted: the concern is about them
	LoggedBy        int64 // not alerted: they know
}

package safeguarding

import "time"

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
	// EscalateAt is when the concern is escalated if nobody it is routed
	// to has acknowledged it (EscalationSettings.EscalateAt); zero for
	// none, as when a concern is moved.
	EscalateAt time.Time
}

// Recipient is a person told of something, by in-app notice and e-mail.
type Recipient struct {
	PersonID int64
	Email    string
}

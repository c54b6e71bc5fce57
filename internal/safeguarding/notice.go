package safeguarding

import "time"

// NoticeKind is what an in-app notice tells its reader of.
type NoticeKind string

const (
	NoticeNewConcern NoticeKind = "new_concern" // mirrors a new concern's alert
	NoticeEscalation NoticeKind = "escalation"  // nobody it is routed to has acknowledged a concern in time
	NoticePattern    NoticeKind = "pattern"     // a pattern rule flagged a child for review
	NoticeDeadline   NoticeKind = "deadline"    // a deadline has passed
)

// Notice is one in-app notice to one person: everything an e-mail alert
// says, mirrored so nothing depends on e-mail alone. Message names no child
// and no adult; ConcernID or PupilID (0 for none) is what it is about, and
// only a person who may see that is given a notice naming it.
type Notice struct {
	ID        int64
	SchoolID  int64
	PersonID  int64
	Kind      NoticeKind
	ConcernID int64
	PupilID   int64
	Message   string
	CreatedAt time.Time
	ReadAt    *time.Time
}

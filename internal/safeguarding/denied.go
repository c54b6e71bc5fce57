package safeguarding

import (
	"strconv"
	"time"
)

// A denied look is a request for a concern or a child's file that was
// answered as if the record did not exist: it does not, or the person may
// not see it, or may not do to it what they asked. The person is shown the
// same "page not found" whichever it was; the audit log records who asked,
// for what, when and from where.

// LookedFor is the kind of record a denied look asked for, as the audit
// log names it ("concern:462", "pupil:123").
type LookedFor string

const (
	LookedForConcern   LookedFor = "concern"
	LookedForChildFile LookedFor = "pupil"
)

// DeniedLook is one denied request, by the viewer who made it.
type DeniedLook struct {
	Record  LookedFor
	ID      int64  // the id asked for, whether or not a record has it
	Request string // what was asked, e.g. "GET /concerns/{id}"
	Address string // where from, as the rest of the audit log records it
}

// Object is the record as the audit log names it.
func (l DeniedLook) Object() string { return string(l.Record) + ":" + strconv.FormatInt(l.ID, 10) }

// DeniedLookWatch says when one person's denied looks at one concern are
// brought to the attention of those who handle it: Times or more within
// Within.
type DeniedLookWatch struct {
	Times  int
	Within time.Duration
}

// DefaultDeniedLookWatch: five denied looks at one concern in a day.
var DefaultDeniedLookWatch = DeniedLookWatch{Times: 5, Within: 24 * time.Hour}

// Raises reports whether a denied look that brings one person's denied
// looks at one concern within the window to times raises a notice: when it
// reaches the threshold, unless a notice about the same person and concern
// was raised within the window, so that further denials do not raise one
// each.
func (w DeniedLookWatch) Raises(times int, noticedWithin bool) bool {
	return w.Times > 0 && w.Within > 0 && times >= w.Times && !noticedWithin
}

// DeniedLookNotice tells a concern's case handlers (Handles) that one person
// has asked for it, and been refused, Times times within Within. It holds
// ids only, as ConcernAlert does; the notice says who asked and how often,
// and nothing about the concern.
type DeniedLookNotice struct {
	SchoolID        int64
	ConcernID       int64
	Route           Route
	SubjectPersonID int64 // not told: the concern is about them
	PersonID        int64 // who asked; not told either
	Times           int
	Within          time.Duration
}

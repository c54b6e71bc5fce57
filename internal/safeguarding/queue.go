package safeguarding

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// QueuePageSize is how many concerns one page of the queue shows.
const QueuePageSize = 50

// The queue's status filter, besides the statuses themselves.
const (
	QueueOpen = "open" // every status but closed: the default
	QueueAll  = "all"
)

// QueueFilter narrows the DSL's queue. The zero value is the first page of
// every open concern the viewer may see.
type QueueFilter struct {
	Status     string // QueueOpen (or ""), QueueAll, or a Status
	Category   string // a category code; "" for any
	YearGroup  int    // a pupil's year group; 0 for any
	AssignedTo int64  // a DSL or deputy; 0 for anyone
	Unassigned bool   // only concerns assigned to nobody
	// After starts the page just after this position, Before ends it just
	// before; both zero is the first page.
	After, Before QueuePosition
	Limit         int // 0 means QueuePageSize
}

// QueuePosition is a concern's place in the queue's order (see
// migrations/00003_queue_index.sql): the last row of a page, from which the
// next page resumes.
type QueuePosition struct {
	Group int16
	Key   int64 // microseconds
	ID    int64
}

// IsZero reports whether p is no position: the start of the queue.
func (p QueuePosition) IsZero() bool { return p.ID == 0 }

// String encodes p as an opaque token for a URL.
func (p QueuePosition) String() string {
	if p.IsZero() {
		return ""
	}
	s := fmt.Sprintf("%d.%d.%d", p.Group, p.Key, p.ID)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// ParseQueuePosition decodes a token made by String; ok is false for
// anything else.
func ParseQueuePosition(token string) (p QueuePosition, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return p, false
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 {
		return p, false
	}
	group, err1 := strconv.ParseInt(parts[0], 10, 16)
	key, err2 := strconv.ParseInt(parts[1], 10, 64)
	id, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || group < 0 || group > 3 || id <= 0 {
		return p, false
	}
	p = QueuePosition{Group: int16(group), Key: key, ID: id}
	if p.String() != token { // only the one spelling String makes: "+1", "01", padding and line breaks are edits
		return QueuePosition{}, false
	}
	return p, true
}

// QueuePage is one page of the queue.
type QueuePage struct {
	Concerns []Concern
	// Next and Prev are where the following and preceding pages start; zero
	// when there is none.
	Next, Prev QueuePosition
	// YearGroups and Leads are the filter's choices: the school's year
	// groups and the DSLs and deputies a concern may be assigned to.
	YearGroups []int
	Leads      []Assignee
	// PatternFlags are the open pattern flags the viewer may see
	// (MaySeePatternFlag), newest first, whatever the filter.
	PatternFlags []PatternFlag
	// Deadlines are the open deadlines of the page's concerns, by concern,
	// for those who see them (SeesDeadlines).
	Deadlines map[int64][]Deadline
}

// Assignee is a DSL or deputy to whom a concern may be assigned.
type Assignee struct {
	ID   int64
	Name string
	Role Role
}

package postgres

import "github.com/havenapp/haven/internal/safeguarding"

// QueueQuery exposes the queue's SQL to the external tests, which EXPLAIN it.
func QueueQuery(v safeguarding.Viewer, f QueueFilter) (string, []any) {
	if f.Limit <= 0 {
		f.Limit = QueuePageSize
	}
	return queueQuery(v, safeguarding.VisibleRoutes(v.Roles), f)
}

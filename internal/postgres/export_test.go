package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/safeguarding"
)

// QueueQuery exposes the queue's SQL to the external tests, which EXPLAIN it.
func QueueQuery(v safeguarding.Viewer, f safeguarding.QueueFilter) (string, []any) {
	if f.Limit <= 0 {
		f.Limit = safeguarding.QueuePageSize
	}
	return queueQuery(v, safeguarding.VisibleRoutes(v.Roles), f)
}

// AsViewer and SendLast expose the viewer's transaction to the external
// tests.
func (db *DB) AsViewer(ctx context.Context, v safeguarding.Viewer, fn func(pgx.Tx) error) error {
	return db.asViewer(ctx, v, fn)
}

func SendLast(ctx context.Context, tx pgx.Tx, b *pgx.Batch) error { return sendLast(ctx, tx, b) }

// Pool exposes the store's connections to the external tests.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// AuditRecord is an AuditEvent as stored.
type AuditRecord struct {
	safeguarding.AuditEvent
	ID int64
	At time.Time
}

// AuditLog returns the most recent events of a school, newest first, read
// as the owner (q), since row-level security shows the app only what each
// viewer may read. schoolID 0 returns events with no school.
func AuditLog(ctx context.Context, q *pgx.Conn, schoolID int64, limit int) ([]AuditRecord, error) {
	rows, err := q.Query(ctx, `SELECT id, at, coalesce(school_id, 0), coalesce(actor_id, 0), action, object, address, detail
		FROM audit_log WHERE coalesce(school_id, 0) = $1 ORDER BY id DESC LIMIT $2`, schoolID, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditRecord, error) {
		var a AuditRecord
		err := r.Scan(&a.ID, &a.At, &a.SchoolID, &a.ActorID, &a.Action, &a.Object, &a.Address, &a.Detail)
		return a, err
	})
}

package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/safeguarding"
)

// AuditRecord is an AuditEvent as stored.
type AuditRecord struct {
	safeguarding.AuditEvent
	ID int64
	At time.Time
}

// Audit writes one event.
func (db *DB) Audit(ctx context.Context, e safeguarding.AuditEvent) error {
	return audit(ctx, db.pool, e)
}

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func audit(ctx context.Context, q querier, e safeguarding.AuditEvent) error {
	_, err := q.Exec(ctx, auditSQL, e.SchoolID, e.ActorID, e.Action, e.Object, e.Address, e.Detail)
	if err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

const auditSQL = `INSERT INTO audit_log (school_id, actor_id, action, object, address, detail)
	VALUES (NULLIF($1, 0), NULLIF($2, 0), $3, $4, $5, $6)`

// batchAudit adds the recording of e to a batch, to travel with the
// statements it records.
func batchAudit(b *pgx.Batch, e safeguarding.AuditEvent) {
	b.Queue(auditSQL, e.SchoolID, e.ActorID, e.Action, e.Object, e.Address, e.Detail)
}

// AuditLog returns the most recent events of a school, newest first (for the
// administrator's view and for tests). schoolID 0 returns events with no school.
func (db *DB) AuditLog(ctx context.Context, schoolID int64, limit int) ([]AuditRecord, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, at, coalesce(school_id, 0), coalesce(actor_id, 0), action, object, address, detail
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

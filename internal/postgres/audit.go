package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/safeguarding"
)

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

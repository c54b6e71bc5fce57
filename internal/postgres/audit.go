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

// audit writes one event in q's transaction. The row is linked into its
// school's hash chain (chain_seq, prev_hash, hash) by a deferred trigger as
// the transaction commits, not here: a chain head locked at the insert
// would be held through the rest of the request, and nearly every request
// writes the log, so one school's requests would queue behind each other.
// Linked at commit, they wait on each other only for the commit itself.
// Migration 00038 says more; `haven verify` checks the chains.
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

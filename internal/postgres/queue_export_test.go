package postgres

import (
	"context"

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

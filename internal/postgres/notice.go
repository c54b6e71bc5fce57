package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// addNotices adds notices in tx, so they commit or roll back with whatever
// raised them (a job's run, a concern being logged). Each notice is for its
// PersonID; the caller has decided that the person may be told.
func (db *DB) addNotices(ctx context.Context, tx pgx.Tx, notices ...safeguarding.Notice) error {
	if len(notices) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, n := range notices {
		b.Queue(`INSERT INTO notices (school_id, person_id, kind, concern_id, pupil_id, message, created_at)
			VALUES ($1, $2, $3, nullif($4, 0::bigint), nullif($5, 0::bigint), $6, $7)`,
			n.SchoolID, n.PersonID, string(n.Kind), n.ConcernID, n.PupilID, n.Message, db.now())
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("add notices: %w", err)
	}
	return nil
}

// AddNotices adds notices as Haven itself, for no viewer: the jobs that
// mirror alerts and escalations call it.
func (db *DB) AddNotices(ctx context.Context, notices ...safeguarding.Notice) error {
	return db.inTx(ctx, func(tx pgx.Tx) error { return db.addNotices(ctx, tx, notices...) })
}

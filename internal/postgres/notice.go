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

// noticesShown is how many notices the notices page lists: the newest.
const noticesShown = 100

// Notices are v's own notices, newest first (row-level security gives each
// person only theirs); the newest noticesShown of them. ConcernID is 0 when
// v may not see the concern.
func (db *DB) Notices(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Notice, error) {
	var out []safeguarding.Notice
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		// A notice's concern is given only while v may still see it
		// (concerns_select): a concern moved to another route since is not.
		rows, err := tx.Query(ctx, `SELECT n.id, n.kind,
				coalesce((SELECT c.id FROM concerns c WHERE c.school_id = n.school_id AND c.id = n.concern_id), 0),
				coalesce(n.pupil_id, 0), n.message, n.created_at, n.read_at
			FROM notices n WHERE n.school_id = $1 AND n.person_id = $2 ORDER BY n.created_at DESC, n.id DESC LIMIT $3`,
			v.SchoolID, v.PersonID, noticesShown)
		if err != nil {
			return fmt.Errorf("read notices: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Notice, error) {
			n := safeguarding.Notice{SchoolID: v.SchoolID, PersonID: v.PersonID}
			var kind string
			err := row.Scan(&n.ID, &kind, &n.ConcernID, &n.PupilID, &n.Message, &n.CreatedAt, &n.ReadAt)
			n.Kind = safeguarding.NoticeKind(kind)
			return n, err
		})
		return err
	})
	return out, err
}

// MarkNoticesRead marks all of v's unread notices read.
func (db *DB) MarkNoticesRead(ctx context.Context, v safeguarding.Viewer) error {
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE notices SET read_at = $3 WHERE school_id = $1 AND person_id = $2 AND read_at IS NULL`,
			v.SchoolID, v.PersonID, db.now())
		if err != nil {
			return fmt.Errorf("mark notices read: %w", err)
		}
		return nil
	})
}

// MarkConcernNoticesRead marks v's unread notices about concern concernID
// read (v has opened it), and says how many there were
// (notices_concern_idx).
func (db *DB) MarkConcernNoticesRead(ctx context.Context, v safeguarding.Viewer, concernID int64) (int, error) {
	var n int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE notices SET read_at = $4
			WHERE school_id = $1 AND concern_id = $2 AND person_id = $3 AND read_at IS NULL`,
			v.SchoolID, concernID, v.PersonID, db.now())
		if err != nil {
			return fmt.Errorf("mark concern's notices read: %w", err)
		}
		n = tag.RowsAffected()
		return nil
	})
	return int(n), err
}

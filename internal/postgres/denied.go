package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The audit log's actions for denied looks. The index of migration 00014
// (audit_log_denied_looks_idx) holds the rows of the first and the last.
const (
	auditDeniedConcern      = "denied_concern"
	auditDeniedChildFile    = "denied_child_file"
	auditDeniedLooksNoticed = "denied_looks_noticed" // by the person whose looks were noticed
)

// NoticeEnqueuer adds the notice of repeated denied looks to tx, the
// transaction that records the denial that raised it. internal/jobs makes
// one (jobs.NoticeEnqueuer).
type NoticeEnqueuer func(ctx context.Context, tx pgx.Tx, n safeguarding.DeniedLookNotice) error

// WithDeniedLookNotices returns a store that raises a notice through
// enqueue when one person's denied looks at one concern cross watch; a nil
// enqueue records denied looks and raises no notice (as New's store does).
func (db *DB) WithDeniedLookNotices(watch safeguarding.DeniedLookWatch, enqueue NoticeEnqueuer) *DB {
	c := *db
	c.watch, c.notices = watch, enqueue
	return &c
}

// RecordDeniedLook writes to the audit log, in a transaction of its own,
// that v asked for a record and was answered as if it did not exist: who,
// which id (whether or not a record has it), what they asked, when and from
// where.
//
// When the record is a concern that v may not see, and v's denied looks at
// it within the watch's window reach its threshold (safeguarding.
// DeniedLookWatch.Raises), the same transaction queues a notice to its case
// handlers and records that it did. An id that is no concern, or a concern
// v may see (refused only what they asked to do with it), raises no notice.
func (db *DB) RecordDeniedLook(ctx context.Context, v safeguarding.Viewer, look safeguarding.DeniedLook) error {
	e := safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: auditDeniedChildFile,
		Object: look.Object(), Address: look.Address, Detail: look.Request}
	if look.Record == safeguarding.LookedForConcern {
		e.Action = auditDeniedConcern
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		if e.Action != auditDeniedConcern || db.notices == nil {
			batchAudit(b, e)
			return sendLast(ctx, tx, b)
		}
		// One person's looks at one concern are counted one at a time, so
		// that two at once cannot both raise the notice.
		b.Queue(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
			"denied_look:"+strconv.FormatInt(v.SchoolID, 10)+":"+strconv.FormatInt(v.PersonID, 10)+":"+e.Object)
		batchAudit(b, e)
		var times, noticed int
		b.Queue(`SELECT count(*) FILTER (WHERE action = '`+auditDeniedConcern+`'), count(*) FILTER (WHERE action = '`+auditDeniedLooksNoticed+`')
			FROM audit_log WHERE school_id = $1 AND actor_id = $2 AND object = $3
			AND action IN ('`+auditDeniedConcern+`', '`+auditDeniedLooksNoticed+`')
			AND at > clock_timestamp() - $4::float8 * interval '1 second'`,
			v.SchoolID, v.PersonID, e.Object, db.watch.Within.Seconds()).QueryRow(func(row pgx.Row) error {
			return row.Scan(&times, &noticed)
		})
		var found bool
		var route safeguarding.Route
		var subject int64
		b.Queue(`SELECT route, coalesce(subject_person_id, 0) FROM haven_unseen_concern($1, $2)`, v.SchoolID, look.ID).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				found = true
				if err := rows.Scan(&route, &subject); err != nil {
					return err
				}
			}
			return rows.Err()
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("record denied look: %w", err)
		}
		if !found || !db.watch.Raises(times, noticed > 0) {
			return nil
		}
		n := safeguarding.DeniedLookNotice{SchoolID: v.SchoolID, ConcernID: look.ID, Route: route, SubjectPersonID: subject,
			PersonID: v.PersonID, Times: times, Within: db.watch.Within}
		if err := db.notices(ctx, tx, n); err != nil {
			return fmt.Errorf("enqueue denied-look notice: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: auditDeniedLooksNoticed,
			Object: e.Object, Detail: strconv.Itoa(times) + " within " + db.watch.Within.String()})
	})
}

// PersonName returns the name of a person of the school, for the notice of
// their denied looks. People have no row-level security: this reads no
// concern.
func (db *DB) PersonName(ctx context.Context, schoolID, personID int64) (string, error) {
	var name string
	err := db.pool.QueryRow(ctx, `SELECT full_name FROM people WHERE school_id = $1 AND id = $2`, schoolID, personID).Scan(&name)
	return name, notFound(err, "No such person")
}

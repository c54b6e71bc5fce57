package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/safeguarding"
)

// ListRetentionDue lists, in every school, the child-protection files whose
// retention date (date of birth plus 25 years) has come by today, for
// review, and returns how many it newly listed. The nightly job runs it, as
// no one (haven_list_retention_due).
func (db *DB) ListRetentionDue(ctx context.Context, today time.Time) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT haven_list_retention_due($1)`, today.Format(time.DateOnly)).Scan(&n); err != nil {
		return 0, fmt.Errorf("list files due for review: %w", err)
	}
	return n, nil
}

// errNoRetention answers a viewer who may not review retention, as for a
// page that does not exist.
var errNoRetention = safeguarding.Errorf(safeguarding.ENOTFOUND, "No such page")

// Retention is the school's files due for review and the files destroyed,
// for a viewer who may review retention.
func (db *DB) Retention(ctx context.Context, v safeguarding.Viewer) (safeguarding.Retention, error) {
	var out safeguarding.Retention
	if !safeguarding.MayReviewRetention(v.Roles) {
		return out, errNoRetention
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT p.id, `+pupilFirstName+`, `+pupilLastName+`, p.year_group, p.date_of_birth, r.retain_until, r.listed_on,
				coalesce(json_agg(json_build_object('id', a.person_id, 'name', pe.full_name, 'reason', a.reason, 'at', a.approved_at)
					ORDER BY a.approved_at) FILTER (WHERE a.person_id IS NOT NULL), '[]')
			FROM retention_reviews r
			JOIN pupils p ON p.school_id = r.school_id AND p.id = r.pupil_id
			LEFT JOIN destruction_approvals a ON a.school_id = r.school_id AND a.pupil_id = r.pupil_id
			LEFT JOIN people pe ON pe.school_id = a.school_id AND pe.id = a.person_id
			WHERE r.school_id = $1
			GROUP BY p.school_id, p.id, r.school_id, r.pupil_id
			ORDER BY r.retain_until, p.id`, v.SchoolID)
		if err != nil {
			return err
		}
		out.Due, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.RetentionReview, error) {
			var r safeguarding.RetentionReview
			var agreements []struct {
				ID     int64     `json:"id"`
				Name   string    `json:"name"`
				Reason string    `json:"reason"`
				At     time.Time `json:"at"`
			}
			err := row.Scan(&r.Pupil.ID, &r.Pupil.FirstName, &r.Pupil.LastName, &r.Pupil.YearGroup, &r.DateOfBirth, &r.RetainUntil, &r.ListedOn, &agreements)
			for _, a := range agreements {
				r.Agreements = append(r.Agreements, safeguarding.DestructionAgreement{PersonID: a.ID, PersonName: a.Name, Reason: a.Reason, At: a.At})
			}
			return r, err
		})
		if err != nil {
			return fmt.Errorf("read files due for review: %w", err)
		}
		rows, err = tx.Query(ctx, `SELECT d.id, d.destroyed_at, pp.full_name, pc.full_name
			FROM destroyed_files d
			JOIN people pp ON pp.school_id = d.school_id AND pp.id = d.proposed_by
			JOIN people pc ON pc.school_id = d.school_id AND pc.id = d.confirmed_by
			WHERE d.school_id = $1 ORDER BY d.destroyed_at DESC, d.id DESC`, v.SchoolID)
		if err != nil {
			return err
		}
		out.Destroyed, err = pgx.CollectRows(rows, pgx.RowToStructByPos[safeguarding.DestroyedFile])
		if err != nil {
			return fmt.Errorf("read destroyed files: %w", err)
		}
		return nil
	})
	return out, err
}

// RetentionDueCount is how many files await review, for the home page of a
// viewer who may review them (0 for anyone else).
func (db *DB) RetentionDueCount(ctx context.Context, v safeguarding.Viewer) (int, error) {
	if !safeguarding.MayReviewRetention(v.Roles) {
		return 0, nil
	}
	var n int
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM retention_reviews WHERE school_id = $1`, v.SchoolID).Scan(&n)
	})
	return n, err
}

// AgreeToDestroy records v's agreement, with a reason, to destroy the file
// of a pupil listed for review, and destroys it once a DSL or deputy and
// the principal, two different people, have agreed
// (safeguarding.DestructionAgreed; haven_destroy_child_file checks it
// again). It returns the destroyed file's number, or 0 while it waits for
// the second person. Both steps are audited; the destruction's audit names
// the destroyed file, not the pupil.
func (db *DB) AgreeToDestroy(ctx context.Context, v safeguarding.Viewer, pupilID int64, reason string) (int64, error) {
	reason = strings.TrimSpace(reason)
	if !safeguarding.MayReviewRetention(v.Roles) {
		return 0, errNoRetention
	}
	if reason == "" || len(reason) > safeguarding.DestructionReasonMax {
		return 0, safeguarding.Errorf(safeguarding.EINVALID, "Give a reason of at most %d characters", safeguarding.DestructionReasonMax)
	}
	var destroyed int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var listed bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM retention_reviews WHERE school_id = $1 AND pupil_id = $2)`,
			v.SchoolID, pupilID).Scan(&listed); err != nil {
			return err
		}
		if !listed {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such file due for review")
		}
		_, err := tx.Exec(ctx, `INSERT INTO destruction_approvals (school_id, pupil_id, person_id, reason, approved_at)
			VALUES ($1, $2, $3, $4, $5)`, v.SchoolID, pupilID, v.PersonID, reason, db.now())
		if isUniqueViolation(err) {
			return safeguarding.Errorf(safeguarding.EINVALID, "You have already agreed: the other person must confirm")
		}
		if err != nil {
			return fmt.Errorf("record agreement to destroy: %w", err)
		}
		if err := audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "agree_to_destroy_child_file",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10)}); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT a.person_id, haven_roles_of(a.school_id, a.person_id)
			FROM destruction_approvals a WHERE a.school_id = $1 AND a.pupil_id = $2`, v.SchoolID, pupilID)
		if err != nil {
			return err
		}
		approvals, err := pgx.CollectRows(rows, pgx.RowToStructByPos[safeguarding.DestructionApproval])
		if err != nil {
			return fmt.Errorf("read agreements to destroy: %w", err)
		}
		if !safeguarding.DestructionAgreed(approvals) {
			return nil
		}
		if err := tx.QueryRow(ctx, `SELECT haven_destroy_child_file($1)`, pupilID).Scan(&destroyed); err != nil {
			return fmt.Errorf("destroy child's file: %w", deniedAsNotFound(err))
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "destroy_child_file",
			Object: "destroyed_file:" + strconv.FormatInt(destroyed, 10)})
	})
	if err != nil {
		return 0, err
	}
	return destroyed, nil
}

// deniedAsNotFound turns PostgreSQL's refusal (insufficient_privilege)
// into ENOTFOUND: a viewer refused is told nothing is there.
func deniedAsNotFound(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" {
		return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such pupil")
	}
	return err
}

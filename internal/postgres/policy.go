package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The policy register (§13.1). Who reads and keeps it is
// safeguarding.MayReadPolicies and MayManagePolicies, checked here first
// and held again by row-level security (access.sql, policies_*).

// policySQL reads policies with their latest approval; the caller adds
// the WHERE clause. $1 is the school.
const policySQL = `SELECT p.id, p.title, p.owner, p.retired_on, r.approved_on, r.next_review_on
	FROM policies p
	LEFT JOIN LATERAL (SELECT approved_on, next_review_on FROM policy_reviews r
		WHERE r.school_id = p.school_id AND r.policy_id = p.id
		ORDER BY approved_on DESC, id DESC LIMIT 1) r ON true
	WHERE p.school_id = $1`

func scanPolicy(row pgx.Row) (safeguarding.Policy, error) {
	var p safeguarding.Policy
	var retired, approved, next *time.Time
	if err := row.Scan(&p.ID, &p.Title, &p.Owner, &retired, &approved, &next); err != nil {
		return p, err
	}
	for dst, src := range map[*time.Time]*time.Time{&p.RetiredOn: retired, &p.LastApproved: approved, &p.NextReview: next} {
		if src != nil {
			*dst = *src
		}
	}
	return p, nil
}

func policyObject(id int64) string { return fmt.Sprintf("policy:%d", id) }

// Policies lists the school's policies still in force, each with its latest
// approval, in title order; the register sorts them by status.
func (db *DB) Policies(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Policy, error) {
	if !safeguarding.MayReadPolicies(v.Roles) {
		return nil, safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not read the policy register")
	}
	var out []safeguarding.Policy
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, policySQL+` AND p.retired_on IS NULL ORDER BY lower(p.title), p.id`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("list policies: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Policy, error) { return scanPolicy(row) })
		return err
	})
	return out, err
}

// Policy reads one policy with every approval, newest first. A policy of
// another school, or one v may not read, is not found.
func (db *DB) Policy(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.PolicyDetails, error) {
	var d safeguarding.PolicyDetails
	if !safeguarding.MayReadPolicies(v.Roles) {
		return d, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such policy")
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		d.Policy, err = scanPolicy(tx.QueryRow(ctx, policySQL+` AND p.id = $2`, v.SchoolID, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such policy")
		}
		if err != nil {
			return fmt.Errorf("read policy: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT r.approved_on, r.next_review_on, coalesce(pe.full_name, ''), r.recorded_at
			FROM policy_reviews r LEFT JOIN people pe ON pe.school_id = r.school_id AND pe.id = r.recorded_by
			WHERE r.school_id = $1 AND r.policy_id = $2 ORDER BY r.approved_on DESC, r.id DESC`, v.SchoolID, id)
		if err != nil {
			return fmt.Errorf("read policy reviews: %w", err)
		}
		d.Reviews, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.PolicyReview, error) {
			var r safeguarding.PolicyReview
			err := row.Scan(&r.ApprovedOn, &r.NextReviewOn, &r.RecordedBy, &r.RecordedAt)
			return r, err
		})
		return err
	})
	return d, err
}

// firstProblem is one of a form's problems as an EINVALID error, the first
// by field name so that the message is the same every time.
func firstProblem(p safeguarding.FieldProblems) error {
	for _, field := range slices.Sorted(maps.Keys(p)) {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", p[field])
	}
	return nil
}

// AddPolicy adds a policy to v's school's register, not yet approved, and
// audits it. address is where v is, for the audit log.
func (db *DB) AddPolicy(ctx context.Context, v safeguarding.Viewer, in safeguarding.PolicyInput, address string) (int64, error) {
	if !safeguarding.MayManagePolicies(v.Roles) {
		return 0, safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not add a policy")
	}
	in = in.Trimmed()
	if err := firstProblem(in.Problems()); err != nil {
		return 0, err
	}
	var id int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO policies (school_id, title, owner, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			v.SchoolID, in.Title, in.Owner, db.now()).Scan(&id); err != nil {
			return fmt.Errorf("add policy: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "added_policy",
			Object: policyObject(id), Address: address, Detail: fmt.Sprintf("%q, owner %q", in.Title, in.Owner)})
	})
	return id, err
}

// RecordPolicyReview records that policy id was approved on in.ApprovedOn,
// to be reviewed again by in.NextReviewOn, and audits it.
func (db *DB) RecordPolicyReview(ctx context.Context, v safeguarding.Viewer, id int64, in safeguarding.PolicyReviewInput, address string) error {
	if !safeguarding.MayManagePolicies(v.Roles) {
		return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such policy")
	}
	if err := firstProblem(in.Problems(db.today())); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var retired *time.Time
		err := tx.QueryRow(ctx, `SELECT retired_on FROM policies WHERE school_id = $1 AND id = $2 FOR UPDATE`, v.SchoolID, id).Scan(&retired)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such policy")
		}
		if err != nil {
			return fmt.Errorf("find policy: %w", err)
		}
		if retired != nil {
			return safeguarding.Errorf(safeguarding.ECONFLICT, "This policy has been retired: it is no longer reviewed")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO policy_reviews (school_id, policy_id, approved_on, next_review_on, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, v.SchoolID, id, in.ApprovedOn, in.NextReviewOn, v.PersonID, db.now()); err != nil {
			return fmt.Errorf("record policy review: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "reviewed_policy",
			Object: policyObject(id), Address: address,
			Detail: fmt.Sprintf("approved %s, next review %s", in.ApprovedOn.Format(time.DateOnly), in.NextReviewOn.Format(time.DateOnly))})
	})
}

// RetirePolicy takes policy id off the register from today, keeping its
// history, and audits it.
func (db *DB) RetirePolicy(ctx context.Context, v safeguarding.Viewer, id int64, address string) error {
	if !safeguarding.MayManagePolicies(v.Roles) {
		return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such policy")
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE policies SET retired_on = $3 WHERE school_id = $1 AND id = $2 AND retired_on IS NULL`,
			v.SchoolID, id, db.today())
		if err != nil {
			return fmt.Errorf("retire policy: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such policy")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "retired_policy",
			Object: policyObject(id), Address: address})
	})
}

// today is the date in England now: policy dates are school days, not UTC ones.
func (db *DB) today() time.Time {
	now := db.now()
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		now = now.In(loc)
	}
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ImportPolicy adds a policy with past approvals to a school's register as
// Haven itself, with no person signed in (the demo loader): row-level
// security admits no page to do this. The approvals are recorded by nobody.
func (db *DB) ImportPolicy(ctx context.Context, schoolID int64, in safeguarding.PolicyInput, reviews []safeguarding.PolicyReviewInput) (int64, error) {
	in = in.Trimmed()
	if err := firstProblem(in.Problems()); err != nil {
		return 0, err
	}
	var id int64
	err := db.asViewer(ctx, safeguarding.Viewer{SchoolID: schoolID}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO policies (school_id, title, owner) VALUES ($1, $2, $3) RETURNING id`,
			schoolID, in.Title, in.Owner).Scan(&id); err != nil {
			return fmt.Errorf("import policy: %w", err)
		}
		for _, r := range reviews {
			if _, err := tx.Exec(ctx, `INSERT INTO policy_reviews (school_id, policy_id, approved_on, next_review_on, recorded_at)
				VALUES ($1, $2, $3::date, $4::date, $3::date)`, schoolID, id, r.ApprovedOn, r.NextReviewOn); err != nil {
				return fmt.Errorf("import policy review: %w", err)
			}
		}
		return nil
	})
	return id, err
}

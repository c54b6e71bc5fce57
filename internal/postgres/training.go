package postgres

// The training register (policy §4.1, §4.7): people's training records,
// read and kept as the viewer, so row-level security (training_* in
// rules/access.sql) decides whose they read and whether they may write.
// Each change is audited against the person it is about.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

// trainingPeopleSQL reads people with their roles; $1 is the school.
const trainingPeopleSQL = `SELECT p.id, p.full_name, p.email, p.job_title, p.active,
		coalesce((SELECT array_agg(role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id), '{}'),
		coalesce(p.started_on, '0001-01-01'::date), (p.created_at AT TIME ZONE 'Europe/London')::date
	FROM people p WHERE p.school_id = $1`

func scanTrainingPerson(row pgx.Row) (safeguarding.TrainingPerson, error) {
	var p safeguarding.TrainingPerson
	var roles []string
	err := row.Scan(&p.ID, &p.Name, &p.Email, &p.JobTitle, &p.Active, &roles, &p.StartedOn, &p.JoinedOn)
	for _, r := range roles {
		p.Roles = append(p.Roles, safeguarding.Role(r))
	}
	if p.StartedOn.Year() == 1 {
		p.StartedOn = time.Time{}
	}
	return p, err
}

// trainingRecords reads the records row-level security lets the viewer
// read, of the people given (every person when ids is nil), newest first.
func trainingRecords(ctx context.Context, tx pgx.Tx, schoolID int64, ids []int64) (map[int64][]safeguarding.TrainingRecord, error) {
	rows, err := tx.Query(ctx, `SELECT id, person_id, kind, completed_on, provider, notes FROM training_records
		WHERE school_id = $1 AND ($2::bigint[] IS NULL OR person_id = ANY ($2))
		ORDER BY completed_on DESC, id DESC`, schoolID, ids)
	if err != nil {
		return nil, fmt.Errorf("read training: %w", err)
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.TrainingRecord, error) {
		var r safeguarding.TrainingRecord
		err := row.Scan(&r.ID, &r.PersonID, &r.Kind, &r.CompletedOn, &r.Provider, &r.Notes)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("read training: %w", err)
	}
	out := map[int64][]safeguarding.TrainingRecord{}
	for _, r := range recs {
		out[r.PersonID] = append(out[r.PersonID], r)
	}
	return out, nil
}

// TrainingRegister is every active person of v's school who needs
// training (safeguarding.NeedsTraining), with their records, by name. For
// those who read everyone's training (safeguarding.MayReadAllTraining):
// the register's page, and the annual report's compliance figures.
func (db *DB) TrainingRegister(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.TrainingPerson, error) {
	if !safeguarding.MayReadAllTraining(v.Roles) {
		return nil, safeguarding.Errorf(safeguarding.EFORBIDDEN, "No such page")
	}
	var people []safeguarding.TrainingPerson
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, trainingPeopleSQL+` AND p.active ORDER BY p.full_name, p.id`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("read people: %w", err)
		}
		all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.TrainingPerson, error) { return scanTrainingPerson(row) })
		if err != nil {
			return fmt.Errorf("read people: %w", err)
		}
		records, err := trainingRecords(ctx, tx, v.SchoolID, nil)
		if err != nil {
			return err
		}
		for _, p := range all {
			if safeguarding.NeedsTraining(p.Roles) {
				p.Records = records[p.ID]
				people = append(people, p)
			}
		}
		return nil
	})
	return people, err
}

// TrainingPerson is one person of v's school with their training records:
// for v themselves, or anyone for those who read everyone's.
func (db *DB) TrainingPerson(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.TrainingPerson, error) {
	var p safeguarding.TrainingPerson
	if !safeguarding.MayReadTraining(v, id) {
		return p, safeguarding.Errorf(safeguarding.EFORBIDDEN, "No such page")
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		p, err = scanTrainingPerson(tx.QueryRow(ctx, trainingPeopleSQL+` AND p.id = $2`, v.SchoolID, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such person")
		}
		if err != nil {
			return fmt.Errorf("read person: %w", err)
		}
		records, err := trainingRecords(ctx, tx, v.SchoolID, []int64{id})
		p.Records = records[id]
		return err
	})
	return p, err
}

// mayEditTraining refuses anyone but the DSL, as not found.
func mayEditTraining(v safeguarding.Viewer) error {
	if v.SchoolID == 0 || v.PersonID == 0 || !safeguarding.MayEditTraining(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "No such page")
	}
	return nil
}

func trainingEvent(v safeguarding.Viewer, personID int64, action, address, detail string) safeguarding.AuditEvent {
	return safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: action,
		Object: personObject(personID), Address: address, Detail: detail}
}

func trainingDetail(in safeguarding.TrainingInput) string {
	return string(in.Kind) + " " + in.CompletedOn.Format(time.DateOnly)
}

// AddTraining records a training of the person with id personID; the DSL only.
func (db *DB) AddTraining(ctx context.Context, v safeguarding.Viewer, personID int64, in safeguarding.TrainingInput, address string) (int64, error) {
	if err := mayEditTraining(v); err != nil {
		return 0, err
	}
	var id int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO training_records (school_id, person_id, kind, completed_on, provider, notes, recorded_by)
			SELECT $1, p.id, $3, $4, $5, $6, $7 FROM people p WHERE p.school_id = $1 AND p.id = $2 RETURNING id`,
			v.SchoolID, personID, in.Kind, in.CompletedOn, in.Provider, in.Notes, v.PersonID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such person")
		}
		if err != nil {
			return fmt.Errorf("add training: %w", err)
		}
		return audit(ctx, tx, trainingEvent(v, personID, "training_added", address, trainingDetail(in)))
	})
	return id, err
}

// UpdateTraining changes record id of the person personID; the DSL only.
func (db *DB) UpdateTraining(ctx context.Context, v safeguarding.Viewer, personID, id int64, in safeguarding.TrainingInput, address string) error {
	if err := mayEditTraining(v); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE training_records SET kind = $4, completed_on = $5, provider = $6, notes = $7
			WHERE school_id = $1 AND person_id = $2 AND id = $3`, v.SchoolID, personID, id, in.Kind, in.CompletedOn, in.Provider, in.Notes)
		if err != nil {
			return fmt.Errorf("change training: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such record")
		}
		return audit(ctx, tx, trainingEvent(v, personID, "training_changed", address, trainingDetail(in)))
	})
}

// DeleteTraining deletes record id of the person personID; the DSL only.
func (db *DB) DeleteTraining(ctx context.Context, v safeguarding.Viewer, personID, id int64, address string) error {
	if err := mayEditTraining(v); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var kind string
		var on time.Time
		err := tx.QueryRow(ctx, `DELETE FROM training_records WHERE school_id = $1 AND person_id = $2 AND id = $3 RETURNING kind, completed_on`,
			v.SchoolID, personID, id).Scan(&kind, &on)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such record")
		}
		if err != nil {
			return fmt.Errorf("delete training: %w", err)
		}
		return audit(ctx, tx, trainingEvent(v, personID, "training_deleted", address, kind+" "+on.Format(time.DateOnly)))
	})
}

// SetStartedOn sets the day the person personID started at the school
// (zero to clear it), from which their induction is due; the DSL only.
// people has no row-level security, so the rule is tested here and in SQL.
func (db *DB) SetStartedOn(ctx context.Context, v safeguarding.Viewer, personID int64, on time.Time, address string) error {
	if err := mayEditTraining(v); err != nil {
		return err
	}
	var arg *time.Time
	if !on.IsZero() {
		arg = &on
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE people SET started_on = $3 WHERE school_id = $1 AND id = $2
			AND haven_may_edit_training(haven_roles())`, v.SchoolID, personID, arg)
		if err != nil {
			return fmt.Errorf("set start date: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such person")
		}
		detail := "cleared"
		if arg != nil {
			detail = on.Format(time.DateOnly)
		}
		return audit(ctx, tx, trainingEvent(v, personID, "start_date_set", address, detail))
	})
}

// trainingLockKey serialises imports of a school's training, so two
// imports of one file never both add its records.
const trainingLockKey = 14027

// ImportTraining plans the import of a training file's rows, a file with
// no problems, into v's school and, when apply is set and the rows are all
// for the school's people, adds the records the register does not hold:
// all or nothing, in one transaction. The DSL, or Haven itself (v without
// a person: the command line).
func (db *DB) ImportTraining(ctx context.Context, v safeguarding.Viewer, rows []roster.TrainingRow, apply bool, address string) (roster.TrainingPlan, []roster.Problem, error) {
	var plan roster.TrainingPlan
	var problems []roster.Problem
	if v.SchoolID == 0 || (v.PersonID != 0 && !safeguarding.MayEditTraining(v.Roles)) {
		return plan, nil, safeguarding.Errorf(safeguarding.EFORBIDDEN, "No such page")
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2::int)`, trainingLockKey, v.SchoolID); err != nil {
			return fmt.Errorf("lock training: %w", err)
		}
		people, held, err := trainingHeld(ctx, tx, v.SchoolID)
		if err != nil {
			return err
		}
		plan, problems = roster.PlanTraining(people, held, rows)
		if !apply || len(problems) > 0 {
			return nil
		}
		var recordedBy *int64
		if v.PersonID != 0 {
			recordedBy = &v.PersonID
		}
		b := &pgx.Batch{}
		for _, r := range plan.New {
			b.Queue(`INSERT INTO training_records (school_id, person_id, kind, completed_on, provider, notes, recorded_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, v.SchoolID, plan.People[r.Email], r.Kind, r.CompletedOn, r.Provider, r.Notes, recordedBy)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("add training: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "training_imported",
			Object: "training", Address: address, Detail: fmt.Sprintf("%d added, %d already held", len(plan.New), plan.Already)})
	})
	if err != nil {
		return roster.TrainingPlan{}, nil, fmt.Errorf("import training: %w", err)
	}
	return plan, problems, nil
}

// trainingHeld reads the school's people by e-mail and the keys of the
// records the register holds.
func trainingHeld(ctx context.Context, tx pgx.Tx, schoolID int64) (map[string]int64, map[string]bool, error) {
	people := map[string]int64{}
	held := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT p.id, p.email, t.kind, t.completed_on FROM people p
		LEFT JOIN training_records t ON t.school_id = p.school_id AND t.person_id = p.id WHERE p.school_id = $1`, schoolID)
	if err != nil {
		return nil, nil, fmt.Errorf("read training: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email string
		var kind *string
		var on *time.Time
		if err := rows.Scan(&id, &email, &kind, &on); err != nil {
			return nil, nil, fmt.Errorf("read training: %w", err)
		}
		people[email] = id
		if kind != nil {
			held[roster.TrainingKey(email, safeguarding.TrainingKind(*kind), *on)] = true
		}
	}
	return people, held, rows.Err()
}

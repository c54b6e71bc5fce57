package postgres

// Importing the school's roster from its MIS (internal/roster reads the
// files and plans; this file reads the roster and applies the plan). An
// import applies all or nothing, in one transaction.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

// rosterLockKey is the first key of the advisory lock that lets one import
// at a time change a school's roster (the second is the school's id), so
// that two imports never plan against the same roster and both apply.
const rosterLockKey = 14026

// mayImport refuses a viewer who may not import: a person who is not the
// administrator. v without a person is Haven itself (the command line).
func mayImport(v safeguarding.Viewer) error {
	if v.SchoolID == 0 || (v.PersonID != 0 && !safeguarding.MayImportRoster(v.Roles)) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "No such page")
	}
	return nil
}

// ImportPupils plans the import of pupils, a file with no problems, into
// v's school and, when apply is set, applies it: new pupils added, changed
// ones updated (and any who had left back on the roster), and, unless the
// plan holds them (roster.PupilPlan.LeavingHeld), the active pupils the
// file does not hold marked left today. Nobody is deleted. address is the
// importer's, for the audit log.
func (db *DB) ImportPupils(ctx context.Context, v safeguarding.Viewer, pupils []roster.Pupil, apply bool, address string) (roster.PupilPlan, error) {
	var plan roster.PupilPlan
	if err := mayImport(v); err != nil {
		return plan, err
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2::int)`, rosterLockKey, v.SchoolID); err != nil {
			return fmt.Errorf("lock roster: %w", err)
		}
		current, err := currentPupils(ctx, tx, v.SchoolID)
		if err != nil {
			return err
		}
		plan = roster.PlanPupils(current, pupils)
		if !apply {
			return nil
		}
		if err := addImportedPupils(ctx, tx, v.SchoolID, plan.New); err != nil {
			return err
		}
		if err := updateImportedPupils(ctx, tx, v.SchoolID, plan.Changed); err != nil {
			return err
		}
		if plan.MarksLeft() > 0 {
			if _, err := tx.Exec(ctx, `UPDATE pupils SET active = false, left_on = current_date
				WHERE school_id = $1 AND id = ANY ($2) AND active`, v.SchoolID, plan.Leaving); err != nil {
				return fmt.Errorf("mark pupils left: %w", err)
			}
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "roster_imported", Object: "pupils",
			Address: address, Detail: fmt.Sprintf("%d new, %d changed, %d unchanged, %d marked left",
				len(plan.New), len(plan.Changed), plan.Unchanged, plan.MarksLeft())})
	})
	if err != nil {
		return roster.PupilPlan{}, fmt.Errorf("import pupils: %w", err)
	}
	return plan, nil
}

// currentPupils reads every pupil of a school, active or left.
func currentPupils(ctx context.Context, tx pgx.Tx, schoolID int64) ([]roster.CurrentPupil, error) {
	rows, err := tx.Query(ctx, `SELECT id, active, coalesce(upn, ''), first_name, last_name, preferred_first_name, preferred_last_name,
			date_of_birth, year_group, registration_group, send, looked_after, previously_looked_after, young_carer, excluded
		FROM pupils WHERE school_id = $1 ORDER BY id`, schoolID)
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (roster.CurrentPupil, error) {
		var c roster.CurrentPupil
		var year int16
		err := row.Scan(&c.ID, &c.Active, &c.UPN, &c.FirstName, &c.LastName, &c.PreferredFirstName, &c.PreferredLastName,
			&c.DateOfBirth, &year, &c.RegistrationGroup, &c.Flags.SEND, &c.Flags.LookedAfter, &c.Flags.PreviouslyLookedAfter,
			&c.Flags.YoungCarer, &c.Flags.Excluded)
		c.YearGroup = int(year)
		return c, err
	})
}

// pupilColumns are pupils as parallel arrays, for unnest.
type pupilColumns struct {
	ids                                   []int64
	upns                                  []*string
	first, last, prefFirst, prefLast, reg []string
	born                                  []time.Time
	years                                 []int16
	send, cla, pla, carer, excluded       []bool
}

func (c *pupilColumns) add(id int64, p roster.Pupil) {
	var upn *string
	if p.UPN != "" {
		upn = &p.UPN
	}
	c.ids = append(c.ids, id)
	c.upns = append(c.upns, upn)
	c.first, c.last = append(c.first, p.FirstName), append(c.last, p.LastName)
	c.prefFirst, c.prefLast = append(c.prefFirst, p.PreferredFirstName), append(c.prefLast, p.PreferredLastName)
	c.reg, c.born, c.years = append(c.reg, p.RegistrationGroup), append(c.born, p.DateOfBirth), append(c.years, int16(p.YearGroup))
	c.send, c.cla, c.pla = append(c.send, p.Flags.SEND), append(c.cla, p.Flags.LookedAfter), append(c.pla, p.Flags.PreviouslyLookedAfter)
	c.carer, c.excluded = append(c.carer, p.Flags.YoungCarer), append(c.excluded, p.Flags.Excluded)
}

func (c *pupilColumns) args(schoolID int64) []any {
	return []any{schoolID, c.ids, c.upns, c.first, c.last, c.prefFirst, c.prefLast, c.born, c.years, c.reg,
		c.send, c.cla, c.pla, c.carer, c.excluded}
}

// unnestPupils turns pupilColumns.args ($2 on) into rows named p.
const unnestPupils = `unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::smallint[],
		$10::text[], $11::bool[], $12::bool[], $13::bool[], $14::bool[], $15::bool[])
	WITH ORDINALITY AS p (id, upn, first, last, pref_first, pref_last, born, year, reg, send, cla, pla, carer, excluded, n)`

func addImportedPupils(ctx context.Context, tx pgx.Tx, schoolID int64, pupils []roster.Pupil) error {
	if len(pupils) == 0 {
		return nil
	}
	var c pupilColumns
	for _, p := range pupils {
		c.add(0, p)
	}
	_, err := tx.Exec(ctx, `INSERT INTO pupils (school_id, upn, first_name, last_name, preferred_first_name, preferred_last_name,
			date_of_birth, year_group, registration_group, send, looked_after, previously_looked_after, young_carer, excluded)
		SELECT $1, p.upn, p.first, p.last, p.pref_first, p.pref_last, p.born, p.year, p.reg, p.send, p.cla, p.pla, p.carer, p.excluded
		FROM `+unnestPupils+` ORDER BY p.n`, c.args(schoolID)...)
	if err != nil {
		return fmt.Errorf("add pupils: %w", err)
	}
	return nil
}

func updateImportedPupils(ctx context.Context, tx pgx.Tx, schoolID int64, changes []roster.PupilChange) error {
	if len(changes) == 0 {
		return nil
	}
	var c pupilColumns
	for _, ch := range changes {
		c.add(ch.ID, ch.Pupil)
	}
	_, err := tx.Exec(ctx, `UPDATE pupils SET upn = p.upn, first_name = p.first, last_name = p.last,
			preferred_first_name = p.pref_first, preferred_last_name = p.pref_last, date_of_birth = p.born, year_group = p.year,
			registration_group = p.reg, send = p.send, looked_after = p.cla, previously_looked_after = p.pla,
			young_carer = p.carer, excluded = p.excluded, active = true, left_on = NULL
		FROM `+unnestPupils+`
		WHERE pupils.school_id = $1 AND pupils.id = p.id`, c.args(schoolID)...)
	if err != nil {
		return fmt.Errorf("update pupils: %w", err)
	}
	return nil
}

// ImportStaff plans the import of staff, a file with no problems, into v's
// school and, when apply is set, applies it: people new to the school are
// added without a password (they need an invitation before they can sign
// in), and the name, job title and roles of people already there are set
// to the file's. Nobody is deactivated. An address that belongs to another
// school, or a line that would take away the importer's own administrator
// role, is a problem: then nothing is applied.
func (db *DB) ImportStaff(ctx context.Context, v safeguarding.Viewer, staff []roster.StaffMember, apply bool, address string) (roster.StaffPlan, []roster.Problem, error) {
	var plan roster.StaffPlan
	var problems []roster.Problem
	if err := mayImport(v); err != nil {
		return plan, nil, err
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2::int)`, rosterLockKey, v.SchoolID); err != nil {
			return fmt.Errorf("lock roster: %w", err)
		}
		current, err := currentPeople(ctx, tx, v.SchoolID)
		if err != nil {
			return err
		}
		if problems, err = elsewhere(ctx, tx, v.SchoolID, staff); err != nil || len(problems) > 0 {
			return err
		}
		plan, problems = roster.PlanStaff(current, staff, v.PersonID)
		if !apply || len(problems) > 0 {
			return nil
		}
		for _, m := range plan.New {
			if _, err := createPerson(ctx, tx, PersonInput{SchoolID: v.SchoolID, Email: m.Email, FullName: m.Name, JobTitle: m.JobTitle, Roles: m.Roles}); err != nil {
				return err
			}
		}
		for _, ch := range plan.Changed {
			if err := updateImportedPerson(ctx, tx, v.SchoolID, ch); err != nil {
				return err
			}
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "roster_imported", Object: "staff",
			Address: address, Detail: fmt.Sprintf("%d new, %d changed, %d unchanged", len(plan.New), len(plan.Changed), plan.Unchanged)})
	})
	if err != nil {
		return roster.StaffPlan{}, nil, fmt.Errorf("import staff: %w", err)
	}
	return plan, problems, nil
}

// currentPeople reads every person of a school with their roles.
func currentPeople(ctx context.Context, tx pgx.Tx, schoolID int64) ([]roster.CurrentPerson, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, p.email, p.full_name, p.job_title, p.active,
			coalesce((SELECT array_agg(r.role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id), '{}')
		FROM people p WHERE p.school_id = $1 ORDER BY p.id`, schoolID)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (roster.CurrentPerson, error) {
		var c roster.CurrentPerson
		var roles []string
		err := row.Scan(&c.ID, &c.Email, &c.Name, &c.JobTitle, &c.Active, &roles)
		for _, r := range roles {
			c.Roles = append(c.Roles, safeguarding.Role(r))
		}
		return c, err
	})
}

// elsewhere finds the lines whose address is another school's person's:
// an address is one account across the deployment.
func elsewhere(ctx context.Context, tx pgx.Tx, schoolID int64, staff []roster.StaffMember) ([]roster.Problem, error) {
	emails := make([]string, len(staff))
	for i, m := range staff {
		emails[i] = m.Email
	}
	rows, err := tx.Query(ctx, `SELECT email FROM people WHERE email = ANY ($1) AND school_id <> $2`, emails, schoolID)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	var problems []roster.Problem
	for _, m := range staff {
		for _, e := range taken {
			if e == m.Email {
				problems = append(problems, roster.Problem{Line: m.Line, Value: m.Email,
					Message: "This e-mail address belongs to an account at another school: each address is one account"})
			}
		}
	}
	return problems, nil
}

// updateImportedPerson sets a person's name, job title and roles to the
// file's. Changing roles reroutes concerns about the person
// (rules/access.sql, person_roles_reroute).
func updateImportedPerson(ctx context.Context, tx pgx.Tx, schoolID int64, ch roster.PersonChange) error {
	roles := make([]string, len(ch.Member.Roles))
	for i, r := range ch.Member.Roles {
		roles[i] = string(r)
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE people SET full_name = $3, job_title = $4 WHERE school_id = $1 AND id = $2
		AND (full_name, job_title) IS DISTINCT FROM ($3, $4)`, schoolID, ch.ID, ch.Member.Name, ch.Member.JobTitle)
	b.Queue(`DELETE FROM person_roles WHERE school_id = $1 AND person_id = $2 AND role <> ALL ($3)`, schoolID, ch.ID, roles)
	b.Queue(`INSERT INTO person_roles (school_id, person_id, role) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`, schoolID, ch.ID, roles)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	return nil
}

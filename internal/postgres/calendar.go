package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// WithBankHolidays returns a store whose deadlines skip holidays instead of
// the bank holidays of England and Wales shipped with Haven: a school's own
// copy of the file, read at start-up (HAVEN_BANK_HOLIDAYS).
func (db *DB) WithBankHolidays(holidays safeguarding.BankHolidays) *DB {
	c := *db
	c.holidays = holidays
	return &c
}

func (db *DB) bankHolidays() safeguarding.BankHolidays {
	if db.holidays == nil {
		return shippedBankHolidays
	}
	return db.holidays
}

var shippedBankHolidays = safeguarding.DefaultBankHolidays()

// calendar is the working-day calendar of school as tx may read it: the
// bank holidays and the school's closure days that end on or after since
// (earlier ones cannot move a deadline that is still open).
func (db *DB) calendar(ctx context.Context, tx pgx.Tx, school int64, since time.Time) (safeguarding.Calendar, error) {
	rows, err := tx.Query(ctx, `
		SELECT id, first_day, last_day, reason FROM school_closures
		WHERE school_id = $1 AND last_day >= $2 ORDER BY first_day, id`, school, since)
	return db.calendarOf(school, rows, err)
}

// calendarOf is school's calendar with the closure days rows (id,
// first_day, last_day, reason) read, or err from the query.
func (db *DB) calendarOf(school int64, rows pgx.Rows, err error) (safeguarding.Calendar, error) {
	if err != nil {
		return safeguarding.Calendar{}, fmt.Errorf("read closure days: %w", err)
	}
	closures, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Closure, error) {
		c := safeguarding.Closure{SchoolID: school}
		err := row.Scan(&c.ID, &c.From, &c.To, &c.Reason)
		return c, err
	})
	if err != nil {
		return safeguarding.Calendar{}, fmt.Errorf("read closure days: %w", err)
	}
	return safeguarding.NewCalendar(db.bankHolidays(), closures), nil
}

// ClosureDays are the closure days of v's school, latest first, for the
// page that keeps them; anyone of the school may read them.
func (db *DB) ClosureDays(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Closure, error) {
	var out []safeguarding.Closure
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, first_day, last_day, reason FROM school_closures
			WHERE school_id = $1 ORDER BY first_day DESC, id DESC`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("read closure days: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Closure, error) {
			c := safeguarding.Closure{SchoolID: v.SchoolID}
			err := row.Scan(&c.ID, &c.From, &c.To, &c.Reason)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("read closure days: %w", err)
		}
		return nil
	})
	return out, err
}

// AddClosure adds closure days to v's school, if v may keep the school's
// settings (safeguarding.MayEditSchoolContacts; row-level security holds the
// same rule), and audits it. Every deadline is worked out from the calendar
// when it is read, so those it moves move at once. address is where v is.
func (db *DB) AddClosure(ctx context.Context, v safeguarding.Viewer, c safeguarding.Closure, address string) error {
	if !safeguarding.MayEditSchoolContacts(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not change the school's closure days")
	}
	c.Reason = strings.TrimSpace(c.Reason)
	for _, field := range slices.Sorted(maps.Keys(c.Problems())) {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", c.Problems()[field])
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO school_closures (school_id, first_day, last_day, reason, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, v.SchoolID, c.From, c.To, c.Reason, now, v.PersonID).Scan(&id)
		if err != nil {
			return fmt.Errorf("add closure days: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "add_closure_days",
			Object: "school_closure:" + strconv.FormatInt(id, 10), Address: address, Detail: closureDetail(c)})
	})
}

// RemoveClosure removes closure days from v's school, as AddClosure adds
// them; ENOTFOUND when the school has no such closure.
func (db *DB) RemoveClosure(ctx context.Context, v safeguarding.Viewer, id int64, address string) error {
	if !safeguarding.MayEditSchoolContacts(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not change the school's closure days")
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var c safeguarding.Closure
		err := tx.QueryRow(ctx, `DELETE FROM school_closures WHERE school_id = $1 AND id = $2 RETURNING first_day, last_day, reason`,
			v.SchoolID, id).Scan(&c.From, &c.To, &c.Reason)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such closure")
		}
		if err != nil {
			return fmt.Errorf("remove closure days: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "remove_closure_days",
			Object: "school_closure:" + strconv.FormatInt(id, 10), Address: address, Detail: closureDetail(c)})
	})
}

func closureDetail(c safeguarding.Closure) string {
	return c.From.Format(time.DateOnly) + " to " + c.To.Format(time.DateOnly) + ": " + c.Reason
}

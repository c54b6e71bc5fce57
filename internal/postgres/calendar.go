package postgres

import (
	"context"
	"fmt"
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

package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// PupilInput is a pupil to add to a school's roster.
type PupilInput struct {
	FirstName   string
	LastName    string
	YearGroup   int
	DateOfBirth time.Time
	// RegistrationGroup is the pupil's tutor group or form ("9B"); ""
	// when the roster has none.
	RegistrationGroup string
}

// AddPupils adds pupils to a school's roster in one statement (COPY does
// not run under row-level security) and returns their ids, in the order of
// pupils.
func (db *DB) AddPupils(ctx context.Context, schoolID int64, pupils []PupilInput) ([]int64, error) {
	first, last, years, born := make([]string, len(pupils)), make([]string, len(pupils)), make([]int16, len(pupils)), make([]time.Time, len(pupils))
	groups := make([]string, len(pupils))
	for i, p := range pupils {
		first[i], last[i], years[i], born[i] = p.FirstName, p.LastName, int16(p.YearGroup), p.DateOfBirth
		groups[i] = strings.TrimSpace(p.RegistrationGroup)
	}
	var ids []int64
	err := db.asViewer(ctx, safeguarding.Viewer{SchoolID: schoolID}, func(tx pgx.Tx) error {
		// The ids are drawn in the order the rows are inserted, which is
		// the order of pupils.
		rows, err := tx.Query(ctx, `INSERT INTO pupils (school_id, first_name, last_name, year_group, date_of_birth, registration_group)
			SELECT $1, p.first, p.last, p.year, p.born, p.reg
			FROM unnest($2::text[], $3::text[], $4::smallint[], $5::date[], $6::text[]) WITH ORDINALITY AS p (first, last, year, born, reg, n)
			ORDER BY p.n
			RETURNING id`, schoolID, first, last, years, born, groups)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("add pupils: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// SchoolCount is how many schools the deployment holds; 0 means an empty database.
func (db *DB) SchoolCount(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM schools`).Scan(&n)
	return n, err
}

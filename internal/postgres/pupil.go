package postgres

import (
	"context"
	"fmt"
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
}

// AddPupils adds pupils to a school's roster in one statement (COPY does
// not run under row-level security).
func (db *DB) AddPupils(ctx context.Context, schoolID int64, pupils []PupilInput) error {
	first, last, years, born := make([]string, len(pupils)), make([]string, len(pupils)), make([]int16, len(pupils)), make([]time.Time, len(pupils))
	for i, p := range pupils {
		first[i], last[i], years[i], born[i] = p.FirstName, p.LastName, int16(p.YearGroup), p.DateOfBirth
	}
	err := db.asViewer(ctx, safeguarding.Viewer{SchoolID: schoolID}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO pupils (school_id, first_name, last_name, year_group, date_of_birth)
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::smallint[], $5::date[])`, schoolID, first, last, years, born)
		return err
	})
	if err != nil {
		return fmt.Errorf("add pupils: %w", err)
	}
	return nil
}

// SchoolCount is how many schools the deployment holds; 0 means an empty database.
func (db *DB) SchoolCount(ctx context.Context) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM schools`).Scan(&n)
	return n, err
}

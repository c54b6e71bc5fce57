package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/safeguarding"
)

// DemoRoster is who is in a school, as the demo school's history needs it:
// its people by e-mail address and its pupils in the order they were added.
type DemoRoster struct {
	People map[string]DemoPerson // by e-mail address
	Pupils []safeguarding.PupilRef
}

// DemoPerson is one person of a DemoRoster.
type DemoPerson struct {
	ID   int64
	Name string
}

// DemoRoster reads a school's people and pupils. Pupils are read through
// row-level security as the school itself, as AddPupils writes them.
func (db *DB) DemoRoster(ctx context.Context, schoolID int64) (DemoRoster, error) {
	r := DemoRoster{People: map[string]DemoPerson{}}
	rows, err := db.Pool.Query(ctx, `SELECT email, id, full_name FROM people WHERE school_id = $1 AND active`, schoolID)
	if err != nil {
		return r, fmt.Errorf("read people: %w", err)
	}
	for rows.Next() {
		var email string
		var p DemoPerson
		if err := rows.Scan(&email, &p.ID, &p.Name); err != nil {
			rows.Close()
			return r, fmt.Errorf("read people: %w", err)
		}
		r.People[email] = p
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("read people: %w", err)
	}
	err = db.asViewer(ctx, safeguarding.Viewer{SchoolID: schoolID}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, first_name, last_name, year_group FROM pupils
			WHERE school_id = $1 AND active ORDER BY id`, schoolID)
		if err != nil {
			return err
		}
		r.Pupils, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.PupilRef, error) {
			var p safeguarding.PupilRef
			err := row.Scan(&p.ID, &p.FirstName, &p.LastName, &p.YearGroup)
			return p, err
		})
		return err
	})
	if err != nil {
		return r, fmt.Errorf("read pupils: %w", err)
	}
	return r, nil
}

// WithoutCommitWait returns a store on a pool of its own whose commits do
// not wait for the write-ahead log to reach the disk (synchronous_commit
// off); everything else, row-level security included, is as db's. It is for
// bulk loads that are thrown away if interrupted, such as the demo school's
// past: a crash can lose the last moment's commits, never consistency.
// Close it when done.
func (db *DB) WithoutCommitWait(ctx context.Context) (*DB, error) {
	cfg := db.Pool.Config()
	afterConnect := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if afterConnect != nil {
			if err := afterConnect(ctx, conn); err != nil {
				return err
			}
		}
		_, err := conn.Exec(ctx, "SET synchronous_commit = off")
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{Pool: pool, now: db.now}, nil
}

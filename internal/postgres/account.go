package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// NormaliseEmail is the form in which e-mail addresses are stored and compared.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Viewer loads a person with their school and roles, or ENOTFOUND if they
// do not exist or are no longer active.
func (db *DB) Viewer(ctx context.Context, personID int64) (safeguarding.Viewer, error) {
	var v safeguarding.Viewer
	var roles []string
	err := db.pool.QueryRow(ctx, `SELECT p.school_id, p.id, p.full_name, p.email, s.name,
			coalesce((SELECT array_agg(role ORDER BY role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id), '{}'),
			p.second_factor_at IS NOT NULL, greatest(p.sessions_since, '0001-01-01'::timestamptz),
			-- The header's count of unread notices (notices_unread_idx).
			haven_unread_notices(p.school_id, p.id)
		FROM people p JOIN schools s ON s.id = p.school_id
		WHERE p.id = $1 AND p.active`, personID).
		Scan(&v.SchoolID, &v.PersonID, &v.Name, &v.Email, &v.SchoolName, &roles, &v.SecondFactor, &v.SessionsSince,
			&v.UnreadNotices)
	if err != nil {
		return v, notFound(err, "No such person")
	}
	for _, r := range roles {
		v.Roles = append(v.Roles, safeguarding.Role(r))
	}
	return v, nil
}

// CreateSchool adds a school and returns its id.
func (db *DB) CreateSchool(ctx context.Context, name string) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `INSERT INTO schools (name) VALUES ($1) RETURNING id`, name).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create school: %w", err)
	}
	return id, nil
}

// SchoolByName returns the id of the school with that name.
func (db *DB) SchoolByName(ctx context.Context, name string) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT id FROM schools WHERE name = $1 ORDER BY id LIMIT 1`, name).Scan(&id)
	return id, notFound(err, "No school named %q", name)
}

// PersonInput describes a new account.
type PersonInput struct {
	SchoolID     int64
	Email        string
	FullName     string
	JobTitle     string
	KnownAs      string // the name they go by, if not their full name's first; may be empty
	PasswordHash string // from password.Hash; empty for a person who cannot sign in yet
	Roles        []safeguarding.Role
	StartedOn    time.Time // the day they started at the school; zero when not known
}

// CreatePerson adds a person with their roles and returns their id.
func (db *DB) CreatePerson(ctx context.Context, in PersonInput) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = createPerson(ctx, tx, in)
		return err
	})
	return id, err
}

func createPerson(ctx context.Context, tx pgx.Tx, in PersonInput) (int64, error) {
	var id int64
	var started *time.Time
	if !in.StartedOn.IsZero() {
		started = &in.StartedOn
	}
	err := tx.QueryRow(ctx, `INSERT INTO people (school_id, email, full_name, job_title, known_as, password_hash, started_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		in.SchoolID, NormaliseEmail(in.Email), in.FullName, in.JobTitle, in.KnownAs, in.PasswordHash, started).Scan(&id)
	if isUniqueViolation(err) {
		return 0, safeguarding.Errorf(safeguarding.ECONFLICT, "An account with the e-mail address %s already exists", in.Email)
	}
	if err != nil {
		return 0, fmt.Errorf("create person: %w", err)
	}
	for _, r := range in.Roles {
		if _, err := tx.Exec(ctx, `INSERT INTO person_roles (school_id, person_id, role) VALUES ($1, $2, $3)`, in.SchoolID, id, string(r)); err != nil {
			return 0, fmt.Errorf("grant role %s: %w", r, err)
		}
	}
	return id, nil
}

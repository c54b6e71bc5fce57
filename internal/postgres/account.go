package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/safeguarding"
)

// Lock-out: after LockoutFailures failed sign-ins for one e-mail address
// within LockoutWindow, further attempts are refused for LockoutWindow.
const (
	LockoutFailures = 5
	LockoutWindow   = 15 * time.Minute
)

// ErrLockedOut is returned by SignIn while an account is locked out.
var ErrLockedOut = safeguarding.Errorf(safeguarding.EUNAUTHORIZED,
	"This account is locked because of too many failed sign-in attempts. Try again in 15 minutes, or ask your administrator to help")

// ErrBadCredentials is returned by SignIn for a wrong e-mail or a wrong
// password alike.
var ErrBadCredentials = safeguarding.Errorf(safeguarding.EUNAUTHORIZED,
	"Enter a correct e-mail address and password")

// NormaliseEmail is the form in which e-mail addresses are stored and compared.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// SignIn checks an e-mail address and password and returns the person they
// belong to. Every attempt is audited. A wrong e-mail and a wrong password
// give the same error after the same work (one argon2id verification).
func (db *DB) SignIn(ctx context.Context, email, plain, address string) (safeguarding.Viewer, error) {
	email = NormaliseEmail(email)
	var v safeguarding.Viewer
	var hash string
	var active bool
	err := db.pool.QueryRow(ctx, `SELECT p.school_id, p.id, p.password_hash, p.active FROM people p WHERE p.email = $1`, email).
		Scan(&v.SchoolID, &v.PersonID, &hash, &active)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("find account: %w", err)
	}

	locked, err := db.lockedOut(ctx, email)
	if err != nil {
		return v, err
	}
	if locked {
		password.Verify(plain, "") // same work as any other attempt
		_ = db.Audit(ctx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "sign_in_refused_locked", Object: "person", Address: address, Detail: email})
		return safeguarding.Viewer{}, ErrLockedOut
	}

	if !password.Verify(plain, hash) || !active {
		if _, err := db.pool.Exec(ctx, `INSERT INTO sign_in_failures (email) VALUES ($1)`, email); err != nil {
			return safeguarding.Viewer{}, fmt.Errorf("record failed sign-in: %w", err)
		}
		if err := db.Audit(ctx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "sign_in_failed", Object: "person", Address: address, Detail: email}); err != nil {
			return safeguarding.Viewer{}, err
		}
		return safeguarding.Viewer{}, ErrBadCredentials
	}

	// A hash made with older parameters is replaced, now that the password
	// is known to be right.
	var rehash string
	if password.NeedsRehash(hash) {
		if rehash, err = password.Hash(plain); err != nil {
			return safeguarding.Viewer{}, err
		}
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1`, email); err != nil {
			return err
		}
		if rehash != "" {
			// Only if unchanged since read: a password set meanwhile wins.
			if _, err := tx.Exec(ctx, `UPDATE people SET password_hash = $2 WHERE id = $1 AND password_hash = $3`,
				v.PersonID, rehash, hash); err != nil {
				return err
			}
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "sign_in", Object: "person", Address: address})
	})
	if err != nil {
		return safeguarding.Viewer{}, fmt.Errorf("record sign-in: %w", err)
	}
	return db.Viewer(ctx, v.PersonID)
}

// lockedOut reports whether the last LockoutFailures failures for email fall
// within LockoutWindow of each other and the newest is less than
// LockoutWindow ago. Refused attempts are not failures, so the lock ends
// LockoutWindow after the failure that set it.
func (db *DB) lockedOut(ctx context.Context, email string) (bool, error) {
	var n int
	var newest, oldest time.Time
	err := db.pool.QueryRow(ctx, `SELECT count(*), coalesce(max(failed_at), 'epoch'), coalesce(min(failed_at), 'epoch') FROM (
			SELECT failed_at FROM sign_in_failures WHERE email = $1 AND failed_at > clock_timestamp() - $2::interval * 2
			ORDER BY failed_at DESC LIMIT $3) last`, email, LockoutWindow, LockoutFailures).Scan(&n, &newest, &oldest)
	if err != nil {
		return false, fmt.Errorf("check lock-out: %w", err)
	}
	return n >= LockoutFailures && newest.Sub(oldest) <= LockoutWindow && time.Since(newest) < LockoutWindow, nil
}

// Viewer loads a person with their school and roles, or ENOTFOUND if they
// do not exist or are no longer active.
func (db *DB) Viewer(ctx context.Context, personID int64) (safeguarding.Viewer, error) {
	var v safeguarding.Viewer
	var roles []string
	err := db.pool.QueryRow(ctx, `SELECT p.school_id, p.id, p.full_name, p.email, s.name,
			coalesce((SELECT array_agg(role ORDER BY role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id), '{}')
		FROM people p JOIN schools s ON s.id = p.school_id
		WHERE p.id = $1 AND p.active`, personID).
		Scan(&v.SchoolID, &v.PersonID, &v.Name, &v.Email, &v.SchoolName, &roles)
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
	err := tx.QueryRow(ctx, `INSERT INTO people (school_id, email, full_name, job_title, known_as, password_hash)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		in.SchoolID, NormaliseEmail(in.Email), in.FullName, in.JobTitle, in.KnownAs, in.PasswordHash).Scan(&id)
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

// Package twofactortest lets tests, and the load benchmark, sign in as
// people who need a second factor: it enrols them with a known secret,
// writing to the database as its owner would (the app itself never enrols
// anyone without a code), and gives the code each sign-in should type.
package twofactortest

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor"
)

// Secret is the authenticator secret of everyone Enrol enrols.
const Secret = "HAVENTESTSECRETFORSIGNINGINWITH2"

// Querier is a connection to the database as its owner (a *pgx.Conn, a
// pool or a transaction).
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Enrol gives the people with these e-mail addresses a second factor with
// Secret, as if they had enrolled just now.
func Enrol(ctx context.Context, q Querier, emails ...string) error {
	_, err := q.Exec(ctx, `WITH p AS (UPDATE people SET second_factor_at = clock_timestamp() WHERE email = ANY($1) RETURNING school_id, id)
		INSERT INTO second_factors (school_id, person_id, secret) SELECT school_id, id, $2 FROM p
		ON CONFLICT (school_id, person_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0`, emails, Secret)
	if err != nil {
		return fmt.Errorf("enrol %v: %w", emails, err)
	}
	return nil
}

// EnrolEveryoneWhoNeedsIt enrols, with Secret, every person whose roles
// need a second factor (safeguarding.Roles.NeedSecondFactor), in every
// school: the fixture of tests that sign in as those people for what they
// do once signed in.
func EnrolEveryoneWhoNeedsIt(ctx context.Context, q Querier) error {
	var roles []string
	for _, r := range safeguarding.AllRoles {
		if (safeguarding.Roles{r}).NeedSecondFactor() {
			roles = append(roles, string(r))
		}
	}
	_, err := q.Exec(ctx, `WITH p AS (UPDATE people SET second_factor_at = clock_timestamp()
			WHERE id IN (SELECT person_id FROM person_roles WHERE role = ANY($1)) RETURNING school_id, id)
		INSERT INTO second_factors (school_id, person_id, secret) SELECT school_id, id, $2 FROM p
		ON CONFLICT (school_id, person_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0`, roles, Secret)
	if err != nil {
		return fmt.Errorf("enrol everyone who needs a second factor: %w", err)
	}
	return nil
}

// Code returns a code the person with this e-mail address (enrolled by
// Enrol) can sign in with now: the current step's, or the next step's if
// the current one is used (a test that signs one person in twice within
// 30 seconds). When both are used, the person's last step is set back, so
// the tests that sign in many times need not wait: the app's refusal of a
// used code is tested on its own, not through this.
func Code(ctx context.Context, q Querier, email string) (string, error) {
	var last int64
	if err := q.QueryRow(ctx, `SELECT f.last_step FROM second_factors f JOIN people p ON p.school_id = f.school_id AND p.id = f.person_id
		WHERE p.email = $1`, email).Scan(&last); err != nil {
		return "", fmt.Errorf("second factor of %s: %w", email, err)
	}
	now := twofactor.Step(time.Now())
	step := now
	switch {
	case last < now:
	case last == now:
		step = now + 1
	default:
		if _, err := q.Exec(ctx, `UPDATE second_factors f SET last_step = $2 FROM people p
			WHERE p.school_id = f.school_id AND p.id = f.person_id AND p.email = $1`, email, now-1); err != nil {
			return "", fmt.Errorf("set back the last step of %s: %w", email, err)
		}
	}
	return twofactor.Code(Secret, step)
}

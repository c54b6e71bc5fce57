package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/safeguarding"
)

// PasswordResetEnqueuer adds to tx the job that e-mails a reset link for
// the request resetID, so that the request and its e-mail commit together.
// internal/jobs makes one (jobs.PasswordResetEnqueuer).
type PasswordResetEnqueuer func(ctx context.Context, tx pgx.Tx, schoolID, personID, resetID int64) error

// WithPasswordResets returns a store that e-mails the reset links people
// ask for; without it, a request is answered but nothing is sent.
func (db *DB) WithPasswordResets(e PasswordResetEnqueuer) *DB {
	c := *db
	c.resets = e
	return &c
}

// ChangePassword sets the signed-in person's password to next, if current
// is their password, from the client at address, and returns the new
// SessionsSince: every session begun before it is over. A wrong current
// password counts as a failed sign-in, throttled and locked alike
// (beginSignIn, signInFailed); it is ErrWrongCurrentPassword unless it is
// refused as a sign-in would be. next must have passed password.Check.
func (db *DB) ChangePassword(ctx context.Context, v safeguarding.Viewer, current, next, address string) (sessionsSince time.Time, err error) {
	if len(address) > maxAddressLength {
		address = address[:maxAddressLength]
	}
	a, failures, refusal, err := db.beginSignIn(ctx, NormaliseEmail(v.Email), address)
	if err != nil {
		return time.Time{}, err
	}
	if refusal != nil {
		return time.Time{}, refusal
	}
	event := safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Object: "person", Address: address,
		Detail: "the current password, when changing it"}
	if a.personID != v.PersonID || !password.Verify(current, a.hash) || !a.active {
		err := db.signInFailed(ctx, a, failures, event, "sign_in_failed", ErrBadCredentials)
		if errors.Is(err, ErrBadCredentials) {
			return time.Time{}, safeguarding.ErrWrongCurrentPassword
		}
		return time.Time{}, err
	}
	hash, err := password.Hash(next)
	if err != nil {
		return time.Time{}, err
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		// The right password forgives this address's failures, as signing
		// in does, the attempt beginSignIn recorded among them.
		if _, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1 AND address = $2`, a.email, address); err != nil {
			return err
		}
		// Only if unchanged since checked: a change made meanwhile wins.
		err := tx.QueryRow(ctx, `UPDATE people SET password_hash = $3, sessions_since = clock_timestamp()
			WHERE school_id = $1 AND id = $2 AND password_hash = $4 AND active RETURNING sessions_since`,
			v.SchoolID, v.PersonID, hash, a.hash).Scan(&sessionsSince)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.ErrWrongCurrentPassword
		}
		if err != nil {
			return fmt.Errorf("store the new password: %w", err)
		}
		event.Action, event.Detail = "password_changed", ""
		return audit(ctx, tx, event)
	})
	if err != nil {
		return time.Time{}, err
	}
	return sessionsSince, nil
}

// RequestPasswordReset asks for a reset link for the account with that
// e-mail address, from the client at address. It answers nil whether or
// not there is such an account: only an active account that has a password
// (not one invited and not yet set up, nor a leaver's) is sent a link, and
// no more than ResetRequestsPerHour an hour. A new request voids the links
// asked for before it.
func (db *DB) RequestPasswordReset(ctx context.Context, email, address string) error {
	email = NormaliseEmail(email)
	if utf8.RuneCountInString(email) > safeguarding.MaxEmailLength {
		return safeguarding.ErrEmailTooLong
	}
	if len(address) > maxAddressLength {
		address = address[:maxAddressLength]
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		// One request at a time for an address, so that a burst of them
		// meets the hourly limit.
		var schoolID, personID int64
		var recent int
		var mayHaveLink bool
		err := tx.QueryRow(ctx, `SELECT p.school_id, p.id, p.active AND p.password_hash <> '',
				(SELECT count(*) FROM password_resets r WHERE r.school_id = p.school_id AND r.person_id = p.id
					AND r.requested_at > clock_timestamp() - $2::interval)
			FROM (SELECT pg_advisory_xact_lock(3, hashtext($1))) l, people p
			WHERE p.email = $1`,
			email, time.Hour).Scan(&schoolID, &personID, &mayHaveLink, &recent)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find account: %w", err)
		}
		event := safeguarding.AuditEvent{SchoolID: schoolID, ActorID: personID, Object: "person", Address: address}
		if !mayHaveLink {
			// No account, a leaver's, or one not yet set up: audited (with
			// the address typed, as a failed sign-in is), and nothing sent.
			event.Action, event.Detail = "password_reset_not_sent", email
			return audit(ctx, tx, event)
		}
		if recent >= safeguarding.ResetRequestsPerHour || db.resets == nil {
			event.Action = "password_reset_refused_throttled"
			if db.resets == nil {
				event.Action = "password_reset_refused_no_mail"
			}
			return audit(ctx, tx, event)
		}
		var resetID int64
		b := &pgx.Batch{}
		b.Queue(`UPDATE password_resets SET expires_at = clock_timestamp()
			WHERE school_id = $1 AND person_id = $2 AND used_at IS NULL AND (expires_at IS NULL OR expires_at > clock_timestamp())`,
			schoolID, personID)
		b.Queue(`INSERT INTO password_resets (school_id, person_id) VALUES ($1, $2) RETURNING id`, schoolID, personID).
			QueryRow(func(row pgx.Row) error { return row.Scan(&resetID) })
		event.Action = "password_reset_requested"
		batchAudit(b, event)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("record reset request: %w", err)
		}
		if err := db.resets(ctx, tx, schoolID, personID, resetID); err != nil {
			return fmt.Errorf("enqueue reset link: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return nil
}

// IssuePasswordResetLink makes the token of reset request resetID and
// returns it with the account's e-mail address; only its hash is stored,
// and it works for ResetLinkValidFor. A request voided by a newer one,
// already used, or for an account that can no longer have a link gets
// none (""). Issued again (the e-mail's retry), it replaces the token.
func (db *DB) IssuePasswordResetLink(ctx context.Context, schoolID, personID, resetID int64) (email, token string, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT p.email FROM password_resets r
			JOIN people p ON p.school_id = r.school_id AND p.id = r.person_id
			WHERE r.id = $3 AND r.school_id = $1 AND r.person_id = $2 AND r.used_at IS NULL
				AND (r.expires_at IS NULL OR (r.token_hash IS NOT NULL AND r.expires_at > clock_timestamp()))
				AND p.active AND p.password_hash <> ''
			FOR UPDATE OF r`, schoolID, personID, resetID).Scan(&email)
		if errors.Is(err, pgx.ErrNoRows) {
			email = ""
			return nil
		}
		if err != nil {
			return err
		}
		token = rand.Text()
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET token_hash = $2, expires_at = clock_timestamp() + $3::interval WHERE id = $1`,
			resetID, hashToken(token), safeguarding.ResetLinkValidFor); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: schoolID, ActorID: personID, Action: "password_reset_link_issued", Object: "person"})
	})
	if err != nil {
		return "", "", fmt.Errorf("issue password reset link: %w", err)
	}
	return email, token, nil
}

// CheckPasswordResetLink reports whether token is a usable reset link:
// nil, or ErrResetLinkInvalid.
func (db *DB) CheckPasswordResetLink(ctx context.Context, token string) error {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM password_resets r
		JOIN people p ON p.school_id = r.school_id AND p.id = r.person_id
		WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > clock_timestamp() AND p.active)`, hashToken(token)).Scan(&ok)
	if err != nil {
		return fmt.Errorf("check password reset link: %w", err)
	}
	if !ok {
		return safeguarding.ErrResetLinkInvalid
	}
	return nil
}

// ResetPassword uses up token and sets its account's password to next,
// from the client at address: every session of the person ends, their
// sign-in lock-out is lifted and their failed sign-ins forgotten (as an
// unlock link does), and their other reset links stop working.
// ErrResetLinkInvalid if the link is wrong, used or out of date. next must
// have passed password.Check.
func (db *DB) ResetPassword(ctx context.Context, token, next, address string) error {
	if len(address) > maxAddressLength {
		address = address[:maxAddressLength]
	}
	// A link that cannot work costs no password hash.
	if err := db.CheckPasswordResetLink(ctx, token); err != nil {
		return err
	}
	hash, err := password.Hash(next)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var schoolID, personID int64
		var email string
		var locked bool
		err := tx.QueryRow(ctx, `WITH used AS (
				UPDATE password_resets SET used_at = clock_timestamp()
				WHERE token_hash = $1 AND used_at IS NULL AND expires_at > clock_timestamp()
				RETURNING school_id, person_id)
			SELECT p.school_id, p.id, p.email, p.locked_at IS NOT NULL
			FROM used u JOIN people p ON p.school_id = u.school_id AND p.id = u.person_id
			WHERE p.active
			FOR UPDATE OF p`, hashToken(token)).Scan(&schoolID, &personID, &email, &locked)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.ErrResetLinkInvalid
		}
		if err != nil {
			return fmt.Errorf("use password reset link: %w", err)
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE people SET password_hash = $3, sessions_since = clock_timestamp() WHERE school_id = $1 AND id = $2`,
			schoolID, personID, hash)
		b.Queue(`UPDATE password_resets SET expires_at = clock_timestamp()
			WHERE school_id = $1 AND person_id = $2 AND used_at IS NULL AND (expires_at IS NULL OR expires_at > clock_timestamp())`,
			schoolID, personID)
		batchAudit(b, safeguarding.AuditEvent{SchoolID: schoolID, ActorID: personID, Action: "password_reset", Object: "person", Address: address})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		if locked {
			_, err = unlockAccount(ctx, tx, schoolID, personID, safeguarding.AuditEvent{ActorID: personID, Address: address, Detail: "by a password reset"})
			return err
		}
		// Not locked, but the guesses that slowed the account are forgotten.
		if _, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1`, email); err != nil {
			return fmt.Errorf("forget failed sign-ins: %w", err)
		}
		return nil
	})
}

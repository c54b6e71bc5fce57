package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor"
)

// Two-factor sign-in (TOTP): enrolment, the code asked after the password,
// recovery codes and the administrator's reset. The secrets and recovery
// codes are read only here.

var (
	// ErrWrongCode refuses a sign-in code that is wrong, out of date or
	// already used.
	ErrWrongCode = safeguarding.Errorf(safeguarding.EUNAUTHORIZED,
		"Enter the 6-digit code your authenticator app shows now")
	// ErrWrongRecoveryCode refuses a recovery code that is wrong or used.
	ErrWrongRecoveryCode = safeguarding.Errorf(safeguarding.EUNAUTHORIZED,
		"Enter one of your recovery codes that you have not used before")
	// ErrEnrolmentCode refuses the code that would confirm an enrolment.
	ErrEnrolmentCode = safeguarding.Errorf(safeguarding.EINVALID,
		"Enter the 6-digit code your authenticator app shows now for Haven")
	// ErrAlreadyEnrolled is the answer to enrolling twice.
	ErrAlreadyEnrolled = safeguarding.Errorf(safeguarding.ECONFLICT, "Two-factor sign-in is already on")
)

// EnrolmentSecret returns the secret v is enrolling with, making one the
// first time they ask, so that reloading the page shows the secret their
// app may already hold. ErrAlreadyEnrolled once they have a second factor.
func (db *DB) EnrolmentSecret(ctx context.Context, v safeguarding.Viewer) (string, error) {
	var secret string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := notEnrolled(ctx, tx, v); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO second_factors (school_id, person_id, secret) VALUES ($1, $2, $3)
			ON CONFLICT (school_id, person_id) DO NOTHING`, v.SchoolID, v.PersonID, twofactor.NewSecret()); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT secret FROM second_factors WHERE school_id = $1 AND person_id = $2`, v.SchoolID, v.PersonID).Scan(&secret)
	})
	return secret, wrapUnlessDomain(err, "enrolment secret")
}

// notEnrolled locks v's row of people for the transaction and returns
// ErrAlreadyEnrolled if they have a second factor.
func notEnrolled(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer) error {
	var enrolled bool
	err := tx.QueryRow(ctx, `SELECT second_factor_at IS NOT NULL FROM people WHERE school_id = $1 AND id = $2 AND active FOR NO KEY UPDATE`,
		v.SchoolID, v.PersonID).Scan(&enrolled)
	if err != nil {
		return notFound(err, "No such person")
	}
	if enrolled {
		return ErrAlreadyEnrolled
	}
	return nil
}

// ConfirmSecondFactor turns v's second factor on if code is right for the
// secret EnrolmentSecret gave them, and returns their new recovery codes,
// which are stored only as hashes: this is the one time anyone sees them.
// ErrEnrolmentCode if the code is wrong.
func (db *DB) ConfirmSecondFactor(ctx context.Context, v safeguarding.Viewer, code, address string) ([]string, error) {
	codes := twofactor.NewRecoveryCodes()
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := notEnrolled(ctx, tx, v); err != nil {
			return err
		}
		var secret string
		err := tx.QueryRow(ctx, `SELECT secret FROM second_factors WHERE school_id = $1 AND person_id = $2`, v.SchoolID, v.PersonID).Scan(&secret)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrEnrolmentCode // the page was opened before a reset
		}
		if err != nil {
			return err
		}
		step, ok := twofactor.Match(secret, code, db.now(), 0)
		if !ok {
			return ErrEnrolmentCode
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE second_factors SET last_step = $3 WHERE school_id = $1 AND person_id = $2`, v.SchoolID, v.PersonID, step)
		b.Queue(`UPDATE people SET second_factor_at = clock_timestamp() WHERE school_id = $1 AND id = $2`, v.SchoolID, v.PersonID)
		queueRecoveryCodes(b, v.SchoolID, v.PersonID, codes)
		batchAudit(b, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "second_factor_enrolled",
			Object: fmt.Sprintf("person:%d", v.PersonID), Address: address})
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, wrapUnlessDomain(err, "confirm second factor")
	}
	return codes, nil
}

// queueRecoveryCodes replaces a person's recovery codes with the hashes of
// codes.
func queueRecoveryCodes(b *pgx.Batch, schoolID, personID int64, codes []string) {
	b.Queue(`DELETE FROM recovery_codes WHERE school_id = $1 AND person_id = $2`, schoolID, personID)
	for _, c := range codes {
		b.Queue(`INSERT INTO recovery_codes (school_id, person_id, code_hash) VALUES ($1, $2, $3)`, schoolID, personID, twofactor.HashRecoveryCode(c))
	}
}

// SecondFactorStatus is what a person's account page says of their second
// factor.
type SecondFactorStatus struct {
	EnrolledAt         time.Time // zero: none
	RecoveryCodesLeft  int
	RecoveryCodesTotal int
}

// SecondFactor returns v's second factor's status.
func (db *DB) SecondFactor(ctx context.Context, v safeguarding.Viewer) (SecondFactorStatus, error) {
	var s SecondFactorStatus
	var at *time.Time
	err := db.pool.QueryRow(ctx, `SELECT p.second_factor_at,
			(SELECT count(*) FILTER (WHERE used_at IS NULL) FROM recovery_codes r WHERE r.school_id = p.school_id AND r.person_id = p.id),
			(SELECT count(*) FROM recovery_codes r WHERE r.school_id = p.school_id AND r.person_id = p.id)
		FROM people p WHERE p.school_id = $1 AND p.id = $2`, v.SchoolID, v.PersonID).Scan(&at, &s.RecoveryCodesLeft, &s.RecoveryCodesTotal)
	if err != nil {
		return s, fmt.Errorf("second factor status: %w", notFound(err, "No such person"))
	}
	if at != nil {
		s.EnrolledAt = *at
	}
	return s, nil
}

// SignInCode finishes the sign-in of a person whose password SignIn
// accepted, with the code their authenticator app shows. A code works
// once: one at or before the last step accepted is refused. Wrong codes
// are throttled, counted and lock the account exactly as wrong passwords
// do (beginSignIn, signInFailed), and audited as second_factor_failed.
func (db *DB) SignInCode(ctx context.Context, personID int64, code, address string) (safeguarding.Viewer, error) {
	return db.signInSecondStep(ctx, personID, address, "second_factor_failed", ErrWrongCode,
		func(ctx context.Context, tx pgx.Tx, a account) (bool, error) {
			var secret string
			var last int64
			err := tx.QueryRow(ctx, `SELECT f.secret, f.last_step FROM second_factors f
				JOIN people p ON p.school_id = f.school_id AND p.id = f.person_id AND p.second_factor_at IS NOT NULL
				WHERE f.school_id = $1 AND f.person_id = $2 FOR UPDATE OF f`, a.schoolID, a.personID).Scan(&secret, &last)
			if errors.Is(err, pgx.ErrNoRows) {
				return false, nil // reset since the password was accepted
			}
			if err != nil {
				return false, err
			}
			step, ok := twofactor.Match(secret, code, db.now(), last)
			if !ok {
				return false, nil
			}
			_, err = tx.Exec(ctx, `UPDATE second_factors SET last_step = $3 WHERE school_id = $1 AND person_id = $2`, a.schoolID, a.personID, step)
			return err == nil, err
		})
}

// SignInRecoveryCode finishes a sign-in as SignInCode does, with one of
// the person's recovery codes instead of a code from their app; each
// recovery code works once.
func (db *DB) SignInRecoveryCode(ctx context.Context, personID int64, code, address string) (safeguarding.Viewer, error) {
	return db.signInSecondStep(ctx, personID, address, "recovery_code_failed", ErrWrongRecoveryCode,
		func(ctx context.Context, tx pgx.Tx, a account) (bool, error) {
			tag, err := tx.Exec(ctx, `UPDATE recovery_codes r SET used_at = clock_timestamp() FROM people p
				WHERE r.school_id = $1 AND r.person_id = $2 AND r.code_hash = $3 AND r.used_at IS NULL
				AND p.school_id = r.school_id AND p.id = r.person_id AND p.second_factor_at IS NOT NULL`,
				a.schoolID, a.personID, twofactor.HashRecoveryCode(code))
			if err != nil || tag.RowsAffected() == 0 {
				return false, err
			}
			return true, audit(ctx, tx, safeguarding.AuditEvent{SchoolID: a.schoolID, ActorID: a.personID,
				Action: "recovery_code_used", Object: fmt.Sprintf("person:%d", a.personID), Address: a.address})
		})
}

// signInSecondStep is what SignInCode and SignInRecoveryCode share: the
// attempt is throttled and recorded as a failure until check, run in the
// transaction that records the sign-in, accepts it.
func (db *DB) signInSecondStep(ctx context.Context, personID int64, address, failAction string, wrong error,
	check func(context.Context, pgx.Tx, account) (bool, error)) (safeguarding.Viewer, error) {
	if len(address) > maxAddressLength {
		address = address[:maxAddressLength]
	}
	var email string
	if err := db.pool.QueryRow(ctx, `SELECT email FROM people WHERE id = $1`, personID).Scan(&email); err != nil {
		return safeguarding.Viewer{}, notFound(err, "No such person")
	}
	a, failures, refusal, err := db.beginSignIn(ctx, email, address)
	if err != nil {
		return safeguarding.Viewer{}, err
	}
	if refusal != nil {
		return safeguarding.Viewer{}, refusal
	}
	event := safeguarding.AuditEvent{SchoolID: a.schoolID, ActorID: a.personID, Object: "person", Address: address, Detail: email}
	var ok bool
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if !a.active {
			return nil
		}
		if err := checkNotLocked(ctx, tx, a); err != nil {
			return err
		}
		var err error
		if ok, err = check(ctx, tx, a); err != nil || !ok {
			return err
		}
		return signedIn(ctx, tx, a, event)
	})
	if errors.Is(err, safeguarding.ErrAccountLocked) {
		return safeguarding.Viewer{}, err
	}
	if err != nil {
		return safeguarding.Viewer{}, fmt.Errorf("record sign-in: %w", err)
	}
	if !ok {
		return safeguarding.Viewer{}, db.signInFailed(ctx, a, failures, event, failAction, wrong)
	}
	return db.Viewer(ctx, a.personID)
}

// ResetSecondFactor clears the second factor of a person in v's school, for
// an administrator (safeguarding.MayResetSecondFactor): their secret and
// recovery codes are deleted and their sessions end, so they sign in again
// with their password and, if their roles need one, enrol again. Anyone
// else, and any person of another school, gets ENOTFOUND.
func (db *DB) ResetSecondFactor(ctx context.Context, v safeguarding.Viewer, personID int64, address string) error {
	if !safeguarding.MayResetSecondFactor(v.Roles) {
		return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such person")
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		return resetSecondFactor(ctx, tx, v.SchoolID, personID, safeguarding.AuditEvent{ActorID: v.PersonID, Address: address})
	})
	return wrapUnlessDomain(err, "reset second factor")
}

// ResetSecondFactorByEmail is ResetSecondFactor for the server's operator
// (haven user reset-two-factor): for the administrator who has lost their
// phone and recovery codes, when there is no other to reset it.
func (db *DB) ResetSecondFactorByEmail(ctx context.Context, email string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var schoolID, personID int64
		err := tx.QueryRow(ctx, `SELECT school_id, id FROM people WHERE email = $1`, NormaliseEmail(email)).Scan(&schoolID, &personID)
		if err != nil {
			return notFound(err, "No account has the e-mail address %s", email)
		}
		return resetSecondFactor(ctx, tx, schoolID, personID, safeguarding.AuditEvent{Detail: "by the server's operator (haven user reset-two-factor)"})
	})
	return wrapUnlessDomain(err, "reset second factor")
}

// resetSecondFactor clears a person's second factor, ends their sessions
// and audits it as e says; ENOTFOUND if the school has no such person.
func resetSecondFactor(ctx context.Context, tx pgx.Tx, schoolID, personID int64, e safeguarding.AuditEvent) error {
	tag, err := tx.Exec(ctx, `UPDATE people SET second_factor_at = NULL, sessions_since = clock_timestamp() WHERE school_id = $1 AND id = $2`,
		schoolID, personID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such person")
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM second_factors WHERE school_id = $1 AND person_id = $2`, schoolID, personID)
	b.Queue(`DELETE FROM recovery_codes WHERE school_id = $1 AND person_id = $2`, schoolID, personID)
	e.SchoolID, e.Action, e.Object = schoolID, "second_factor_reset", fmt.Sprintf("person:%d", personID)
	batchAudit(b, e)
	return tx.SendBatch(ctx, b).Close()
}

// wrapUnlessDomain says what failed of an error from the database, and
// leaves a domain error (its message is for the person) as it is.
func wrapUnlessDomain(err error, what string) error {
	var e *safeguarding.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

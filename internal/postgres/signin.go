package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/safeguarding"
)

// ErrBadCredentials is returned by SignIn for a wrong e-mail or a wrong
// password alike.
var ErrBadCredentials = safeguarding.Errorf(safeguarding.EUNAUTHORIZED,
	"Enter a correct e-mail address and password")

// ErrUnlockLinkInvalid is returned for an unlock link that is wrong, used
// or out of date.
var ErrUnlockLinkInvalid = safeguarding.Errorf(safeguarding.ENOTFOUND,
	"This link has expired or has already been used")

// maxAddressLength caps a stored IP address: the longest IPv6 address with
// a zone is well within it.
const maxAddressLength = 64

// UnlockEnqueuer adds to tx the job that e-mails a locked account's owner a
// link to unlock it, so that the lock and its e-mail commit together.
// internal/jobs makes one (jobs.UnlockEnqueuer).
type UnlockEnqueuer func(ctx context.Context, tx pgx.Tx, schoolID, personID int64) error

// WithUnlockLinks returns a store that e-mails the owner of an account it
// locks a link to unlock it; without it, only an administrator can.
func (db *DB) WithUnlockLinks(e UnlockEnqueuer) *DB {
	c := *db
	c.unlocks = e
	return &c
}

// account is what sign-in reads of the person an e-mail address names; the
// zero account for an address no one has.
type account struct {
	schoolID, personID int64
	hash               string
	active, locked     bool
	// secondFactor: the person has enrolled one, so a right password alone
	// does not sign them in (SignInCode).
	secondFactor bool
	// The attempt beginSignIn recorded, pending until the password is
	// checked: its e-mail, address and time identify its row.
	email, address string
	attemptAt      time.Time
}

// SignIn checks an e-mail address and password, from the client at
// address, and returns the person they belong to. For a person with a
// second factor (the returned Viewer's SecondFactor) a right password does
// not sign them in: it is neither audited as a sign-in nor forgives
// earlier failures until SignInCode or SignInRecoveryCode accepts their
// code, so guessing codes costs what guessing passwords does. An attempt that comes too
// soon after failures (safeguarding.SignInWait) or at a locked account is
// refused before its password is checked. Every attempt is audited. A wrong
// e-mail and a wrong password give the same error after the same work (one
// argon2id verification), and are throttled alike.
func (db *DB) SignIn(ctx context.Context, email, plain, address string) (safeguarding.Viewer, error) {
	email = NormaliseEmail(email)
	if utf8.RuneCountInString(email) > safeguarding.MaxEmailLength {
		return safeguarding.Viewer{}, safeguarding.ErrEmailTooLong
	}
	if len(address) > maxAddressLength {
		address = address[:maxAddressLength]
	}
	a, failures, refusal, err := db.beginSignIn(ctx, email, address)
	if err != nil {
		return safeguarding.Viewer{}, err
	}
	if refusal != nil {
		return safeguarding.Viewer{}, refusal
	}
	event := safeguarding.AuditEvent{SchoolID: a.schoolID, ActorID: a.personID, Object: "person", Address: address, Detail: email}

	// No connection is held while the password is checked: the attempt is
	// already recorded as a failure, which a success takes back.
	if !password.Verify(plain, a.hash) || !a.active {
		return safeguarding.Viewer{}, db.signInFailed(ctx, a, failures, event, "sign_in_failed", ErrBadCredentials)
	}

	// A hash made with older parameters is replaced, now that the password
	// is known to be right.
	var rehash string
	if password.NeedsRehash(a.hash) {
		if rehash, err = password.Hash(plain); err != nil {
			return safeguarding.Viewer{}, err
		}
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkNotLocked(ctx, tx, a); err != nil {
			return err
		}
		if rehash != "" {
			// Only if unchanged since read: a password set meanwhile wins.
			if _, err := tx.Exec(ctx, `UPDATE people SET password_hash = $2 WHERE id = $1 AND password_hash = $3`,
				a.personID, rehash, a.hash); err != nil {
				return err
			}
		}
		if a.secondFactor {
			// The right password is not a failure; the code is yet to come.
			_, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1 AND address = $2 AND failed_at = $3 AND NOT settled`,
				a.email, a.address, a.attemptAt)
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
	v, err := db.Viewer(ctx, a.personID)
	// What was decided above, even if an administrator reset the factor
	// meanwhile: the caller asks for a code exactly when it was not signed in.
	v.SecondFactor = a.secondFactor
	return v, err
}

// checkNotLocked refuses a sign-in whose account was locked while its
// password or code was checked: the lock wins.
func checkNotLocked(ctx context.Context, tx pgx.Tx, a account) error {
	var locked bool
	if err := tx.QueryRow(ctx, `SELECT locked_at IS NOT NULL FROM people WHERE id = $1`, a.personID).Scan(&locked); err != nil {
		return err
	}
	if locked {
		return safeguarding.ErrAccountLocked
	}
	return nil
}

// signedIn records in tx that a's sign-in succeeded, every factor checked:
// it forgives the failures from its address (only this address's: guesses
// from elsewhere still count against the guesser), remembers the address
// as the person's and when they signed in, and audits the sign-in.
func signedIn(ctx context.Context, tx pgx.Tx, a account, event safeguarding.AuditEvent) error {
	if _, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1 AND address = $2`, a.email, a.address); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE people SET last_sign_in_at = clock_timestamp() WHERE school_id = $1 AND id = $2`, a.schoolID, a.personID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO sign_in_addresses (school_id, person_id, address) VALUES ($1, $2, $3)
		ON CONFLICT (school_id, person_id, address) DO UPDATE SET last_at = clock_timestamp()`, a.schoolID, a.personID, a.address); err != nil {
		return err
	}
	event.Action, event.Detail = "sign_in", ""
	return audit(ctx, tx, event)
}

// beginSignIn finds the account an e-mail address names (the zero account
// if none), decides whether an attempt at it from address may go ahead and,
// if it may, records the attempt as a failure until it succeeds; failures
// is the account's failures within HardLockWindow before this one. A
// refusal is audited. Attempts at one account, and from one address, are
// decided one at a time (advisory locks held only for this short
// transaction), so a burst of simultaneous guesses is throttled like a
// sequence of them.
func (db *DB) beginSignIn(ctx context.Context, email, address string) (a account, failures int, refusal, err error) {
	a.email, a.address = email, address
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(1, hashtext($1)), pg_advisory_xact_lock(2, hashtext($2))`, email, address); err != nil {
			return fmt.Errorf("take sign-in locks: %w", err)
		}
		err := tx.QueryRow(ctx, `SELECT school_id, id, password_hash, active, locked_at IS NOT NULL, second_factor_at IS NOT NULL FROM people WHERE email = $1`, email).
			Scan(&a.schoolID, &a.personID, &a.hash, &a.active, &a.locked, &a.secondFactor)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find account: %w", err)
		}
		var h safeguarding.SignInHistory
		err = tx.QueryRow(ctx, `WITH t AS (SELECT clock_timestamp() AS now),
			account AS (SELECT f.address, f.failed_at, f.settled FROM sign_in_failures f, t WHERE f.email = $1 AND f.failed_at > t.now - $3::interval),
			from_address AS (SELECT f.failed_at FROM sign_in_failures f, t WHERE f.address = $2 AND f.failed_at > t.now - $4::interval AND f.settled)
			SELECT t.now,
				(SELECT count(*) FROM account WHERE address = $2 AND settled),
				(SELECT coalesce(max(failed_at), 'epoch') FROM account WHERE address = $2 AND settled),
				(SELECT count(*) FROM from_address),
				(SELECT coalesce(max(failed_at), 'epoch') FROM from_address),
				(SELECT count(*) FROM account WHERE failed_at > t.now - $5::interval),
				coalesce((SELECT failed_at FROM account WHERE failed_at > t.now - $5::interval ORDER BY failed_at DESC OFFSET $6 LIMIT 1), 'epoch'),
				(SELECT count(*) FROM account WHERE settled),
				EXISTS (SELECT FROM sign_in_addresses s WHERE s.school_id = $7 AND s.person_id = $8 AND s.address = $2 AND s.last_at > t.now - $9::interval)
			FROM t`,
			email, address, safeguarding.HardLockWindow, safeguarding.AddressWindow, safeguarding.GuessWindow, safeguarding.GuessLimit-1,
			a.schoolID, a.personID, safeguarding.KnownAddressFor).
			Scan(&h.Now, &h.PairFailures, &h.PairLast, &h.AddressFailures, &h.AddressLast, &h.GuessFailures, &h.GuessLimitFrom, &failures, &h.KnownAddress)
		if err != nil {
			return fmt.Errorf("read failed sign-ins: %w", err)
		}
		event := safeguarding.AuditEvent{SchoolID: a.schoolID, ActorID: a.personID, Object: "person", Address: address, Detail: email}
		switch wait := safeguarding.SignInWait(h); {
		case a.locked:
			refusal, event.Action = safeguarding.ErrAccountLocked, "sign_in_refused_locked"
		case wait > 0:
			refusal, event.Action = safeguarding.ErrSignInWait(wait), "sign_in_refused_throttled"
		default:
			// Pending until the password is checked: it counts towards the
			// guess limit at once, and slows anyone only once settled.
			if err := tx.QueryRow(ctx, `INSERT INTO sign_in_failures (email, address, settled) VALUES ($1, $2, false) RETURNING failed_at`,
				email, address).Scan(&a.attemptAt); err != nil {
				return fmt.Errorf("record sign-in attempt: %w", err)
			}
			return nil
		}
		return audit(ctx, tx, event)
	})
	return a, failures, refusal, err
}

// signInFailed audits a wrong password or code (already counted by
// beginSignIn) as action and, if it is the account's HardLockFailures-th
// within HardLockWindow, locks the account and queues the e-mail with the
// link that unlocks it. It returns wrong, or ErrAccountLocked.
func (db *DB) signInFailed(ctx context.Context, a account, before int, event safeguarding.AuditEvent, action string, wrong error) error {
	locks := before+1 >= safeguarding.HardLockFailures
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		event.Action = action
		if err := audit(ctx, tx, event); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE sign_in_failures SET settled = true WHERE email = $1 AND address = $2 AND failed_at = $3`,
			a.email, a.address, a.attemptAt); err != nil {
			return fmt.Errorf("settle failed sign-in: %w", err)
		}
		if !locks || a.personID == 0 || !a.active {
			return nil
		}
		tag, err := tx.Exec(ctx, `UPDATE people SET locked_at = clock_timestamp() WHERE school_id = $1 AND id = $2 AND locked_at IS NULL`, a.schoolID, a.personID)
		if err != nil {
			return fmt.Errorf("lock account: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil // locked meanwhile
		}
		event.Action, event.Detail = "account_locked", fmt.Sprintf("%d failed sign-ins within %s", before+1, safeguarding.HardLockWindow)
		if err := audit(ctx, tx, event); err != nil {
			return err
		}
		if db.unlocks == nil {
			return nil
		}
		if err := db.unlocks(ctx, tx, a.schoolID, a.personID); err != nil {
			return fmt.Errorf("enqueue unlock link: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record failed sign-in: %w", err)
	}
	if locks {
		return safeguarding.ErrAccountLocked
	}
	return wrong
}

// IssueUnlockLink makes a new unlock token for a locked account, replacing
// any unused one, and returns it with the account's e-mail address; only
// its hash is stored. An account that is no longer locked gets none ("").
func (db *DB) IssueUnlockLink(ctx context.Context, schoolID, personID int64) (email, token string, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT email FROM people WHERE school_id = $1 AND id = $2 AND active AND locked_at IS NOT NULL`, schoolID, personID).Scan(&email)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM account_unlock_tokens WHERE school_id = $1 AND person_id = $2 AND used_at IS NULL`, schoolID, personID); err != nil {
			return err
		}
		token = rand.Text()
		if _, err := tx.Exec(ctx, `INSERT INTO account_unlock_tokens (token_hash, school_id, person_id, expires_at) VALUES ($1, $2, $3, clock_timestamp() + $4::interval)`,
			hashToken(token), schoolID, personID, safeguarding.UnlockLinkValidFor); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: schoolID, ActorID: personID, Action: "unlock_link_issued", Object: "person"})
	})
	if err != nil {
		return "", "", fmt.Errorf("issue unlock link: %w", err)
	}
	return email, token, nil
}

// CheckUnlockLink reports whether token is a usable unlock link: nil, or
// ErrUnlockLinkInvalid.
func (db *DB) CheckUnlockLink(ctx context.Context, token string) error {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM account_unlock_tokens
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > clock_timestamp())`, hashToken(token)).Scan(&ok)
	if err != nil {
		return fmt.Errorf("check unlock link: %w", err)
	}
	if !ok {
		return ErrUnlockLinkInvalid
	}
	return nil
}

// UnlockWithLink uses up token and unlocks its account, from the client at
// address; ErrUnlockLinkInvalid if the link is wrong, used or out of date.
func (db *DB) UnlockWithLink(ctx context.Context, token, address string) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var schoolID, personID int64
		err := tx.QueryRow(ctx, `UPDATE account_unlock_tokens SET used_at = clock_timestamp()
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > clock_timestamp() RETURNING school_id, person_id`, hashToken(token)).
			Scan(&schoolID, &personID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrUnlockLinkInvalid
		}
		if err != nil {
			return fmt.Errorf("use unlock link: %w", err)
		}
		_, err = unlockAccount(ctx, tx, schoolID, personID, safeguarding.AuditEvent{ActorID: personID, Address: address, Detail: "by the e-mailed link"})
		return err
	})
}

// UnlockAccount lifts the lock of the account with that e-mail address and
// forgets its failed sign-ins, for an administrator; it reports whether
// the account was locked.
func (db *DB) UnlockAccount(ctx context.Context, email string) (wasLocked bool, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var schoolID, personID int64
		err := tx.QueryRow(ctx, `SELECT school_id, id FROM people WHERE email = $1`, NormaliseEmail(email)).Scan(&schoolID, &personID)
		if err != nil {
			return notFound(err, "No account has the e-mail address %s", email)
		}
		wasLocked, err = unlockAccount(ctx, tx, schoolID, personID, safeguarding.AuditEvent{Detail: "by an administrator (haven user unlock)"})
		return err
	})
	return wasLocked, err
}

// unlockAccount lifts a person's lock, forgets their account's failed
// sign-ins and unused unlock links, and audits it as e says.
func unlockAccount(ctx context.Context, tx pgx.Tx, schoolID, personID int64, e safeguarding.AuditEvent) (wasLocked bool, err error) {
	var email string
	if err := tx.QueryRow(ctx, `SELECT email, locked_at IS NOT NULL FROM people WHERE school_id = $1 AND id = $2`, schoolID, personID).Scan(&email, &wasLocked); err != nil {
		return false, notFound(err, "No such person")
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE people SET locked_at = NULL WHERE school_id = $1 AND id = $2 AND locked_at IS NOT NULL`, schoolID, personID)
	b.Queue(`DELETE FROM sign_in_failures WHERE email = $1`, email)
	b.Queue(`DELETE FROM account_unlock_tokens WHERE school_id = $1 AND person_id = $2 AND used_at IS NULL`, schoolID, personID)
	e.SchoolID, e.Action, e.Object = schoolID, "account_unlocked", fmt.Sprintf("person:%d", personID)
	batchAudit(b, e)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return false, fmt.Errorf("unlock account: %w", err)
	}
	return wasLocked, nil
}

// SweepSignIns forgets what sign-in throttling no longer needs: failures
// older than HardLockWindow, failures for e-mail addresses that no account
// has once AddressWindow has passed (they only ever slowed their address),
// addresses not signed in from for KnownAddressFor, expired unlock links
// and password reset requests a day old. The job queue runs it periodically.
func (db *DB) SweepSignIns(ctx context.Context) error {
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM sign_in_failures f WHERE f.failed_at < clock_timestamp() - $1::interval
		OR (f.failed_at < clock_timestamp() - $2::interval AND NOT EXISTS (SELECT FROM people p WHERE p.email = f.email))`,
		safeguarding.HardLockWindow, safeguarding.AddressWindow)
	b.Queue(`DELETE FROM sign_in_addresses WHERE last_at < clock_timestamp() - $1::interval`, safeguarding.KnownAddressFor)
	b.Queue(`DELETE FROM account_unlock_tokens WHERE expires_at < clock_timestamp()`)
	// Past its hour a request neither works nor counts towards the limit;
	// a day leaves a late retry of its e-mail something to find.
	b.Queue(`DELETE FROM password_resets WHERE requested_at < clock_timestamp() - interval '1 day'`)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("sweep sign-in records: %w", err)
	}
	return nil
}

// hashToken is what is stored of an unlock token: a token of 128 random
// bits needs no slow hash.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

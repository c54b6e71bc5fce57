package safeguarding

import (
	"fmt"
	"time"
)

// Sign-in throttling. A wrong password slows the next attempt at that
// account from that address, and many wrong passwords from one address slow
// that address for every account; neither locks anyone out. Only far more
// failures lock an account, until its owner follows the e-mailed link or an
// administrator unlocks it. So an attacker cannot lock the DSL out by
// guessing on purpose, and the DSL signing in from where they usually do is
// not held back by guesses made elsewhere.
const (
	// MaxEmailLength is the longest e-mail address there can be (RFC 5321's
	// 254 characters): a longer one is refused before it is looked up or
	// stored.
	MaxEmailLength = 254

	// FreeAccountFailures is how many wrong passwords for one account from
	// one address (a typo or two) cost nothing; each one after that doubles
	// the wait, from AccountDelayBase up to MaxSignInDelay.
	FreeAccountFailures = 2
	AccountDelayBase    = 5 * time.Second

	// FreeAddressFailures is how many wrong passwords one address may give,
	// across all accounts, within AddressWindow before the address is slowed
	// (a school's staff often share one address); each one after that
	// doubles the wait, from AddressDelayBase up to MaxSignInDelay.
	FreeAddressFailures = 10
	AddressDelayBase    = 5 * time.Second
	AddressWindow       = 15 * time.Minute

	// MaxSignInDelay is the longest a throttled attempt waits.
	MaxSignInDelay = 15 * time.Minute

	// GuessLimit wrong passwords for one account within GuessWindow, from
	// any addresses, close the account to further guesses until the oldest
	// of them is GuessWindow old (NIST SP 800-63B and Cyber Essentials: no
	// more than 10 guesses in 5 minutes). An address the person has signed in
	// from before (KnownAddressFor) may still try, if it has not failed
	// within the window itself: the DSL at school is not shut out by guesses
	// from elsewhere.
	GuessLimit  = 10
	GuessWindow = 5 * time.Minute

	// HardLockFailures wrong passwords for one account within
	// HardLockWindow lock it until its owner follows the e-mailed link or
	// an administrator runs `haven user unlock`. Far more than anyone
	// mistypes; no more than the 100 NIST SP 800-63B allows. Failures are
	// kept for HardLockWindow, and the slowing of an account from an
	// address counts the failures within it.
	HardLockFailures = 100
	HardLockWindow   = 24 * time.Hour

	// KnownAddressFor is how long an address someone signed in from counts
	// as theirs.
	KnownAddressFor = 90 * 24 * time.Hour

	// UnlockLinkValidFor is how long an e-mailed unlock link works.
	UnlockLinkValidFor = 24 * time.Hour
)

// SignInHistory is what is known, as someone tries to sign in, of the
// failed sign-ins that bear on the attempt. Times are the database's.
type SignInHistory struct {
	Now time.Time
	// Failures for this account from this address within HardLockWindow,
	// the newest at PairLast.
	PairFailures int
	PairLast     time.Time
	// Failures from this address, for any account, within AddressWindow,
	// the newest at AddressLast.
	AddressFailures int
	AddressLast     time.Time
	// Failures for this account, from any address, within GuessWindow;
	// GuessLimitFrom is the GuessLimit-th newest of them (zero if fewer).
	GuessFailures  int
	GuessLimitFrom time.Time
	// KnownAddress: the person has signed in from this address within
	// KnownAddressFor.
	KnownAddress bool
}

// SignInWait is how long the attempt must wait before its password is even
// checked; zero lets it go ahead.
func SignInWait(h SignInHistory) time.Duration {
	var until time.Time
	later := func(t time.Time) {
		if t.After(until) {
			until = t
		}
	}
	later(h.PairLast.Add(backoff(h.PairFailures-FreeAccountFailures, AccountDelayBase)))
	later(h.AddressLast.Add(backoff(h.AddressFailures-FreeAddressFailures, AddressDelayBase)))
	pairFailedLately := h.PairFailures > 0 && h.Now.Sub(h.PairLast) < GuessWindow
	if h.GuessFailures >= GuessLimit && (!h.KnownAddress || pairFailedLately) {
		later(h.GuessLimitFrom.Add(GuessWindow))
	}
	if wait := until.Sub(h.Now); wait > 0 {
		return wait
	}
	return 0
}

// backoff is the wait after the nth failure beyond those that are free:
// base, doubling with each further one, up to MaxSignInDelay.
func backoff(n int, base time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	d := base
	for range n - 1 {
		if d >= MaxSignInDelay {
			break
		}
		d *= 2
	}
	return min(d, MaxSignInDelay)
}

// ErrSignInWait is the refusal of an attempt that came too soon: it says
// how long to wait, rounded up to whole seconds, or minutes beyond two.
func ErrSignInWait(wait time.Duration) *Error {
	var when string
	switch secs := int((wait + time.Second - 1) / time.Second); {
	case secs <= 1:
		when = "1 second"
	case secs < 120:
		when = fmt.Sprintf("%d seconds", secs)
	default:
		when = fmt.Sprintf("%d minutes", (secs+59)/60)
	}
	return Errorf(EUNAUTHORIZED, "There have been too many attempts to sign in with a wrong password. Wait %s, then try again", when)
}

// ErrAccountLocked is the refusal of an attempt at a locked account.
var ErrAccountLocked = Errorf(EUNAUTHORIZED,
	"This account is locked because of too many attempts to sign in with a wrong password. "+
		"We have e-mailed a link to unlock it to the account's e-mail address; or ask your administrator to unlock it")

// ErrEmailTooLong is the refusal of an e-mail address no one can have.
var ErrEmailTooLong = Errorf(EINVALID, "Email address must be %d characters or fewer", MaxEmailLength)

package safeguarding_test

import (
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestSignInWait(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	cases := []struct {
		name string
		h    safeguarding.SignInHistory
		want time.Duration
	}{
		{"NoFailures", safeguarding.SignInHistory{}, 0},
		{"TwoTyposCostNothing", safeguarding.SignInHistory{PairFailures: 2, PairLast: now}, 0},
		{"ThirdFailureWaitsFiveSeconds", safeguarding.SignInHistory{PairFailures: 3, PairLast: now}, 5 * time.Second},
		{"FourthWaitsTen", safeguarding.SignInHistory{PairFailures: 4, PairLast: now}, 10 * time.Second},
		{"FifthWaitsTwenty", safeguarding.SignInHistory{PairFailures: 5, PairLast: now}, 20 * time.Second},
		{"WaitCountsFromTheLastFailure", safeguarding.SignInHistory{PairFailures: 5, PairLast: ago(15 * time.Second)}, 5 * time.Second},
		{"WaitPassed", safeguarding.SignInHistory{PairFailures: 5, PairLast: ago(time.Minute)}, 0},
		{"WaitCapped", safeguarding.SignInHistory{PairFailures: 90, PairLast: now}, safeguarding.MaxSignInDelay},
		{"AddressTenFree", safeguarding.SignInHistory{AddressFailures: 10, AddressLast: now}, 0},
		{"AddressEleventhWaits", safeguarding.SignInHistory{AddressFailures: 11, AddressLast: now}, 5 * time.Second},
		{"AddressWaitGrows", safeguarding.SignInHistory{AddressFailures: 14, AddressLast: now}, 40 * time.Second},
		{"GuessLimitFromElsewhere", safeguarding.SignInHistory{GuessFailures: 10, GuessLimitFrom: ago(time.Minute)}, 4 * time.Minute},
		{"GuessLimitNotReached", safeguarding.SignInHistory{GuessFailures: 9, GuessLimitFrom: ago(time.Minute)}, 0},
		{"GuessLimitKnownAddressGoesAhead", safeguarding.SignInHistory{GuessFailures: 10, GuessLimitFrom: ago(time.Minute), KnownAddress: true}, 0},
		{"GuessLimitKnownAddressThatFailedWaits", safeguarding.SignInHistory{GuessFailures: 10, GuessLimitFrom: ago(time.Minute), KnownAddress: true,
			PairFailures: 1, PairLast: ago(30 * time.Second)}, 4 * time.Minute},
		{"LongestWaitWins", safeguarding.SignInHistory{PairFailures: 3, PairLast: now, AddressFailures: 12, AddressLast: now}, 10 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.h.Now = now
			if got := safeguarding.SignInWait(c.h); got != c.want {
				t.Errorf("wait %v, want %v", got, c.want)
			}
		})
	}
}

// No more than GuessLimit guesses at one account in any GuessWindow, from
// attackers who try from a new address every second (NIST SP 800-63B).
func TestSignInWaitGuessesPerWindow(t *testing.T) {
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	now := start
	var guesses []time.Time
	for now.Before(start.Add(time.Hour)) {
		h := safeguarding.SignInHistory{Now: now}
		for _, g := range guesses {
			if now.Sub(g) < safeguarding.GuessWindow {
				h.GuessFailures++
			}
		}
		if h.GuessFailures >= safeguarding.GuessLimit {
			h.GuessLimitFrom = guesses[len(guesses)-safeguarding.GuessLimit]
		}
		if safeguarding.SignInWait(h) == 0 {
			guesses = append(guesses, now)
		}
		now = now.Add(time.Second)
	}
	for i := range guesses {
		n := 0
		for _, g := range guesses[i:] {
			if g.Sub(guesses[i]) < safeguarding.GuessWindow {
				n++
			}
		}
		if n > safeguarding.GuessLimit {
			t.Fatalf("%d guesses in %v from %v", n, safeguarding.GuessWindow, guesses[i].Sub(start))
		}
	}
	if want := safeguarding.GuessLimit * 12; len(guesses) != want {
		t.Fatalf("%d guesses in an hour, want %d", len(guesses), want)
	}
}

func TestErrSignInWait(t *testing.T) {
	for _, c := range []struct {
		wait time.Duration
		want string
	}{
		{500 * time.Millisecond, "Wait 1 second,"},
		{4200 * time.Millisecond, "Wait 5 seconds,"},
		{90 * time.Second, "Wait 90 seconds,"},
		{14*time.Minute + time.Second, "Wait 15 minutes,"},
	} {
		if got := safeguarding.ErrorMessage(safeguarding.ErrSignInWait(c.wait)); !strings.Contains(got, c.want) {
			t.Errorf("%v: %q lacks %q", c.wait, got, c.want)
		}
	}
}

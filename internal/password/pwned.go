package password

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PwnedPasswordsURL is the address of Pwned Passwords' range query.
const PwnedPasswordsURL = "https://api.pwnedpasswords.com/range/"

// pwnedTimeout bounds one question to Pwned Passwords: an account is not
// kept waiting on an outside service.
const pwnedTimeout = 3 * time.Second

// PwnedPasswords asks Have I Been Pwned's Pwned Passwords whether a password
// has been seen in a breach, by its range query (k-anonymity): only the
// first five hex digits of the password's SHA-1 leave the machine, and the
// answer lists every breached hash that starts with them.
type PwnedPasswords struct {
	// URL is where the range query goes, the prefix appended.
	URL    string
	Client *http.Client
	Log    *slog.Logger
}

// NewPwnedPasswords asks the real service, with a short timeout.
func NewPwnedPasswords(logger *slog.Logger) *PwnedPasswords {
	return &PwnedPasswords{URL: PwnedPasswordsURL, Client: &http.Client{Timeout: pwnedTimeout}, Log: logger}
}

// Check is the package's Check, then, for a password it accepts, Pwned
// Passwords: a password seen in a breach gets the same message as one on
// the list shipped with Haven. When the service cannot be asked, the
// password is judged by the list alone and a warning is logged.
func (p *PwnedPasswords) Check(ctx context.Context, plain string) string {
	if msg := Check(plain); msg != "" {
		return msg
	}
	breached, err := p.breached(ctx, plain)
	if err != nil {
		p.Log.Warn("Pwned Passwords could not be asked; the password was checked against Haven's own list only", "err", err)
		return ""
	}
	if breached {
		return breachedMessage
	}
	return ""
}

func (p *PwnedPasswords) breached(ctx context.Context, plain string) (bool, error) {
	sum := sha1.Sum([]byte(plain))
	hash := strings.ToUpper(hex.EncodeToString(sum[:]))
	ctx, cancel := context.WithTimeout(ctx, pwnedTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+hash[:5], nil)
	if err != nil {
		return false, err
	}
	// Padding hides from anyone watching how many hashes the answer held.
	req.Header.Set("Add-Padding", "true")
	req.Header.Set("User-Agent", "Haven")
	res, err := p.Client.Do(req)
	if err != nil {
		return false, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return false, fmt.Errorf("range query answered %s", res.Status)
	}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		suffix, count, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok || !strings.EqualFold(suffix, hash[5:]) {
			continue
		}
		n, err := strconv.Atoi(count)
		return err == nil && n > 0, nil // padding lines have a count of 0
	}
	return false, sc.Err()
}

package password

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// pwnedAPI stands in for Pwned Passwords: it answers a range query with the
// suffixes of the breached passwords under the prefix asked for, and padding,
// and records the prefixes it was asked.
func pwnedAPI(t *testing.T, breached ...string) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix := strings.TrimPrefix(r.URL.Path, "/range/")
		mu.Lock()
		asked = append(asked, prefix)
		mu.Unlock()
		if r.Header.Get("Add-Padding") != "true" {
			t.Error("the range query asked for no padding")
		}
		for _, p := range breached {
			h := sha1Hex(p)
			if h[:5] == prefix {
				fmt.Fprintf(w, "%s:%d\r\n", h[5:], 42)
			}
		}
		fmt.Fprintf(w, "%s:0\r\n", strings.Repeat("0", 35)) // padding
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(asked)
	}
}

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func testPwned(url string, log *bytes.Buffer) *PwnedPasswords {
	return &PwnedPasswords{URL: url, Client: &http.Client{Timeout: 200 * time.Millisecond},
		Log: slog.New(slog.NewTextHandler(log, nil))}
}

func TestPwnedPasswords(t *testing.T) {
	const breachedThere = "tulip orbit canyon lantern"
	srv, asked := pwnedAPI(t, breachedThere)
	var log bytes.Buffer
	p := testPwned(srv.URL+"/range/", &log)

	t.Run("BreachedIsRefused", func(t *testing.T) {
		if got := p.Check(context.Background(), breachedThere); got != breachedMessage {
			t.Errorf("Check = %q, want %q", got, breachedMessage)
		}
		if got := asked(); len(got) != 1 || got[0] != sha1Hex(breachedThere)[:5] {
			t.Errorf("asked for ranges %q, want the first five hex digits of the SHA-1 only", got)
		}
	})

	t.Run("OtherIsAccepted", func(t *testing.T) {
		if got := p.Check(context.Background(), "vivid walrus orchard tango 91"); got != "" {
			t.Errorf("Check = %q, want it accepted", got)
		}
	})

	t.Run("TheListIsStillChecked", func(t *testing.T) {
		n := len(asked())
		if got := p.Check(context.Background(), "Password123!"); got != breachedMessage {
			t.Errorf("Check = %q, want %q", got, breachedMessage)
		}
		if len(asked()) != n {
			t.Error("a password on Haven's own list was sent to Pwned Passwords")
		}
	})

	if log.Len() != 0 {
		t.Errorf("warnings logged while the service answered: %s", log.String())
	}
}

func TestPwnedPasswordsFailsOpen(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(broken.Close)

	for name, url := range map[string]string{"Slow": slow.URL + "/range/", "Broken": broken.URL + "/range/", "Unreachable": "http://127.0.0.1:1/range/"} {
		t.Run(name, func(t *testing.T) {
			var log bytes.Buffer
			start := time.Now()
			if got := testPwned(url, &log).Check(context.Background(), "vivid walrus orchard tango 91"); got != "" {
				t.Errorf("Check = %q, want the password accepted when the service cannot be asked", got)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("Check took %s", d)
			}
			if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "Pwned Passwords could not be asked") {
				t.Errorf("no warning logged: %q", log.String())
			}
		})
	}
}

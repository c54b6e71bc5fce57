package twofactor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/havenapp/haven/internal/twofactor"
)

func TestMatch(t *testing.T) {
	secret := twofactor.NewSecret()
	now := time.Unix(1_800_000_015, 0)
	step := twofactor.Step(now)
	code := func(s int64) string {
		c, err := twofactor.Code(secret, s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Haven's codes are the standard's: what any authenticator app shows.
	if want, _ := totp.GenerateCode(secret, now); code(step) != want {
		t.Fatalf("code %s, pquerna/otp's %s", code(step), want)
	}
	for _, c := range []struct {
		name  string
		code  string
		after int64
		want  int64 // 0: refused
	}{
		{"OK", code(step), 0, step},
		{"OKSpaced", code(step)[:3] + " " + code(step)[3:], 0, step},
		{"OKPreviousStep", code(step - 1), 0, step - 1},
		{"OKNextStep", code(step + 1), 0, step + 1},
		{"ErrTooOld", code(step - 2), 0, 0},
		{"ErrTooNew", code(step + 2), 0, 0},
		{"ErrUsed", code(step), step, 0},
		{"ErrOlderThanUsed", code(step - 1), step, 0},
		{"OKNewerThanUsed", code(step + 1), step, step + 1},
		{"ErrShort", code(step)[:5], 0, 0},
		{"ErrEmpty", "", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := twofactor.Match(secret, c.code, now, c.after)
			if ok != (c.want != 0) || got != c.want {
				t.Errorf("Match = %d, %v; want %d", got, ok, c.want)
			}
		})
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := twofactor.NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
	}
	if len(codes) != 10 {
		t.Fatalf("%d codes", len(codes))
	}
	typed := strings.ToUpper(strings.ReplaceAll(codes[0], "-", " "))
	if string(twofactor.HashRecoveryCode(typed)) != string(twofactor.HashRecoveryCode(codes[0])) {
		t.Error("a code typed in capitals with spaces is not the same code")
	}
	if string(twofactor.HashRecoveryCode(codes[1])) == string(twofactor.HashRecoveryCode(codes[0])) {
		t.Error("two codes hash alike")
	}
}

func TestGroupForTyping(t *testing.T) {
	if got := twofactor.GroupForTyping("ABCDEFGHIJ"); got != "ABCD EFGH IJ" {
		t.Errorf("got %q", got)
	}
}

func TestQRCode(t *testing.T) {
	png, err := twofactor.QRCode(twofactor.NewSecret(), "dsl@demo.test", 200)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("not a PNG: %v", err)
	}
	u := twofactor.KeyURL("ABCD", "dsl@demo.test")
	if !strings.HasPrefix(u, "otpauth://totp/Haven:dsl@demo.test?") || !strings.Contains(u, "secret=ABCD") || !strings.Contains(u, "issuer=Haven") {
		t.Errorf("key URL %s", u)
	}
}

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The benchmark's floor route is off unless HAVEN_BENCH_FLOOR says true, and
// a mistyped value stops the server rather than guessing.
func TestServeBenchFloor(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    bool
		wantErr bool
	}{
		{"", false, false},
		{"false", false, false},
		{"true", true, false},
		{"yes", false, true},
	} {
		t.Setenv("HAVEN_BENCH_FLOOR", tc.env)
		got, err := loadConfig().ServeBenchFloor()
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("HAVEN_BENCH_FLOOR=%q: %v, %v; want %v, error %v", tc.env, got, err, tc.want, tc.wantErr)
		}
	}
}

// Pwned Passwords, an outside service, is asked only when
// HAVEN_PWNED_PASSWORDS says true.
func TestCheckPwnedPasswords(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    bool
		wantErr bool
	}{
		{"", false, false},
		{"false", false, false},
		{"true", true, false},
		{"on", false, true},
	} {
		t.Setenv("HAVEN_PWNED_PASSWORDS", tc.env)
		got, err := loadConfig().CheckPwnedPasswords()
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("HAVEN_PWNED_PASSWORDS=%q: %v, %v; want %v, error %v", tc.env, got, err, tc.want, tc.wantErr)
		}
	}
}

// Repeated denied looks are noticed at five in a day unless
// HAVEN_DENIED_LOOKS says otherwise, and a mistyped value stops the server.
func TestDeniedLookWatch(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    safeguarding.DeniedLookWatch
		wantErr bool
	}{
		{"", safeguarding.DeniedLookWatch{Times: 5, Within: 24 * time.Hour}, false},
		{"3/1h", safeguarding.DeniedLookWatch{Times: 3, Within: time.Hour}, false},
		{" 10 / 48h ", safeguarding.DeniedLookWatch{Times: 10, Within: 48 * time.Hour}, false},
		{"5", safeguarding.DeniedLookWatch{}, true},
		{"0/24h", safeguarding.DeniedLookWatch{}, true},
		{"5/day", safeguarding.DeniedLookWatch{}, true},
		{"5/1s", safeguarding.DeniedLookWatch{}, true},
	} {
		t.Setenv("HAVEN_DENIED_LOOKS", tc.env)
		got, err := loadConfig().DeniedLookWatch()
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("HAVEN_DENIED_LOOKS=%q: %v, %v; want %v, error %v", tc.env, got, err, tc.want, tc.wantErr)
		}
	}
}

// HAVEN_TRUSTED_PROXIES takes IP addresses and CIDR prefixes; unset trusts
// no proxy; anything else stops the server rather than trusting the wrong
// thing.
func TestTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"10.0.0.1", []string{"10.0.0.1/32"}, false},
		{" 10.0.0.0/8 , 192.168.1.7,fd00::/8,::1 ", []string{"10.0.0.0/8", "192.168.1.7/32", "fd00::/8", "::1/128"}, false},
		{"10.1.2.3/8", []string{"10.0.0.0/8"}, false},
		{"proxy.example", nil, true},
		{"10.0.0.0/33", nil, true},
	} {
		t.Setenv("HAVEN_TRUSTED_PROXIES", tc.env)
		got, err := loadConfig().Proxies()
		if (err != nil) != tc.wantErr {
			t.Errorf("HAVEN_TRUSTED_PROXIES=%q: error %v", tc.env, err)
			continue
		}
		var names []string
		for _, p := range got {
			names = append(names, p.String())
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("HAVEN_TRUSTED_PROXIES=%q: %v, want %v", tc.env, names, tc.want)
		}
	}
}

// HAVEN_BANK_HOLIDAYS names a file that replaces the shipped bank holidays;
// unset keeps them, and a file with a bad line stops start-up naming it.
func TestBankHolidaysFile(t *testing.T) {
	t.Setenv("HAVEN_BANK_HOLIDAYS", "")
	if h, err := loadConfig().Holidays(); h != nil || err != nil {
		t.Errorf("unset: %v, %v; want the shipped holidays (nil) and no error", h, err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	if err := os.WriteFile(good, []byte("# ours\n2027-05-03 Early May bank holiday\n\n2027-06-07 Extra day\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HAVEN_BANK_HOLIDAYS", good)
	h, err := loadConfig().Holidays()
	if err != nil || len(h) != 2 || h[time.Date(2027, 6, 7, 0, 0, 0, 0, time.UTC)] != "Extra day" {
		t.Errorf("good file: %v, %v", h, err)
	}
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("2027-05-03 Early May bank holiday\n3 May 2027 Oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HAVEN_BANK_HOLIDAYS", bad)
	if _, err := loadConfig().Holidays(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad file: %v; want an error naming line 2", err)
	}
	t.Setenv("HAVEN_BANK_HOLIDAYS", filepath.Join(dir, "missing.txt"))
	if _, err := loadConfig().Holidays(); err == nil {
		t.Error("a missing file: no error")
	}
}

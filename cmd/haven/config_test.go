package main

import "testing"

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

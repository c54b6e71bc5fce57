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

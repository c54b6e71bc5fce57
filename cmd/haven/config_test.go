package main

import (
	"slices"
	"testing"
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

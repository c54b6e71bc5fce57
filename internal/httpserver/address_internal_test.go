package httpserver

import (
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"NoHeader", "192.0.2.1:5000", nil, proxies, "192.0.2.1"},
		{"HeaderIgnoredWithNoTrustedProxies", "10.0.0.1:5000", []string{"203.0.113.9"}, nil, "10.0.0.1"},
		{"HeaderIgnoredFromAnUntrustedPeer", "192.0.2.1:5000", []string{"203.0.113.9"}, proxies, "192.0.2.1"},
		{"TrustedProxy", "10.0.0.1:5000", []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"SpoofedEntriesLeftOfTheClientIgnored", "10.0.0.1:5000", []string{"198.51.100.1, 203.0.113.9"}, proxies, "203.0.113.9"},
		{"ChainOfTrustedProxies", "10.0.0.1:5000", []string{"203.0.113.9, 10.0.0.7", "10.0.0.8"}, proxies, "203.0.113.9"},
		{"AllTrusted", "10.0.0.1:5000", []string{"10.0.0.2"}, proxies, "10.0.0.2"},
		{"MalformedEntryStopsAtTheProxy", "10.0.0.1:5000", []string{"203.0.113.9, not-an-ip"}, proxies, "10.0.0.1"},
		{"EmptyHeader", "10.0.0.1:5000", []string{""}, proxies, "10.0.0.1"},
		{"EntryWithPort", "10.0.0.1:5000", []string{"203.0.113.9:4711"}, proxies, "203.0.113.9"},
		{"IPv6", "[fd00::1]:443", []string{"2001:db8::5"}, proxies, "2001:db8::5"},
		{"IPv4MappedPeer", "[::ffff:10.0.0.1]:443", []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"NotAnIPPeer", "@", []string{"203.0.113.9"}, proxies, "@"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := clientIP(c.remote, c.xff, c.trusted); got != c.want {
				t.Errorf("clientIP(%q, %q) = %q, want %q", c.remote, c.xff, got, c.want)
			}
		})
	}
}

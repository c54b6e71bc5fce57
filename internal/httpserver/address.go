package httpserver

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
)

// addressKey is the context key of the client's address.
type addressKey struct{}

// clientAddresses works out once, for each request, the address of the
// client (clientIP), which the audit log records and sign-in throttles on.
func (s *Server) clientAddresses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientIP(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addressKey{}, addr)))
	})
}

// clientAddress is the address of the client making r: the one the audit
// log records and sign-in throttles on.
func clientAddress(r *http.Request) string {
	if addr, ok := r.Context().Value(addressKey{}).(string); ok {
		return addr
	}
	return clientIP(r.RemoteAddr, nil, nil)
}

// clientIP is the address of the client whose request arrived from
// remoteAddr with the X-Forwarded-For headers forwardedFor. Only a proxy in
// trusted is believed: from the connection's end, the addresses proxies
// added are read back until one that is not a trusted proxy, which is the
// client. Anyone can send the header, so with no trusted proxies (or from
// any other peer) it is ignored, and a malformed entry ends the reading at
// the last proxy that was believed.
func clientIP(remoteAddr string, forwardedFor []string, trusted []netip.Prefix) string {
	addr, err := parseHop(remoteAddr)
	if err != nil {
		return remoteAddr // not an IP peer (a Unix socket): nothing to read
	}
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	hops := strings.Split(strings.Join(forwardedFor, ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		next, err := parseHop(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		addr = next
		if !isTrusted(addr, trusted) {
			break
		}
	}
	return addr.String()
}

// parseHop reads an IP address, with or without a port, as a plain address.
func parseHop(s string) (netip.Addr, error) {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, err
		}
		addr = ap.Addr()
	}
	return addr.Unmap().WithZone(""), nil
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

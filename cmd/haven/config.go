package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// Config is everything Haven reads from its environment, read once here.
type Config struct {
	// DatabaseURL is DATABASE_URL, the app's own least-privileged login,
	// and DatabaseOwnerURL is DATABASE_OWNER_URL, the schema's owner, which
	// migrates and verifies. Both empty start a private cluster under
	// DataDir; one without the other is a mistake (Databases).
	DatabaseURL      string
	DatabaseOwnerURL string
	Addr             string // HAVEN_ADDR
	DataDir          string // HAVEN_DATA_DIR
	DemoPassword     string // HAVEN_DEMO_PASSWORD
	CookieSecure     string // HAVEN_COOKIE_SECURE: auto, true or false
	TLSCert          string // HAVEN_TLS_CERT
	TLSKey           string // HAVEN_TLS_KEY
	LogLevel         string // HAVEN_LOG_LEVEL: debug, info, warn, error
	SMTPURL          string // SMTP_URL: smtp://user:pass@host:587 or smtps://…; empty logs alerts instead of sending them
	MailFrom         string // HAVEN_MAIL_FROM
	BaseURL          string // HAVEN_BASE_URL: Haven's address in e-mailed links
	BenchFloor       string // HAVEN_BENCH_FLOOR: true serves the load benchmark's floor route

	PwnedPasswords string // HAVEN_PWNED_PASSWORDS: true also checks new passwords with Pwned Passwords
	DeniedLooks    string // HAVEN_DENIED_LOOKS: how many denied looks at one concern, within how long, raise a notice ("5/24h")
	BankHolidays   string // HAVEN_BANK_HOLIDAYS: a file of bank holidays to count instead of those shipped (docs/working-days.md)
	// TrustedProxies is HAVEN_TRUSTED_PROXIES: the reverse proxies whose
	// X-Forwarded-For is believed, as comma-separated IPs or CIDRs.
	TrustedProxies string
}

// DefaultDemoPassword is printed by `make run`; it is only ever used for the
// fictional demo school.
const DefaultDemoPassword = "haven-demo-password"

func loadConfig() Config {
	return Config{
		DatabaseURL:      os.Getenv("DATABASE_URL"),
		DatabaseOwnerURL: os.Getenv("DATABASE_OWNER_URL"),
		Addr:             envOr("HAVEN_ADDR", "127.0.0.1:8080"),
		DataDir:          envOr("HAVEN_DATA_DIR", ".data"),
		DemoPassword:     envOr("HAVEN_DEMO_PASSWORD", DefaultDemoPassword),
		CookieSecure:     envOr("HAVEN_COOKIE_SECURE", "auto"),
		TLSCert:          os.Getenv("HAVEN_TLS_CERT"),
		TLSKey:           os.Getenv("HAVEN_TLS_KEY"),
		LogLevel:         envOr("HAVEN_LOG_LEVEL", "info"),
		SMTPURL:          os.Getenv("SMTP_URL"),
		MailFrom:         envOr("HAVEN_MAIL_FROM", mail.DefaultFrom),
		BaseURL:          os.Getenv("HAVEN_BASE_URL"),
		BenchFloor:       envOr("HAVEN_BENCH_FLOOR", "false"),

		PwnedPasswords: envOr("HAVEN_PWNED_PASSWORDS", "false"),
		DeniedLooks:    strings.TrimSpace(os.Getenv("HAVEN_DENIED_LOOKS")),
		BankHolidays:   strings.TrimSpace(os.Getenv("HAVEN_BANK_HOLIDAYS")),
		TrustedProxies: os.Getenv("HAVEN_TRUSTED_PROXIES"),
	}
}

// PrivateCluster reports whether Haven runs its own PostgreSQL cluster:
// neither DATABASE_URL nor DATABASE_OWNER_URL is set.
func (c Config) PrivateCluster() bool { return c.DatabaseURL == "" && c.DatabaseOwnerURL == "" }

// CheckDatabases fails when only one of DATABASE_URL and DATABASE_OWNER_URL
// is set: the app must not run its queries as the owner, nor migrate as a
// login that cannot.
func (c Config) CheckDatabases() error {
	switch {
	case c.DatabaseURL != "" && c.DatabaseOwnerURL == "":
		return errors.New("DATABASE_URL is set but DATABASE_OWNER_URL is not: set DATABASE_OWNER_URL to the connection string of the schema's owner, which runs the migrations, and DATABASE_URL to the app's own login (see \"Database logins\" in README.md)")
	case c.DatabaseURL == "" && c.DatabaseOwnerURL != "":
		return errors.New("DATABASE_OWNER_URL is set but DATABASE_URL is not: set DATABASE_URL to the app's own login, which is not the owner (see \"Database logins\" in README.md)")
	case c.DatabaseURL != "" && c.DatabaseURL == c.DatabaseOwnerURL:
		return errors.New("DATABASE_URL and DATABASE_OWNER_URL are the same: the app's login must not be the schema's owner (see \"Database logins\" in README.md)")
	}
	return nil
}

// LinkBase is the start of every link Haven e-mails: HAVEN_BASE_URL, or
// Haven's own address.
func (c Config) LinkBase() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	if c.TLS() {
		return "https://" + c.Addr
	}
	return "http://" + c.Addr
}

func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}
	return def
}

// TLS reports whether Haven terminates TLS itself.
func (c Config) TLS() bool { return c.TLSCert != "" && c.TLSKey != "" }

// SecureCookies decides the session cookie's Secure flag: "auto" turns it
// off only for plain HTTP on a loopback address, i.e. local development.
func (c Config) SecureCookies() (bool, error) {
	switch c.CookieSecure {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "auto":
		if c.TLS() {
			return true, nil
		}
		host, _, err := net.SplitHostPort(c.Addr)
		if err != nil {
			return false, fmt.Errorf("HAVEN_ADDR %q: %w", c.Addr, err)
		}
		if host == "localhost" {
			return false, nil
		}
		ip := net.ParseIP(host)
		return ip == nil || !ip.IsLoopback(), nil
	}
	return false, fmt.Errorf("HAVEN_COOKIE_SECURE must be auto, true or false, not %q", c.CookieSecure)
}

// ServeBenchFloor reports whether to serve GET /bench/floor, the route
// `make bench` measures every page against.
func (c Config) ServeBenchFloor() (bool, error) {
	return trueOrFalse("HAVEN_BENCH_FLOOR", c.BenchFloor)
}

// CheckPwnedPasswords reports whether new passwords are also checked with
// Pwned Passwords, an outside service.
func (c Config) CheckPwnedPasswords() (bool, error) {
	return trueOrFalse("HAVEN_PWNED_PASSWORDS", c.PwnedPasswords)
}

// trueOrFalse reads the setting name, whose value must be true or false.
func trueOrFalse(name, value string) (bool, error) {
	switch value {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s must be true or false, not %q", name, value)
}

// DeniedLookWatch is when one person's denied looks at one concern are
// brought to its case handlers: HAVEN_DENIED_LOOKS as a number of looks and
// a span ("5/24h"), or safeguarding.DefaultDeniedLookWatch when unset.
func (c Config) DeniedLookWatch() (safeguarding.DeniedLookWatch, error) {
	if c.DeniedLooks == "" {
		return safeguarding.DefaultDeniedLookWatch, nil
	}
	times, within, _ := strings.Cut(c.DeniedLooks, "/")
	n, err := strconv.Atoi(strings.TrimSpace(times))
	d, derr := time.ParseDuration(strings.TrimSpace(within))
	if err != nil || derr != nil || n < 1 || d < time.Minute {
		return safeguarding.DeniedLookWatch{}, fmt.Errorf("HAVEN_DENIED_LOOKS must be a number of looks and a span of at least a minute, such as 5/24h, not %q", c.DeniedLooks)
	}
	return safeguarding.DeniedLookWatch{Times: n, Within: d}, nil
}

// Holidays are the bank holidays deadlines skip: the file HAVEN_BANK_HOLIDAYS
// names, or nil (those shipped with Haven) when it is unset. A file that
// does not read stops start-up with the line at fault, so a school's
// replacement cannot silently drop a holiday.
func (c Config) Holidays() (safeguarding.BankHolidays, error) {
	if c.BankHolidays == "" {
		return nil, nil
	}
	f, err := os.Open(c.BankHolidays)
	if err != nil {
		return nil, fmt.Errorf("HAVEN_BANK_HOLIDAYS: %w", err)
	}
	defer f.Close()
	h, err := safeguarding.ReadBankHolidays(f)
	if err != nil {
		return nil, fmt.Errorf("HAVEN_BANK_HOLIDAYS %s: %w", c.BankHolidays, err)
	}
	return h, nil
}

// Proxies parses HAVEN_TRUSTED_PROXIES: comma-separated IP addresses
// (one address each) or CIDR prefixes; empty trusts no proxy.
func (c Config) Proxies() ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for _, s := range strings.Split(c.TrustedProxies, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			prefixes = append(prefixes, p.Masked())
			continue
		}
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("HAVEN_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR prefix such as 10.0.0.0/8", s)
		}
		addr = addr.Unmap().WithZone("")
		prefixes = append(prefixes, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return prefixes, nil
}

// PostgresDir is where the private cluster lives.
func (c Config) PostgresDir() string { return filepath.Join(c.DataDir, "postgres") }

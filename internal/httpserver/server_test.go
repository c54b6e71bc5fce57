package httpserver_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/argon2"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres/pgtest"
)

func TestSignIn(t *testing.T) {
	app := newTestApp(t)

	// Every role signs in and lands on its own home page.
	homes := map[string]string{
		"staff@demo.test":     "Safeguarding",
		"dsl@demo.test":       "Safeguarding",
		"deputy@demo.test":    "Safeguarding",
		"principal@demo.test": "Principal",
		"chair@demo.test":     "Chair of governors",
		"governor@demo.test":  "Governor",
		"admin@demo.test":     "Administration",
	}
	for _, a := range demo.Accounts {
		t.Run("OK/"+string(a.Role), func(t *testing.T) {
			c := app.signIn(t, a.Email)
			res := c.get("/home")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("home: status %d", res.StatusCode)
			}
			if want := `<h1 class="govuk-heading-l">` + homes[a.Email]; !strings.Contains(res.Body, want) {
				t.Errorf("home page of %s lacks %q", a.Email, want)
			}
			if !strings.Contains(res.Body, a.Role.Label()) {
				t.Errorf("home page of %s does not name the role %q", a.Email, a.Role.Label())
			}
		})
	}

	t.Run("WrongPasswordAndUnknownEmailSayTheSame", func(t *testing.T) {
		c := app.newClient(t)
		wrongPassword := c.post("/sign-in", url.Values{"email": {"dsl@demo.test"}, "password": {"not the password"}})
		unknown := c.post("/sign-in", url.Values{"email": {"nobody@demo.test"}, "password": {"not the password"}})
		for _, res := range []response{wrongPassword, unknown} {
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, "Enter a correct e-mail address and password") {
				t.Error("the failure message is missing")
			}
		}
		if !strings.Contains(wrongPassword.Body, `value="dsl@demo.test"`) {
			t.Error("the typed e-mail address was not kept")
		}
		if strings.Contains(wrongPassword.Body, "not the password") {
			t.Error("the password was sent back to the browser")
		}
		if res := c.get("/home"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after a failed sign-in /home answered %d, want a redirect to sign in", res.StatusCode)
		}
	})

	t.Run("EmptyFieldsGetAMessageEach", func(t *testing.T) {
		res := app.newClient(t).post("/sign-in", url.Values{})
		for _, msg := range []string{"Enter your e-mail address", "Enter your password"} {
			if !strings.Contains(res.Body, msg) {
				t.Errorf("missing %q", msg)
			}
		}
		if !strings.Contains(res.Body, "govuk-error-summary") {
			t.Error("no error summary")
		}
	})

	t.Run("Audited", func(t *testing.T) {
		log := app.auditLog(t, app.SchoolID, 500)
		actions := map[string]int{}
		for _, e := range log {
			actions[e.Action]++
		}
		if actions["sign_in"] < len(demo.Accounts) || actions["sign_in_failed"] < 1 {
			t.Errorf("audit log holds %v", actions)
		}
		unknown := app.auditLog(t, 0, 50)
		if len(unknown) == 0 || unknown[0].Action != "sign_in_failed" || unknown[0].Address == "" {
			t.Errorf("the failed sign-in of an unknown address was not audited with its address: %+v", unknown)
		}
	})
}

func TestSignOut(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(t, "dsl@demo.test")
	before := c.http.Jar.Cookies(mustURL(t, app.URL))
	res := c.post("/sign-out", nil)
	location := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(location, "/sign-in") {
		t.Fatalf("sign out: %d to %q", res.StatusCode, location)
	}
	if len(before) == 0 || len(c.http.Jar.Cookies(mustURL(t, app.URL))) != 0 {
		t.Error("the session cookie outlived sign-out")
	}
	if res := c.get("/home"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out /home answered %d", res.StatusCode)
	}
	if res := c.get(location); !strings.Contains(res.Body, "You have been signed out") {
		t.Error("no signed-out notice")
	}
	// The old token is worthless.
	old := app.newClient(t)
	old.http.Jar.SetCookies(mustURL(t, app.URL), before)
	if res := old.get("/home"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the pre-sign-out token still opens /home: %d", res.StatusCode)
	}
}

func TestSessionTokenRenewedAtSignIn(t *testing.T) {
	app := newTestApp(t)
	c := app.newClient(t)
	// A token planted in the browser before sign-in.
	planted := &http.Cookie{Name: httpserver.SessionCookieName(false), Value: "planted-token-planted-token-planted-token-x"}
	c.http.Jar.SetCookies(mustURL(t, app.URL), []*http.Cookie{planted})
	c.post("/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {demoPassword}})
	after := c.http.Jar.Cookies(mustURL(t, app.URL))
	if len(after) == 0 || after[0].Value == planted.Value {
		t.Error("the session token was not renewed at sign-in")
	}
}

// A password hashed with older parameters (one lane, as Haven hashed before
// it used four) still signs in, and is then stored hashed with the
// current ones; the new hash verifies and the old one is gone.
func TestOlderPasswordHashUpgradedAtSignIn(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, app.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	salt := []byte("saltsaltsaltsalt")
	key := argon2.IDKey([]byte(demoPassword), salt, 2, 19456, 1, 32)
	old := "$argon2id$v=19$m=19456,t=2,p=1$" + base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(key)
	if _, err := conn.Exec(ctx, `UPDATE people SET password_hash = $1 WHERE email = 'staff@demo.test'`, old); err != nil {
		t.Fatal(err)
	}
	app.signIn(t, "staff@demo.test")
	var now string
	if err := conn.QueryRow(ctx, `SELECT password_hash FROM people WHERE email = 'staff@demo.test'`).Scan(&now); err != nil {
		t.Fatal(err)
	}
	if now == old || password.NeedsRehash(now) || !password.Verify(demoPassword, now) {
		t.Fatalf("after sign-in the stored hash is %q, want a current hash of the password", now)
	}
	app.signIn(t, "staff@demo.test") // and signs in with it
}

func TestSessionCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		secure bool
		want   []string
	}{
		{true, []string{"__Host-haven_session=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"}},
		{false, []string{"haven_session=", "Path=/", "HttpOnly", "SameSite=Lax"}},
	} {
		app := newTestAppWith(t, httpserver.Config{SecureCookies: tc.secure})
		res := app.newClient(t).post("/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {demoPassword}})
		cookie := res.Header.Get("Set-Cookie")
		for _, w := range tc.want {
			if !strings.Contains(cookie, w) {
				t.Errorf("secure=%v: cookie %q lacks %q", tc.secure, cookie, w)
			}
		}
		if strings.Contains(cookie, "Domain=") || strings.Contains(cookie, "Expires=") {
			t.Errorf("secure=%v: cookie %q must be host-only and end with the browser session", tc.secure, cookie)
		}
		if !tc.secure && strings.Contains(cookie, "Secure") {
			t.Errorf("plain-HTTP development cookie is marked Secure: %q", cookie)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := newTestAppWith(t, httpserver.Config{TLS: true})
	signedIn := app.signIn(t, "dsl@demo.test")
	for _, path := range []string{"/sign-in", "/home", "/no-such-page", "/static/haven.css"} {
		res := signedIn.get(path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, w := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, w) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, w)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: X-Content-Type-Options %q, Referrer-Policy %q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
		if !strings.Contains(h.Get("Strict-Transport-Security"), "max-age=63072000") {
			t.Errorf("%s: HSTS %q", path, h.Get("Strict-Transport-Security"))
		}
		if path != "/static/haven.css" && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
		}
	}
	// No HSTS over plain HTTP.
	plain := newTestApp(t)
	if res := plain.newClient(t).get("/sign-in"); res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	app := newTestApp(t)
	c := app.newClient(t)
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, app.URL+"/sign-in",
			strings.NewReader(url.Values{"email": {"staff@demo.test"}, "password": {demoPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res := c.do(req)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%v: status %d, want 403", h, res.StatusCode)
		}
		if !strings.Contains(res.Body, "This request was refused") {
			t.Errorf("%v: the 403 page is not Haven's", h)
		}
		if len(c.http.Jar.Cookies(mustURL(t, app.URL))) != 0 {
			t.Errorf("%v: a cross-origin sign-in created a session", h)
		}
	}
}

func TestErrorPages(t *testing.T) {
	app := newTestApp(t)
	res := app.newClient(t).get("/no-such-page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Page not found") || !strings.Contains(res.Body, "/static/haven.css") {
		t.Errorf("404: status %d, Haven's page: %v", res.StatusCode, strings.Contains(res.Body, "Page not found"))
	}
	res = app.newClient(t).get("/home")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Fhome" {
		t.Errorf("signed-out /home: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestHealthAndReadiness(t *testing.T) {
	app := newTestApp(t)
	c := app.newClient(t)
	if res := c.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
	if res := c.get("/readyz"); res.StatusCode != http.StatusOK {
		t.Errorf("/readyz with the database up: %d", res.StatusCode)
	}
	// The database goes away.
	u := mustParseDSN(t, app.ConnStr)
	if err := adminExec(t, "DROP DATABASE "+pgx.Identifier{u}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database gone: %d, want 503", res.StatusCode)
	}
	if res := c.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the database gone: %d, want 200 (the process is up)", res.StatusCode)
	}
}

// The load benchmark's floor route is served only when configured, and only
// to a signed-in person, as every page is.
func TestBenchFloor(t *testing.T) {
	if res := newTestApp(t).signIn(t, "dsl@demo.test").get("/bench/floor"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/bench/floor without BenchFloor: %d, want 404", res.StatusCode)
	}
	app := newTestAppWith(t, httpserver.Config{BenchFloor: true})
	if res := app.newClient(t).get("/bench/floor"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Fbench%2Ffloor" {
		t.Errorf("signed-out /bench/floor: %d to %q, want 303 to /sign-in", res.StatusCode, res.Header.Get("Location"))
	}
	c := app.signIn(t, "dsl@demo.test")
	res := c.get("/bench/floor")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Open the concerns queue") {
		t.Errorf("signed-in /bench/floor: %d, want 200 with the DSL's home page", res.StatusCode)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/bench/floor Cache-Control %q: it must pass the pages' middleware", res.Header.Get("Cache-Control"))
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mustParseDSN returns the database name of a connection string.
func mustParseDSN(t *testing.T, conn string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Database
}

func adminExec(t *testing.T, sql string) error {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.AdminConnString(t, "postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// Pages are rendered into buffers kept between requests (render.go): each
// page must be sent whole, with its length, and carry nothing of the page
// rendered before it, for another person, in the same buffer.
func TestPagesCarryNothingOfEarlierPages(t *testing.T) {
	app := newTestApp(t)
	dsl := app.signIn(t, "dsl@demo.test")
	governor := app.signIn(t, "governor@demo.test")
	for range 3 {
		form := dsl.get("/concerns/new") // a large page
		home := governor.get("/home")    // a small one, likely in the same buffer
		for _, res := range []response{form, home} {
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(res.Body)) {
				t.Errorf("Content-Length %q for a body of %d bytes", got, len(res.Body))
			}
			if n := strings.Count(strings.ToLower(res.Body), "<!doctype html>"); n != 1 {
				t.Errorf("%d documents in one response", n)
			}
		}
		if !strings.Contains(form.Body, `name="what-happened"`) {
			t.Fatal("the concern form lacks its account field")
		}
		if strings.Contains(home.Body, "what-happened") {
			t.Error("the governor's home page carries part of the DSL's concern form")
		}
	}
}

func TestSignInReturnsWhereTheyWereGoing(t *testing.T) {
	app := newTestApp(t)
	c := app.newClient(t)
	res := c.get("/my-concerns?page=2")
	_, res = signInFrom(t, c, res.Header.Get("Location"), "staff@demo.test")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/my-concerns?page=2" {
		t.Errorf("sign in: status %d to %q, want /my-concerns?page=2", res.StatusCode, res.Header.Get("Location"))
	}

	t.Run("NeverElsewhere", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)"} {
			res := app.newClient(t).post("/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {demoPassword}, "next": {next}})
			if res.Header.Get("Location") != "/home" {
				t.Errorf("next=%q: signed in to %q, want /home", next, res.Header.Get("Location"))
			}
		}
	})
}

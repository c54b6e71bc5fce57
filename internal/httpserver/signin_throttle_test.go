package httpserver_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/safeguarding"
)

// Messages of the sign-in page.
const (
	wrongPasswordMessage = "Enter a correct e-mail address and password"
	lockedMessage        = "This account is locked"
)

// newProxiedApp is Haven behind a reverse proxy it trusts, so that a test
// can sign in from any address by saying it in X-Forwarded-For.
func newProxiedApp(t *testing.T) *concernFixture {
	t.Helper()
	return newFixtureOn(t, newTestAppWith(t, httpserver.Config{EmailAlerts: true,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}}))
}

// newFixtureOn is app with the owner's connection to its database.
func newFixtureOn(t *testing.T, app *testApp) *concernFixture {
	t.Helper()
	owner, err := pgx.Connect(t.Context(), app.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	return &concernFixture{app: app, owner: owner}
}

// postFrom posts a form as a browser at addr would, through the proxy.
func (c *client) postFrom(addr, path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", addr)
	return c.do(req)
}

// trySignIn posts the sign-in form from addr with a new browser and, if
// it asks for the code of the person's second factor, the right code.
func (f *concernFixture) trySignIn(t *testing.T, addr, email, password string) response {
	t.Helper()
	c := f.app.newClient(t)
	res := c.postFrom(addr, "/sign-in", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/sign-in/code" {
		res = c.postFrom(addr, "/sign-in/code", url.Values{"code": {f.app.code(t, email)}})
	}
	return res
}

// expectSignIn fails unless the attempt got the page with message (422),
// or, with message "", signed in.
func (f *concernFixture) expectSignIn(t *testing.T, what string, res response, message string) {
	t.Helper()
	if message == "" {
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d, want a signed-in redirect; page says %q", what, res.StatusCode, errorSummary(res.Body))
		}
		return
	}
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, message) {
		t.Fatalf("%s: status %d, page says %q; want 422 with %q", what, res.StatusCode, errorSummary(res.Body), message)
	}
	if !strings.Contains(res.Body, "govuk-error-summary") || !strings.Contains(res.Body, `href="#email"`) {
		t.Fatalf("%s: the message is not in an error summary linked to the e-mail field", what)
	}
}

// errorSummary is the text of a page's error summary, for failure messages.
func errorSummary(body string) string {
	i := strings.Index(body, "govuk-error-summary__list")
	if i < 0 {
		return ""
	}
	end := min(len(body), i+400)
	return body[i:end]
}

// age moves every failed sign-in d into the past, as if d had passed.
func (f *concernFixture) age(t *testing.T, d time.Duration) {
	t.Helper()
	if _, err := f.owner.Exec(t.Context(), `UPDATE sign_in_failures SET failed_at = failed_at - $1::interval`, d); err != nil {
		t.Fatal(err)
	}
}

// An attacker's wrong passwords from their address do not stop the DSL
// signing in from theirs: today five of them lock the account for everyone.
func TestSignInAttackerCannotLockOutTheDSL(t *testing.T) {
	f := newProxiedApp(t)
	for i := range 6 {
		res := f.trySignIn(t, "203.0.113.9", "dsl@demo.test", "attacker guess "+string(rune('a'+i)))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: status %d", i+1, res.StatusCode)
		}
	}
	f.expectSignIn(t, "the DSL from their own address", f.trySignIn(t, "198.51.100.7", "dsl@demo.test", demoPassword), "")
	// The attacker is slowed: even the right password is not tried yet.
	f.expectSignIn(t, "the attacker's address", f.trySignIn(t, "203.0.113.9", "dsl@demo.test", demoPassword), "Wait ")
}

// Each wrong password for an account from one address makes the next
// attempt from there wait longer; the wait is a refusal with a message,
// not a held connection; a success there forgives that address's failures.
func TestSignInDelaysGrow(t *testing.T) {
	f := newProxiedApp(t)
	const addr = "203.0.113.20"
	wrong := func(what, message string) {
		t.Helper()
		f.expectSignIn(t, what, f.trySignIn(t, addr, "staff@demo.test", "not the password"), message)
	}
	for i := range 3 {
		wrong("typo "+string(rune('1'+i)), wrongPasswordMessage)
	}
	start := time.Now()
	wrong("after three", "Wait 5 seconds")
	if time.Since(start) > 2*time.Second {
		t.Errorf("a refused attempt took %v: it must not wait out the delay", time.Since(start))
	}
	f.expectSignIn(t, "the right password too soon", f.trySignIn(t, addr, "staff@demo.test", demoPassword), "Wait 5 seconds")
	for _, step := range []struct {
		wait time.Duration
		next string
	}{{5 * time.Second, "Wait 10 seconds"}, {10 * time.Second, "Wait 20 seconds"}, {20 * time.Second, "Wait 40 seconds"}} {
		f.age(t, step.wait)
		wrong("after waiting "+step.wait.String(), wrongPasswordMessage)
		wrong("straight after", step.next)
	}
	f.age(t, 40*time.Second)
	f.expectSignIn(t, "the right password after the wait", f.trySignIn(t, addr, "staff@demo.test", demoPassword), "")
	wrong("a typo after signing in", wrongPasswordMessage)

	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'sign_in_refused_throttled' AND address = $1 AND detail = 'staff@demo.test'`, addr); n != 5 {
		t.Errorf("%d throttled attempts audited, want 5", n)
	}
}

// Many wrong passwords from one address, across accounts (known or not),
// slow that address for every account, and only that address.
func TestSignInThrottlesAnAddressAcrossAccounts(t *testing.T) {
	f := newProxiedApp(t)
	const addr = "203.0.113.30"
	emails := []string{"staff@demo.test", "dsl@demo.test", "deputy@demo.test", "principal@demo.test", "chair@demo.test", "governor@demo.test",
		"admin@demo.test", "nobody1@demo.test", "nobody2@demo.test", "nobody3@demo.test", "nobody4@demo.test"}
	for _, email := range emails {
		f.expectSignIn(t, email, f.trySignIn(t, addr, email, "password spray 1"), wrongPasswordMessage)
	}
	f.expectSignIn(t, "a fresh account from the spraying address", f.trySignIn(t, addr, "staff01@demo.test", demoPassword), "Wait 5 seconds")
	f.expectSignIn(t, "the same account from elsewhere", f.trySignIn(t, "198.51.100.30", "staff01@demo.test", demoPassword), "")
}

// Staff behind one school address sign in at the same moment: each attempt
// is pending while its password is checked, and pending attempts slow no
// one. Settled failures do.
func TestSignInPendingAttemptsSlowNoOne(t *testing.T) {
	f := newProxiedApp(t)
	const school = "203.0.113.40"
	pending := func(email string, n int) {
		t.Helper()
		for range n {
			if _, err := f.owner.Exec(t.Context(), `INSERT INTO sign_in_failures (email, address, settled) VALUES ($1, $2, false)`, email, school); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Twelve colleagues' attempts in flight, and two more of the DSL's own
	// (a double click).
	for i := range 12 {
		pending(fmt.Sprintf("staff%02d@demo.test", i+1), 1)
	}
	pending("dsl@demo.test", 2)
	f.expectSignIn(t, "the DSL among colleagues signing in at once", f.trySignIn(t, school, "dsl@demo.test", demoPassword), "")
	// The same attempts settled as wrong passwords slow the address.
	if _, err := f.owner.Exec(t.Context(), `UPDATE sign_in_failures SET settled = true WHERE address = $1`, school); err != nil {
		t.Fatal(err)
	}
	f.expectSignIn(t, "after a dozen wrong passwords from the address", f.trySignIn(t, school, "deputy@demo.test", demoPassword), "Wait ")
	var settled, left int
	if err := f.owner.QueryRow(t.Context(), `SELECT count(*) FILTER (WHERE settled), count(*) FILTER (WHERE NOT settled) FROM sign_in_failures
		WHERE email = 'staff@demo.test' OR email = 'deputy@demo.test'`).Scan(&settled, &left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d attempts left pending", left)
	}
	f.expectSignIn(t, "a wrong password elsewhere", f.trySignIn(t, "198.51.100.40", "staff@demo.test", "not the password"), wrongPasswordMessage)
	var n int
	if err := f.owner.QueryRow(t.Context(), `SELECT count(*) FROM sign_in_failures WHERE email = 'staff@demo.test' AND address = '198.51.100.40' AND settled`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("a wrong password left %d settled failures, want 1", n)
	}
}

// No more than 10 guesses at one account in 5 minutes, however many
// addresses they come from (NIST SP 800-63B, Cyber Essentials); the owner
// still signs in from an address they have signed in from before.
func TestSignInGuessLimitPerAccount(t *testing.T) {
	f := newProxiedApp(t)
	const home = "198.51.100.7"
	f.expectSignIn(t, "the DSL at school", f.trySignIn(t, home, "dsl@demo.test", demoPassword), "")
	for i := range safeguarding.GuessLimit {
		addr := netip.AddrFrom4([4]byte{203, 0, 113, byte(100 + i)}).String()
		f.expectSignIn(t, "guess from "+addr, f.trySignIn(t, addr, "dsl@demo.test", "botnet guess"), wrongPasswordMessage)
	}
	f.expectSignIn(t, "an eleventh guess", f.trySignIn(t, "203.0.113.200", "dsl@demo.test", "botnet guess"), "Wait 5 minutes")
	f.expectSignIn(t, "the DSL at school", f.trySignIn(t, home, "dsl@demo.test", demoPassword), "")
	f.age(t, safeguarding.GuessWindow)
	f.expectSignIn(t, "a new address after 5 minutes", f.trySignIn(t, "198.51.100.99", "dsl@demo.test", demoPassword), "")
}

// Only far more failures lock an account, the lock holds for the right
// password from anywhere, and the e-mailed link lifts it: GET asks, POST
// unlocks, once, and only while the link is in date.
func TestSignInHardLockAndUnlockLink(t *testing.T) {
	f := newProxiedApp(t)
	ctx := t.Context()
	const home = "198.51.100.7"
	dsl := f.viewer(t, "dsl@demo.test")
	f.expectSignIn(t, "the DSL at school", f.trySignIn(t, home, "dsl@demo.test", demoPassword), "")

	// 98 guesses spread over many addresses and the last day: the lock
	// comes at the 100th (far more than anyone mistypes; no more than
	// NIST SP 800-63B allows).
	if _, err := f.owner.Exec(ctx, `INSERT INTO sign_in_failures (email, address, failed_at)
		SELECT 'dsl@demo.test', '203.0.113.' || i, clock_timestamp() - interval '30 minutes' - i * interval '5 minutes'
		FROM generate_series(1, 98) i`); err != nil {
		t.Fatal(err)
	}
	f.expectSignIn(t, "one failure short of the lock", f.trySignIn(t, "192.0.2.1", "dsl@demo.test", "guess"), wrongPasswordMessage)
	f.expectSignIn(t, "the DSL before the lock", f.trySignIn(t, home, "dsl@demo.test", demoPassword), "")
	f.expectSignIn(t, "the failure that locks", f.trySignIn(t, "192.0.2.2", "dsl@demo.test", "guess"), lockedMessage)
	f.expectSignIn(t, "the DSL while locked", f.trySignIn(t, home, "dsl@demo.test", demoPassword), lockedMessage)
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account_locked' AND actor_id = $1 AND address = '192.0.2.2'`, dsl.PersonID); n != 1 {
		t.Fatalf("%d account_locked audit lines, want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'sign_in_refused_locked' AND actor_id = $1 AND address = $2`, dsl.PersonID, home); n != 1 {
		t.Errorf("%d refused sign-ins audited, want 1", n)
	}

	// The job that e-mails the link makes it (internal/jobs sends it).
	email, token, err := f.app.DB.IssueUnlockLink(ctx, dsl.SchoolID, dsl.PersonID)
	if err != nil || email != "dsl@demo.test" || len(token) < 20 {
		t.Fatalf("unlock link for %q, token %q: %v", email, token, err)
	}
	sum := sha256.Sum256([]byte(token))
	if n := f.count(t, `SELECT count(*) FROM account_unlock_tokens WHERE token_hash = $1`, sum[:]); n != 1 {
		t.Fatal("the token's hash is not what is stored")
	}
	if n := f.count(t, `SELECT count(*) FROM account_unlock_tokens WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0`, token); n != 0 {
		t.Fatal("the token itself is stored")
	}

	c := f.app.newClient(t)
	res := c.get("/unlock/" + token)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Unlock my account") {
		t.Fatalf("GET the link: status %d, no unlock button", res.StatusCode)
	}
	checkStrictCSP(t, res.Body)
	f.expectSignIn(t, "after opening the link without pressing the button", f.trySignIn(t, home, "dsl@demo.test", demoPassword), lockedMessage)
	res = c.postFrom(home, "/unlock/"+token, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?notice=unlocked" {
		t.Fatalf("POST the link: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get(res.Header.Get("Location")); !strings.Contains(res.Body, "Your account is unlocked") {
		t.Error("no unlocked notice on the sign-in page")
	}
	f.expectSignIn(t, "the DSL after unlocking", f.trySignIn(t, "192.0.2.3", "dsl@demo.test", demoPassword), "")
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account_unlocked' AND actor_id = $1 AND address = $2 AND detail = 'by the e-mailed link'`, dsl.PersonID, home); n != 1 {
		t.Errorf("%d account_unlocked audit lines, want 1", n)
	}

	// Used once only.
	for _, res := range []response{c.get("/unlock/" + token), c.post("/unlock/"+token, nil)} {
		if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "This link does not work") {
			t.Errorf("a used link: status %d", res.StatusCode)
		}
	}
	// In date only.
	if _, err := f.owner.Exec(ctx, `UPDATE people SET locked_at = now() WHERE id = $1`, dsl.PersonID); err != nil {
		t.Fatal(err)
	}
	_, old, err := f.app.DB.IssueUnlockLink(ctx, dsl.SchoolID, dsl.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.owner.Exec(ctx, `UPDATE account_unlock_tokens SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if res := c.post("/unlock/"+old, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("an expired link: status %d", res.StatusCode)
	}
	f.expectSignIn(t, "after an expired link", f.trySignIn(t, home, "dsl@demo.test", demoPassword), lockedMessage)
	if res := c.get("/unlock/not-a-token"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a made-up link: status %d", res.StatusCode)
	}
}

// An e-mail address of any length gets a message beside the field, never a
// 500: today about 400,000 characters break the failures table's index.
func TestSignInEmailOfAnyLength(t *testing.T) {
	f := newProxiedApp(t)
	const tooLong = "Email address must be 254 characters or fewer"
	for _, n := range []int{255, 3000, 400_000} {
		email := strings.Repeat("a", n-len("@demo.test")) + "@demo.test"
		f.expectSignIn(t, "an e-mail address of "+strconv.Itoa(n)+" characters", f.trySignIn(t, "203.0.113.40", email, "password"), tooLong)
	}
	longest := strings.Repeat("a", 254-len("@demo.test")) + "@demo.test"
	f.expectSignIn(t, "an e-mail address of 254 characters", f.trySignIn(t, "203.0.113.40", longest, "password"), wrongPasswordMessage)
	if n := f.count(t, `SELECT count(*) FROM sign_in_failures WHERE length(email) > 254`); n != 0 {
		t.Errorf("%d failures stored with longer e-mail addresses", n)
	}
	// The store refuses one too, whoever calls it.
	if _, err := f.app.DB.SignIn(t.Context(), strings.Repeat("b", 300), "password", "203.0.113.41"); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("the store's answer to a 300-character e-mail: %v", err)
	}
}

// The audit log, and the throttles, take X-Forwarded-For only from a proxy
// Haven was told to trust.
func TestClientAddressFromTrustedProxyOnly(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		want    string
	}{
		{"NoProxyTrusted", nil, "127.0.0.1"},
		{"AnotherProxyTrusted", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "127.0.0.1"},
		{"ThisProxyTrusted", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "203.0.113.50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestAppWith(t, httpserver.Config{TrustedProxies: tc.trusted})
			f := newFixtureOn(t, app)
			c := app.newClient(t)
			c.postFrom("198.51.100.1, 203.0.113.50", "/sign-in", url.Values{"email": {"nobody@demo.test"}, "password": {"wrong"}})
			c.postFrom("198.51.100.1, 203.0.113.50", "/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {demoPassword}})
			c.postFrom("198.51.100.1, 203.0.113.50", "/sign-out", nil)
			for _, action := range []string{"sign_in_failed", "sign_in", "sign_out"} {
				var addr string
				if err := f.owner.QueryRow(t.Context(), `SELECT address FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`, action).Scan(&addr); err != nil {
					t.Fatalf("%s: %v", action, err)
				}
				if addr != tc.want {
					t.Errorf("%s audited from %q, want %q", action, addr, tc.want)
				}
			}
			if n := f.count(t, `SELECT count(*) FROM sign_in_failures WHERE address = $1`, tc.want); n != 1 {
				t.Errorf("%d failures kept for %s, want 1", n, tc.want)
			}
		})
	}
}

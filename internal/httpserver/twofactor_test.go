package httpserver_test

import (
	"bytes"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// unenrol takes away a person's second factor, as an administrator's
// reset would, for tests of those who have none.
func (f *concernFixture) unenrol(t *testing.T, email string) {
	t.Helper()
	if _, err := f.owner.Exec(t.Context(), `WITH p AS (UPDATE people SET second_factor_at = NULL WHERE email = $1 RETURNING school_id, id)
		DELETE FROM second_factors s USING p WHERE s.school_id = p.school_id AND s.person_id = p.id`, email); err != nil {
		t.Fatal(err)
	}
}

// signInPasswordOnly signs in as a person with no second factor.
func (f *concernFixture) signInPasswordOnly(t *testing.T, email string) *client {
	t.Helper()
	c := f.app.newClient(t)
	if res := c.post("/sign-in", url.Values{"email": {email}, "password": {demoPassword}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/home" {
		t.Fatalf("sign in as %s: status %d to %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

var secretShown = regexp.MustCompile(`<code id="secret">([A-Z2-7 ]+)</code>`)

// enrolThroughPages sets up two-factor sign-in as the person signed in to
// c would, with the secret the page shows, and returns the secret and the
// recovery codes.
func enrolThroughPages(t *testing.T, c *client) (secret string, recovery []string) {
	t.Helper()
	page := c.get("/account/two-factor")
	m := secretShown.FindStringSubmatch(page.Body)
	if page.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("enrolment page: status %d, no secret shown", page.StatusCode)
	}
	secret = strings.ReplaceAll(m[1], " ", "")
	code, err := twofactor.Code(secret, twofactor.Step(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	res := c.post("/account/two-factor", url.Values{"code": {code}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Save your recovery codes") {
		t.Fatalf("confirming the code: status %d", res.StatusCode)
	}
	for _, m := range regexp.MustCompile(`<li><code>([a-z2-7-]+)</code></li>`).FindAllStringSubmatch(res.Body, -1) {
		recovery = append(recovery, m[1])
	}
	return secret, recovery
}

// Everyone whose role needs a second factor reaches no page but
// enrolment until they have one; staff and governors are not made to.
func TestForcedEnrolment(t *testing.T) {
	f := newConcernFixture(t)
	pages := []string{"/", "/home", "/queue", "/concerns/new", "/my-concerns", "/concerns/1", "/concerns/1/move",
		"/pupils/1", "/settings/contacts", "/settings/outbox"}
	for _, a := range demo.Accounts {
		t.Run(string(a.Role), func(t *testing.T) {
			f.unenrol(t, a.Email)
			c := f.signInPasswordOnly(t, a.Email)
			if !(safeguarding.Roles{a.Role}).NeedSecondFactor() {
				home := c.get("/home")
				if home.StatusCode != http.StatusOK || !strings.Contains(home.Body, `href="/account/two-factor"`) {
					t.Errorf("%s: home status %d, or no link to set up two-factor sign-in", a.Role, home.StatusCode)
				}
				if res := c.get("/account/two-factor"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Your role lets you see sensitive") {
					t.Errorf("%s: enrolment page status %d, or says it is required", a.Role, res.StatusCode)
				}
				return
			}
			for _, p := range pages {
				if p == "/" {
					continue // to /home, which is below
				}
				res := c.get(p)
				if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/two-factor" {
					t.Errorf("GET %s: status %d to %q, want 303 to enrolment", p, res.StatusCode, res.Header.Get("Location"))
				}
			}
			for _, p := range []string{"/concerns", "/concerns/1/entries", "/settings/contacts", "/people/1/second-factor/reset"} {
				res := c.post(p, url.Values{"author": {"1"}})
				if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/two-factor" {
					t.Errorf("POST %s: status %d to %q, want 303 to enrolment", p, res.StatusCode, res.Header.Get("Location"))
				}
			}
			page := c.get("/account/two-factor")
			if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Your role lets you see sensitive") {
				t.Fatalf("enrolment page: status %d, or does not say it is required", page.StatusCode)
			}
			if strings.Contains(page.Body, `href="/queue"`) || strings.Contains(page.Body, `govuk-service-navigation__list`) {
				t.Error("the enrolment page shows a menu of pages they cannot open")
			}
			if !strings.Contains(page.Body, "Sign out") {
				t.Error("the enrolment page offers no way to sign out")
			}
		})
	}
}

// Enrolment: a QR code drawn by Haven and the secret as text; a wrong
// code enables nothing; a right one does, once, and shows ten recovery
// codes that are stored only as hashes.
func TestEnrolment(t *testing.T) {
	f := newConcernFixture(t)
	f.unenrol(t, "dsl@demo.test")
	c := f.signInPasswordOnly(t, "dsl@demo.test")

	page := c.get("/account/two-factor")
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if strings.Count(page.Body, "<script") != 1 || !strings.Contains(page.Body, `<script type="module" src="/static/app.js"></script>`) {
		t.Error("the enrolment page has a script other than app.js")
	}
	if !strings.Contains(page.Body, `<img src="/account/two-factor/qr.png"`) {
		t.Fatal("the enrolment page has no QR code from Haven itself")
	}
	m := secretShown.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("the secret is not shown as text")
	}
	for _, g := range strings.Fields(m[1]) {
		if len(g) > 4 {
			t.Errorf("the secret %q is not grouped in fours", m[1])
		}
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if again := secretShown.FindStringSubmatch(c.get("/account/two-factor").Body); again == nil || again[1] != m[1] {
		t.Error("reloading the page changed the secret")
	}

	qr := c.get("/account/two-factor/qr.png")
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("QR code: status %d, type %q, cache %q", qr.StatusCode, qr.Header.Get("Content-Type"), qr.Header.Get("Cache-Control"))
	}
	if img, err := png.Decode(bytes.NewReader([]byte(qr.Body))); err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("QR code is not a PNG of at least 200 px: %v", err)
	}
	if res := f.app.newClient(t).get("/account/two-factor/qr.png"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("QR code without signing in: status %d", res.StatusCode)
	}

	for _, bad := range []string{"", "12345", "abcdef", wrongCode(t, secret)} {
		res := c.post("/account/two-factor", url.Values{"code": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#code"`) || !strings.Contains(res.Body, m[1]) {
			t.Errorf("code %q: status %d, or no error linked to the field, or the secret is not shown again", bad, res.StatusCode)
		}
	}
	if f.count(t, `SELECT count(*) FROM people WHERE email = 'dsl@demo.test' AND second_factor_at IS NOT NULL`) != 0 {
		t.Fatal("a wrong code turned two-factor sign-in on")
	}
	if res := c.get("/home"); res.StatusCode != http.StatusSeeOther {
		t.Fatal("the DSL reached home before enrolling")
	}

	code, _ := twofactor.Code(secret, twofactor.Step(time.Now()))
	res := c.post("/account/two-factor", url.Values{"code": {code[:3] + " " + code[3:]}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "I have saved these codes") {
		t.Fatalf("the right code: status %d", res.StatusCode)
	}
	codes := regexp.MustCompile(`<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>`).FindAllStringSubmatch(res.Body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	if n := f.count(t, `SELECT count(*) FROM recovery_codes r JOIN people p ON p.id = r.person_id WHERE p.email = 'dsl@demo.test' AND r.code_hash = $1`,
		twofactor.HashRecoveryCode(codes[0][1])); n != 1 {
		t.Error("the recovery code's hash is not stored")
	}
	if n := f.count(t, `SELECT count(*) FROM recovery_codes WHERE position(convert_to($1, 'UTF8') IN code_hash) > 0`, codes[0][1]); n != 0 {
		t.Error("a recovery code itself is stored")
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'second_factor_enrolled'`); n != 1 {
		t.Errorf("%d enrolments audited, want 1", n)
	}
	if res := c.get("/home"); res.StatusCode != http.StatusOK {
		t.Fatalf("home after enrolling: status %d", res.StatusCode)
	}

	// Never shown again.
	after := c.get("/account/two-factor")
	if after.StatusCode != http.StatusOK || strings.Contains(after.Body, m[1]) || !strings.Contains(after.Body, "10 of 10") {
		t.Error("the account page shows the secret after enrolment, or not the recovery codes left")
	}
	if res := c.get("/account/two-factor/qr.png"); res.StatusCode != http.StatusNotFound {
		t.Errorf("QR code after enrolment: status %d, want 404", res.StatusCode)
	}
	if res := c.post("/account/two-factor", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther || strings.Contains(res.Body, codes[0][1]) {
		t.Error("confirming again showed recovery codes")
	}

	// The code that confirmed enrolment does not sign in.
	c2 := f.app.newClient(t)
	c2.post("/sign-in", url.Values{"email": {"dsl@demo.test"}, "password": {demoPassword}})
	if res := c2.post("/sign-in/code", url.Values{"code": {code}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the enrolment's code signed in again: status %d", res.StatusCode)
	}
}

// addPerson adds a person with the demo password to a school.
func (f *concernFixture) addPerson(t *testing.T, schoolID int64, email string, roles ...safeguarding.Role) {
	t.Helper()
	hash, err := password.Hash(demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.DB.CreatePerson(t.Context(), postgres.PersonInput{SchoolID: schoolID, Email: email, FullName: "Avery Other",
		PasswordHash: hash, Roles: roles}); err != nil {
		t.Fatal(err)
	}
}

// wrongCode is a 6-digit code that is not secret's now, nor either side.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", 123456+i)
		if _, ok := twofactor.Match(secret, c, time.Now(), 0); !ok {
			return c
		}
	}
}

// At sign-in the code is asked after the password, on its own page: the
// password alone signs no one in, is not audited as a sign-in, and a code
// works once.
func TestSignInCode(t *testing.T) {
	f := newConcernFixture(t)
	dsl := f.viewer(t, "dsl@demo.test")
	c := f.app.newClient(t)
	res := c.post("/sign-in", url.Values{"email": {"dsl@demo.test"}, "password": {demoPassword}, "next": {"/queue"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in/code" {
		t.Fatalf("password: status %d to %q, want the code's page", res.StatusCode, res.Header.Get("Location"))
	}
	for _, p := range []string{"/home", "/queue", "/account/two-factor"} {
		if res := c.get(p); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
			t.Errorf("GET %s with only the password: status %d to %q", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND actor_id = $1`, dsl.PersonID); n != 0 {
		t.Error("a sign-in was audited before the code")
	}
	if n := f.count(t, `SELECT count(*) FROM people WHERE id = $1 AND last_sign_in_at IS NOT NULL`, dsl.PersonID); n != 0 {
		t.Error("the password alone counted as the last sign-in")
	}
	page := c.get("/sign-in/code")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `autocomplete="one-time-code"`) || !strings.Contains(page.Body, `href="/sign-in/recovery-code"`) {
		t.Fatalf("code page: status %d, or no code field, or no way to a recovery code", page.StatusCode)
	}
	if res := c.post("/sign-in/code", url.Values{"code": {""}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#code"`) {
		t.Errorf("no code: status %d", res.StatusCode)
	}
	if res := c.post("/sign-in/code", url.Values{"code": {wrongCode(t, twofactortest.Secret)}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Enter the 6-digit code your authenticator app shows now") {
		t.Errorf("a wrong code: status %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'second_factor_failed' AND actor_id = $1`, dsl.PersonID); n != 1 {
		t.Errorf("%d wrong codes audited, want 1", n)
	}
	code := f.app.code(t, "dsl@demo.test")
	res = c.post("/sign-in/code", url.Values{"code": {code}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/queue" {
		t.Fatalf("the right code: status %d to %q, want where they were going", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/queue"); res.StatusCode != http.StatusOK {
		t.Fatalf("queue after the code: status %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND actor_id = $1`, dsl.PersonID); n != 1 {
		t.Errorf("%d sign-ins audited, want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM people WHERE id = $1 AND last_sign_in_at > now() - interval '1 minute'`, dsl.PersonID); n != 1 {
		t.Error("the sign-in is not the person's last")
	}
	if n := f.count(t, `SELECT count(*) FROM sign_in_failures WHERE email = 'dsl@demo.test'`); n != 0 {
		t.Errorf("the sign-in left %d failures from its address", n)
	}

	// The same code again, by anyone, is refused.
	again := f.app.newClient(t)
	again.post("/sign-in", url.Values{"email": {"dsl@demo.test"}, "password": {demoPassword}})
	if res := again.post("/sign-in/code", url.Values{"code": {code}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a used code: status %d, want 422", res.StatusCode)
	}
	if res := again.get("/home"); res.StatusCode != http.StatusSeeOther {
		t.Error("a used code signed in")
	}
}

// Wrong codes count toward the lock-out exactly as wrong passwords do, and
// a right password does not wipe them out.
func TestSignInCodeLockOut(t *testing.T) {
	f := newConcernFixture(t)
	dsl := f.viewer(t, "dsl@demo.test")
	if _, err := f.owner.Exec(t.Context(), `INSERT INTO sign_in_failures (email, address, failed_at)
		SELECT 'dsl@demo.test', '203.0.113.' || i, clock_timestamp() - interval '30 minutes' - i * interval '5 minutes'
		FROM generate_series(1, $1::int) i`, safeguarding.HardLockFailures-2); err != nil {
		t.Fatal(err)
	}
	c := f.app.newClient(t)
	c.post("/sign-in", url.Values{"email": {"dsl@demo.test"}, "password": {demoPassword}})
	if n := f.count(t, `SELECT count(*) FROM sign_in_failures WHERE email = 'dsl@demo.test'`); n != safeguarding.HardLockFailures-2 {
		t.Fatalf("after the right password, %d failures, want %d kept", n, safeguarding.HardLockFailures-2)
	}
	wrong := wrongCode(t, twofactortest.Secret)
	if res := c.post("/sign-in/code", url.Values{"code": {wrong}}); res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.Body, "locked") {
		t.Fatalf("one failure short of the lock: status %d", res.StatusCode)
	}
	res := c.post("/sign-in/code", url.Values{"code": {wrong}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This account is locked") {
		t.Fatalf("the failure that locks: status %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM people WHERE id = $1 AND locked_at IS NOT NULL`, dsl.PersonID); n != 1 {
		t.Fatal("the account is not locked")
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account_locked' AND actor_id = $1`, dsl.PersonID); n != 1 {
		t.Errorf("%d locks audited, want 1", n)
	}
	// Locked, even the right code does not sign in.
	if res := c.post("/sign-in/code", url.Values{"code": {f.app.code(t, "dsl@demo.test")}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the right code at a locked account: status %d", res.StatusCode)
	}
}

// A recovery code signs in once, in place of the app's code.
func TestRecoveryCode(t *testing.T) {
	f := newConcernFixture(t)
	f.unenrol(t, "governor@demo.test") // optional for a governor; they choose it
	_, codes := enrolThroughPages(t, f.signInPasswordOnly(t, "governor@demo.test"))
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes", len(codes))
	}
	gov := f.viewer(t, "governor@demo.test")
	signInWith := func(code string) response {
		c := f.app.newClient(t)
		if res := c.post("/sign-in", url.Values{"email": {"governor@demo.test"}, "password": {demoPassword}}); res.Header.Get("Location") != "/sign-in/code" {
			t.Fatalf("a governor with two-factor sign-in was not asked for a code: %q", res.Header.Get("Location"))
		}
		if page := c.get("/sign-in/recovery-code"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Enter a recovery code") {
			t.Fatalf("recovery code page: status %d", page.StatusCode)
		}
		return c.post("/sign-in/recovery-code", url.Values{"code": {code}})
	}
	if res := signInWith(strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/home" {
		t.Fatalf("a recovery code, typed in capitals with spaces: status %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'recovery_code_used' AND actor_id = $1`, gov.PersonID); n != 1 {
		t.Errorf("%d recovery codes audited as used, want 1", n)
	}
	res := signInWith(codes[3])
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not used before") {
		t.Fatalf("a used recovery code: status %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'recovery_code_failed' AND actor_id = $1`, gov.PersonID); n != 1 {
		t.Errorf("%d failed recovery codes audited, want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM sign_in_failures WHERE email = 'governor@demo.test' AND settled`); n != 1 {
		t.Errorf("the used recovery code left %d failures, want 1", n)
	}
	if res := signInWith(codes[4]); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another recovery code: status %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL`, gov.PersonID); n != 8 {
		t.Errorf("%d recovery codes left, want 8", n)
	}
}

// An administrator resets a person's second factor (audited); the person
// signs in with their password and must enrol again. Nobody else may, and
// not across schools.
func TestResetSecondFactor(t *testing.T) {
	f := newConcernFixture(t)
	dsl := f.viewer(t, "dsl@demo.test")
	path := fmt.Sprintf("/people/%d/second-factor/reset", dsl.PersonID)
	enrolled := func() bool {
		return f.count(t, `SELECT count(*) FROM people WHERE id = $1 AND second_factor_at IS NOT NULL`, dsl.PersonID) == 1
	}

	for _, email := range []string{"staff@demo.test", "deputy@demo.test", "principal@demo.test", "chair@demo.test", "governor@demo.test", "dsl@demo.test"} {
		if res := f.app.signIn(t, email).post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s resetting the DSL: status %d, want 404", email, res.StatusCode)
		}
	}
	if !enrolled() {
		t.Fatal("someone other than the administrator reset the DSL's second factor")
	}

	// Another school's administrator.
	ctx := t.Context()
	other, err := f.app.DB.CreateSchool(ctx, "Other Academy")
	if err != nil {
		t.Fatal(err)
	}
	f.addPerson(t, other, "admin@other.test", safeguarding.RoleAdmin)
	if err := twofactortest.Enrol(ctx, f.owner, "admin@other.test"); err != nil {
		t.Fatal(err)
	}
	if res := f.app.signIn(t, "admin@other.test").post(path, nil); res.StatusCode != http.StatusNotFound || !enrolled() {
		t.Fatalf("another school's administrator: status %d", res.StatusCode)
	}

	admin := f.app.signIn(t, "admin@demo.test")
	for _, p := range []string{"/people/0/second-factor/reset", "/people/999999/second-factor/reset", "/people/x/second-factor/reset"} {
		if res := admin.post(p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", p, res.StatusCode)
		}
	}
	res := admin.post(path, nil)
	if want := fmt.Sprintf("/people/%d?done=second-factor-reset", dsl.PersonID); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("reset: status %d to %q, want %q", res.StatusCode, res.Header.Get("Location"), want)
	}
	// The person's page says so, and its history keeps it.
	if got := admin.get(res.Header.Get("Location")); !strings.Contains(got.Body, "Two-factor sign-in reset. They have been signed out") ||
		!strings.Contains(got.Body, "Two-factor sign-in reset</") {
		t.Errorf("the person's page after the reset does not say so:\n%s", got.Body)
	}
	if enrolled() || f.count(t, `SELECT count(*) FROM second_factors WHERE person_id = $1`, dsl.PersonID) != 0 {
		t.Fatal("the DSL still has a second factor")
	}
	adminV := f.viewer(t, "admin@demo.test")
	log := f.app.auditLog(t, f.app.SchoolID, 1)
	if want := (safeguarding.AuditEvent{SchoolID: f.app.SchoolID, ActorID: adminV.PersonID, Action: "second_factor_reset",
		Object: fmt.Sprintf("person:%d", dsl.PersonID), Address: "127.0.0.1"}); len(log) != 1 || log[0] != want {
		t.Errorf("audit log %+v, want %+v", log, want)
	}

	// The DSL signs in with the password alone, and must enrol again.
	c := f.signInPasswordOnly(t, "dsl@demo.test")
	if res := c.get("/queue"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/two-factor" {
		t.Errorf("the reset DSL reached the queue: status %d", res.StatusCode)
	}
	enrolThroughPages(t, c)
	if res := c.get("/queue"); res.StatusCode != http.StatusOK {
		t.Errorf("the DSL enrolled again: queue status %d", res.StatusCode)
	}
}

// A privileged person without a second factor who posts a concern (their
// factor was reset as they wrote it) is sent to enrolment, and what they
// wrote is kept as their draft.
func TestForcedEnrolmentKeepsAConcern(t *testing.T) {
	f := newConcernFixture(t)
	c := f.app.signIn(t, "dsl@demo.test")
	form := openForm(t, c)
	form.Set("what-happened", "Written as the factor was reset")
	f.unenrol(t, "dsl@demo.test")
	res := c.post("/concerns", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/two-factor" {
		t.Fatalf("status %d to %q, want enrolment", res.StatusCode, res.Header.Get("Location"))
	}
	enrolThroughPages(t, c)
	if page := c.get("/concerns/new"); !strings.Contains(page.Body, "You started a concern on ") {
		t.Error("the concern form does not offer the draft kept")
	}
	if page := c.get("/concerns/new?draft=continue"); !strings.Contains(html.UnescapeString(page.Body), "Written as the factor was reset") {
		t.Error("the concern written as the factor was reset was lost")
	}
}

// The code must come within 10 minutes of the password; after that the
// browser is sent to sign in again.
func TestSignInCodeTooLate(t *testing.T) {
	f := newConcernFixture(t)
	c := f.app.newClient(t)
	c.post("/sign-in", url.Values{"email": {"dsl@demo.test"}, "password": {demoPassword}})
	if _, err := f.owner.Exec(t.Context(), `UPDATE sessions SET data = convert_to(regexp_replace(convert_from(data, 'UTF8'),
		'"pending_since":\{"i":[0-9]+\}', '"pending_since":{"i":' || extract(epoch FROM now() - interval '11 minutes')::bigint || '}'), 'UTF8')`); err != nil {
		t.Fatal(err)
	}
	res := c.post("/sign-in/code", url.Values{"code": {f.app.code(t, "dsl@demo.test")}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?notice=code-too-late" {
		t.Fatalf("a code 11 minutes after the password: status %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/home"); res.StatusCode != http.StatusSeeOther {
		t.Error("signed in with a code that came too late")
	}
	if page := c.get("/sign-in?notice=code-too-late"); !strings.Contains(page.Body, "You took too long") {
		t.Error("the sign-in page does not say why")
	}
}

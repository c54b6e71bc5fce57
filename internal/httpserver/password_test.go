package httpserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const newPassword = "a kettle of fish at dawn"

// expectSignedIn fails unless c, asking for the home page, gets it.
func (c *client) expectSignedIn(what string) {
	c.t.Helper()
	if res := c.get("/home"); res.StatusCode != http.StatusOK {
		c.t.Errorf("%s: the home page answers %d (to %s), want it shown", what, res.StatusCode, res.Header.Get("Location"))
	}
}

// expectSignedOut fails unless c, asking for the home page, is sent to
// sign in.
func (c *client) expectSignedOut(what string) {
	c.t.Helper()
	res := c.get("/home")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		c.t.Errorf("%s: the home page answers %d (to %q), want the sign-in page", what, res.StatusCode, res.Header.Get("Location"))
	}
}

// sessionCookie is the value of c's session cookie.
func (c *client) sessionCookie() string {
	c.t.Helper()
	for _, k := range c.http.Jar.Cookies(mustURL(c.t, c.app.URL)) {
		if k.Name == "haven_session" {
			return k.Value
		}
	}
	return ""
}

func changeForm(current, next, confirm string) url.Values {
	return url.Values{"current-password": {current}, "new-password": {next}, "confirm-password": {confirm}}
}

// Changing the password ends every other session of the person at its
// next request; the browser it was changed in stays signed in, under a
// new token.
func TestChangePasswordEndsOtherSessions(t *testing.T) {
	f := newFixtureOn(t, newTestApp(t))
	a, b := f.app.signIn(t, "staff@demo.test"), f.app.signIn(t, "staff@demo.test")
	other := f.app.signIn(t, "dsl@demo.test")
	before := a.sessionCookie()

	res := a.post("/account/password", changeForm(demoPassword, newPassword, newPassword))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("change: status %d to %q; page says %q", res.StatusCode, res.Header.Get("Location"), errorSummary(res.Body))
	}
	if a.sessionCookie() == before {
		t.Error("the session kept its token across the change")
	}
	a.expectSignedIn("the browser that changed it")
	if page := a.get("/account"); !strings.Contains(page.Body, "Your password has been changed") {
		t.Error("the account page does not say the password changed")
	}
	b.expectSignedOut("another browser of the same person")
	b.expectSignedOut("that browser again")
	other.expectSignedIn("another person")
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'password_changed'`); n != 1 {
		t.Errorf("%d password changes audited, want 1", n)
	}

	fresh := f.app.newClient(t)
	if res := fresh.post("/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {newPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in with the new password: status %d", res.StatusCode)
	}
	fresh.expectSignedIn("a sign-in with the new password")
}

// What the change-password form says of each mistake, next to its field,
// never showing a password typed; a wrong current password is a failed
// sign-in.
func TestChangePasswordValidation(t *testing.T) {
	f := newFixtureOn(t, newTestApp(t))
	c := f.app.signIn(t, "staff@demo.test")
	for _, tc := range []struct {
		name          string
		form          url.Values
		field, wanted string
	}{
		{"ErrNothing", changeForm("", "", ""), "current-password", "Enter your current password"},
		{"ErrNoNewPassword", changeForm(demoPassword, "", ""), "new-password", "Enter a new password"},
		{"ErrTooShort", changeForm(demoPassword, "short pw 1", "short pw 1"), "new-password", "Password must be 12 characters or more"},
		{"ErrCommon", changeForm(demoPassword, "Password1234", "Password1234"), "new-password", "This password is in a list of passwords stolen in data breaches"},
		{"ErrNotConfirmed", changeForm(demoPassword, newPassword, ""), "confirm-password", "Confirm your new password"},
		{"ErrMismatch", changeForm(demoPassword, newPassword, newPassword+"!"), "confirm-password", "The passwords do not match"},
		{"ErrSameAsBefore", changeForm(demoPassword, demoPassword, demoPassword), "new-password", "different from your current one"},
		{"ErrWrongCurrentPassword", changeForm("not the password", newPassword, newPassword), "current-password", "Your current password is not correct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post("/account/password", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.wanted) {
				t.Fatalf("status %d, page says %q; want 422 with %q", res.StatusCode, errorSummary(res.Body), tc.wanted)
			}
			if !strings.Contains(res.Body, `href="#`+tc.field+`"`) || !strings.Contains(res.Body, `id="`+tc.field+`-error"`) {
				t.Errorf("the message is not in the error summary and beside %s", tc.field)
			}
			for _, typed := range tc.form {
				if typed[0] != "" && strings.Contains(res.Body, typed[0]) {
					t.Errorf("the page shows a password typed, %q", typed[0])
				}
			}
		})
	}
	if n := f.count(t, `SELECT count(*) FROM sign_in_failures WHERE email = 'staff@demo.test' AND settled`); n != 1 {
		t.Errorf("%d failed sign-ins recorded, want the wrong current password's", n)
	}
	c.expectSignedIn("after the refused changes")
	if _, err := f.app.DB.SignIn(t.Context(), "staff@demo.test", demoPassword, "192.0.2.1"); err != nil {
		t.Errorf("the password changed anyway: %v", err)
	}
}

// The change-password page, and the account page that leads to it, are
// for the signed-in only.
func TestAccountPagesNeedSignIn(t *testing.T) {
	app := newTestApp(t)
	c := app.newClient(t)
	for _, path := range []string{"/account", "/account/password"} {
		res := c.get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
			t.Errorf("%s signed out: status %d to %q", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	staff := app.signIn(t, "staff@demo.test")
	page := staff.get("/account")
	for _, want := range []string{"Sam Teacher", "staff@demo.test", "Change your password", `href="/account/password"`, `href="/account/two-factor"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the account page lacks %q", want)
		}
	}
	if home := staff.get("/home"); !strings.Contains(home.Body, `href="/account"`) {
		t.Error("the header does not link to the account page")
	}
}

// resetToken asks for a reset link for email as a signed-out browser and
// returns the token the e-mail's job would send.
func (f *concernFixture) resetToken(t *testing.T, email string) string {
	t.Helper()
	if res := f.app.newClient(t).post("/password/forgotten", url.Values{"email": {email}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask for a reset link: status %d", res.StatusCode)
	}
	var schoolID, personID, resetID int64
	if err := f.owner.QueryRow(t.Context(), `SELECT (args->>'school_id')::bigint, (args->>'person_id')::bigint, (args->>'reset_id')::bigint
		FROM river_job WHERE kind = 'password_reset_link' ORDER BY id DESC LIMIT 1`).Scan(&schoolID, &personID, &resetID); err != nil {
		t.Fatalf("the reset e-mail's job: %v", err)
	}
	_, token, err := f.app.DB.IssuePasswordResetLink(t.Context(), schoolID, personID, resetID)
	if err != nil || token == "" {
		t.Fatalf("issue the link: %q, %v", token, err)
	}
	return token
}

// Resetting the password ends every session of the person, the one that
// reset it included; they then sign in with the new password.
func TestResetPasswordEndsAllSessions(t *testing.T) {
	f := newFixtureOn(t, newTestApp(t))
	a := f.app.signIn(t, "staff@demo.test")
	token := f.resetToken(t, "staff@demo.test")
	b := f.app.signIn(t, "staff@demo.test")

	if res := b.get("/password/reset/" + token); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Choose a new password") {
		t.Fatalf("the link: status %d", res.StatusCode)
	}
	res := b.post("/password/reset/"+token, url.Values{"new-password": {newPassword}, "confirm-password": {"something else entirely"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "The passwords do not match") {
		t.Fatalf("mismatched: status %d, page says %q", res.StatusCode, errorSummary(res.Body))
	}
	if strings.Contains(res.Body, newPassword) {
		t.Error("the page shows the password typed")
	}
	res = b.post("/password/reset/"+token, url.Values{"new-password": {newPassword}, "confirm-password": {newPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?notice=password-reset" {
		t.Fatalf("reset: status %d to %q, page says %q", res.StatusCode, res.Header.Get("Location"), errorSummary(res.Body))
	}
	a.expectSignedOut("a browser signed in before the reset")
	b.expectSignedOut("the browser that reset it")
	if page := b.get("/sign-in?notice=password-reset"); !strings.Contains(page.Body, "Your password has been changed") {
		t.Error("the sign-in page does not say the password changed")
	}
	if res := b.post("/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {newPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: status %d", res.StatusCode)
	}
	b.expectSignedIn("signed in with the new password")

	for _, used := range []string{"/password/reset/" + token, "/password/reset/not-a-token"} {
		res := b.get(used)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "This link does not work") || !strings.Contains(res.Body, `href="/password/forgotten"`) {
			t.Errorf("%s: status %d; want 404 with a link to ask again", used, res.StatusCode)
		}
		res = b.post(used, url.Values{"new-password": {"yet another kettle"}, "confirm-password": {"yet another kettle"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s posted: status %d, want 404", used, res.StatusCode)
		}
	}
}

// The answer to "Forgotten your password?" is the same, word for word,
// whether the address has an account, has none, or is a leaver's.
func TestForgottenPasswordSameAnswer(t *testing.T) {
	f := newFixtureOn(t, newTestApp(t))
	if _, err := f.owner.Exec(t.Context(), `UPDATE people SET active = false WHERE email = 'governor@demo.test'`); err != nil {
		t.Fatal(err)
	}
	var first response
	for i, email := range []string{"staff@demo.test", "nobody@demo.test", "governor@demo.test"} {
		c := f.app.newClient(t)
		res := c.post("/password/forgotten", url.Values{"email": {email}})
		page := c.get(res.Header.Get("Location"))
		answer := response{StatusCode: res.StatusCode, Header: http.Header{"Location": {res.Header.Get("Location")}}, Body: res.Body + page.Body}
		if i == 0 {
			first = answer
			if res.StatusCode != http.StatusSeeOther || page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "If the address has a Haven account") {
				t.Fatalf("%s: status %d then %d", email, res.StatusCode, page.StatusCode)
			}
			continue
		}
		if answer.StatusCode != first.StatusCode || answer.Header.Get("Location") != first.Header.Get("Location") || answer.Body != first.Body {
			t.Errorf("%s is answered differently from an address with an account", email)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'password_reset_link'`); n != 1 {
		t.Errorf("%d reset e-mails queued, want the one for the account", n)
	}

	c := f.app.newClient(t)
	res := c.post("/password/forgotten", url.Values{"email": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter your e-mail address") {
		t.Errorf("no address: status %d, page says %q", res.StatusCode, errorSummary(res.Body))
	}
	res = c.post("/password/forgotten", url.Values{"email": {"staff.demo.test"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="staff.demo.test"`) {
		t.Errorf("an address without @: status %d, the address typed is not kept", res.StatusCode)
	}
	if page := c.get("/sign-in"); !strings.Contains(page.Body, `href="/password/forgotten"`) || !strings.Contains(page.Body, "Forgotten your password?") {
		t.Error("the sign-in page does not link to the forgotten password page")
	}
}

// A session signed in before the person's sessions were ended is over,
// and so is one from before Haven kept when a session was signed in
// (which counts as the epoch); until sessions_since is set, such a session
// carries on.
func TestSessionsSinceEndsOlderSessions(t *testing.T) {
	f := newFixtureOn(t, newTestApp(t))
	old := f.app.signIn(t, "staff@demo.test")
	// As a session written before signed_in_at was kept.
	if _, err := f.owner.Exec(t.Context(), `UPDATE sessions SET data = convert_to((convert_from(data, 'UTF8')::jsonb #- '{values,signed_in_at}')::text, 'UTF8')`); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM sessions WHERE convert_from(data, 'UTF8') LIKE '%signed_in_at%'`); n != 0 {
		t.Fatalf("%d sessions still say when they were signed in", n)
	}
	old.expectSignedIn("a session without signed_in_at, sessions never ended")
	current := f.app.signIn(t, "staff@demo.test")
	if _, err := f.owner.Exec(t.Context(), `UPDATE people SET sessions_since = clock_timestamp() - interval '1 second' WHERE email = 'staff@demo.test'`); err != nil {
		t.Fatal(err)
	}
	old.expectSignedOut("a session without signed_in_at, sessions ended since")
	current.expectSignedIn("a session signed in before sessions_since was set, but after the time it names")
	if _, err := f.owner.Exec(t.Context(), `UPDATE people SET sessions_since = clock_timestamp() WHERE email = 'staff@demo.test'`); err != nil {
		t.Fatal(err)
	}
	current.expectSignedOut("a session signed in before sessions_since")
	if n := f.count(t, `SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("%d ended sessions still stored", n)
	}
}

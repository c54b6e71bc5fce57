package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/twofactor"
)

// TestNewSchoolJourney is the walk-through a school's administrator makes
// with `make run`: signed in for the first time, they must set up
// two-factor sign-in before anything else; then they invite the school's
// new DSL, whose invitation waits in the Outbox. The DSL follows its link,
// sets a password, is made to set up two-factor sign-in in turn, signs in
// again with a code, and reaches the queue.
func TestNewSchoolJourney(t *testing.T) {
	a := newApp(t)
	owner := a.owner(t)
	a.unenrol(t, "admin@demo.test")
	b := newTab(t, a)
	signInWithPassword := func(email, password string) {
		t.Helper()
		b.visit("/sign-in")
		b.fillByLabel("Email address", email)
		b.fillByLabel("Password", password)
		b.clickButton("Sign in")
	}

	signInWithPassword("admin@demo.test", demoPassword)
	b.enrolTwoFactor()
	b.clickLink("Manage people")
	b.clickLink("Invite a person")
	b.fillByLabel("E-mail address", "dara.lead@demo.test")
	b.fillByLabel("Full name", "Dara Lead")
	b.checkByLabel("Designated Safeguarding Lead")
	b.clickButton("Send invitation")
	if !strings.Contains(b.bodyText(), "Invitation sent.") {
		t.Fatal("no banner saying the invitation was sent")
	}

	a.workInvitations(t)
	b.visit("/home")
	b.clickLink("Open the outbox")
	b.openDetails("Read the e-mail")
	link := regexp.MustCompile(regexp.QuoteMeta(a.URL) + `(/invitation/[A-Za-z0-9]+)`).FindStringSubmatch(b.text("(//details)[1]"))
	if link == nil || !strings.Contains(b.bodyText(), "To dara.lead@demo.test") {
		t.Fatal("no invitation to dara.lead@demo.test in the outbox")
	}
	b.signOut()

	const password = "lanterns over the weir"
	b.visit(link[1])
	b.fillByLabel("Password", password)
	b.fillByLabel("Confirm password", password)
	b.clickButton("Set password")
	b.fillByLabel("Email address", "dara.lead@demo.test")
	b.fillByLabel("Password", password)
	b.clickButton("Sign in")
	if got := b.path(); got != "/account/two-factor" {
		t.Fatalf("the new DSL's first sign-in led to %s, want enrolment", got)
	}
	b.visit("/queue")
	if got := b.path(); got != "/account/two-factor" {
		t.Fatalf("the queue before enrolling led to %s", got)
	}
	secret := b.enrolTwoFactor()
	b.signOut()

	// Signing in again asks for a code; the one used to enrol is spent.
	signInWithPassword("dara.lead@demo.test", password)
	if got := b.path(); got != "/sign-in/code" {
		t.Fatalf("signing in again led to %s, want the code's page", got)
	}
	var last int64
	if err := owner.QueryRow(t.Context(), `SELECT f.last_step FROM second_factors f JOIN people p ON p.school_id = f.school_id AND p.id = f.person_id
		WHERE p.email = 'dara.lead@demo.test'`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	code, err := twofactor.Code(secret, max(twofactor.Step(time.Now()), last+1))
	if err != nil {
		t.Fatal(err)
	}
	b.fillByLabel("Enter the code from your authenticator app", code)
	b.clickButton("Continue")
	b.visit("/queue")
	if got := b.path(); got != "/queue" {
		t.Fatalf("the DSL, signed in with a code, reached %s, not the queue", got)
	}
}

// enrolTwoFactor sets up two-factor sign-in on the enrolment page the tab
// is on, reading the secret as a person would type it into their app, and
// returns the secret once the recovery codes have been saved.
func (b *tab) enrolTwoFactor() string {
	b.t.Helper()
	if got := b.path(); got != "/account/two-factor" {
		b.fatalf("at %s, not the enrolment page", got)
	}
	secret := strings.ReplaceAll(b.text("//code[@id='secret']"), " ", "")
	code, err := twofactor.Code(secret, twofactor.Step(time.Now()))
	if err != nil {
		b.fatalf("code: %v", err)
	}
	b.fillByLabel("Code from your authenticator app", code)
	b.clickButton("Turn on two-factor sign-in")
	if got := len(b.texts("//ul[@id='recovery-codes']/li")); got != 10 {
		b.fatalf("%d recovery codes shown, want 10", got)
	}
	b.clickLink("I have saved these codes")
	if got := b.path(); got != "/home" {
		b.fatalf("after saving the codes: %s, want home", got)
	}
	return secret
}

// unenrol takes away email's second factor, which the harness gives every
// privileged demo person, so that they meet enrolment as on a first
// sign-in.
func (a *app) unenrol(t *testing.T, email string) {
	t.Helper()
	if _, err := a.owner(t).Exec(t.Context(), `WITH p AS (UPDATE people SET second_factor_at = NULL WHERE email = $1 RETURNING school_id, id)
		DELETE FROM second_factors s USING p WHERE s.school_id = p.school_id AND s.person_id = p.id`, email); err != nil {
		t.Fatal(err)
	}
}

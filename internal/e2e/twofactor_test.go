package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/twofactor"
)

// TestTwoFactorJourney: the administrator, who must have a second factor,
// signs in for the first time and can do nothing but set one up: they scan
// (here: read) the secret, mistype a code, then turn two-factor sign-in on
// from the keyboard and see their recovery codes once. Next time they sign
// in with a recovery code, and then with a code from their app.
func TestTwoFactorJourney(t *testing.T) {
	a := newApp(t)
	owner := a.owner(t)
	a.unenrol(t, "admin@demo.test")
	b := newTab(t, a)
	signInWithPassword := func() {
		t.Helper()
		b.visit("/sign-in")
		b.fillByLabel("Email address", "admin@demo.test")
		b.fillByLabel("Password", demoPassword)
		b.clickButton("Sign in")
	}

	signInWithPassword()
	if got := b.path(); got != "/account/two-factor" {
		t.Fatalf("the administrator's first sign-in led to %s, want enrolment", got)
	}
	if got := b.heading(); got != "Set up two-factor sign-in" {
		t.Errorf("heading %q", got)
	}
	if !eval[bool](b, "see the QR code", `(() => { const i = document.querySelector('img[src="/account/two-factor/qr.png"]'); return i !== null && i.complete && i.naturalWidth >= 200 })()`) {
		t.Error("the QR code did not load")
	}
	b.visit("/queue")
	if got := b.path(); got != "/account/two-factor" {
		t.Errorf("the queue before enrolling led to %s", got)
	}
	secret := strings.ReplaceAll(b.text("//code[@id='secret']"), " ", "")
	if len(secret) != 32 {
		t.Fatalf("secret shown: %q", secret)
	}

	// A mistyped code: the message is by the field and the secret stays.
	b.fillByLabel("Code from your authenticator app", "12345")
	if res := b.clickButton("Turn on two-factor sign-in"); res.Status != 422 {
		t.Errorf("a mistyped code: status %d, want 422", res.Status)
	}
	if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); !strings.HasPrefix(got, "Enter the 6-digit code") {
		t.Errorf("error summary says %q", got)
	}
	if got := strings.ReplaceAll(b.text("//code[@id='secret']"), " ", ""); got != secret {
		t.Error("the secret changed after a mistyped code")
	}

	// By keyboard alone.
	code, err := twofactor.Code(secret, twofactor.Step(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	b.tabToLabel("Code from your authenticator app")
	b.press(code)
	b.tabToButton("Turn on two-factor sign-in")
	b.pressEnterAndWait()
	if got := b.heading(); got != "Save your recovery codes" {
		t.Fatalf("after the right code: heading %q", got)
	}
	codes := b.texts("//ul[@id='recovery-codes']/li")
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	b.tabTo("the link \"I have saved these codes\"", func(_, text string) bool { return text == "I have saved these codes" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/home" {
		t.Fatalf("after saving the codes: %s, want home", got)
	}
	b.signOut()

	// Next time: the password, then a recovery code.
	signInWithPassword()
	if got := b.path(); got != "/sign-in/code" {
		t.Fatalf("signing in again led to %s, want the code's page", got)
	}
	b.clickLink("I cannot use my authenticator app: use a recovery code")
	b.fillByLabel("Enter a recovery code", codes[0])
	b.clickButton("Continue")
	if got := b.path(); got != "/home" {
		t.Fatalf("a recovery code led to %s, want home", got)
	}
	b.signOut()

	// And with the app: a code of a step after the enrolment's, which is
	// used up.
	signInWithPassword()
	var last int64
	if err := owner.QueryRow(t.Context(), `SELECT f.last_step FROM second_factors f JOIN people p ON p.school_id = f.school_id AND p.id = f.person_id
		WHERE p.email = 'admin@demo.test'`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	next, err := twofactor.Code(secret, max(twofactor.Step(time.Now()), last+1))
	if err != nil {
		t.Fatal(err)
	}
	// A wrong code first: the message is by the field.
	b.fillByLabel("Enter the code from your authenticator app", "000000")
	if next == "000000" {
		b.fillByLabel("Enter the code from your authenticator app", "999999")
	}
	if res := b.clickButton("Continue"); res.Status != 422 {
		t.Errorf("a wrong code: status %d, want 422", res.Status)
	}
	if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); got != "Enter the 6-digit code your authenticator app shows now" {
		t.Errorf("error summary says %q", got)
	}
	b.tabToLabel("Enter the code from your authenticator app")
	b.press(next)
	b.tabToButton("Continue")
	b.pressEnterAndWait()
	if got := b.path(); got != "/home" {
		t.Fatalf("a code from the app led to %s, want home", got)
	}

	// The account page: on, and how many recovery codes are left.
	b.clickLink("See your two-factor sign-in")
	if got := b.heading(); got != "Two-factor sign-in" {
		t.Errorf("account page heading %q", got)
	}
	if body := b.bodyText(); !strings.Contains(body, "9 of 10") || strings.Contains(body, secret[:4]+" ") {
		t.Error("the account page does not say 9 recovery codes are left, or shows the key")
	}
}

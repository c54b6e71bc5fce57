package e2e

import (
	"strings"
	"testing"
)

// TestUnlockJourney: the DSL, whose account too many wrong passwords have
// locked, is told so at sign-in, opens the e-mailed link on a phone,
// unlocks the account from the keyboard and signs in; the link then no
// longer works.
func TestUnlockJourney(t *testing.T) {
	a := newApp(t)
	owner := a.owner(t)
	var schoolID, personID int64
	if err := owner.QueryRow(t.Context(), `UPDATE people SET locked_at = now() WHERE email = 'dsl@demo.test' RETURNING school_id, id`).
		Scan(&schoolID, &personID); err != nil {
		t.Fatal(err)
	}
	_, token, err := a.DB.IssueUnlockLink(t.Context(), schoolID, personID)
	if err != nil || token == "" {
		t.Fatalf("unlock link: %q, %v", token, err)
	}

	b := newTab(t, a)
	b.phoneWidth()
	b.visit("/sign-in")
	b.fillByLabel("Email address", "dsl@demo.test")
	b.fillByLabel("Password", demoPassword)
	if res := b.clickButton("Sign in"); res.Status != 422 {
		t.Errorf("signing in to a locked account: status %d, want 422", res.Status)
	}
	if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); !strings.HasPrefix(got, "This account is locked") {
		t.Errorf("error summary says %q", got)
	}
	b.noSidewaysScroll()

	if res := b.visit("/unlock/" + token); res.Status != 200 {
		t.Fatalf("the link: status %d", res.Status)
	}
	if got := b.heading(); got != "Unlock your account" {
		t.Errorf("heading %q", got)
	}
	b.noSidewaysScroll()
	b.tabToButton("Unlock my account")
	b.pressEnterAndWait()
	if got := b.path(); got != "/sign-in?notice=unlocked" {
		t.Fatalf("unlocking led to %s, want the sign-in page", got)
	}
	if !strings.Contains(b.bodyText(), "Your account is unlocked") {
		t.Error("no notice that the account is unlocked")
	}
	b.signIn("dsl@demo.test")

	if res := b.visit("/unlock/" + token); res.Status != 404 {
		t.Errorf("the used link: status %d, want 404", res.Status)
	}
	if got := b.heading(); got != "This link does not work" {
		t.Errorf("heading %q", got)
	}
	b.noSidewaysScroll()
}

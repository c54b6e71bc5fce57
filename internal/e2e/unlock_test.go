package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
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

// phoneWidth makes the tab's window as narrow as a phone's, 390 CSS pixels.
func (b *tab) phoneWidth() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride,
		emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		b.fatalf("narrow the window: %v", err)
	}
}

// noSidewaysScroll fails the test if the page is wider than the window.
func (b *tab) noSidewaysScroll() {
	b.t.Helper()
	if eval[bool](b, "measure the page", `document.documentElement.scrollWidth > document.documentElement.clientWidth`) {
		b.t.Errorf("%s scrolls sideways at %d CSS pixels", b.path(), eval[int](b, "measure the window", `document.documentElement.clientWidth`))
	}
}

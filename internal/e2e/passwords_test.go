package e2e

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/jobs/jobstest"
	"github.com/havenapp/haven/internal/mail"
)

const newPassword = "a kettle of fish at dawn"

// TestForgottenPasswordJourney: a member of staff who has forgotten their
// password, on a phone, asks for a link from the sign-in page; the e-mail
// (kept in the outbox, with no mail server set up) holds the link, which
// sets a new password from the keyboard (passwords that differ are told
// apart, and not shown again); they sign in with it; the link
// then no longer works and says how to ask again.
func TestForgottenPasswordJourney(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.phoneWidth()
	b.visit("/sign-in")
	b.clickLink("Forgotten your password?")
	if got := b.heading(); got != "Reset your password" {
		t.Fatalf("heading %q", got)
	}
	if res := b.clickButton("Send the link"); res.Status != 422 {
		t.Errorf("no address: status %d, want 422", res.Status)
	}
	if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); got != "Enter your e-mail address" {
		t.Errorf("error summary says %q", got)
	}
	b.fillByLabel("Email address", "staff@demo.test")
	b.clickButton("Send the link")
	if got := b.path(); got != "/password/forgotten/sent" {
		t.Fatalf("asking led to %s", got)
	}
	if got := b.heading(); got != "Check your e-mail" {
		t.Errorf("heading %q", got)
	}

	link := a.resetLinkFromOutbox(t, "staff@demo.test")
	if res := b.visit(link); res.Status != 200 {
		t.Fatalf("the link: status %d", res.Status)
	}
	if got := b.heading(); got != "Choose a new password" {
		t.Errorf("heading %q", got)
	}
	b.fillByLabel("New password", newPassword)
	b.fillByLabel("Confirm new password", "a kettle of fish at dusk")
	if res := b.clickButton("Set the new password"); res.Status != 422 {
		t.Errorf("passwords that differ: status %d, want 422", res.Status)
	}
	if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); !strings.HasPrefix(got, "The passwords do not match") {
		t.Errorf("error summary says %q", got)
	}
	if got := b.valueByLabel("New password"); got != "" {
		t.Errorf("the new password is shown again: %q", got)
	}
	b.tabToLabel("New password")
	b.press(newPassword)
	b.tabToLabel("Confirm new password")
	b.press(newPassword)
	b.tabToButton("Set the new password")
	b.pressEnterAndWait()
	if got := b.path(); got != "/sign-in?notice=password-reset" {
		t.Fatalf("setting the password led to %s", got)
	}
	if !strings.Contains(b.bodyText(), "Your password has been changed") {
		t.Error("no notice that the password changed")
	}
	b.fillByLabel("Email address", "staff@demo.test")
	b.fillByLabel("Password", newPassword)
	if b.clickButton("Sign in"); b.path() != "/home" {
		t.Fatalf("signing in with the new password led to %s", b.path())
	}

	if res := b.visit(link); res.Status != 404 {
		t.Errorf("the used link: status %d, want 404", res.Status)
	}
	if got := b.heading(); got != "This link does not work" {
		t.Errorf("heading %q", got)
	}
	b.clickLink("Ask for a new link")
	if got := b.path(); got != "/password/forgotten" {
		t.Errorf("asking again led to %s", got)
	}
}

// TestChangePasswordJourney: a member of staff, on a phone and by keyboard
// alone, goes from the header to their account and changes their password;
// a wrong current password is said beside its field, with no password
// shown again; after the change this browser stays signed in and their
// other browser is sent to sign in.
func TestChangePasswordJourney(t *testing.T) {
	a := newApp(t)
	other := newTab(t, a)
	other.signIn("staff@demo.test")
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("staff@demo.test")

	b.tabTo("the link to the account", func(_, text string) bool { return text == "Your account" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/account" {
		t.Fatalf("the link led to %s", got)
	}
	if got := b.heading(); got != "Your account" {
		t.Errorf("heading %q", got)
	}
	if body := b.bodyText(); !strings.Contains(body, "Sam Teacher") || !strings.Contains(body, "staff@demo.test") {
		t.Errorf("the account page does not say who is signed in:\n%s", shorten(body, 400))
	}
	b.tabTo("the link to change the password", func(_, text string) bool { return text == "Change your password" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Change your password" {
		t.Fatalf("heading %q", got)
	}

	b.changePassword("not my password at all", newPassword)
	if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); got != "Your current password is not correct" {
		t.Errorf("error summary says %q", got)
	}
	for _, label := range []string{"Current password", "New password", "Confirm new password"} {
		if got := b.valueByLabel(label); got != "" {
			t.Errorf("%s shows %q after the error", label, got)
		}
	}
	b.changePassword(demoPassword, newPassword)
	if got := b.path(); got != "/account" {
		t.Fatalf("the change led to %s", got)
	}
	if got := b.banner(); !strings.Contains(got, "Your password has been changed") {
		t.Errorf("banner %q", got)
	}

	other.visit("/home")
	if got := other.path(); !strings.HasPrefix(got, "/sign-in") {
		t.Errorf("the other browser, after the change, is at %s", got)
	}
	b.visit("/home")
	if got := b.path(); got != "/home" {
		t.Errorf("this browser, after the change, is at %s", got)
	}
}

// changePassword fills the change-password form by keyboard and sends it.
func (b *tab) changePassword(current, next string) {
	b.t.Helper()
	for _, f := range [][2]string{{"Current password", current}, {"New password", next}, {"Confirm new password", next}} {
		b.tabToLabel(f[0])
		b.press(f[1])
	}
	b.tabToButton("Change password")
	b.pressEnterAndWait()
}

// resetLinkFromOutbox works the reset e-mails as `haven serve` does without
// SMTP_URL, keeping them in the outbox, and returns the path of the link
// e-mailed to email.
func (a *app) resetLinkFromOutbox(t *testing.T, email string) string {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sender, err := mail.NewSender("", mail.DefaultFrom, logger, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	owner := a.owner(t)
	var body string
	jobstest.Run(t, a.Pool, jobs.Config{Logger: logger,
		Alerts:         &jobs.AlertWorker{Directory: a.DB, Mail: sender, BaseURL: a.URL},
		PasswordResets: &jobs.PasswordResetWorker{Links: a.DB, Mail: sender, BaseURL: a.URL}}, func() bool {
		return owner.QueryRow(t.Context(), `SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`, email).Scan(&body) == nil
	})
	link := regexp.MustCompile(regexp.QuoteMeta(a.URL) + `(/password/reset/[A-Za-z0-9]+)`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no reset link in the e-mail:\n%s", body)
	}
	return link[1]
}

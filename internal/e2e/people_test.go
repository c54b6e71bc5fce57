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

// TestInvitationJourney: the administrator, on a phone, goes from their
// home page to People and invites a new member of staff, first leaving
// the form blank to see what it needs; the invitation e-mail, kept in the
// Outbox without SMTP, carries a link that the new person follows (in the
// administrator's browser, which it signs out) to set a password, sign in
// and reach their home page.
func TestInvitationJourney(t *testing.T) {
	a := newApp(t)
	admin := newTab(t, a)
	admin.phoneWidth()
	admin.signIn("admin@demo.test")
	admin.clickLink("Manage people")
	if got := admin.heading(); got != "People" {
		t.Fatalf("heading %q", got)
	}
	admin.clickLink("Invite a person")
	if res := admin.clickButton("Send invitation"); res.Status != 422 {
		t.Errorf("an empty invitation: status %d, want 422", res.Status)
	}
	if got := admin.texts("//*[contains(@class,'govuk-error-summary')]//a"); len(got) != 3 {
		t.Errorf("the error summary lists %q, want e-mail, name and roles", got)
	}
	admin.noSidewaysScroll()
	admin.fillByLabel("E-mail address", "nia.newcomer@demo.test")
	admin.fillByLabel("Full name", "Nia Newcomer")
	admin.fillByLabel("Job title (optional)", "Year 7 form tutor")
	admin.checkByLabel("Member of staff")
	admin.clickButton("Send invitation")
	if got := admin.heading(); got != "Nia Newcomer" {
		t.Fatalf("after inviting, heading %q", got)
	}
	if !strings.Contains(admin.bodyText(), "Invitation sent.") {
		t.Error("no banner saying the invitation was sent")
	}
	admin.noSidewaysScroll()

	a.workInvitations(t)
	admin.visit("/home")
	admin.clickLink("Open the outbox")
	admin.openDetails("Read the e-mail")
	body := admin.text("(//details)[1]")
	link := regexp.MustCompile(regexp.QuoteMeta(a.URL) + `(/invitation/[A-Za-z0-9]+)`).FindStringSubmatch(body)
	if link == nil || !strings.Contains(admin.bodyText(), "To nia.newcomer@demo.test") {
		t.Fatalf("no invitation to nia.newcomer@demo.test in the outbox:\n%s", body)
	}

	// The administrator follows the link in their own browser, as someone
	// trying Haven would: setting the password signs them out, and the new
	// person signs in there.
	admin.visit(link[1])
	if got := admin.heading(); got != "Set your password" {
		t.Fatalf("the link's heading %q", got)
	}
	if !strings.Contains(admin.bodyText(), "You are signed in as Alex Admin") {
		t.Error("the page does not warn the administrator that they will be signed out")
	}
	admin.fillByLabel("Password", "short")
	admin.fillByLabel("Confirm password", "short")
	if res := admin.clickButton("Set password"); res.Status != 422 {
		t.Errorf("a short password: status %d, want 422", res.Status)
	}
	admin.noSidewaysScroll()
	admin.fillByLabel("Password", "kettle orchard lantern")
	admin.fillByLabel("Confirm password", "kettle orchard lantern")
	admin.tabToButton("Set password")
	admin.pressEnterAndWait()
	if got := admin.path(); got != "/sign-in?notice=password-set" {
		t.Fatalf("setting the password led to %s", got)
	}
	if !strings.Contains(admin.bodyText(), "Your password is set") {
		t.Error("the sign-in page does not say the password is set")
	}
	admin.fillByLabel("Email address", "nia.newcomer@demo.test")
	admin.fillByLabel("Password", "kettle orchard lantern")
	admin.clickButton("Sign in")
	if got := admin.path(); got != "/home" {
		t.Fatalf("signing in led to %s", got)
	}
	if got := admin.text("//main//h1"); got != "Safeguarding" {
		t.Errorf("Nia's home page heading %q, want a member of staff's", got)
	}
	admin.signOut()

	if res := admin.visit(link[1]); res.Status != 404 {
		t.Errorf("the used link: status %d, want 404", res.Status)
	}
	if !strings.Contains(admin.bodyText(), "Ask your school's Haven administrator to send you a new invitation") {
		t.Error("the used link does not say what to do")
	}

	// The administrator sees the invitation accepted in Nia's history.
	admin.signIn("admin@demo.test")
	admin.visit("/people?q=newcomer")
	admin.clickLink("Nia Newcomer")
	if !strings.Contains(admin.bodyText(), "Accepted the invitation and set a password") {
		t.Error("Nia's history does not show the invitation accepted")
	}
}

// TestDeactivateLeaverJourney: a member of staff is signed in; the
// administrator finds them by searching People and deactivates them by
// keyboard; the leaver's browser is sent to sign in at its next request.
func TestDeactivateLeaverJourney(t *testing.T) {
	a := newApp(t)
	leaver := newTab(t, a)
	leaver.signIn("staff02@demo.test")
	leaver.visit("/my-concerns")

	admin := newTab(t, a)
	admin.phoneWidth()
	admin.signIn("admin@demo.test")
	admin.visit("/people")
	admin.fillByLabel("Search by name or e-mail address", "staff02@")
	admin.clickButton("Search")
	names := admin.texts("//main//li//h2")
	if len(names) != 1 {
		t.Fatalf("the search finds %q, want one person", names)
	}
	admin.clickLink(names[0])
	admin.tabToButton("Deactivate")
	admin.pressEnterAndWait()
	if !strings.Contains(admin.bodyText(), "They have been signed out") {
		t.Fatal("no banner saying the leaver was signed out")
	}
	if got := admin.texts("//main//strong[contains(@class,'govuk-tag')]"); len(got) == 0 || got[0] != "Deactivated" {
		t.Errorf("the person's tags %q", got)
	}
	admin.noSidewaysScroll()

	leaver.visit("/my-concerns")
	if got := leaver.path(); !strings.HasPrefix(got, "/sign-in") {
		t.Fatalf("the leaver's next request led to %s, want sign in", got)
	}

	// The school's only administrator cannot give up the role: the page
	// says why, by the roles.
	admin.visit("/people?q=nobody-at-all")
	if !strings.Contains(admin.bodyText(), "No one matches") {
		t.Error("a search that finds no one does not say so")
	}
	admin.visit("/people?q=admin%40demo")
	admin.clickLink("Alex Admin")
	admin.click(admin.labelXPath("Administrator"), "the Administrator checkbox")
	admin.checkByLabel("Member of staff")
	if res := admin.clickButton("Save roles"); res.Status != 422 {
		t.Errorf("the last administrator steps down: status %d, want 422", res.Status)
	}
	if got := admin.text("//*[contains(@class,'govuk-error-summary')]//a"); !strings.HasPrefix(got, "The school must keep at least one active administrator") {
		t.Errorf("the error summary says %q", got)
	}
	admin.noSidewaysScroll()
}

// workInvitations works the invitation e-mails queued, as `haven serve`
// does without SMTP_URL, keeping them in the outbox.
func (a *app) workInvitations(t *testing.T) {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sender, err := mail.NewSender("", mail.DefaultFrom, logger, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	owner := a.owner(t)
	jobstest.Run(t, a.Pool, jobs.Config{Logger: logger,
		Alerts:      &jobs.AlertWorker{Directory: a.DB, Mail: sender, BaseURL: a.URL},
		Invitations: &jobs.InvitationWorker{Links: a.DB, Mail: sender, BaseURL: a.URL}}, func() bool {
		var waiting int
		err := owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'invitation' AND state <> 'completed'`).Scan(&waiting)
		return err == nil && waiting == 0
	})
}

package e2e

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/jobs/jobstest"
	"github.com/havenapp/haven/internal/mail"
)

// TestOutboxJourney: with no mail server set up, a concern's alert is
// queued and worked as the server works it; the administrator, on a
// phone, goes from their home page to the Outbox by keyboard and reads
// the alert, link and all.
func TestOutboxJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	id := a.logAsStaff(t, "staff@demo.test", child.ID, "Came to school without a coat again.")
	owner := a.owner(t)
	a.workJobs(t, func() bool {
		var state string
		err := owner.QueryRow(t.Context(), `SELECT state FROM river_job WHERE kind = 'concern_alert' AND (args->>'concern_id')::bigint = $1`, id).Scan(&state)
		return err == nil && state == "completed"
	})

	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("admin@demo.test")
	b.tabTo("the link to the outbox", func(_, text string) bool { return text == "Open the outbox" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/settings/outbox" {
		t.Fatalf("the link led to %s", got)
	}
	if got := b.heading(); got != "Outbox" {
		t.Errorf("heading %q", got)
	}
	if got := b.texts("//main//h2"); len(got) != 2 || got[0] != "A concern needs your attention" {
		t.Errorf("the outbox lists %q, want the alert to the DSL and the deputy", got)
	}
	for _, to := range []string{"To dsl@demo.test", "To deputy@demo.test"} {
		if !strings.Contains(b.bodyText(), to) {
			t.Errorf("the outbox does not show %q", to)
		}
	}
	b.tabTo("the first e-mail's summary", func(_, text string) bool { return text == "Read the e-mail" })
	b.press(kb.Enter)
	if !b.exists("(//details)[1][@open]") {
		t.Fatal("Enter did not open the e-mail")
	}
	if got, link := b.text("(//details)[1]"), fmt.Sprintf("/concerns/%d", id); !strings.Contains(got, link) {
		t.Errorf("the e-mail does not link to %s:\n%s", link, got)
	}
	b.noSidewaysScroll()
	b.checkA11y()
}

// workJobs runs the alert worker as `haven serve` does without SMTP_URL,
// keeping its e-mails in the outbox, until done.
func (a *app) workJobs(t *testing.T, done func() bool) {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sender, err := mail.NewSender("", mail.DefaultFrom, logger, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	jobstest.Run(t, a.Pool, jobs.Config{Logger: logger,
		Alerts: &jobs.AlertWorker{Directory: a.DB, Mail: sender, BaseURL: a.URL}}, done)
}

package e2e

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/jobs/jobstest"
	"github.com/havenapp/haven/internal/mail"
)

// TestEscalationJourney: staff@demo.test logs an urgent concern; nobody
// acknowledges it, and when its time comes (brought forward here) the
// principal, on a phone, finds the escalation in their notices by keyboard,
// opens the concern from it, and the notice is read. The DSL's home page
// says the concern is overdue.
func TestEscalationJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	day, month, year := today()
	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	id := staff.logConcern(concern{Pupil: child.Name, Category: "Neglect", WhatHappened: "Had not eaten since yesterday and was shaking.",
		Day: day, Month: month, Year: year, Urgent: true})
	a.escalateNow(t, id)

	principal := newTab(t, a)
	principal.phoneWidth()
	principal.signIn("principal@demo.test")
	principal.tabTo("the link to the notices", func(_, text string) bool { return strings.HasPrefix(text, "Notices (") })
	if _, text := principal.focused(); text != "Notices (1 unread)" {
		t.Errorf("the header's link says %q, want one unread", text)
	}
	principal.pressEnterAndWait()
	if got := principal.path(); got != "/notices" {
		t.Fatalf("the link led to %s", got)
	}
	items := principal.texts("//ul[@id='notices']/li")
	if len(items) == 0 || !strings.Contains(items[0], "Unread") || !strings.Contains(items[0], "has not been acknowledged in time") {
		t.Fatalf("the notices list %q, want the escalation first, unread", items)
	}
	if strings.Contains(principal.bodyText(), child.Name) {
		t.Error("the notices page names the child")
	}
	principal.noSidewaysScroll()
	principal.checkA11y()
	principal.tabTo("the notice's link", func(_, text string) bool { return text == "Open the concern" })
	principal.pressEnterAndWait()
	if got, want := principal.path(), fmt.Sprintf("/concerns/%d", id); got != want {
		t.Fatalf("the notice led to %s, want %s", got, want)
	}
	if got := principal.text("//*[@id='escalation']"); !strings.Contains(got, "escalated to the principal") {
		t.Errorf("the concern page says of its escalation %q", got)
	}
	if got := principal.text("//*[@id='notices-link']"); got != "Notices" {
		t.Errorf("after opening the concern the header says %q, want no unread notices", got)
	}

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	if got := dsl.text("//*[@id='unacknowledged']"); !strings.Contains(got, "1 concern sent to you has not been acknowledged in time") {
		t.Errorf("the DSL's home page warns %q", got)
	}
	dsl.checkPhoneWidth()
	dsl.checkA11y()
}

// TestEscalationSettingsJourney: the DSL, on a phone, reaches the
// escalation settings from their home page by keyboard; a bad number is
// refused beside its field with what was typed kept, and a good one saved.
func TestEscalationSettingsJourney(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	b.tabTo("the link to the escalation settings", func(_, text string) bool { return text == "Set the escalation times" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Escalation" {
		t.Fatalf("heading %q", got)
	}
	if got := b.valueByLabel("Minutes before an urgent concern is escalated"); got != "15" {
		t.Errorf("urgent minutes %q, want the default 15", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()

	b.fillByLabel("Minutes before an urgent concern is escalated", "ten")
	b.selectByLabel("Vice-chair of governors", "Gail Governor")
	b.tabToButton("Save escalation settings")
	b.pressEnterAndWait()
	if got := b.texts("//*[contains(@class,'govuk-error-summary')]//li"); len(got) != 1 || !strings.Contains(got[0], "whole number of minutes") {
		t.Fatalf("errors %q, want one about the minutes", got)
	}
	if got := b.valueByLabel("Minutes before an urgent concern is escalated"); got != "ten" {
		t.Errorf("what was typed became %q", got)
	}
	if got := b.text("//select[@name='vice-chair']/option[@selected]"); got != "Gail Governor" {
		t.Errorf("the vice-chair chosen became %q", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()

	b.fillByLabel("Minutes before an urgent concern is escalated", "10")
	b.clickButton("Save escalation settings")
	if got := b.banner(); !strings.Contains(got, "saved") {
		t.Errorf("banner %q", got)
	}
	if got := b.valueByLabel("Minutes before an urgent concern is escalated"); got != "10" {
		t.Errorf("saved minutes read back %q", got)
	}
}

// escalateNow runs concern id's escalation as if its time had come, with
// the alert before it, keeping the e-mails in the outbox.
func (a *app) escalateNow(t *testing.T, id int64) {
	t.Helper()
	owner := a.owner(t)
	if _, err := owner.Exec(t.Context(), `UPDATE river_job SET scheduled_at = now()
		WHERE kind = 'concern_escalation' AND (args->>'escalate_concern_id')::bigint = $1`, id); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sender, err := mail.NewSender("", mail.DefaultFrom, logger, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	jobstest.Run(t, a.Pool, jobs.Config{Logger: logger,
		Alerts:      &jobs.AlertWorker{Directory: a.DB, Mail: sender, BaseURL: a.URL},
		Escalations: &jobs.EscalationWorker{Escalator: a.DB, Mail: sender, BaseURL: a.URL}}, func() bool {
		var state string
		err := owner.QueryRow(t.Context(), `SELECT state FROM river_job WHERE kind = 'concern_escalation'
			AND (args->>'escalate_concern_id')::bigint = $1`, id).Scan(&state)
		return err == nil && state == "completed"
	})
}

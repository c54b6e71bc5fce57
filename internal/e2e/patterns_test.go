package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/safeguarding"
)

// flagAChild logs, as two members of staff over the last three weeks,
// three concerns about a demo child with a CSE indicator each, and runs the
// pattern rules as the job after the last would: the child is flagged.
func flagAChild(t *testing.T, a *app) safeguarding.PupilRef {
	t.Helper()
	ctx := t.Context()
	pupil := demo.PatternPupil(a.Demo)
	viewer := func(email string) safeguarding.Viewer {
		v, err := a.DB.Viewer(ctx, a.Demo.People[email].ID)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	now := time.Now()
	for i, c := range []struct {
		by        string
		daysAgo   int
		indicator string
	}{{"staff03@demo.test", 19, "secretive"}, {"staff11@demo.test", 11, "unexplained_gifts"}, {"staff03@demo.test", 3, "older_partner"}} {
		at := now.AddDate(0, 0, -c.daysAgo)
		in := safeguarding.ConcernInput{SubmissionToken: "00000000-0000-4000-8000-00000000000" + strconv.Itoa(i+1), SubjectKind: safeguarding.SubjectPupils,
			PupilIDs: []int64{pupil.ID}, Categories: []string{"cse"}, Indicators: []string{c.indicator},
			WhatHappened: "Something small that a pattern shows.", HappenedOn: safeguarding.DateInEngland(at)}
		if _, _, err := a.DB.WithClock(func() time.Time { return at }).LogConcern(ctx, viewer(c.by), in); err != nil {
			t.Fatal(err)
		}
	}
	flags, err := a.DB.RaisePatternFlags(ctx, a.Demo.ID, pupil.ID)
	if err != nil || len(flags) != 1 {
		t.Fatalf("raised %v, %v", flags, err)
	}
	return pupil
}

// TestPatternFlagJourney: the DSL, on a phone, finds a child flagged by a
// pattern rule on the queue, sees the flag on the child's page, opens it by
// keyboard, is told what is missing from a review with what they typed
// kept, and records the review; the flag leaves the queue and the child's
// page shows the decision. Every page is checked for accessibility and at
// 390 px.
func TestPatternFlagJourney(t *testing.T) {
	a := newApp(t)
	pupil := flagAChild(t, a)
	name := pupil.Name()

	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	b.visit("/queue")
	if got := b.texts("//main//h2"); len(got) == 0 || got[0] != "Children flagged for review" {
		t.Fatalf("the queue's headings are %q", got)
	}
	card := b.within(`//div[contains(@class, "haven-pattern-flag")]`)
	if got := card.text("//h3"); !strings.Contains(got, name) || !strings.Contains(got, "CSE indicators from several members of staff") {
		t.Errorf("the flag is titled %q", got)
	}
	if n := b.count(`//div[contains(@class, "haven-pattern-flag")]//a[starts-with(@href, "/concerns/")]`); n != 3 {
		t.Errorf("the flag links to %d concerns, want 3", n)
	}
	b.checkPage()

	// The child's page shows it too.
	b.tabTo("the child's name", func(_, text string) bool { return text == name })
	b.pressEnterAndWait()
	if got := b.heading(); got != name {
		t.Fatalf("the link led to %q", got)
	}
	if !strings.Contains(b.bodyText(), "Pattern flags") || !strings.Contains(b.bodyText(), "Needs review") {
		t.Errorf("the child's page does not show the open flag")
	}
	b.checkPage()

	// Opened and reviewed by keyboard.
	b.tabTo("the flag's link", func(_, text string) bool { return strings.HasPrefix(text, "Review this flag") })
	b.pressEnterAndWait()
	if got := b.heading(); got != "CSE indicators from several members of staff" {
		t.Fatalf("the flag's page is headed %q", got)
	}
	if body := b.bodyText(); !strings.Contains(body, "3 or more distinct CSE indicators recorded by 2 or more members of staff within 30 days") {
		t.Errorf("the flag's page does not say what the rule looks for")
	}
	b.checkPage()
	b.tabToLabel("Why")
	b.press("Spoke to her tutor and her mother.")
	b.tabToButton("Record review")
	b.pressEnterAndWait()
	if !b.exists(`//div[contains(@class, "govuk-error-summary")]//a[@href="#decision"]`) {
		t.Fatal("no error for the missing decision")
	}
	if got := b.valueByLabel("Why"); got != "Spoke to her tutor and her mother." {
		t.Errorf("the reason came back as %q", got)
	}
	b.checkPage()
	// Tab reaches the first decision; the arrow key moves to, and
	// chooses, the second.
	b.tabTo("the decisions", func(id, _ string) bool { return id == "decision" })
	b.press(kb.ArrowDown)
	if !b.checked("decision-2") {
		t.Fatal("the arrow key did not choose the second decision")
	}
	b.tabToButton("Record review")
	b.pressEnterAndWait()
	if got := b.banner(); !strings.Contains(got, "Your review has been recorded") {
		t.Errorf("banner %q", got)
	}
	if body := b.bodyText(); !strings.Contains(body, "Continue to monitor") || !strings.Contains(body, "Spoke to her tutor and her mother.") {
		t.Errorf("the flag's page does not show the review")
	}
	b.checkPage()

	b.visit("/queue")
	if b.exists(`//div[contains(@class, "haven-pattern-flag")]`) {
		t.Error("the reviewed flag is still on the queue")
	}
	b.visit("/pupils/" + strconv.FormatInt(pupil.ID, 10))
	if body := b.bodyText(); !strings.Contains(body, "Reviewed") || !strings.Contains(body, "Continue to monitor (Dana Lead") {
		t.Errorf("the child's page does not show the review")
	}
	b.checkPage()

	// A member of staff who logged one of the concerns sees no flag.
	staff := newTab(t, a)
	staff.signIn("staff03@demo.test")
	if resp := staff.visit("/patterns/1"); resp == nil || resp.Status != 404 {
		t.Errorf("a member of staff opens the flag")
	}
}

// TestPatternSettingsJourney: the DSL goes from their home page to the
// pattern rules by keyboard, types a number that is out of range and is
// told so with everything typed kept, then turns a rule off and lowers a
// threshold and saves; the page shows what was saved.
func TestPatternSettingsJourney(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("deputy@demo.test")
	b.tabTo("the link to the pattern rules", func(_, text string) bool { return text == "Set the pattern rules" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Pattern rules" {
		t.Fatalf("the link led to %q", got)
	}
	if got := b.valueByLabel("Distinct indicators, at least"); got != "3" {
		t.Errorf("the CSE rule's indicators are %q, want the default 3", got)
	}
	b.checkPage()

	b.fillByLabel("Distinct indicators, at least", "1")
	b.fillByLabel("Concerns, at least", "4")
	b.tabToButton("Save rules")
	b.pressEnterAndWait()
	if !b.exists(`//div[contains(@class, "govuk-error-summary")]//a[@href="#cse-indicators"]`) {
		t.Fatal("no error for an indicator count of 1")
	}
	if got := b.valueByLabel("Concerns, at least"); got != "4" {
		t.Errorf("the concerns count came back as %q", got)
	}
	b.checkPage()

	b.fillByLabel("Distinct indicators, at least", "2")
	b.tabTo("the missing rule's checkbox", func(id, _ string) bool { return id == "missing-on" })
	b.press(" ")
	b.tabToButton("Save rules")
	b.pressEnterAndWait()
	if got := b.banner(); !strings.Contains(got, "The pattern rules have been saved") {
		t.Errorf("banner %q", got)
	}
	if b.valueByLabel("Distinct indicators, at least") != "2" || b.valueByLabel("Concerns, at least") != "4" || b.checked("missing-on") || !b.checked("cse-on") {
		t.Error("the saved rules are not shown")
	}
	if !strings.Contains(b.bodyText(), "Last changed by Dev Deputy") {
		t.Error("the page does not say who changed the rules")
	}
	b.checkPage()

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	if resp := staff.visit("/settings/patterns"); resp == nil || resp.Status != 404 {
		t.Errorf("a member of staff opens the pattern rules")
	}
}

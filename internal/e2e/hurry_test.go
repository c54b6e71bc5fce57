package e2e

// A teacher in a hurry, on a phone (issue 13): the pupil search says enough
// to pick the right child and brings the page back to its results; a saved
// draft is offered, not restored unasked; a child in immediate danger is an
// emergency, with the school's own numbers.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

// visible reports whether the element with that id is rendered.
func (b *tab) visible(id string) bool {
	b.t.Helper()
	return eval[bool](b, "see whether #"+id+" shows", `((e) => !!e && e.getClientRects().length > 0)(document.getElementById(`+jsString(id)+`))`)
}

func TestPupilSearchTellsPupilsApart(t *testing.T) {
	a := newApp(t)
	owner := a.owner(t)
	// Two pupils of one name in one year, as a school has.
	if _, err := owner.Exec(t.Context(), `INSERT INTO pupils (school_id, first_name, last_name, year_group, date_of_birth, registration_group)
		SELECT school_id, 'Zinnia', 'Quarrington', 12, d::date, g FROM (SELECT min(school_id) AS school_id FROM pupils) s,
			(VALUES ('2009-03-03', '12WD'), ('2009-11-20', '12KP')) AS v (d, g)`); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, a)
	b.signIn("staff@demo.test")
	b.visit("/concerns/new")
	b.fillByLabel("Search for a pupil by name", "Zinnia Quarrington")
	b.clickButton("Find pupils")

	if hash := eval[string](b, "read the fragment", `location.hash`); hash != "#pupil-results" {
		t.Errorf("Find pupils came back at %q, want #pupil-results", hash)
	}
	if id, _ := b.focused(); id != "pupil-results" {
		t.Errorf("the focus is on %q after Find pupils, want the results", id)
	}
	got := b.texts("//*[@id='pupil-results']//*[contains(@class,'govuk-checkboxes__hint')]")
	want := []string{"Year 12, registration group 12WD, born 3 March 2009", "Year 12, registration group 12KP, born 20 November 2009"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the two pupils are listed as %q, want %q", got, want)
	}
	// The keyboard carries on from the results: the next Tab is the first pupil.
	b.press(kb.Tab)
	if id, _ := b.focused(); id != "pupil" {
		t.Errorf("Tab from the results went to %q, want the first pupil", id)
	}
}

func TestDraftIsOffered(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.signIn("staff@demo.test")
	b.visit("/concerns/new")
	what := "Offered draft: started before the bell, finished after."
	b.fillByLabel("What happened?", what)
	b.clickButton("Save draft")
	if !strings.Contains(b.banner(), "Draft saved") {
		t.Fatalf("no Draft saved banner: %q", b.banner())
	}

	b.visit("/concerns/new")
	if h := b.heading(); !strings.HasPrefix(h, "You started a concern on ") || !strings.Contains(h, time.Now().In(london).Format("2 January 2006")) {
		t.Fatalf("heading %q, want the offer with today's date", h)
	}
	if b.exists("//textarea") {
		t.Error("the offer shows a form to type in")
	}
	b.clickLink("Continue it")
	if got := b.valueByLabel("What happened?"); got != what {
		t.Errorf("continuing gave %q, want %q", got, what)
	}

	b.visit("/concerns/new")
	b.tabToButton("Start again")
	b.pressEnterAndWait()
	if !strings.Contains(b.banner(), "The concern you started has been deleted") {
		t.Errorf("starting again says %q", b.banner())
	}
	if got := b.valueByLabel("What happened?"); got != "" {
		t.Errorf("starting again kept %q", got)
	}
	var n int
	if err := a.owner(t).QueryRow(t.Context(), `SELECT count(*) FROM concern_drafts`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d drafts after starting again (err %v)", n, err)
	}
}

func TestImmediateDangerIsAnEmergency(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	day, month, year := today()

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	staff.visit("/concerns/new")
	if staff.visible("conditional-urgent") {
		t.Error("the emergency panel shows before anyone said a child is in danger")
	}
	staff.within(urgentFieldset).checkByLabel("Yes")
	if !staff.visible("conditional-urgent") {
		t.Fatal("choosing Yes does not show the emergency panel")
	}
	panel := staff.text(byID("conditional-urgent"))
	if !strings.Contains(panel, "999") || !strings.Contains(panel, "the DSL or the administrator must set them") {
		t.Errorf("before the school sets its numbers the panel says %q", panel)
	}
	staff.checkPage() // the panel open: axe and the phone's width
	// For a concern about an adult, the question is about the children.
	staff.within(fieldset(subjectLegend)).checkByLabel("Another adult (visitor, contractor, volunteer)")
	if q := staff.text(urgentFieldset + "//legend"); q != "Is any child in immediate danger or at risk of immediate serious harm from this adult?" {
		t.Errorf("about an adult, the question reads %q", q)
	}
	if !strings.Contains(staff.text(byID("conditional-urgent")), "A child at risk from this adult") {
		t.Error("about an adult, the panel is not worded for the children at risk")
	}
	staff.checkPage()
	staff.visit("/home")

	// The DSL sets the school's numbers; a mistake is shown by its field.
	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.clickLink("Set the emergency contacts")
	dsl.fillByLabel("The DSL's phone number", "my mobile")
	dsl.fillByLabel("Children's social care front door", "0300 123 4567")
	dsl.fillByLabel("Children's social care out of hours", "01632 960 999")
	if res := dsl.clickButton("Save contacts"); res.Status != 422 {
		t.Errorf("a number in words: status %d, want 422", res.Status)
	}
	if got := dsl.text("//*[@id='dsl-phone-error']"); !strings.Contains(got, "Enter the DSL's phone number in digits") {
		t.Errorf("the DSL's phone's message is %q", got)
	}
	if got := dsl.valueByLabel("Children's social care out of hours"); got != "01632 960 999" {
		t.Errorf("the refused form kept %q", got)
	}
	dsl.fillByLabel("The DSL's phone number", "07700 900 123")
	dsl.tabToButton("Save contacts")
	dsl.pressEnterAndWait()
	if !strings.Contains(dsl.banner(), "have been saved") {
		t.Errorf("saving says %q", dsl.banner())
	}

	// Without scripts: the form is sent with Yes, and the page that comes
	// back (a field missed) shows the panel with the school's numbers.
	noJS := newTab(t, a)
	noJS.scriptsOff()
	noJS.signIn("staff02@demo.test")
	noJS.visit("/concerns/new")
	noJS.within(urgentFieldset).checkByLabel("Yes")
	noJS.clickButton("Log concern")
	if !noJS.visible("conditional-urgent") {
		t.Fatal("after sending Yes without scripts the emergency panel is hidden")
	}
	panel = noJS.text(byID("conditional-urgent"))
	for _, number := range []string{"999", "07700 900 123", "0300 123 4567", "01632 960 999"} {
		if !strings.Contains(panel, number) {
			t.Errorf("the panel lacks %s: %q", number, panel)
		}
	}

	// After logging, the confirmation is the emergency too.
	staff.logConcern(concern{Pupil: child.Name, Category: "Neglect", WhatHappened: "Emergency journey: locked out overnight.",
		Day: day, Month: month, Year: year, Urgent: true})
	confirmation := staff.text("//*[contains(@class,'haven-notification-banner--emergency')]")
	if !strings.Contains(confirmation, "The child is in immediate danger") || !strings.Contains(confirmation, "0300 123 4567") {
		t.Errorf("the confirmation's emergency panel says %q", confirmation)
	}
}

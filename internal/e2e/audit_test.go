package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// TestPupilSearchJourney: the DSL, on a phone and by keyboard, types a demo
// pupil's name into the header's search, finds them, opens their file and
// sees themselves among those who have opened it. A member of staff has no
// search box, and the search page does not exist for them. Every page is
// checked for accessibility and at 390 px.
func TestPupilSearchJourney(t *testing.T) {
	a := newApp(t)
	pupil := a.Demo.Pupils[0]
	file := "/pupils/" + strconv.FormatInt(pupil.ID, 10)

	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	b.tabTo("the header's search box", func(id, _ string) bool { return id == "header-search" })
	b.press(strings.ToLower(pupil.LastName + " " + pupil.FirstName))
	b.pressEnterAndWait()
	if got := b.path(); !strings.HasPrefix(got, "/pupils/search?") {
		t.Fatalf("the search led to %s", got)
	}
	if got := b.valueByLabel("Name, UPN or registration group"); !strings.EqualFold(got, pupil.LastName+" "+pupil.FirstName) {
		t.Errorf("the search page shows the query %q", got)
	}
	if !b.exists(`//main//a[@href="` + file + `"]`) {
		t.Fatalf("the search did not find %s %s:\n%s", pupil.FirstName, pupil.LastName, b.bodyText())
	}
	b.tabTo("the pupil found", func(_, text string) bool { return strings.Contains(text, pupil.LastName) })
	b.pressEnterAndWait()
	if got := b.path(); got != file {
		t.Fatalf("the result led to %s, want %s", got, file)
	}
	views := b.within(`//h2[normalize-space()="Who has opened this file"]/following-sibling::table[1]`)
	if got := views.bodyText(); !strings.Contains(got, "Dana Lead") {
		t.Errorf("the file does not show the DSL opened it: %q", got)
	}

	// Without JavaScript the search is a plain form: it works the same.
	b.scriptsOff()
	b.visit("/home")
	b.fillByLabel("Find a pupil by name, UPN or registration group", pupil.FirstName)
	b.clickButton("Find a pupil")
	if !b.exists(`//main//a[@href="` + file + `"]`) {
		t.Errorf("without JavaScript, the search did not find %s", pupil.FirstName)
	}
	b.setScripts(true)

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	if staff.exists(`//input[@id="header-search"]`) {
		t.Error("a member of staff has the search box")
	}
	if res := staff.visit("/pupils/search?q=" + pupil.FirstName); res.Status != 404 {
		t.Errorf("a member of staff searches: %d", res.Status)
	}
}

// TestAuditPageJourney: the DSL opens a pupil's file, then the audit page
// from the menu, narrows it by keyboard to themselves and the pupil, and
// finds the view; a date that is no date is shown as an error with what
// was typed kept. The administrator's audit page lists sign-ins and never
// the file. Every page is checked for accessibility and at 390 px.
func TestAuditPageJourney(t *testing.T) {
	a := newApp(t)
	pupil := a.Demo.Pupils[1]
	file := "/pupils/" + strconv.FormatInt(pupil.ID, 10)

	b := newTab(t, a)
	b.signIn("dsl@demo.test")
	b.visit(file)
	b.visit("/home")
	b.tabTo("the menu's audit log", func(_, text string) bool { return text == "Audit log" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Audit log" {
		t.Fatalf("heading %q", got)
	}
	b.selectByLabel("Who", "Dana Lead")
	b.tabToLabel("Pupil")
	b.press(pupil.LastName)
	b.tabToButton("Apply filters")
	b.pressEnterAndWait()
	rows := b.texts(`//main//table//tbody/tr`)
	if len(rows) == 0 || !strings.Contains(rows[0], "Viewed the child's file") || !b.exists(`//main//table//a[@href="`+file+`"]`) {
		t.Fatalf("the filtered audit page lists %q", rows)
	}
	for _, r := range rows {
		if !strings.Contains(r, "Dana Lead") {
			t.Errorf("a row not by the DSL: %q", r)
		}
	}

	from := b.within(`//fieldset[.//legend[normalize-space()="From"]]`)
	from.fillByLabel("Day", "31")
	from.fillByLabel("Month", "2")
	from.fillByLabel("Year", "2026")
	b.tabToButton("Apply filters")
	b.pressEnterAndWait()
	if !b.exists(`//div[contains(@class, "govuk-error-summary")]`) {
		t.Fatal("no error summary for 31 February")
	}
	if got := b.attr(`//input[@id="from-month"]`, "value"); got != "2" {
		t.Errorf("the month typed is %q after the error, want it kept", got)
	}
	if got := b.valueByLabel("Pupil"); got != pupil.LastName {
		t.Errorf("the pupil typed is %q after the error, want it kept", got)
	}

	b.phoneWidth()
	b.visit("/audit")

	admin := newTab(t, a)
	admin.signIn("admin@demo.test")
	admin.visit("/audit")
	body := admin.bodyText()
	if !strings.Contains(body, "Signed in") || strings.Contains(body, "Viewed the child's file") || admin.exists(`//main//a[@href="`+file+`"]`) {
		t.Errorf("the administrator's audit page:\n%s", body)
	}
	if admin.exists(`//input[@id="pupil"]`) {
		t.Error("the administrator can filter by pupil")
	}
}

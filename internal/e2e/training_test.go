package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

// TestTrainingJourney: the DSL, on a phone, goes from their home page to
// the training register by keyboard and finds the overdue staff; opens one
// of them, adds their safeguarding update by keyboard alone; they drop out
// of the overdue list. That member of staff then sees their own training
// on their home page.
func TestTrainingJourney(t *testing.T) {
	if time.Now().Month() == time.August {
		t.Skip("in August the whole staff's update is due soon") // the demo's picture holds September to July
	}
	a := newApp(t)
	var name string
	if err := a.owner(t).QueryRow(t.Context(), `SELECT full_name FROM people WHERE email = 'staff01@demo.test'`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	b.tabTo("the link to the register", func(_, text string) bool { return text == "Open the training register" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/training" {
		t.Fatalf("the link led to %s", got)
	}
	if got := b.heading(); got != "Safeguarding training" {
		t.Errorf("heading %q", got)
	}
	b.checkPage()
	listed := b.texts("//table[@id='training-register']//td[1]//a")
	if len(listed) < 3 || !strings.Contains(strings.Join(listed, "|"), name) {
		t.Fatalf("the register lists %q, want %s among the overdue", listed, name)
	}
	if tags := b.texts("//table[@id='training-register']//td[2]//strong"); len(tags) == 0 || (tags[0] != "Overdue" && tags[0] != "Never done") {
		t.Errorf("the register's first tag is %q, want someone late first", tags)
	}

	b.tabTo("the link to "+name, func(_, text string) bool { return text == name })
	b.pressEnterAndWait()
	if got := b.heading(); got != name {
		t.Fatalf("heading %q, want %s", got, name)
	}
	b.checkPage()
	kinds := b.within(fieldset("Type of training"))
	kinds.tabToLabel("Induction") // Tab reaches a group of radios at its first; the arrow keys choose
	b.press(kb.ArrowDown)
	if !kinds.isCheckedByLabel("Safeguarding update") {
		t.Fatal("the arrow key did not choose \"Safeguarding update\"")
	}
	day, month, year := today()
	when := b.within(fieldset("Date completed"))
	when.tabToLabel("Day")
	b.press(day)
	when.tabToLabel("Month")
	b.press(month)
	when.tabToLabel("Year")
	b.press(year)
	b.tabToLabel("Provider (optional)")
	b.press("Local authority")
	b.tabToButton("Add the record")
	b.pressEnterAndWait()
	if got := b.banner(); got != "Training record added." {
		t.Fatalf("after adding, the banner says %q; errors %q", got, b.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if got := b.text("//dl[@id='training-status']"); !strings.Contains(got, "Safeguarding update (every 12 months)") || strings.Contains(got, "Overdue") {
		t.Errorf("after the update, the status reads %q", got)
	}
	b.checkPage()
	b.tabTo("the link back to the register", func(_, text string) bool { return text == "Safeguarding training" })
	b.pressEnterAndWait()
	if listed := b.texts("//table[@id='training-register']//td[1]//a"); strings.Contains(strings.Join(listed, "|"), name) {
		t.Errorf("%s is still listed after their update: %q", name, listed)
	}
	b.checkPage()

	staff := newTab(t, a)
	staff.signIn("staff01@demo.test")
	got := staff.text("//*[@id='your-training']")
	if !strings.Contains(got, "Your safeguarding training") || !strings.Contains(got, "Safeguarding update (every 12 months): due by") {
		t.Errorf("the home page's training section reads %q", got)
	}
	staff.checkPage()
}

// TestTrainingImportAndEditJourney: the DSL, on a phone, lists everyone,
// uploads a training file with two bad lines and sees both by line, then
// the fixed file, checks the preview and imports it; changes a record
// with a bad date (kept, with its message) and then a good one. Every page
// passes axe and fits the phone.
func TestTrainingImportAndEditJourney(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	b.visit("/training?show=all")
	b.checkPage()
	b.tabTo("the link to the import", func(_, text string) bool { return text == "Import training records from a CSV file" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Import training records" {
		t.Fatalf("heading %q", got)
	}
	b.openDetails("Which columns Haven reads")
	b.checkPage()
	b.uploadFile("Upload a CSV file", "testdata/training-with-problems.csv")
	b.clickButton("Preview the import")
	problems := b.texts("//ul[@id='problems']/li")
	if len(problems) != 2 || !strings.HasPrefix(problems[0], "Line 3") || !strings.HasPrefix(problems[1], "Line 4") {
		t.Errorf("the problems listed are %q, want lines 3 and 4", problems)
	}
	b.checkPage()
	b.uploadFile("Upload a CSV file", "testdata/training.csv")
	b.clickButton("Preview the import")
	if got := b.heading(); got != "Check the import" {
		t.Fatalf("heading %q; problems %q", got, b.texts("//ul[@id='problems']/li"))
	}
	b.checkPage()
	b.tabToButton("Import")
	b.pressEnterAndWait()
	if got := b.heading(); got != "Import complete" {
		t.Fatalf("heading %q", got)
	}
	b.checkPage()

	var person, record int64
	if err := a.owner(t).QueryRow(t.Context(), `SELECT t.person_id, t.id FROM training_records t JOIN people p ON p.id = t.person_id
		WHERE p.email = 'staff05@demo.test' AND t.notes = 'Catch-up session'`).Scan(&person, &record); err != nil {
		t.Fatal(err)
	}
	b.visit(fmt.Sprintf("/training/people/%d/records/%d", person, record))
	b.checkPage()
	when := b.within(fieldset("Date completed"))
	when.tabToLabel("Month")
	b.press(kb.Backspace + kb.Backspace + "13")
	b.tabToButton("Save the changes")
	b.pressEnterAndWait()
	if got := b.text("//*[contains(@class,'govuk-error-summary')]"); !strings.Contains(got, "Date completed must be a real date") {
		t.Errorf("the error summary says %q", got)
	}
	if got := b.valueByLabel("Provider (optional)"); got != "Local authority" {
		t.Errorf("the provider typed was lost: %q", got)
	}
	b.checkPage()
	when.tabToLabel("Month")
	b.press(kb.Backspace + kb.Backspace + "11")
	b.tabToButton("Save the changes")
	b.pressEnterAndWait()
	if got := b.banner(); got != "Training record changed." {
		t.Errorf("the banner says %q", got)
	}
	b.checkPage()
}

package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestRetentionJourney: a pupil's file past its retention date is counted
// on the DSL's home page; their page links to the file as a PDF. The DSL, on a phone and by keyboard, opens the
// retention page, proposes destroying the file without a reason and is told
// so beside the field, then with one; the principal confirms with a reason,
// and the file is recorded as destroyed without the pupil's name. Every
// page, the error state included, is checked for accessibility and at
// 390 px.
func TestRetentionJourney(t *testing.T) {
	a := newApp(t)
	p := a.uniquePupils(t, 1)[0]
	a.logAsStaff(t, "staff@demo.test", p.ID, "Came to school hungry again.")
	if _, err := a.owner(t).Exec(t.Context(), `UPDATE pupils SET date_of_birth = current_date - interval '30 years' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.ListRetentionDue(t.Context(), safeguarding.DateInEngland(time.Now())); err != nil {
		t.Fatal(err)
	}

	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	if !strings.Contains(b.bodyText(), "1 child protection file has passed its retention date") {
		t.Errorf("the DSL's home page does not count the file due")
	}
	// The child's page offers the whole file as a PDF, by keyboard.
	b.visit("/pupils/" + strconv.FormatInt(p.ID, 10))
	b.tabTo("the link to the PDF", func(_, text string) bool { return text == "Download the child protection file (PDF)" })
	if href := b.attr(`//a[text()="Download the child protection file (PDF)"]`, "href"); !strings.HasSuffix(href, "/file.pdf") {
		t.Errorf("the PDF link goes to %q", href)
	}
	b.visit("/home")
	b.tabTo("the link to the retention page", func(_, text string) bool { return text == "Review the files" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Files due for review" {
		t.Fatalf("heading %q", got)
	}
	if !strings.Contains(b.bodyText(), p.Name) {
		t.Fatalf("the file of %s is not listed", p.Name)
	}
	b.tabToButton("Propose destroying the file")
	b.pressEnterAndWait()
	if !b.exists(`//div[contains(@class, "govuk-error-summary")]`) || !strings.Contains(b.bodyText(), "Give the reason the file should be destroyed") {
		t.Fatal("no error for the missing reason")
	}
	b.tabToLabel("Why should this file be destroyed?")
	b.press("Past the retention date; nothing open.")
	b.tabToButton("Propose destroying the file")
	b.pressEnterAndWait()
	if got := b.banner(); !strings.Contains(got, "You proposed destroying the file") {
		t.Errorf("banner %q", got)
	}
	if !strings.Contains(b.bodyText(), "You have agreed") {
		t.Error("the page does not say the file waits for the other person")
	}

	head := newTab(t, a)
	head.phoneWidth()
	head.signIn("principal@demo.test")
	head.tabTo("the link to the retention page", func(_, text string) bool { return text == "Review the files" })
	head.pressEnterAndWait()
	if !strings.Contains(head.bodyText(), "Past the retention date; nothing open.") {
		t.Error("the principal does not see the DSL's reason")
	}
	head.tabToLabel("Why should this file be destroyed?")
	head.press("Agreed with the DSL.")
	head.tabToButton("Confirm and destroy the file")
	head.pressEnterAndWait()
	if got := head.banner(); !strings.Contains(got, "The file was destroyed") {
		t.Errorf("banner %q", got)
	}
	body := head.bodyText()
	if strings.Contains(body, p.Name) || !strings.Contains(body, "confirmed by Pat Principal") || !strings.Contains(body, "No files are due for review.") {
		t.Errorf("after destruction the page reads:\n%s", body)
	}
}

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/demo"
)

// TestDemoLaterLifeJourney: in the demo as `make run` loads it, history
// and all, the DSL, on a phone and by keyboard, finds on their home page
// the two leavers whose files are due for transfer, the one who left first
// overdue, and the one file past its retention date; follows the links to
// the transfers page and the retention page, which list them. Nothing was
// set up by hand. Every page is checked for accessibility and at 390 px.
func TestDemoLaterLifeJourney(t *testing.T) {
	a := newApp(t)
	if err := demo.PlanHistory(time.Now()).Load(t.Context(), a.DB, a.Demo); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")

	transfers := b.texts("//*[@id='file-transfers']//li")
	if len(transfers) != 2 || !strings.HasPrefix(transfers[0], demo.MovedAwayName+": due by ") || !strings.HasSuffix(transfers[0], "(overdue)") ||
		!strings.HasPrefix(transfers[1], demo.MovedToRefugeName+": due by ") || strings.HasSuffix(transfers[1], "(overdue)") {
		t.Errorf("the home page's file transfers read %q, want %s overdue, then %s due", transfers, demo.MovedAwayName, demo.MovedToRefugeName)
	}
	if got := b.text("//*[@id='retention']"); !strings.Contains(got, "1 child protection file has passed its retention date") {
		t.Errorf("the home page's files due for review read %q, want 1 file", got)
	}
	b.checkPage()

	b.tabTo("the link to file transfers", func(_, text string) bool { return text == "Open file transfers" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "File transfers" {
		t.Fatalf("heading %q", got)
	}
	rows := b.texts("//ul[@id='transfers-to-do']/li")
	if len(rows) != 2 || !strings.Contains(rows[0], demo.MovedAwayName) || !strings.Contains(rows[0], "Overdue") ||
		!strings.Contains(rows[1], demo.MovedToRefugeName) || strings.Contains(rows[1], "Overdue") {
		t.Errorf("the files to transfer read %q", rows)
	}
	b.checkPage()

	b.visit("/home")
	b.tabTo("the link to the retention page", func(_, text string) bool { return text == "Review the files" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Files due for review" {
		t.Fatalf("heading %q", got)
	}
	if body := b.bodyText(); !strings.Contains(body, demo.FormerPupilName) {
		t.Errorf("the retention page does not list %s:\n%s", demo.FormerPupilName, body)
	}
	b.checkPage()
}

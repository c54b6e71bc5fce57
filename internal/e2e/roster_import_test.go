package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRosterImportJourney: the administrator, on a phone, goes from their
// home page to the import by keyboard, uploads a pupil file with two bad
// lines and sees both with their line numbers, nothing imported; uploads
// the fixed file, checks the preview and imports it. A member of staff then
// finds a new pupil, by the name she goes by, in the concern form's search.
func TestRosterImportJourney(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("admin@demo.test")
	b.tabTo("the link to the import", func(_, text string) bool { return text == "Import pupils or staff" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/settings/import" {
		t.Fatalf("the link led to %s", got)
	}
	if got := b.heading(); got != "Import the roster" {
		t.Errorf("heading %q", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()
	b.openDetails("Which columns Haven reads")
	if got := b.text(details("Which columns Haven reads")); !strings.Contains(got, "Date of birth (required): Date of Birth, DOB") {
		t.Errorf("the guide to the columns says %q", shorten(got, 300))
	}
	b.noSidewaysScroll()
	b.checkA11y()

	b.checkByLabel("Pupils")
	b.uploadFile("Upload a CSV file", "testdata/pupils-with-problems.csv")
	b.clickButton("Preview the import")
	if !b.exists("//*[contains(@class, 'govuk-error-summary')]") {
		t.Fatal("no error summary for a file with two bad lines")
	}
	problems := b.texts("//ul[@id='problems']/li")
	if len(problems) != 2 || !strings.HasPrefix(problems[0], "Line 3, column “DOB”, found “31/02/2013”") ||
		!strings.HasPrefix(problems[1], "Line 5, column “Year”, found “Year 15”") {
		t.Errorf("the problems listed are %q, want lines 3 and 5", problems)
	}
	if got := b.text("//*[contains(@class, 'govuk-error-summary')]"); !strings.Contains(got, "pupils-with-problems.csv has 2 problems") {
		t.Errorf("the error summary says %q", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()
	var n int
	if err := a.owner(t).QueryRow(t.Context(), `SELECT count(*) FROM pupils WHERE last_name = 'Quillfeather'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a file with problems imported %d pupils (%v)", n, err)
	}

	// The choice of pupils is kept; the fixed file is uploaded.
	if !b.isCheckedByLabel("Pupils") {
		t.Error("the choice of pupils was lost")
	}
	b.uploadFile("Upload a CSV file", "testdata/pupils.csv")
	b.clickButton("Preview the import")
	if got := b.heading(); got != "Check the import" {
		t.Fatalf("heading %q after uploading the fixed file", got)
	}
	if got := b.text("//dl"); !strings.Contains(got, "New pupils 4") {
		t.Errorf("the preview says %q, want 4 new pupils", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()
	b.tabToButton("Import")
	b.pressEnterAndWait()
	if got := b.heading(); got != "Import complete" {
		t.Fatalf("heading %q after importing", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()
	b.signOut()

	b.signIn("staff@demo.test")
	b.visit("/concerns/new")
	if strings.HasPrefix(b.heading(), "You started a concern on ") {
		b.clickButton("Start a new concern")
	}
	b.within(fieldset(subjectLegend)).checkByLabel("A child or children")
	b.fillByLabel("Search for a pupil by name", "Zeph")
	b.clickButton("Find pupils")
	b.within(fieldset(pupilsLegend)).checkByLabel("Zeph Quillfeather")
	b.signOut()

	// The DSL's file of the pupil gives her legal name and the
	// circumstances the roster flags.
	var id int64
	if err := a.owner(t).QueryRow(t.Context(), `SELECT id FROM pupils WHERE upn = 'Y100000000011'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	b.signIn("dsl@demo.test")
	b.visit(fmt.Sprintf("/pupils/%d", id))
	if got := b.text("//dl"); !strings.Contains(got, "Legal name Zephyrine Quillfeather") || !strings.Contains(got, "Circumstances SEND") {
		t.Errorf("the child's file says %q", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()
}

// uploadFile chooses the file at path (relative to this package) in the
// file input labelled label.
func (b *tab) uploadFile(label, path string) {
	b.t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		b.t.Fatal(err)
	}
	id := b.controlFor(label)
	if _, err := chromedp.Run(b.ctx, chromedp.SetUploadFiles(chromedp.ID(id), []string{abs})); err != nil {
		b.fatalf("choose %s in %q: %v", path, label, err)
	}
}

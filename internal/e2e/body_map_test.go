package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBodyMapAndAttachmentJourney: the DSL marks a bruise on the body map
// by keyboard alone, choosing where from the list of regions, never the
// outline; the mark shows on the concern and on the child's file. Then
// they attach a letter as a PDF, and a file that is not one is refused
// with what they typed kept. Every page passes axe and fits a phone.
func TestBodyMapAndAttachmentJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	id := a.logAsStaff(t, "staff@demo.test", child.ID, "Noticed a bruise on her arm when she rolled up her sleeve in art.")
	ref := "/concerns/" + strconv.FormatInt(id, 10)

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit(ref)

	// By keyboard: open the body map's form, choose the region from the
	// list by typing, describe the mark, and send it with Enter.
	const summary = "A body map: where an injury or mark was seen"
	dsl.tabTo("the body map's form", func(_, text string) bool { return text == summary })
	dsl.press(kb.Enter)
	if !dsl.exists(details(summary) + "[@open]") {
		t.Fatal("Enter did not open the body map's form")
	}
	dsl.checkPage()
	dsl.tabToLabel("Where on the body")
	dsl.press("Front: Left forearm")
	if got := dsl.valueByLabel("Where on the body"); got != "front:left_forearm" {
		t.Fatalf("typing chose %q, not the left forearm", got)
	}
	dsl.tabToLabel("Describe the mark")
	dsl.press("Bruise about 3 cm across, purple. She said she walked into a door.")
	dsl.tabToButton("Add the body map")
	dsl.pressEnterAndWait()
	if got := dsl.banner(); got != "Body map added to the chronology" {
		t.Fatalf("banner %q", got)
	}
	entry := dsl.within("//li[starts-with(@id,'entry-')][.//h3[contains(normalize-space(),'Body map')]]")
	if text := entry.bodyText(); !strings.Contains(text, "Front: left forearm") || !strings.Contains(text, "She said she walked into a door") {
		t.Errorf("the chronology shows %q", text)
	}
	if entry.count("//*[local-name()='circle'][contains(@class,'haven-body-map__mark')]") != 1 {
		t.Error("the mark is not drawn on the outline")
	}
	dsl.checkPage()

	dsl.visit("/pupils/" + strconv.FormatInt(child.ID, 10))
	if !strings.Contains(dsl.bodyText(), "Front: left forearm") {
		t.Error("the child's file does not show the body map")
	}
	dsl.checkPage()

	// A letter, scanned as a PDF, kept with the concern.
	dir := t.TempDir()
	letter := filepath.Join(dir, "Letter from CSC.pdf")
	notes := filepath.Join(dir, "notes.pdf")
	if err := os.WriteFile(letter, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notes, []byte("#!/bin/sh\necho not a PDF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dsl.visit(ref)
	if !strings.Contains(dsl.bodyText(), "indecent image of a child") {
		t.Error("the upload form does not warn against indecent images of a child")
	}
	form := dsl.within("//form[@id='attach-form']")
	form.fillByLabel("What the file is (optional)", "Letter from children's social care")
	form.uploadFile("Choose the file", notes)
	form.clickButton("Add the file")
	if errs := dsl.texts("//*[contains(@class,'govuk-error-summary')]//li"); len(errs) != 1 || !strings.Contains(errs[0], "must be a PDF, PNG or JPEG") {
		t.Fatalf("errors %v", errs)
	}
	if got := dsl.valueByLabel("What the file is (optional)"); got != "Letter from children's social care" {
		t.Errorf("the description came back as %q", got)
	}
	dsl.checkPage()
	form = dsl.within("//form[@id='attach-form']")
	form.uploadFile("Choose the file", letter)
	form.clickButton("Add the file")
	if got := dsl.banner(); got != "File added" {
		t.Fatalf("banner %q", got)
	}
	files := dsl.texts("//ul[contains(@class,'haven-attachments')]/li")
	if len(files) != 1 || !strings.Contains(files[0], "Letter from CSC.pdf") || !strings.Contains(files[0], "PDF") ||
		!strings.Contains(files[0], "Dana Lead") || !strings.Contains(files[0], "Letter from children's social care") {
		t.Errorf("the files listed: %q", files)
	}
	dsl.checkPage()
}

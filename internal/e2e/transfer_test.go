package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestTransferJourney: the demo school's DSL marks a pupil with a
// child-protection file as left, by keyboard, and sees the file due on
// their home page; the second demo school's DSL, on a phone, reads out
// their transfer key; the first DSL enters it, compares the fingerprint
// and makes the bundle. The second DSL uploads it with a wrong signing key
// (refused, nothing imported), then the right one, reads the file and
// confirms receipt; the first DSL sees "receipt confirmed".
func TestTransferJourney(t *testing.T) {
	a := newApp(t)
	owner := a.owner(t)
	var dslID int64
	if err := owner.QueryRow(t.Context(), `SELECT id FROM people WHERE email = 'dsl@demo.test'`).Scan(&dslID); err != nil {
		t.Fatal(err)
	}
	dsl, err := a.DB.Viewer(t.Context(), dslID)
	if err != nil {
		t.Fatal(err)
	}
	pupil := a.Demo.Pupils[20]
	if _, err := owner.Exec(t.Context(), `UPDATE pupils SET upn = 'T123456789012' WHERE id = $1`, pupil.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.DB.LogConcern(t.Context(), dsl, safeguarding.ConcernInput{SubmissionToken: "6b0f3c1e-0000-4000-8000-000000000001",
		SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{pupil.ID}, Categories: []string{"neglect"},
		WhatHappened: "Came to school hungry three days running.", HappenedOn: safeguarding.DateInEngland(time.Now()),
		Parts: []safeguarding.PupilPart{{PupilID: pupil.ID, Part: safeguarding.PartHarmed, ChildsWords: "There was no food at home."}}}); err != nil {
		t.Fatal(err)
	}
	pupilPath := "/pupils/" + strconv.FormatInt(pupil.ID, 10)

	first := newTab(t, a)
	first.signIn("dsl@demo.test")
	first.visit(pupilPath)
	first.tabTo("the link to the transfer page", func(_, text string) bool { return text == "Transfer the file" })
	first.pressEnterAndWait()
	if got := first.path(); got != pupilPath+"/transfer" {
		t.Fatalf("the link led to %s", got)
	}
	first.checkPage()
	day, month, year := today()
	left := first.within(fieldset("The day they left"))
	left.tabToLabel("Day")
	first.press(day)
	left.tabToLabel("Month")
	first.press(month)
	left.tabToLabel("Year")
	first.press(year)
	first.tabToButton("Mark as left")
	first.pressEnterAndWait()
	if got := first.banner(); got != "The pupil has been marked as left." {
		t.Fatalf("after marking as left, the banner says %q", got)
	}
	first.checkPage()
	first.visit("/home")
	if got := first.text("//*[@id='file-transfers']"); !strings.Contains(got, pupil.Name()+": due by") {
		t.Errorf("the home page's transfers read %q, want %s due", got, pupil.Name())
	}
	first.visit("/transfers")
	first.checkPage()

	second := newTab(t, a)
	second.phoneWidth()
	second.signIn(demo.SecondAccounts[0].Email)
	second.visit("/settings/transfer-keys")
	second.checkPage()
	recipient, recipientPrint := second.text("//code[@id='transfer-key']"), second.text("//*[@id='transfer-key-fingerprint']")
	if !strings.HasPrefix(recipient, "age1") || len(strings.Fields(recipientPrint)) != 5 {
		t.Fatalf("the second school's key reads %q, fingerprint %q", recipient, recipientPrint)
	}

	first.visit("/settings/transfer-keys")
	first.checkPage()
	signingKey, signingPrint := first.text("//code[@id='signing-key']"), first.text("//*[@id='signing-key-fingerprint']")
	first.visit(pupilPath + "/transfer")
	first.fillByLabel("The new school", demo.SecondSchoolName)
	first.fillByLabel("The new school's transfer key", recipient)
	first.clickButton("Continue")
	if got := first.text("//*[@id='recipient-fingerprint']"); got != recipientPrint {
		t.Fatalf("the fingerprint to compare reads %q, want %q as the second school's page shows", got, recipientPrint)
	}
	first.checkPage()
	first.tabToButton("The fingerprints match: make the bundle")
	first.pressEnterAndWait()
	if got := first.banner(); !strings.HasPrefix(got, "The bundle has been made") {
		t.Fatalf("after making the bundle, the banner says %q", got)
	}
	first.checkPage()
	href := first.attr("//a[normalize-space()='Download the bundle']", "href")
	bundle, err := chromedp.Run(first.ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href)+`).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the bundle: %v", err)
	}
	if !strings.HasPrefix(bundle, "-----BEGIN AGE ENCRYPTED FILE-----") {
		t.Fatalf("the download is not an age file: %.60q", bundle)
	}
	file := filepath.Join(t.TempDir(), "transfer.age")
	if err := os.WriteFile(file, []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}

	second.visit("/transfers/import")
	second.checkPage()
	second.uploadFile("The bundle", file)
	second.fillByLabel("The sending school's signing key", "haven-ed25519:"+strings.Repeat("A", 43)+"=")
	second.clickButton("Import the file")
	if got := second.text("//*[@id='sender-key-error']"); !strings.Contains(got, "not signed by the signing key you gave") {
		t.Errorf("a wrong signing key: the field's message reads %q", got)
	}
	second.checkPage()
	var n int
	if err := owner.QueryRow(t.Context(), `SELECT count(*) FROM received_files`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d received files after a refused import (%v)", n, err)
	}
	second.uploadFile("The bundle", file)
	second.fillByLabel("The sending school's signing key", signingKey)
	second.clickButton("Import the file")
	if got := second.heading(); got != "Transferred from "+demo.SchoolName {
		t.Fatalf("after importing, the heading reads %q; errors %q", got, second.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if body := second.bodyText(); !strings.Contains(body, "There was no food at home.") || !strings.Contains(body, "T123456789012") {
		t.Errorf("the received file does not show the pupil's words and UPN: %s", shorten(body, 400))
	}
	// The receiving DSL sees that the signature was checked, against the
	// key the sending school's page shows, and that the signed bundle is
	// kept for haven verify.
	summary := func(key string) string {
		return second.text(`//dt[normalize-space()="` + key + `"]/following-sibling::dd`)
	}
	if got := summary("Sender's signing key fingerprint"); got != signingPrint {
		t.Errorf("the received file's sender fingerprint reads %q, want %q as the sending school's page shows", got, signingPrint)
	}
	if got := summary("Signature"); !strings.HasPrefix(got, "Checked when the file was imported") {
		t.Errorf("the received file's signature reads %q", got)
	}
	if got := summary("Signed bundle"); !strings.HasPrefix(got, "Kept as it was signed") {
		t.Errorf("the received file's signed bundle reads %q", got)
	}
	second.checkPage()
	second.tabToButton("Confirm receipt")
	second.pressEnterAndWait()
	if got := second.banner(); got != "Receipt confirmed." {
		t.Fatalf("after confirming, the banner says %q", got)
	}
	if got := second.text("//code[@id='receipt']"); !strings.HasPrefix(got, "HAVEN-RECEIPT-1.") {
		t.Errorf("the receipt reads %q", got)
	}
	second.checkPage()

	first.visit(pupilPath + "/transfer")
	if got := first.bodyText(); !strings.Contains(got, "Receipt confirmed by "+demo.SecondSchoolName) {
		t.Errorf("the sending DSL's page does not show the receipt: %s", shorten(got, 600))
	}
	first.checkPage()
	first.visit("/home")
	if got := first.bodyText(); strings.Contains(got, pupil.Name()+": due by") {
		t.Error("the home page still lists the transfer after it was sent")
	}
}

package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestDeadlinesJourney: the DSL, on a phone, records a referral made last
// Friday and sees its response due on the Monday after (the Tuesday when
// that Monday is a bank holiday); the answer "no statutory investigation"
// reveals the next step; the Due view lists the concern and the header
// counts what is overdue, a leaver's file to transfer among them, whose
// link leads to the pupil's transfer page; the DSL adds and removes closure days by
// keyboard. Every page is checked with axe and at 390 px.
func TestDeadlinesJourney(t *testing.T) {
	a := newApp(t)
	pupils := a.uniquePupils(t, 2)
	child, leaver := pupils[0], pupils[1]
	id := a.logAsStaff(t, "staff@demo.test", child.ID, "Came in with a bruise on the arm and would not say how.")
	ref := "/concerns/" + strconv.FormatInt(id, 10)
	// A pupil with a file who left three weeks ago: their file's transfer,
	// five working days on, is overdue whatever bank holidays fell between.
	a.logAsStaff(t, "staff@demo.test", leaver.ID, "Said there was no one at home over the weekend.")
	var dslID int64
	if err := a.owner(t).QueryRow(t.Context(), `SELECT id FROM people WHERE email = 'dsl@demo.test'`).Scan(&dslID); err != nil {
		t.Fatal(err)
	}
	dslViewer, err := a.DB.Viewer(t.Context(), dslID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.MarkLeft(t.Context(), dslViewer, leaver.ID, safeguarding.DateInEngland(time.Now()).AddDate(0, 0, -21)); err != nil {
		t.Fatal(err)
	}
	transferPath := "/pupils/" + strconv.FormatInt(leaver.ID, 10) + "/transfer"

	friday := safeguarding.DateInEngland(time.Now()).AddDate(0, 0, -1)
	for friday.Weekday() != time.Friday {
		friday = friday.AddDate(0, 0, -1)
	}
	due := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil).DueOn(safeguarding.DeadlineReferralResponse, friday)
	if wd := due.Weekday(); wd != time.Monday && wd != time.Tuesday {
		t.Fatalf("a referral on Friday %s is due on a %s", friday.Format(time.DateOnly), wd)
	}

	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	b.visit(ref)
	f := b.openDetails("A referral")
	f.within(fieldset("Agency")).checkByLabel("Children's social care (CSCS)")
	referred := f.within(fieldset("Date of the referral"))
	referred.fillByLabel("Day", strconv.Itoa(friday.Day()))
	referred.fillByLabel("Month", strconv.Itoa(int(friday.Month())))
	referred.fillByLabel("Year", strconv.Itoa(friday.Year()))
	f.clickButton("Add the referral")
	b.checkReturnedToNewEntry()
	wantDue := "Due " + due.Format("Monday 2 January 2006")
	if got := b.text("//h2[@id='deadlines']/following-sibling::dl[1]"); !strings.Contains(got, "Response to a referral (Children's social care (CSCS))") || !strings.Contains(got, wantDue) {
		t.Errorf("the concern's deadlines read %q, want the response %s", got, wantDue)
	}
	if safeguarding.Overdue(due, time.Now()) && !b.exists("//h2[@id='deadlines']/following-sibling::dl[1]//strong[normalize-space()='Overdue']") {
		t.Error("the overdue response has no Overdue tag")
	}
	b.checkPage()

	// "No statutory investigation" reveals the next step, without scripts
	// too, and the page stays accessible with it shown.
	f = b.openDetails("A response to a referral")
	f.within(fieldset("Will the agency carry out a statutory investigation?")).checkByLabel("No statutory investigation")
	if !f.exists("//div[@id='conditional-statutory-no']//label[normalize-space()='Early help']") || f.attr("//div[@id='conditional-statutory-no']", "class") == "" {
		t.Fatal("no next step under \"No statutory investigation\"")
	}
	visible := eval[bool](b, "see the next step", `getComputedStyle(document.getElementById("conditional-statutory-no")).display !== "none"`)
	if !visible {
		t.Error("the next step stays hidden once \"No statutory investigation\" is chosen")
	}
	b.checkA11y()

	// The header's Due link, reached by keyboard, with the overdue count.
	// On a phone the header's menu opens first.
	b.visit("/home")
	b.tabTo("the menu button", func(_, text string) bool { return text == "Menu" })
	b.press(kb.Enter)
	b.tabTo("the Due link", func(_, text string) bool { return strings.HasPrefix(text, "Due") && len(text) < 12 })
	_, label := b.focused()
	b.pressEnterAndWait()
	if got := b.path(); got != "/due" {
		t.Fatalf("the Due link led to %s", got)
	}
	if got := b.heading(); got != "Due" {
		t.Errorf("heading %q", got)
	}
	if !b.exists("//main//a[@href='" + ref + "']") {
		t.Error("the Due view does not list the concern")
	}
	// The leaver's transfer is there too, overdue, named by year group
	// alone, linking to the pupil's transfer page.
	transfer := "//main//li[.//a[@href='" + transferPath + "']]"
	if !b.exists(transfer + "//strong[normalize-space()='Overdue']") {
		t.Error("the Due view does not list the leaver's transfer as overdue")
	}
	if got := b.text(transfer); !strings.Contains(got, "Transfer of a leaver's file") || !strings.Contains(got, "A pupil in Year") || strings.Contains(got, leaver.Name) {
		t.Errorf("the transfer reads %q", got)
	}
	// The header counts what the view says is overdue.
	if said := b.text("//main//p/strong[contains(., 'overdue')]"); said != "" {
		n, _ := strconv.Atoi(strings.TrimSuffix(said, " overdue."))
		if want := "Due (" + strconv.Itoa(n) + ")"; n < 100 && label != want {
			t.Errorf("the header says %q, the view %q", label, said)
		}
	} else if label != "Due" {
		t.Errorf("the header says %q with nothing overdue", label)
	}
	b.checkPage()
	b.tabTo("the transfer's link", func(_, text string) bool { return strings.HasPrefix(text, "Transfer of a leaver's file") })
	b.pressEnterAndWait()
	if got := b.path(); got != transferPath {
		t.Fatalf("the transfer's link led to %s", got)
	}
	b.checkPage()

	// Closure days, by keyboard: an INSET day added, then removed.
	b.visit("/home")
	b.tabTo("the link to the closure days", func(_, text string) bool { return text == "Set the closure days" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Closure days" {
		t.Fatalf("heading %q", got)
	}
	b.checkPage()
	inset := time.Now().AddDate(0, 1, 0)
	from := b.within(fieldset("First day closed"))
	from.tabToLabel("Day")
	b.press(strconv.Itoa(inset.Day()))
	from.tabToLabel("Month")
	b.press(strconv.Itoa(int(inset.Month())))
	from.tabToLabel("Year")
	b.press(strconv.Itoa(inset.Year()))
	b.tabToButton("Add closure days")
	b.pressEnterAndWait()
	if b.count("//*[contains(@class,'govuk-error-summary')]//li") != 2 {
		t.Errorf("a closure with no last day and no reason: errors %q", b.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if got := b.within(fieldset("First day closed")).valueByLabel("Year"); got != strconv.Itoa(inset.Year()) {
		t.Errorf("the first day typed was lost: year %q", got)
	}
	b.checkPage()
	to := b.within(fieldset("Last day closed"))
	to.fillByLabel("Day", strconv.Itoa(inset.Day()))
	to.fillByLabel("Month", strconv.Itoa(int(inset.Month())))
	to.fillByLabel("Year", strconv.Itoa(inset.Year()))
	b.tabToLabel("Why the school is closed")
	b.press("INSET day")
	b.tabToButton("Add closure days")
	b.pressEnterAndWait()
	if got := b.banner(); got != "The closure days have been added." {
		t.Fatalf("banner %q; errors %q", got, b.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if got := b.text("//main//dl"); !strings.Contains(got, "INSET day") || !strings.Contains(got, inset.Format("2 January 2006")) {
		t.Errorf("the closure days read %q", got)
	}
	b.checkPage()
	b.tabTo("the remove button", func(_, text string) bool { return strings.HasPrefix(text, "Remove") })
	b.pressEnterAndWait()
	if got := b.banner(); got != "The closure days have been removed." {
		t.Errorf("after removing, the banner says %q", got)
	}
	b.checkPage()
}

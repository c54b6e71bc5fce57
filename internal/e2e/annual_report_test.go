package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/report"
)

// TestAnnualReportJourney: a governor, on a phone, goes from their home
// page to the annual report by keyboard, finds last year's figures with the
// year before beside them, chooses this year with the year chooser, and the
// report prints without the menu and without splitting a table.
func TestAnnualReportJourney(t *testing.T) {
	a := newApp(t)
	// The demo school's past, as `make run` loads it: this academic year
	// and the last.
	if err := demo.PlanHistory(time.Now()).Load(t.Context(), a.DB, a.Demo); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("governor@demo.test")
	b.tabTo("the link to the annual report", func(_, text string) bool { return text == "Open the annual report" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/reports/annual" {
		t.Fatalf("the link led to %s", got)
	}
	last := report.YearOf(time.Now()).Previous()
	if got := b.heading(); !strings.Contains(got, "Annual safeguarding report") || !strings.Contains(got, last.String()) {
		t.Errorf("heading %q, want last year's report (%s)", got, last)
	}
	if got := b.texts("//table[caption='Concerns by month']//thead//th"); len(got) != 3 || got[1] != last.String() || got[2] != last.Previous().String() {
		t.Errorf("the month table's columns are %q, want this year and the one before", got)
	}
	if got := b.text("//table[caption='Concerns by month']//tr[th='Total']/td[1]"); got == "" || got == "0" {
		t.Errorf("last year's total of concerns is %q", got)
	}
	b.noSidewaysScroll()
	b.checkA11y()

	// This year, chosen with the keyboard.
	this := report.YearOf(time.Now())
	b.selectByLabel("Academic year", this.String())
	b.tabToButton("Show the year")
	b.pressEnterAndWait()
	if got := b.heading(); !strings.Contains(got, this.String()) {
		t.Errorf("after choosing %s the heading is %q", this, got)
	}
	b.checkPage()

	// Printed: no menu or year chooser, and no table split across pages.
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if shown := eval[bool](b, "the menu when printed", `getComputedStyle(document.querySelector(".govuk-service-navigation")).display !== "none"`); shown {
		t.Error("the menu prints")
	}
	if shown := eval[bool](b, "the year chooser when printed", `getComputedStyle(document.querySelector(".haven-report__chooser")).display !== "none"`); shown {
		t.Error("the year chooser prints")
	}
	if split := eval[int](b, "tables that may split", `[...document.querySelectorAll(".haven-report__table")].filter(e => getComputedStyle(e).breakInside !== "avoid").length`); split != 0 {
		t.Errorf("%d tables may split across pages", split)
	}
}

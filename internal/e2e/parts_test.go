package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// maxConcernFormHeight is the tallest the concern form may be, at 1280×800,
// for a concern about one child with the §5.2 checklist folded.
const maxConcernFormHeight = 3500

// TestPupilPartsJourney: a member of staff logs a concern about two pupils,
// each with their own part, signs and words; the DSL sees both on the
// concern, records a conversation with one of them, and each pupil's file
// holds only their own part, words and the entries about them or the whole
// concern, and fits a phone.
func TestPupilPartsJourney(t *testing.T) {
	a := newApp(t)
	ps := a.uniquePupils(t, 2)
	alpha, bravo := ps[0], ps[1]

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	staff.visit("/concerns/new")
	staff.within(fieldset(subjectLegend)).checkByLabel("A child or children")
	staff.fillByLabel("Search for a pupil by name", alpha.Name)
	staff.clickButton("Find pupils")
	staff.within(fieldset(pupilsLegend)).checkByLabel(alpha.Name)
	staff.clickButton("Find pupils") // drawn again with the one child chosen

	t.Run("TheFormForOneChildIsShort", func(t *testing.T) {
		if staff.exists(details(indicatorsSummary) + "[@open]") {
			t.Fatal("the §5.2 checklist is open with nothing ticked")
		}
		if h := staff.documentHeightAt(1280, 800); h > maxConcernFormHeight {
			t.Errorf("the concern form for one child is %d px tall at 1280×800, want at most %d", h, maxConcernFormHeight)
		} else {
			t.Logf("the concern form for one child is %d px tall at 1280×800", h)
		}
		// The one child's part is a line, folded: the child harmed or at risk.
		if !staff.exists(details(alpha.Name + ": The child harmed or at risk. Change their part")) {
			t.Errorf("no folded part for %s; sections: %v", alpha.Name, staff.texts("//details/summary"))
		}
		staff.checkA11y()
	})

	t.Run("TheChecklistIsForAChild", func(t *testing.T) {
		hidden := func() bool {
			return eval[bool](staff, "is the checklist hidden", `document.querySelector('[data-shown-for-subject="pupils"]').hidden`)
		}
		staff.within(fieldset(subjectLegend)).checkByLabel("A member of staff")
		if !hidden() {
			t.Error("the §5.2 checklist is shown for a concern about a member of staff")
		}
		staff.within(fieldset(subjectLegend)).checkByLabel("A child or children")
		if hidden() {
			t.Error("the §5.2 checklist is hidden for a concern about a child")
		}
	})

	staff.fillByLabel("Search for a pupil by name", bravo.Name)
	staff.clickButton("Find pupils")
	staff.within(fieldset(pupilsLegend)).checkByLabel(bravo.Name)
	staff.clickButton("Find pupils")
	section := func(p pupil) *tab {
		return staff.within("//div[contains(@class,'govuk-inset-text')][h3[bdi[normalize-space()=" + xpathString(p.Name) + "]]]")
	}
	t.Run("EachChildHasASection", func(t *testing.T) {
		for _, p := range ps {
			if !staff.exists(section(p).scope) {
				t.Fatalf("no section for %s", p.Name)
			}
		}
		if staff.exists(details(indicatorsSummary)) {
			t.Error("the concern's own checklist is asked as well as each child's")
		}
		staff.checkA11y()
	})
	staff.within(fieldset(categoryLegend)).checkByLabel("Child-on-child abuse")
	section(alpha).fillByLabel("What they said, in their own words (optional)", "ALPHA-words: they wait for me by the lockers.")
	section(alpha).openDetails("Signs of child sexual exploitation seen in them (policy §5.2)").checkByLabel("Being secretive")
	section(bravo).within(fieldset("Their part")).checkByLabel("The child who harmed")
	section(bravo).fillByLabel("What they said, in their own words (optional)", "BRAVO-words: it was a joke.")
	section(bravo).openDetails("Signs of child sexual exploitation seen in them (policy §5.2)").checkByLabel("Consuming alcohol or drugs")
	staff.fillByLabel("What happened?", "SHARED-account: pushed against the lockers at break.")
	day, month, year := today()
	when := staff.within(fieldset(whenLegend))
	when.fillByLabel("Day", day)
	when.fillByLabel("Month", month)
	when.fillByLabel("Year", year)
	staff.within(fieldset(urgentLegend)).checkByLabel("No")
	staff.clickButton("Log concern")
	m := loggedPath.FindStringSubmatch(staff.path())
	if m == nil {
		t.Fatalf("not logged; errors: %v", staff.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	ref := m[1]

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit("/concerns/" + ref)
	t.Run("TheConcernShowsEachChildsPart", func(t *testing.T) {
		page := dsl.bodyText()
		for _, want := range []string{"ALPHA-words", "BRAVO-words", "The child who harmed", "The child harmed or at risk",
			"Being secretive", "Consuming alcohol or drugs", "SHARED-account"} {
			if !strings.Contains(page, want) {
				t.Errorf("the concern page lacks %q", want)
			}
		}
		dsl.checkA11y()
	})

	conversation := dsl.openDetails("A conversation with the child")
	conversation.within(fieldset("Which child was it with?")).checkByLabel(alpha.Name)
	conversation.fillByLabel("What the child said, including their wishes and feelings", "ALPHA-conversation: wants it to stop.")
	dsl.clickButton("Add the conversation")
	if got := dsl.banner(); !strings.Contains(got, "added") {
		t.Fatalf("banner %q after adding the conversation; errors %v", got, dsl.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if !strings.Contains(dsl.bodyText(), "About") {
		t.Error("the conversation does not say whom it is about")
	}

	for _, tc := range []struct {
		p          pupil
		own, other string
	}{{alpha, "ALPHA-", "BRAVO-"}, {bravo, "BRAVO-", "ALPHA-"}} {
		t.Run("TheFileOf"+strings.Fields(tc.own)[0], func(t *testing.T) {
			dsl.visit("/pupils/" + strconv.FormatInt(tc.p.ID, 10))
			page := dsl.bodyText()
			if strings.Contains(page, tc.other) {
				t.Errorf("%s's file holds the other pupil's %q", tc.p.Name, tc.other)
			}
			for _, want := range []string{tc.own + "words", "SHARED-account"} {
				if !strings.Contains(page, want) {
					t.Errorf("%s's file lacks %q", tc.p.Name, want)
				}
			}
			if tc.own == "ALPHA-" && !strings.Contains(page, "ALPHA-conversation") {
				t.Error("the conversation with Alpha is not on Alpha's file")
			}
			dsl.checkA11y()
		})
	}
}

// documentHeightAt is the page's height in CSS pixels in a window of the
// given size.
func (b *tab) documentHeightAt(width, height int64) int {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.EmulateViewport(width, height)); err != nil {
		b.t.Fatal(err)
	}
	defer chromedp.Run(b.ctx, chromedp.EmulateReset())
	return eval[int](b, "measure the page", `document.documentElement.scrollHeight`)
}

package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fillHappenedAt answers an entry form's "When did this happen?" with at,
// as the school's clock reads it.
func (b *tab) fillHappenedAt(form *tab, at time.Time) {
	b.t.Helper()
	at = at.In(london)
	when := form.within(fieldset("When did this happen? (optional)"))
	when.fillByLabel("Day", strconv.Itoa(at.Day()))
	when.fillByLabel("Month", strconv.Itoa(int(at.Month())))
	when.fillByLabel("Year", strconv.Itoa(at.Year()))
	when.fillByLabel("Time", at.Format("15:04"))
}

var entryFragment = regexp.MustCompile(`^#entry-[0-9]+$`)

// checkReturnedToNewEntry checks that the concern page came back at the
// entry just added: the address names it, it has the keyboard focus, and
// it is in view, whatever the length of the page above it.
func (b *tab) checkReturnedToNewEntry() {
	b.t.Helper()
	hash := eval[string](b, "read the fragment", `window.location.hash`)
	if !entryFragment.MatchString(hash) {
		b.t.Errorf("the page came back at %q, not at an entry", hash)
		return
	}
	deadline := time.Now().Add(2 * time.Second)
	for eval[string](b, "read the focus", `document.activeElement ? document.activeElement.id : ""`) != hash[1:] {
		if time.Now().After(deadline) {
			b.t.Errorf("the focus is on %q, not on the new entry %s", eval[string](b, "read the focus", `document.activeElement.outerHTML.slice(0, 80)`), hash)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	inView := eval[bool](b, "measure the entry", `((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight && window.scrollY > 0 })(document.getElementById(`+jsString(hash[1:])+`))`)
	if !inView {
		b.t.Errorf("the new entry %s is not in view", hash)
	}
}

// TestEntrySurvivesSessionExpiryJourney: the DSL types a long entry, goes
// away, and comes back after their session has ended. Pressing the button
// takes them to sign in; signing in takes them back to the concern with
// what they typed in its form, not yet added; adding it then works.
func TestEntrySurvivesSessionExpiryJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	id := a.logAsStaff(t, "staff@demo.test", child.ID, "Seen getting into a car after college with an older man.")
	ref := "/concerns/" + strconv.FormatInt(id, 10)
	const typed = "Spoke to the police liaison officer, who will check the car's registration. Typed slowly, over an hour."

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit(ref)
	f := dsl.openDetails("An action taken")
	f.fillByLabel("What was done", typed)
	dsl.fillHappenedAt(f, time.Now().Add(-time.Hour))
	if _, err := a.owner(t).Exec(t.Context(), `UPDATE sessions SET expiry = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	f.clickButton("Add the action")
	if !strings.HasPrefix(dsl.path(), "/sign-in?") || !strings.Contains(dsl.bodyText(), "the entry you were writing has been kept") {
		t.Fatalf("after the session ended: %s", dsl.path())
	}
	dsl.fillByLabel("Email address", "dsl@demo.test")
	dsl.fillByLabel("Password", demoPassword)
	dsl.clickButton("Sign in")
	dsl.enterCode("dsl@demo.test")
	if got, hash := dsl.path(), eval[string](dsl, "read the fragment", `window.location.hash`); got != ref || hash != "#form-action" {
		t.Fatalf("signing in led to %s%s, want %s#form-action", got, hash, ref)
	}
	if got := dsl.within(details("An action taken")).valueByLabel("What was done"); got != typed {
		t.Fatalf("the action's text after signing in again: %q", got)
	}
	if !strings.Contains(dsl.bodyText(), "The entry you were writing has been kept in its form below") {
		t.Error("the page does not say the entry was kept and not yet added")
	}
	// By keyboard alone, as a DSL who does not use a mouse would.
	dsl.within(details("An action taken")).tabToButton("Add the action")
	dsl.pressEnterAndWait()
	dsl.checkReturnedToNewEntry()
	// The next Tab goes on from the new entry, not from the top of the page.
	dsl.press(kb.Tab)
	if after := eval[bool](dsl, "compare places", `(() => { const e = document.getElementById(location.hash.slice(1));
		return !!(e.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING) })()`); !after {
		t.Error("Tab from the new entry went to something above it")
	}
	if !strings.Contains(dsl.bodyText(), typed) {
		t.Error("the kept action was not added")
	}
}

// TestEntryAutosaveJourney: entry_draft.js keeps an entry as it is typed,
// so that leaving the page (a closed tab, a crash) loses nothing: the
// concern page gives it back, in its form.
func TestEntryAutosaveJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	id := a.logAsStaff(t, "staff@demo.test", child.ID, "Came to college with a new phone she would not explain.")
	ref := "/concerns/" + strconv.FormatInt(id, 10)
	const typed = "Keep in college; ask the police about the number that keeps calling her."

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit(ref)
	f := dsl.openDetails("A decision")
	f.fillByLabel("Decision", typed)
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(dsl.text(details("A decision")), "Draft saved at") {
		if time.Now().After(deadline) {
			t.Fatal("the decision being typed was not saved as a draft")
		}
		time.Sleep(200 * time.Millisecond)
	}
	dsl.visit("/home")
	dsl.visit(ref)
	if got := dsl.within(details("A decision")).valueByLabel("Decision"); got != typed {
		t.Fatalf("the decision after leaving the page: %q", got)
	}
	if !strings.Contains(dsl.bodyText(), "The entry you were writing has been kept in its form below") {
		t.Error("the page does not say the entry was kept")
	}
}

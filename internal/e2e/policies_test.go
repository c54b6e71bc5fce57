package e2e

import (
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/demo"
)

// TestPolicyReviewJourney: the chair's home page counts the overdue policy
// review; the DSL, by keyboard, goes from their home page to the policy
// register, where the overdue policy is listed first, opens it, mistypes
// the approval's year and is told so with every date kept, then records
// the review with the dates Haven prefilled, and the policy leaves the
// overdue list. Every page is checked for accessibility and at 390 px.
func TestPolicyReviewJourney(t *testing.T) {
	a := newApp(t)

	chair := newTab(t, a)
	chair.signIn("chair@demo.test")
	if body := chair.bodyText(); !strings.Contains(body, "1 policy is overdue for review") {
		t.Errorf("the chair's home page does not count the overdue review:\n%s", body)
	}
	chair.checkPage()

	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("dsl@demo.test")
	if !strings.Contains(b.bodyText(), "1 policy is overdue for review") {
		t.Errorf("the DSL's home page does not count the overdue review")
	}
	b.tabTo("the link to the policy register", func(_, text string) bool { return text == "Open the policy register" })
	b.pressEnterAndWait()
	if got := b.path(); got != "/policies" {
		t.Fatalf("the link led to %s", got)
	}
	if got := b.texts("//main//h2"); len(got) < 5 || got[0] != demo.OverduePolicy {
		t.Fatalf("the register lists %q, want %q first", got, demo.OverduePolicy)
	}
	b.tabTo("the overdue policy", func(_, text string) bool { return text == demo.OverduePolicy })
	b.pressEnterAndWait()
	if got := b.heading(); got != demo.OverduePolicy {
		t.Fatalf("heading %q", got)
	}
	if !strings.Contains(b.bodyText(), "Overdue") {
		t.Errorf("the policy is not shown as overdue")
	}
	policy := b.path()

	// A year that is no date: the page comes back with the error, the
	// next review's prefilled date kept.
	next := b.attr(`//input[@id="next-review-on-year"]`, "value")
	b.tabTo("the approval's year", func(id, _ string) bool { return id == "approved-on-year" })
	b.press("x")
	b.tabToButton("Record review")
	b.pressEnterAndWait()
	if !b.exists(`//div[contains(@class, "govuk-error-summary")]`) {
		t.Fatal("no error summary after a year that is no date")
	}
	if got := b.attr(`//input[@id="next-review-on-year"]`, "value"); got != next || next == "" {
		t.Errorf("the next review's year is %q after the error, want %q kept", got, next)
	}

	// The review as prefilled: approved today, next review a year on.
	b.visit(policy)
	b.tabToButton("Record review")
	b.pressEnterAndWait()
	if got := b.banner(); !strings.Contains(got, "The review has been recorded") {
		t.Errorf("banner %q", got)
	}
	if body := b.bodyText(); !strings.Contains(body, "In date") {
		t.Errorf("the reviewed policy is not in date")
	}
	b.visit("/policies")
	if got := b.texts("//main//h2"); len(got) > 0 && got[0] == demo.OverduePolicy {
		t.Errorf("the reviewed policy is still listed first: %q", got)
	}
	if strings.Contains(b.bodyText(), "overdue for review") {
		t.Errorf("the register still counts an overdue review")
	}
	b.visit("/home")
	if strings.Contains(b.bodyText(), "overdue for review") {
		t.Errorf("the DSL's home page still counts an overdue review")
	}
}

// TestAddAndRetirePolicyJourney: the principal, on a phone, adds a policy
// by keyboard, is told the title is missing with the owner kept, adds it,
// and retires it; it leaves the register. Every page, the error state
// included, is checked for accessibility and at 390 px.
func TestAddAndRetirePolicyJourney(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.phoneWidth()
	b.signIn("principal@demo.test")
	b.visit("/policies")
	b.tabTo("the add button", func(_, text string) bool { return text == "Add a policy" })
	b.pressEnterAndWait()
	if got := b.heading(); got != "Add a policy" {
		t.Fatalf("heading %q", got)
	}
	b.tabToLabel("Owner")
	b.press("Head of IT")
	b.tabToButton("Add policy")
	b.pressEnterAndWait()
	if !b.exists(`//div[contains(@class, "govuk-error-summary")]`) || b.valueByLabel("Owner") != "Head of IT" {
		t.Fatal("no error for the missing title, or the owner was lost")
	}
	b.fillByLabel("Title", "Acceptable use policy")
	b.tabToButton("Add policy")
	b.pressEnterAndWait()
	if got := b.heading(); got != "Acceptable use policy" {
		t.Fatalf("heading %q after adding", got)
	}
	if !strings.Contains(b.bodyText(), "Not yet approved") {
		t.Errorf("the new policy is not shown as not yet approved")
	}
	b.tabToButton("Retire policy")
	b.pressEnterAndWait()
	if got := b.banner(); !strings.Contains(got, "retired") {
		t.Errorf("banner %q", got)
	}
	if strings.Contains(b.bodyText(), "Acceptable use policy") {
		t.Errorf("the retired policy is still on the register")
	}
}

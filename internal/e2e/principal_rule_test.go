package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestAllegationAboutThePrincipalJourney is issue 12's "done when", as a
// new user of the demo school would try it: staff@demo.test reports "a
// pupil told me the principal touched him", choosing the pupil and the
// principal; only chair@demo.test sees it, on the concern and on the
// pupil's file; principal@demo.test finds no trace of it anywhere. Then the
// first misroute of the issue, the principal typed as "another adult",
// reaches the chair alone too.
func TestAllegationAboutThePrincipalJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	day, month, year := today()

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	staff.visit("/concerns/new")
	if text := staff.bodyText(); !strings.Contains(text, "The principal (headteacher)") ||
		!strings.Contains(text, safeguarding.WhoSees(safeguarding.RoutePrincipal)) {
		t.Fatal("the form does not offer the principal as a choice of its own, saying only the chair will see it")
	}
	what := "Principal journey: a pupil told me the principal touched him."
	id := staff.logConcern(concern{Principal: true, Pupil: child.Name, Category: "Sexual abuse", WhatHappened: what,
		ChildsWords: "He touched me in his office.", Day: day, Month: month, Year: year})
	if !strings.Contains(staff.bodyText(), safeguarding.WhoSees(safeguarding.RoutePrincipal)) {
		t.Error("the confirmation does not say that only the chair of governors will see it")
	}
	ref := strconv.FormatInt(id, 10)
	pupilPage := fmt.Sprintf("/pupils/%d", child.ID)

	chair := newTab(t, a)
	chair.signIn("chair@demo.test")
	if res := chair.visit("/concerns/" + ref); res.Status != 200 || !strings.Contains(chair.bodyText(), what) ||
		!strings.Contains(chair.bodyText(), child.Name) {
		t.Fatalf("the chair cannot read the concern with the pupil involved (status %d)", res.Status)
	}
	if res := chair.visit(pupilPage); res.Status != 200 || !strings.Contains(chair.html(), `/concerns/`+ref+`"`) {
		t.Fatalf("the chair does not see the concern on the pupil's file (status %d)", res.Status)
	}

	for _, email := range []string{"principal@demo.test", "dsl@demo.test"} {
		p := newTab(t, a)
		p.signIn(email)
		for _, path := range []string{"/home", "/queue", "/queue?status=all", "/my-concerns", pupilPage, pupilPage + "?all=1"} {
			p.visit(path)
			for _, leak := range []string{what, "/concerns/" + ref + `"`, "He touched me"} {
				if strings.Contains(p.html(), leak) {
					t.Errorf("%s: %s shows %q", email, path, leak)
				}
			}
		}
		if res := p.visit("/concerns/" + ref); res.Status != 404 {
			t.Errorf("%s: the concern's page answered %d, want 404", email, res.Status)
		}
	}

	// The principal typed as another adult: the form asks, and either
	// answer takes it to the chair alone.
	staff.visit("/concerns/new")
	staff.fillConcern(concern{AdultName: "Mrs Patty Principal", AdultRole: "Headteacher", Category: "Physical abuse",
		WhatHappened: "Principal journey: the head grabbed a pupil by the arm.", Day: day, Month: month, Year: year})
	staff.clickButton("Log concern")
	if errs := staff.texts("//*[contains(@class,'govuk-error-summary')]//li"); len(errs) != 1 || !strings.Contains(errs[0], "principal's name") {
		t.Fatalf("another adult named as the principal: errors %v, want one asking whether it is the principal", errs)
	}
	if got := staff.valueByLabel("Their name"); got != "Mrs Patty Principal" {
		t.Errorf("the name typed was not kept: %q", got)
	}
	staff.within(fieldset("Is this the member of staff?")).checkByLabel("No, it is a different person of the same name")
	staff.clickButton("Log concern")
	m := loggedPath.FindStringSubmatch(staff.path())
	if m == nil {
		t.Fatalf("the confirmed concern was not logged; errors: %v", staff.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if !strings.Contains(staff.bodyText(), safeguarding.WhoSees(safeguarding.RoutePrincipal)) {
		t.Error("the confirmation of the principal typed as another adult does not say only the chair will see it")
	}
	p := newTab(t, a)
	p.signIn("principal@demo.test")
	if res := p.visit("/concerns/" + m[1]); res.Status != 404 {
		t.Errorf("the principal opens the concern typed as another adult: status %d", res.Status)
	}
	if res := chair.visit("/concerns/" + m[1]); res.Status != 200 {
		t.Errorf("the chair cannot open the concern typed as another adult: status %d", res.Status)
	}
}

// TestMoveConcernToThePrincipalJourney is the second misroute of issue 12:
// a child's account of the principal, logged as a concern about the child,
// reaches the DSL, who moves it, by keyboard alone, to the principal. From
// then on only the chair sees it: the DSL has lost it at once, and the
// principal finds no trace of it.
func TestMoveConcernToThePrincipalJourney(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	what := "Move journey: she says the principal touched her in his office."
	id := a.logAsStaff(t, "staff@demo.test", child.ID, what)
	ref := strconv.FormatInt(id, 10)

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit("/concerns/" + ref)
	dsl.clickLink("Move this concern to the right person")
	if got := dsl.heading(); got != "Move concern "+ref+" to the right person" {
		t.Fatalf("the move page's heading is %q", got)
	}
	dsl.within(fieldset("Who is the concern about?")).tabToLabel("The principal (headteacher)")
	dsl.press(" ")
	dsl.tabToLabel("Why are you moving it?")
	dsl.press("Her account is of the principal: for the chair of governors.")
	dsl.tabToButton("Move concern")
	dsl.pressEnterAndWait()
	if p := dsl.path(); p != "/queue" {
		t.Errorf("after the move the DSL is at %s, want their queue: the concern is no longer theirs", p)
	}
	if res := dsl.visit("/concerns/" + ref); res.Status != 404 {
		t.Errorf("the DSL still opens the moved concern: status %d", res.Status)
	}

	chair := newTab(t, a)
	chair.signIn("chair@demo.test")
	if res := chair.visit("/concerns/" + ref); res.Status != 200 || !strings.Contains(chair.bodyText(), what) ||
		!strings.Contains(chair.bodyText(), "for the chair of governors") {
		t.Fatalf("the chair does not see the moved concern with the reason for the move (status %d)", res.Status)
	}
	if res := chair.visit(fmt.Sprintf("/pupils/%d", child.ID)); res.Status != 200 || !strings.Contains(chair.html(), `/concerns/`+ref+`"`) {
		t.Errorf("the chair does not see the moved concern on the pupil's file (status %d)", res.Status)
	}

	p := newTab(t, a)
	p.signIn("principal@demo.test")
	for _, path := range []string{"/home", "/queue", "/queue?status=all", "/my-concerns", fmt.Sprintf("/pupils/%d", child.ID)} {
		p.visit(path)
		if strings.Contains(p.html(), what) || strings.Contains(p.html(), "/concerns/"+ref+`"`) {
			t.Errorf("the principal's %s shows the moved concern", path)
		}
	}
	if res := p.visit("/concerns/" + ref); res.Status != 404 {
		t.Errorf("the principal opens the moved concern: status %d", res.Status)
	}
}

package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Whom a concern is about, as the form asks it: the principal is a choice
// of its own, children may be involved in a concern about an adult, and
// "another adult" named like a member of staff is not taken as another
// adult. The words say truthfully who will see it.

func TestConcernAboutThePrincipalWithAChild(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 8)
	staff := fx.app.signIn(t, "staff@demo.test")
	principal := fx.viewer(t, "principal@demo.test")

	form := openForm(t, staff)
	page := staff.get("/concerns/new").Body
	for _, want := range []string{"The principal (headteacher)", safeguarding.WhoSees(safeguarding.RoutePrincipal),
		safeguarding.WhoSees(safeguarding.RouteChild), safeguarding.WhoSees(safeguarding.RouteAdult)} {
		if !shows(page, want) {
			t.Errorf("the form does not say %q", want)
		}
	}
	if shows(page, "The Designated Safeguarding Lead (DSL) will read it.") {
		t.Error("the form still says the DSL will read every concern")
	}
	if shows(fx.app.signIn(t, "principal@demo.test").get("/concerns/new").Body, "The principal (headteacher)") {
		t.Error("the principal is offered a concern about the principal")
	}

	// "A pupil told me the principal touched him": the principal and the pupil.
	form = cseConcern(form, pupil)
	form.Set("subject", "principal")
	form.Set("category", "sexual_abuse")
	form.Del("indicator")
	form.Set("what-happened", "A pupil told me the principal touched him.")
	id := loggedID(t, staff.post("/concerns", form))
	ref := strconv.FormatInt(id, 10)

	chair := fx.viewer(t, "chair@demo.test")
	c, err := fx.app.DB.Concern(t.Context(), chair, id)
	if err != nil {
		t.Fatalf("the chair cannot see it: %v", err)
	}
	if c.Route != safeguarding.RoutePrincipal || c.SubjectPersonID != principal.PersonID || len(c.Pupils) != 1 || c.Pupils[0].ID != pupil.ID {
		t.Fatalf("route %s about %d with pupils %v; want the chair's route, about the principal, with the pupil", c.Route, c.SubjectPersonID, c.Pupils)
	}
	confirmation := staff.get("/concerns/" + ref + "/logged").Body
	if !shows(confirmation, safeguarding.WhoSees(safeguarding.RoutePrincipal)) || !shows(confirmation, "chair of governors only") {
		t.Error("the confirmation does not say that only the chair will see it")
	}
	mine := staff.get("/concerns/" + ref).Body
	if !shows(mine, safeguarding.WhoSees(safeguarding.RoutePrincipal)) || shows(mine, "The DSL will see it") {
		t.Error("the further-information box does not say truthfully who will see it")
	}

	pupilPage := fmt.Sprintf("/pupils/%d", pupil.ID)
	chairClient := fx.app.signIn(t, "chair@demo.test")
	if res := chairClient.get(pupilPage); res.StatusCode != http.StatusOK || !linksToConcern([]string{res.Body}, id) {
		t.Errorf("the chair's view of the pupil's page: status %d, links to the concern = %v", res.StatusCode, linksToConcern([]string{res.Body}, id))
	} else if shows(res.Body, "Date of birth") {
		t.Error("the chair sees the pupil's date of birth")
	}
	for _, email := range []string{"principal@demo.test", "dsl@demo.test", "deputy@demo.test"} {
		c := fx.app.signIn(t, email)
		if res := c.get("/concerns/" + ref); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the concern: status %d", email, res.StatusCode)
		}
		res := c.get(pupilPage)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s cannot open the pupil's page: status %d", email, res.StatusCode)
		}
		if linksToConcern([]string{res.Body}, id) || strings.Contains(res.Body, "touched him") {
			t.Errorf("%s sees the concern on the pupil's page", email)
		}
	}
}

func TestAnotherAdultNamedAsStaff(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 9)
	staff := fx.app.signIn(t, "staff@demo.test")
	principal, deputy := fx.viewer(t, "principal@demo.test"), fx.viewer(t, "deputy@demo.test")
	asAdult := func(name, role string) url.Values {
		f := cseConcern(openForm(t, staff), pupil)
		f.Del("pupil")
		f.Set("subject", "other_adult")
		f.Set("adult-name", name)
		f.Set("adult-role", role)
		f.Set("what-happened", "Typed as another adult: "+name)
		return f
	}

	t.Run("ThePrincipalGoesToTheChairWhateverTheAnswer", func(t *testing.T) {
		for _, answer := range []string{"different", strconv.FormatInt(principal.PersonID, 10)} {
			form := asAdult("Mrs Patty Principal", "Headteacher")
			res := staff.post("/concerns", form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("another adult named as the principal: status %d, want 422", res.StatusCode)
			}
			for _, want := range []string{`class="govuk-error-summary"`, `href="#adult-name"`, "Yes, it is Pat Principal",
				"No, it is a different person of the same name", "Typed as another adult: Mrs Patty Principal"} {
				if !shows(res.Body, want) {
					t.Errorf("the form asking about the principal lacks %q", want)
				}
			}
			if !checked(res.Body, "subject", "other_adult") {
				t.Error("the form did not keep the answer to who the concern is about")
			}
			form.Set("adult-match", answer)
			id := loggedID(t, staff.post("/concerns", form))
			c, err := fx.app.DB.Concern(t.Context(), fx.viewer(t, "chair@demo.test"), id)
			if err != nil || c.Route != safeguarding.RoutePrincipal || c.SubjectPersonID != principal.PersonID {
				t.Errorf("answered %q: %v, route %s about %d; want the chair's, about the principal", answer, err, c.Route, c.SubjectPersonID)
			}
			if _, err := fx.app.DB.Concern(t.Context(), principal, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("answered %q: the principal sees it (%v)", answer, err)
			}
		}
	})

	t.Run("AMemberOfStaffChosen", func(t *testing.T) {
		form := asAdult("dev  DEPUTY", "")
		if res := staff.post("/concerns", form); res.StatusCode != http.StatusUnprocessableEntity || !shows(res.Body, "Yes, it is Dev Deputy") {
			t.Fatalf("another adult named as the deputy: status %d, want 422 asking about Dev Deputy", res.StatusCode)
		}
		form.Set("adult-match", strconv.FormatInt(deputy.PersonID, 10))
		id := loggedID(t, staff.post("/concerns", form))
		c, err := fx.app.DB.Concern(t.Context(), principal, id)
		if err != nil || c.Route != safeguarding.RouteSafeguardingLead || c.SubjectPersonID != deputy.PersonID {
			t.Errorf("%v, route %s about %d; want the principal's route, about the deputy", err, c.Route, c.SubjectPersonID)
		}
	})

	t.Run("ADifferentPersonOfTheSameName", func(t *testing.T) {
		form := asAdult("Dev Deputy", "parent")
		form.Set("adult-match", "different")
		id := loggedID(t, staff.post("/concerns", form))
		c, err := fx.app.DB.Concern(t.Context(), principal, id)
		if err != nil || c.Route != safeguarding.RouteAdult || c.SubjectKind != safeguarding.SubjectOtherAdult {
			t.Errorf("%v, route %s, %s; want another adult", err, c.Route, c.SubjectKind)
		}
	})

	t.Run("AStranger", func(t *testing.T) {
		id := loggedID(t, staff.post("/concerns", asAdult("Man in a grey van", "visitor")))
		if n := fx.count(t, `SELECT count(*) FROM concerns WHERE id = $1 AND subject_kind = 'other_adult' AND route = 'adult'`, id); n != 1 {
			t.Error("a stranger was not filed as another adult")
		}
	})
}

package httpserver_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

var schoolNumbers = url.Values{"dsl-phone": {"07700 900 123"}, "social-care-phone": {"0300 123 4567"}, "social-care-out-of-hours": {"01632 960 999"}}

// Only the DSL, a deputy and the administrator have the settings page;
// to everyone else it does not exist, and their posts change nothing.
func TestSchoolContactsPageAccess(t *testing.T) {
	fx := newConcernFixture(t)
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			may := safeguarding.MayEditSchoolContacts(v.Roles)
			want := http.StatusNotFound
			if may {
				want = http.StatusOK
			}
			if res := c.get("/settings/contacts"); res.StatusCode != want {
				t.Errorf("GET: status %d, want %d", res.StatusCode, want)
			}
			home := c.get("/home")
			if links := strings.Contains(home.Body, `href="/settings/contacts"`); links != may {
				t.Errorf("the home page links to the settings: %v, want %v", links, may)
			}
			if !may {
				res := c.post("/settings/contacts", schoolNumbers)
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("POST: status %d, want 404", res.StatusCode)
				}
				if n := fx.count(t, `SELECT count(*) FROM school_contacts`); n != 0 {
					t.Errorf("%d rows of contacts after a refused post", n)
				}
			}
		})
	}
}

func TestSchoolContactsPage(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "dsl@demo.test")

	t.Run("ErrEveryFieldKept", func(t *testing.T) {
		bad := url.Values{"dsl-phone": {"ring my mobile"}, "social-care-phone": {""}, "social-care-out-of-hours": {"01632 960 999"}}
		res := c.post("/settings/contacts", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for field, msg := range map[string]string{
			"dsl-phone":         "Enter the DSL's phone number in digits, like 01632 960 001",
			"social-care-phone": "Enter the children's social care front door number",
		} {
			if !regexp.MustCompile(`id="` + field + `-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> ` + regexp.QuoteMeta(msg)).MatchString(html.UnescapeString(res.Body)) {
				t.Errorf("no message %q by %s", msg, field)
			}
			if !strings.Contains(res.Body, `href="#`+field+`"`) {
				t.Errorf("the error summary does not link to %s", field)
			}
		}
		if !strings.Contains(res.Body, `value="ring my mobile"`) || !strings.Contains(res.Body, `value="01632 960 999"`) {
			t.Error("what was typed was lost")
		}
		if n := fx.count(t, `SELECT count(*) FROM school_contacts`); n != 0 {
			t.Errorf("%d rows of contacts saved from a refused form", n)
		}
	})

	t.Run("SavedAndAudited", func(t *testing.T) {
		res := c.post("/settings/contacts", schoolNumbers)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings/contacts?saved=1" {
			t.Fatalf("status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		page := c.get("/settings/contacts?saved=1")
		if !shows(page.Body, "The school's emergency contacts have been saved.") || !strings.Contains(page.Body, `value="07700 900 123"`) ||
			!shows(page.Body, "Last changed by ") {
			t.Error("the page does not show the numbers saved")
		}
		dsl := fx.viewer(t, "dsl@demo.test")
		if n := fx.count(t, `SELECT count(*) FROM audit_log WHERE action = 'set_school_contacts' AND actor_id = $1
				AND detail LIKE '%"07700 900 123"%'`, dsl.PersonID); n != 1 {
			t.Errorf("%d audit rows of the change, want 1", n)
		}
	})
}

// The emergency panel on the form, before and after the school sets its
// numbers, for a child and for the children an adult may harm, and on the
// confirmation of an urgent concern.
func TestEmergencyPanel(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 8)
	staff := fx.app.signIn(t, "staff@demo.test")

	t.Run("UnsetSays999", func(t *testing.T) {
		form := staff.get("/concerns/new").Body
		if !strings.Contains(form, `class="govuk-radios__conditional haven-urgent-reveal govuk-radios__conditional--hidden" id="conditional-urgent"`) ||
			strings.Contains(form, `aria-controls="conditional-urgent"`) {
			t.Error("the panel is not a hidden conditional reveal under Yes, revealed by the stylesheet alone")
		}
		if !strings.Contains(form, `href="tel:999"`) {
			t.Error("the panel does not give 999")
		}
		if !shows(form, "the DSL or the administrator must set them in Haven") || strings.Contains(form, `href="/settings/contacts"`) {
			t.Error("a member of staff is not told the numbers are unset, or is offered a page they cannot open")
		}
		dslForm := fx.app.signIn(t, "dsl@demo.test").get("/concerns/new").Body
		if !strings.Contains(dslForm, `href="/settings/contacts"`) {
			t.Error("the DSL is not offered the page to set the numbers")
		}
	})

	dsl := fx.app.signIn(t, "dsl@demo.test")
	if res := dsl.post("/settings/contacts", schoolNumbers); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set the contacts: status %d", res.StatusCode)
	}

	t.Run("WithTheSchoolsNumbers", func(t *testing.T) {
		form := staff.get("/concerns/new").Body
		for _, link := range []string{`href="tel:999"`, `href="tel:07700900123"`, `href="tel:03001234567"`, `href="tel:01632960999"`} {
			if !strings.Contains(form, link) {
				t.Errorf("the panel lacks %s", link)
			}
		}
		if shows(form, "must set them") {
			t.Error("the panel says the numbers are unset")
		}
		if !shows(form, ">Is the child in immediate danger or at risk of immediate serious harm?</h2>") || !shows(form, ">"+urgentMessage+"</p>") {
			t.Error("the question or the panel is not worded for the child")
		}
	})

	t.Run("ShownAfterPostingWithoutScripts", func(t *testing.T) {
		form := cseConcern(openForm(t, staff), pupil)
		form.Set("urgent", "yes")
		form.Set("what-happened", "")
		res := staff.post("/concerns", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		if !strings.Contains(res.Body, `class="govuk-radios__conditional haven-urgent-reveal" id="conditional-urgent"`) {
			t.Error("the panel is hidden after Yes was sent")
		}
		staff.post("/concerns", url.Values{"action": {"discard"}})
	})

	t.Run("AboutAnAdult", func(t *testing.T) {
		form := cseConcern(openForm(t, staff), pupil)
		form.Set("subject", "other_adult")
		form.Set("adult-name", "A visitor in a grey coat")
		form.Set("category", "other")
		form.Del("indicator")
		form.Set("urgent", "yes")
		form.Set("action", "find")
		form.Set("pupil-query", pupil.LastName)
		res := staff.post("/concerns", form)
		if !shows(res.Body, ">Is any child in immediate danger or at risk of immediate serious harm from this adult?</h2>") ||
			!shows(res.Body, ">A child at risk from this adult is in immediate danger") {
			t.Error("the question or the panel is not worded for the children an adult may harm")
		}
		form.Del("action")
		id := loggedID(t, staff.post("/concerns", form))
		page := staff.get(fmt.Sprintf("/concerns/%d/logged", id)).Body
		if !shows(page, ">A child at risk from this adult is in immediate danger") || !strings.Contains(page, `href="tel:01632960999"`) {
			t.Error("the confirmation of an urgent concern about an adult lacks the panel for the children, or the numbers")
		}
	})

	t.Run("Confirmation", func(t *testing.T) {
		form := cseConcern(openForm(t, staff), pupil)
		form.Set("urgent", "yes")
		page := staff.get("/concerns/" + strconv.FormatInt(loggedID(t, staff.post("/concerns", form)), 10) + "/logged").Body
		if !shows(page, ">"+urgentMessage+"</p>") || !strings.Contains(page, `href="tel:03001234567"`) || !strings.Contains(page, `href="tel:999"`) {
			t.Error("the urgent confirmation lacks the panel or the numbers")
		}
		form = cseConcern(openForm(t, staff), pupil)
		form.Set("urgent", "no")
		calm := staff.get("/concerns/" + strconv.FormatInt(loggedID(t, staff.post("/concerns", form)), 10) + "/logged").Body
		if strings.Contains(calm, "Emergency") {
			t.Error("a concern that is not urgent shows the emergency panel")
		}
	})
}

package httpserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A saved draft is offered, not silently restored: opening the form shows
// when it was started (in the school's time, GOV.UK style) and two ways
// on, and no form fields, so nothing typed there can overwrite it. The
// person's own "Save draft" and "Find pupils" carry on with the form.
func TestDraftOffer(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 10)
	c := fx.app.signIn(t, "staff@demo.test")
	form := cseConcern(openForm(t, c), pupil)
	form.Set("action", "draft")
	if res := c.post("/concerns/draft", form); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "silver car") ||
		shows(res.Body, "You started a concern") {
		t.Fatalf("Save draft: status %d; want the form again, with what was typed", res.StatusCode)
	}

	savedAt := func(t *testing.T, at string) {
		t.Helper()
		if _, err := fx.owner.Exec(t.Context(), `UPDATE concern_drafts SET saved_at = $1::timestamptz`, at); err != nil {
			t.Fatal(err)
		}
	}
	for _, c2 := range []struct{ name, at, want string }{
		{"Winter", "2026-03-03T10:14:00Z", "You started a concern on 3 March 2026 at 10:14am"},
		{"SummerTime", "2026-06-03T09:14:00Z", "You started a concern on 3 June 2026 at 10:14am"},
	} {
		t.Run(c2.name, func(t *testing.T) {
			savedAt(t, c2.at)
			res := c.get("/concerns/new")
			if res.StatusCode != http.StatusOK || !shows(res.Body, c2.want) {
				t.Fatalf("status %d; the page does not say %q", res.StatusCode, c2.want)
			}
			if strings.Contains(res.Body, "silver car") || strings.Contains(res.Body, `name="what-happened"`) {
				t.Error("the offer shows the draft or a form to type in")
			}
			if !strings.Contains(res.Body, `href="/concerns/new?draft=continue"`) || !shows(res.Body, "Start again") {
				t.Error("the offer lacks Continue it or Start again")
			}
		})
	}

	t.Run("FindPupilsCarriesOn", func(t *testing.T) {
		find := cseConcern(form, pupil)
		find.Set("action", "find")
		find.Set("pupil-query", pupil.LastName)
		res := c.post("/concerns", find)
		if res.StatusCode != http.StatusOK || shows(res.Body, "You started a concern") || !strings.Contains(res.Body, "silver car") {
			t.Errorf("Find pupils: status %d; want the form, as typed, with no offer", res.StatusCode)
		}
	})

	t.Run("ContinueLosesNothing", func(t *testing.T) {
		res := c.get("/concerns/new?draft=continue")
		if !strings.Contains(res.Body, "silver car") || !checked(res.Body, "indicator", "vehicles") ||
			!strings.Contains(res.Body, `value="`+form.Get("token")+`"`) {
			t.Error("continuing lost what was typed, a tick or the submission token")
		}
		if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 1 {
			t.Errorf("%d drafts after continuing, want it kept", n)
		}
	})

	t.Run("StartAgain", func(t *testing.T) {
		res := c.post("/concerns", url.Values{"action": {"discard"}})
		if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 0 {
			t.Fatalf("%d drafts after starting again", n)
		}
		page := c.get(res.Header.Get("Location"))
		if !shows(page.Body, "The concern you started has been deleted") || strings.Contains(page.Body, "silver car") ||
			!strings.Contains(page.Body, `name="what-happened"`) {
			t.Error("starting again does not give an empty form saying the draft is gone")
		}
	})
}

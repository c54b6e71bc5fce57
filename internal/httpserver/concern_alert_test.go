package httpserver_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/httpserver"
)

// TestLogConcernAlertConfirmation: the confirmation says who has been
// e-mailed, and how, by the concern's route and urgency; the alert job is
// filed with the concern.
func TestLogConcernAlertConfirmation(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 9)

	t.Run("UrgentAboutChild", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("urgent", "yes")
		id := loggedID(t, c.post("/concerns", form))
		page := c.get(fmt.Sprintf("/concerns/%d/logged", id))
		if !shows(page.Body, "The DSL and the deputy DSLs have been alerted by e-mail that your concern is urgent.") {
			t.Error("the urgent confirmation does not say the DSL has been alerted")
		}
		if !shows(page.Body, ">"+urgentMessage+"</p>") {
			t.Error("the urgent confirmation no longer says to contact social care or the police now")
		}
		if n := fx.count(t, `SELECT count(*) FROM river_job WHERE kind = 'concern_alert' AND (args->>'concern_id')::bigint = `+strconv.FormatInt(id, 10)); n != 1 {
			t.Errorf("%d alert jobs for the concern, want 1", n)
		}
	})

	t.Run("AboutThePrincipal", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("subject", "staff")
		form.Set("subject-person", strconv.FormatInt(fx.viewer(t, "principal@demo.test").PersonID, 10))
		form.Set("category", "other")
		form.Del("indicator")
		page := c.get(fmt.Sprintf("/concerns/%d/logged", loggedID(t, c.post("/concerns", form))))
		if !shows(page.Body, "The chair of governors has been told by e-mail that you have logged a concern.") {
			t.Error("the confirmation does not say the chair has been told")
		}
		if shows(page.Body, "alerted") {
			t.Error("a concern that is not urgent says someone was alerted")
		}
	})

	t.Run("NoClaimWithoutEmail", func(t *testing.T) {
		// Without SMTP the alert is only logged: the page must not say anyone was e-mailed.
		app := newTestAppWith(t, httpserver.Config{})
		c := app.signIn(t, "staff@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("urgent", "yes")
		page := c.get("/concerns/" + strconv.FormatInt(loggedID(t, c.post("/concerns", form)), 10) + "/logged")
		if strings.Contains(page.Body, "e-mail") {
			t.Error("the confirmation claims an e-mail was sent, but Haven has no SMTP server")
		}
		if !shows(page.Body, "Refer to children's social care and/or the police now") {
			t.Error("the urgent advice is missing")
		}
	})
}

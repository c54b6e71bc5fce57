package httpserver_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// happenedAt is an entry form's "When did this happen?" filled with t, as
// the school's clock reads it.
func happenedAt(form url.Values, t time.Time) url.Values {
	t = t.In(london)
	form.Set("happened_at-day", strconv.Itoa(t.Day()))
	form.Set("happened_at-month", strconv.Itoa(int(t.Month())))
	form.Set("happened_at-year", strconv.Itoa(t.Year()))
	form.Set("happened_at-time", t.Format("15:04"))
	return form
}

// TestBackDatedEntryForm: the DSL records a phone call made earlier; the
// concern page and the child's file put it where it happened and show both
// times. A time in the future is refused, one more than 7 days back asks why,
// and a refused form keeps every field.
func TestBackDatedEntryForm(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	pupil := fx.pupil(t, 9)
	id := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}, Categories: []string{"cse"}})
	ref := "/concerns/" + strconv.FormatInt(id, 10)
	dsl := fx.app.signIn(t, "dsl@demo.test")

	triagePost(t, dsl, id, url.Values{"kind": {"decision"}, "body": {"Refer to MASH"}, "reason": {"Older adult"}})
	called := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	triagePost(t, dsl, id, happenedAt(url.Values{"kind": {"action"}, "body": {"Phoned MASH"}}, called))
	happened := "Happened " + called.In(london).Format("2 January 2006 15:04") + " · written "

	t.Run("ConcernPageInTheOrderThingsHappened", func(t *testing.T) {
		body := triageText(dsl.get(ref).Body)
		chronology := between(t, body, `id="chronology"`, `id="triage"`)
		inOrder(t, chronology, "Phoned MASH", "Concern logged", "Refer to MASH")
		if !strings.Contains(chronology, happened) {
			t.Errorf("the call does not show both times (%q):\n%s", happened, chronology)
		}
		if strings.Count(chronology, "Happened ") != 1 {
			t.Error("an entry written as it happened shows two times")
		}
		// Numbered as written (the concern, the decision, the call), so
		// that back-dating renumbers nothing.
		inOrder(t, chronology, "Entry 3", "Phoned MASH", "Entry 1", "Concern logged", "Entry 2", "Refer to MASH")
	})
	t.Run("ChildsFileInTheOrderThingsHappened", func(t *testing.T) {
		body := triageText(dsl.get("/pupils/" + strconv.FormatInt(pupil.ID, 10)).Body)
		chronology := between(t, body, ">Chronology</h2>", "</ol>")
		inOrder(t, chronology, "Phoned MASH", "Concern logged", "Refer to MASH")
		if !strings.Contains(chronology, happened) {
			t.Errorf("the call does not show both times (%q):\n%s", happened, chronology)
		}
	})

	refused := func(t *testing.T, form url.Values, message string) string {
		t.Helper()
		before := fx.entryID(t, id, safeguarding.EntryAction)
		res := dsl.post(ref+"/entries", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, html.EscapeString(message)) {
			t.Fatalf("status %d, want 422 with %q", res.StatusCode, message)
		}
		if fx.entryID(t, id, safeguarding.EntryAction) != before {
			t.Fatal("the refused entry was recorded")
		}
		// Every field comes back as typed.
		for name, values := range form {
			if name == "kind" {
				continue
			}
			if !strings.Contains(res.Body, html.EscapeString(values[0])) {
				t.Errorf("%s (%q) is not kept", name, values[0])
			}
		}
		return res.Body
	}
	t.Run("ErrFuture", func(t *testing.T) {
		refused(t, happenedAt(url.Values{"kind": {"action"}, "body": {"Will phone MASH"}}, time.Now().Add(2*time.Hour)),
			"The time it happened must be now or in the past")
	})
	t.Run("ErrNotAClock", func(t *testing.T) {
		form := happenedAt(url.Values{"kind": {"action"}, "body": {"Phoned again"}}, called)
		form.Set("happened_at-time", "25:99")
		refused(t, form, "Enter the time it happened on the 24-hour clock, like 09:10")
	})
	long := happenedAt(url.Values{"kind": {"action"}, "body": {"Home visit"}}, time.Now().AddDate(0, 0, -10))
	t.Run("ErrMoreThan7DaysWithoutAReason", func(t *testing.T) {
		body := refused(t, long, "Say why this is being recorded more than 7 days after it happened")
		if !strings.Contains(body, `<a href="#action-happened_reason">`) {
			t.Error("the error summary does not link to the reason")
		}
		if !strings.Contains(body, `<details class="govuk-details" id="form-action" open>`) {
			t.Error("the refused form is not open")
		}
	})
	t.Run("OK more than 7 days with a reason", func(t *testing.T) {
		long.Set("happened_reason", "The note was found in the pastoral log today")
		triagePost(t, dsl, id, long)
		body := triageText(dsl.get(ref).Body)
		inOrder(t, between(t, body, `id="chronology"`, `id="triage"`), "Home visit", "The note was found in the pastoral log today", "Phoned MASH")
		child := triageText(dsl.get("/pupils/" + strconv.FormatInt(pupil.ID, 10)).Body)
		if !strings.Contains(child, ` · written `+time.Now().In(london).Format("2 January 2006")) || strings.Contains(child, " , ") {
			t.Errorf("the child's file shows the times badly:\n%s", between(t, child, ">Chronology</h2>", "</ol>"))
		}
	})
}

package httpserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// Only the DSL and deputies have the Due view, and the link to it in the
// header; to everyone else it does not exist.
func TestDueViewAccess(t *testing.T) {
	fx := newConcernFixture(t)
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			may := safeguarding.MaySeeDue(v.Roles)
			want := http.StatusNotFound
			if may {
				want = http.StatusOK
			}
			if res := c.get("/due"); res.StatusCode != want {
				t.Errorf("GET /due: status %d, want %d", res.StatusCode, want)
			}
			if links := strings.Contains(c.get("/home").Body, `href="/due"`); links != may {
				t.Errorf("the header links to the Due view: %v, want %v", links, may)
			}
		})
	}
}

var dueCount = regexp.MustCompile(`href="/due">Due(?: \((\d+)\))?<`)

// headerOverdue is the count the header's Due link shows: 0 with none.
func headerOverdue(t *testing.T, body string) int {
	t.Helper()
	m := dueCount.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no Due link in the header")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// The DSL records a referral dated last week: its response is due, overdue,
// in the header's count, on the concern, the queue and the Due view; the
// response records that there will be no statutory investigation, which
// asks for the next step and why, and keeps everything typed when they are
// missing.
func TestReferralResponseDeadline(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	dsl := fx.app.signIn(t, "dsl@demo.test")
	id := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{fx.pupil(t, 9).ID}, Categories: []string{"cse"}})
	ref := "/concerns/" + strconv.FormatInt(id, 10)
	before := headerOverdue(t, dsl.get("/home").Body)

	lastWeek := time.Now().AddDate(0, 0, -7)
	triagePost(t, dsl, id, url.Values{"kind": {"referral"}, "agency": {"cscs"}, "reference": {"CSC-1"},
		"referred_on-day": {strconv.Itoa(lastWeek.Day())}, "referred_on-month": {strconv.Itoa(int(lastWeek.Month()))}, "referred_on-year": {strconv.Itoa(lastWeek.Year())}})

	t.Run("OverdueEverywhere", func(t *testing.T) {
		if got := headerOverdue(t, dsl.get("/home").Body); got != before+1 {
			t.Errorf("header counts %d overdue, want %d", got, before+1)
		}
		page := dsl.get(ref).Body
		if !shows(page, "Response to a referral (Children's social care (CSCS))") || !strings.Contains(page, `govuk-tag--red">Overdue<`) {
			t.Error("the concern page does not show the overdue response")
		}
		if !strings.Contains(dsl.get("/queue").Body, "Response overdue") {
			t.Error("the queue does not mark the concern")
		}
		due := dsl.get("/due").Body
		if !strings.Contains(due, `href="`+ref+`"`) {
			t.Error("the Due view does not list the concern")
		}
	})

	referral := fx.entryID(t, id, safeguarding.EntryReferral)
	today := time.Now()
	response := url.Values{"kind": {"referral_response"}, "referral": {strconv.FormatInt(referral, 10)},
		"agency_action": {"No statutory investigation: ACTION-MARK"}, "agency_contact": {"Duty social worker"},
		"responded_on-day": {strconv.Itoa(today.Day())}, "responded_on-month": {strconv.Itoa(int(today.Month()))}, "responded_on-year": {strconv.Itoa(today.Year())},
		"statutory": {"no"}}

	t.Run("ErrNoStatutoryInvestigationNeedsTheNextStep", func(t *testing.T) {
		res := dsl.post(ref+"/entries", response)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for _, want := range []string{`href="#next_step"`, `href="#referral_response-next_step_reason"`,
			`>No statutory investigation: ACTION-MARK</textarea>`, `value="Duty social worker"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the refused response lacks %s", want)
			}
		}
		if !checked(res.Body, "statutory", "no") {
			t.Error("the answer about an investigation was lost")
		}
		if !strings.Contains(res.Body, `class="govuk-radios__conditional haven-urgent-reveal" id="conditional-statutory-no"`) {
			t.Error("the next step is not shown under the answer chosen")
		}
		if n := fx.entryID(t, id, safeguarding.EntryReferralResponse); n != 0 {
			t.Error("a response without its next step was recorded")
		}
	})

	t.Run("TheNextStepIsRecorded", func(t *testing.T) {
		ok := url.Values{}
		for k, v := range response {
			ok[k] = v
		}
		ok.Set("next_step", "early_help")
		ok.Set("next_step_reason", "The family agreed to an early help assessment")
		triagePost(t, dsl, id, ok)
		page := dsl.get(ref).Body
		for _, want := range []string{"No statutory investigation", "Next step", "Early help", "The family agreed to an early help assessment"} {
			if !shows(page, want) {
				t.Errorf("the chronology lacks %q", want)
			}
		}
		if shows(page, "Response to a referral (Children's social care (CSCS))") {
			t.Error("the response is still shown as due")
		}
		if got := headerOverdue(t, dsl.get("/home").Body); got != before {
			t.Errorf("header counts %d overdue after the response, want %d", got, before)
		}
	})
}

// The closure days page: errors by each field with everything typed kept;
// a closure added and removed, each audited.
func TestClosuresPage(t *testing.T) {
	fx := newConcernFixture(t)
	admin := fx.app.signIn(t, "admin@demo.test")
	if !strings.Contains(admin.get("/home").Body, `href="/settings/closures"`) {
		t.Error("the administrator's home page does not link to the closure days")
	}
	t.Run("ErrEveryFieldKept", func(t *testing.T) {
		res := admin.post("/settings/closures", url.Values{"from-day": {"31"}, "from-month": {"2"}, "from-year": {"2027"},
			"to-day": {"1"}, "to-month": {"1"}, "to-year": {"2027"}, "reason": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for _, want := range []string{`href="#from"`, `href="#reason"`, `id="from-error"`, `id="reason-error"`, `value="31"`, `value="2027"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the refused form lacks %s", want)
			}
		}
		res = admin.post("/settings/closures", url.Values{"from-day": {"4"}, "from-month": {"1"}, "from-year": {"2027"},
			"to-day": {"1"}, "to-month": {"1"}, "to-year": {"2027"}, "reason": {"Backwards"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="to-error"`) || !strings.Contains(res.Body, `value="Backwards"`) {
			t.Errorf("a closure ending before it starts: status %d", res.StatusCode)
		}
	})
	t.Run("AddedRemovedAudited", func(t *testing.T) {
		res := admin.post("/settings/closures", url.Values{"from-day": {"21"}, "from-month": {"12"}, "from-year": {"2026"},
			"to-day": {"1"}, "to-month": {"1"}, "to-year": {"2027"}, "reason": {"Christmas holidays"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
		}
		page := admin.get("/settings/closures?saved=added").Body
		if !shows(page, "Monday 21 December 2026 to Friday 1 January 2027") || !shows(page, "The closure days have been added.") {
			t.Error("the page does not list the closure added")
		}
		var closure int64
		if err := fx.owner.QueryRow(t.Context(), `SELECT id FROM school_closures WHERE reason = 'Christmas holidays'`).Scan(&closure); err != nil {
			t.Fatal(err)
		}
		if res := fx.app.signIn(t, "staff@demo.test").post("/settings/closures/"+strconv.FormatInt(closure, 10)+"/remove", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a member of staff removes closure days: status %d", res.StatusCode)
		}
		dsl := fx.app.signIn(t, "dsl@demo.test")
		if res := dsl.post("/settings/closures/"+strconv.FormatInt(closure, 10)+"/remove", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: status %d", res.StatusCode)
		}
		if n := fx.count(t, `SELECT count(*) FROM school_closures`); n != 0 {
			t.Errorf("%d closures after removing the one", n)
		}
		if n := fx.count(t, `SELECT count(*) FROM audit_log WHERE action IN ('add_closure_days', 'remove_closure_days') AND detail LIKE '%Christmas holidays%'`); n != 2 {
			t.Errorf("%d audit rows, want 2", n)
		}
	})
}

// A leaver's file to transfer, overdue, is in the Due view (by year group,
// never by name, linking to the pupil's transfer page) and in the header's
// count, for the DSL and the deputy; once recorded as not needed it is in
// neither.
func TestTransferInTheDueView(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 11)
	concern := logConcern(t, fx.app.DB, fx.viewer(t, "dsl@demo.test"), safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}, Categories: []string{"neglect"}})
	// A referral made today, its response due on the next working day, is
	// in the Due view beside the transfer, and says nothing of it.
	if err := fx.app.DB.AddEntry(t.Context(), fx.viewer(t, "dsl@demo.test"), concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-2", ReferredOn: safeguarding.DateInEngland(time.Now()).Format(time.DateOnly)}}); err != nil {
		t.Fatal(err)
	}
	dsl := fx.app.signIn(t, "dsl@demo.test")
	deputy := fx.app.signIn(t, "deputy@demo.test")
	before := headerOverdue(t, dsl.get("/home").Body)
	path := "/pupils/" + strconv.FormatInt(pupil.ID, 10)

	// Three weeks ago: five working days are past whatever bank holidays
	// fall between.
	left := time.Now().AddDate(0, 0, -21)
	res := dsl.post(path+"/left", url.Values{"left-on-day": {strconv.Itoa(left.Day())}, "left-on-month": {strconv.Itoa(int(left.Month()))}, "left-on-year": {strconv.Itoa(left.Year())}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("marking as left: status %d", res.StatusCode)
	}
	for _, c := range []*client{dsl, deputy} {
		if got := headerOverdue(t, c.get("/home").Body); got != before+1 {
			t.Errorf("header counts %d overdue, want %d", got, before+1)
		}
		due := c.get("/due").Body
		if !strings.Contains(due, `href="`+path+`/transfer"`) || !shows(due, "Transfer of a leaver's file") ||
			!shows(due, "A pupil in Year 11 who left on "+left.Format("Monday 2 January 2006")) {
			t.Errorf("the Due view does not list the transfer:\n%s", due)
		}
		if strings.Contains(due, pupil.LastName) {
			t.Error("the Due view names the pupil")
		}
	}
	if res := dsl.post(path+"/transfer/not-needed", url.Values{"reason": {"Moved abroad."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("not needed: status %d", res.StatusCode)
	}
	if got := headerOverdue(t, dsl.get("/home").Body); got != before {
		t.Errorf("header counts %d overdue once not needed, want %d", got, before)
	}
	if strings.Contains(dsl.get("/due").Body, `href="`+path+`/transfer"`) {
		t.Error("the Due view lists the transfer once not needed")
	}
}

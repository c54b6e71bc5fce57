package httpserver_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

var triageConcernLink = regexp.MustCompile(`href="/concerns/(\d+)"`)

// triageListed is the ids of the concerns a page links to, in order.
func triageListed(body string) []int64 {
	var ids []int64
	for _, m := range triageConcernLink.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}

// triageText is the page's text as a reader sees it, entities decoded.
func triageText(body string) string { return html.UnescapeString(body) }

// entryID is the id of the newest entry of kind on a concern.
func (f *concernFixture) entryID(t *testing.T, concern int64, kind safeguarding.EntryKind) int64 {
	t.Helper()
	var id int64
	if err := f.owner.QueryRow(t.Context(), `SELECT coalesce(max(id), 0) FROM chronology_entries WHERE concern_id = $1 AND kind = $2`, concern, kind).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// triagePost posts form and fails unless the entry was added.
func triagePost(t *testing.T, c *client, id int64, form url.Values) {
	t.Helper()
	path := "/concerns/" + strconv.FormatInt(id, 10)
	res := c.post(path+"/entries", form)
	// The page comes back at the entry just added.
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^`+path+`#entry-[0-9]+$`).MatchString(res.Header.Get("Location")) {
		t.Fatalf("add %s: status %d, location %q, body:\n%s", form.Get("kind"), res.StatusCode, res.Header.Get("Location"), res.Body)
	}
}

// TestTriageJourney is the DSL journey through HTTP: a member of
// staff logs a CSE concern, the DSL finds it at the top of the queue and
// works it to closure, and the member of staff sees the feedback and
// nothing else the DSL wrote.
func TestTriageJourney(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	pupil := fx.pupil(t, 9).ID
	older := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{fx.pupil(t, 10).ID}})
	id := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{
		PupilIDs: []int64{pupil}, Categories: []string{"cse"},
		Indicators:   []string{"secretive", "unexplained_gifts", "older_partner", "vehicles"},
		WhatHappened: "Seen getting into a car outside the gates after school.\nShe had a new phone.",
		ChildsWords:  "He is my boyfriend, he is 24 and buys me things",
		HappenedTime: "15:40", Location: "Main gate", OthersTold: "Head of Year 9",
		ActionsTaken: "Spoke to the DSL in person.", Urgent: true,
	})
	ref := "/concerns/" + strconv.FormatInt(id, 10)
	dsl := fx.app.signIn(t, "dsl@demo.test")

	t.Run("TopOfTheQueue", func(t *testing.T) {
		res := dsl.get("/queue")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("queue: status %d", res.StatusCode)
		}
		checkStrictCSP(t, res.Body)
		if got := triageListed(res.Body); !slices.Equal(got, []int64{id, older}) {
			t.Errorf("queue lists %v, want the urgent concern first: %v", got, []int64{id, older})
		}
		for _, want := range []string{"Urgent", "Child sexual exploitation (CSE)", "Sam Teacher", "New", "Unassigned"} {
			if !strings.Contains(triageText(res.Body), want) {
				t.Errorf("queue lacks %q", want)
			}
		}
		log := fx.app.auditLog(t, fx.app.SchoolID, 1)
		if len(log) != 1 || log[0].Action != "view_queue" {
			t.Errorf("the queue view was not audited: %+v", log)
		}
	})

	t.Run("TheConcernAsLogged", func(t *testing.T) {
		res := dsl.get(ref)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		checkStrictCSP(t, res.Body)
		text := triageText(res.Body)
		for _, want := range []string{
			"Seen getting into a car outside the gates after school.", "She had a new phone.",
			"Being secretive", "Unexplained gifts, money or new possessions", "Having older boyfriends or girlfriends",
			"Entering or leaving vehicles driven by unknown adults",
			"Main gate", "Head of Year 9", "Spoke to the DSL in person.", "at 15:40", "Concern logged", "Acknowledge",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the concern page lacks %q", want)
			}
		}
		// The child's own words are a quotation of their own.
		if !regexp.MustCompile(`<blockquote[^>]*>\s*<p class="govuk-body">He is my boyfriend, he is 24 and buys me things</p>`).MatchString(res.Body) {
			t.Error("the child's words are not shown as a quotation")
		}
		// The stored snapshot of the form is never printed.
		if strings.Contains(res.Body, "SubmissionToken") {
			t.Error("the concern_logged entry's JSON is printed")
		}
	})

	triagePost(t, dsl, id, url.Values{"kind": {"acknowledged"}})
	if res := dsl.get(ref); !strings.Contains(res.Body, "Concern acknowledged") || !strings.Contains(res.Body, ">Acknowledged<") {
		t.Error("after acknowledging, the page shows no banner or status")
	}
	if res := dsl.get(ref); strings.Contains(res.Body, "Concern acknowledged") {
		t.Error("the success banner shows twice")
	}
	triagePost(t, dsl, id, url.Values{"kind": {"conversation_with_child"}, "body": {"She says she wants him to stop messaging her."}})

	t.Run("DecisionNeedsItsReason", func(t *testing.T) {
		res := dsl.post(ref+"/entries", url.Values{"kind": {"decision"}, "body": {"Refer to CSCS today"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for _, want := range []string{
			`<a href="#decision-reason">Enter the reason for the decision</a>`,
			`id="decision-reason-error"`,
			`>Refer to CSCS today</textarea>`,
			`<details class="govuk-details" id="form-decision" open>`,
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the refused decision lacks %s", want)
			}
		}
		if n := fx.entryID(t, id, safeguarding.EntryDecision); n != 0 {
			t.Error("a decision without a reason was recorded")
		}
	})
	triagePost(t, dsl, id, url.Values{"kind": {"decision"}, "body": {"Refer to CSCS today"}, "reason": {"Older adult, gifts and a car: risk of sexual exploitation."}})
	today := time.Now()
	triagePost(t, dsl, id, url.Values{"kind": {"referral"}, "agency": {"cscs"}, "reference": {"CSC-2026-0142"},
		"referred_on-day": {strconv.Itoa(today.Day())}, "referred_on-month": {strconv.Itoa(int(today.Month()))}, "referred_on-year": {strconv.Itoa(today.Year())}})
	triagePost(t, dsl, id, url.Values{"kind": {"feedback"}, "body": {"Thank you: we have referred this to children's social care."}})
	triagePost(t, dsl, id, url.Values{"kind": {"outcome"}, "body": {"Strategy meeting held; a child protection plan is in place."}})

	t.Run("ClosingNeedsAnOutcome", func(t *testing.T) {
		res := dsl.post(ref+"/entries", url.Values{"kind": {"closed"}, "body": {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter the outcome: a concern cannot be closed without one") {
			t.Errorf("closing without an outcome: status %d", res.StatusCode)
		}
	})
	t.Run("ClosingAsksForTheReferralsResponse", func(t *testing.T) {
		res := dsl.post(ref+"/entries", url.Values{"kind": {"closed"}, "body": {"Plan in place; closed by the school."}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("closing with a referral awaiting its response: status %d", res.StatusCode)
		}
		for _, want := range []string{
			`<a href="#closed-no_response_reason">Record the agency&#39;s response to each referral, or say why the concern is closed without it</a>`,
			"These referrals have no response recorded:", "<li>Children&#39;s social care (CSCS), referred " + today.Format("2 January 2006") + "</li>",
			`>Plan in place; closed by the school.</textarea>`,
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the refused close form lacks %s", want)
			}
		}
		if n := fx.entryID(t, id, safeguarding.EntryClosed); n != 0 {
			t.Error("the concern was closed with a referral awaiting its response")
		}
	})
	referral := fx.entryID(t, id, safeguarding.EntryReferral)
	triagePost(t, dsl, id, url.Values{"kind": {"referral_response"}, "referral": {strconv.FormatInt(referral, 10)},
		"agency_action": {"A strategy discussion tomorrow."}, "agency_contact": {"Duty social worker"},
		"responded_on-day": {strconv.Itoa(today.Day())}, "responded_on-month": {strconv.Itoa(int(today.Month()))}, "responded_on-year": {strconv.Itoa(today.Year())}, "statutory": {"yes"}})
	if text := triageText(dsl.get(ref).Body); !strings.Contains(text, "A strategy discussion tomorrow.") || !strings.Contains(text, "Response to a referral") {
		t.Error("the referral's response is not in the chronology")
	}
	triagePost(t, dsl, id, url.Values{"kind": {"closed"}, "body": {"Plan in place; closed by the school."}})

	t.Run("ClosingTwice", func(t *testing.T) {
		res := dsl.post(ref+"/entries", url.Values{"kind": {"closed"}, "body": {"Again."}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "A concern that is closed cannot become closed") {
			t.Errorf("closing twice: status %d", res.StatusCode)
		}
	})
	t.Run("ReopeningNeedsAReason", func(t *testing.T) {
		res := dsl.post(ref+"/entries", url.Values{"kind": {"reopened"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter the reason for reopening the concern") {
			t.Errorf("reopening without a reason: status %d", res.StatusCode)
		}
	})

	t.Run("TheDSLSeesTheWholeChronology", func(t *testing.T) {
		text := triageText(dsl.get(ref).Body)
		for _, want := range []string{"She says she wants him to stop messaging her.", "Older adult, gifts and a car: risk of sexual exploitation.",
			"Children's social care (CSCS)", "CSC-2026-0142", "Strategy meeting held", "Plan in place; closed by the school.",
			"Reopen the concern", ">Closed<"} {
			if !strings.Contains(text, want) {
				t.Errorf("the DSL's page lacks %q", want)
			}
		}
		if strings.Contains(text, "Close the concern") {
			t.Error("a closed concern offers to be closed")
		}
	})

	t.Run("StaffSeeTheFeedbackOnly", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		res := c.get(ref)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		text := triageText(res.Body)
		for _, want := range []string{"Thank you: we have referred this to children's social care.", "Closed", "Feedback given to you",
			"He is my boyfriend", "Add further information"} {
			if !strings.Contains(text, want) {
				t.Errorf("the member of staff's page lacks %q", want)
			}
		}
		for _, secret := range []string{"Older adult, gifts and a car", "She says she wants him to stop messaging her.", "CSC-2026-0142",
			"Strategy meeting", "Add to the chronology", "Reopen the concern"} {
			if strings.Contains(text, secret) {
				t.Errorf("the member of staff sees %q", secret)
			}
		}
		triagePost(t, c, id, url.Values{"kind": {"further_information"}, "body": {"She was collected by the same car today."}})
		if !strings.Contains(c.get(ref).Body, "She was collected by the same car today.") {
			t.Error("the further information is not shown to the member of staff")
		}
		if res := c.post(ref+"/entries", url.Values{"kind": {"decision"}, "body": {"x"}, "reason": {"y"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("a member of staff recording a decision: status %d, want 404", res.StatusCode)
		}
	})

	t.Run("ThePrincipalReadsOnly", func(t *testing.T) {
		c := fx.app.signIn(t, "principal@demo.test")
		res := c.get(ref)
		if res.StatusCode != http.StatusOK || !strings.Contains(triageText(res.Body), "Older adult, gifts and a car") {
			t.Fatalf("the principal cannot read the concern: status %d", res.StatusCode)
		}
		if strings.Contains(res.Body, `action="`+ref+`/entries"`) {
			t.Error("the principal is offered a form")
		}
		for _, form := range []url.Values{{"kind": {"reopened"}, "body": {"x"}}, {"kind": {"reopened"}}} {
			if res := c.post(ref+"/entries", form); res.StatusCode != http.StatusNotFound {
				t.Errorf("the principal reopening (%v): status %d, want 404", form, res.StatusCode)
			}
		}
	})

	t.Run("CorrectionNamesTheEntryAndBothStay", func(t *testing.T) {
		decision := fx.entryID(t, id, safeguarding.EntryDecision)
		res := dsl.post(ref+"/entries", url.Values{"kind": {"correction"}, "body": {"The car was seen twice, not once."}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose the entry this corrects") {
			t.Errorf("a correction of nothing: status %d", res.StatusCode)
		}
		triagePost(t, dsl, id, url.Values{"kind": {"correction"}, "corrects": {strconv.FormatInt(decision, 10)}, "body": {"The reason should also say: seen twice."}})
		correction := fx.entryID(t, id, safeguarding.EntryCorrection)
		body := dsl.get(ref).Body
		for _, want := range []string{
			fmt.Sprintf(`id="entry-%d"`, decision), fmt.Sprintf(`id="entry-%d"`, correction),
			fmt.Sprintf(`Corrects <a href="#entry-%d" class="govuk-link">entry 4</a>`, decision),
			fmt.Sprintf(`Corrected by <a href="#entry-%d" class="govuk-link">entry`, correction),
			"Older adult, gifts and a car", "The reason should also say: seen twice.",
		} {
			if !strings.Contains(triageText(body), want) {
				t.Errorf("after the correction the page lacks %s", want)
			}
		}
	})

	t.Run("ReopenAndAssign", func(t *testing.T) {
		triagePost(t, dsl, id, url.Values{"kind": {"reopened"}, "body": {"She has gone missing overnight."}})
		deputy := fx.viewer(t, "deputy@demo.test")
		res := dsl.post(ref+"/entries", url.Values{"kind": {"assigned"}, "assignee": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `<a href="#assigned-assignee">Choose the DSL or deputy to assign the concern to</a>`) {
			t.Errorf("assigning to no one: status %d", res.StatusCode)
		}
		staffID := strconv.FormatInt(fx.viewer(t, "staff05@demo.test").PersonID, 10)
		res = dsl.post(ref+"/entries", url.Values{"kind": {"assigned"}, "assignee": {staffID}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose the DSL or deputy to assign the concern to") {
			t.Errorf("assigning to a teacher: status %d", res.StatusCode)
		}
		if res := dsl.post(ref+"/entries", url.Values{"kind": {"concern_logged"}, "body": {"x"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("posting a second concern_logged entry: status %d, want 404", res.StatusCode)
		}
		triagePost(t, dsl, id, url.Values{"kind": {"assigned"}, "assignee": {strconv.FormatInt(deputy.PersonID, 10)}})
		triagePost(t, dsl, id, url.Values{"kind": {"status_changed"}, "to_status": {"in_progress"}})
		text := triageText(dsl.get(ref).Body)
		for _, want := range []string{"Dev Deputy", "Reopened to In progress", ">In progress<", "She has gone missing overnight."} {
			if !strings.Contains(text, want) {
				t.Errorf("after reopening and assigning the page lacks %q", want)
			}
		}
		res = dsl.get("/queue?assignee=" + strconv.FormatInt(deputy.PersonID, 10))
		if got := triageListed(res.Body); !slices.Equal(got, []int64{id}) {
			t.Errorf("the deputy's concerns: %v, want %v", got, []int64{id})
		}
	})
}

// TestQueueHTTP checks the queue page's order, filters, pages and who may
// see it.
func TestQueueHTTP(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	dslViewer := fx.viewer(t, "dsl@demo.test")
	start := time.Now().Add(-48 * time.Hour).Truncate(time.Minute)
	clock := start
	db := fx.app.DB.WithClock(func() time.Time { return clock })
	at := func(d time.Duration) { clock = start.Add(d) }
	year8, year11 := fx.pupil(t, 8).ID, fx.pupil(t, 11).ID

	at(0)
	acked := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year8}})
	at(time.Hour)
	newOld := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year11}, Categories: []string{"online_safety"}})
	at(2 * time.Hour)
	newYoung := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year8}})
	urgent := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year11}, Urgent: true})
	closed := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year8}})
	at(3 * time.Hour)
	addEntry(t, db, dslViewer, acked, safeguarding.EntryInput{Kind: safeguarding.EntryAssigned, Details: safeguarding.EntryDetails{AssigneeID: dslViewer.PersonID}})
	at(3*time.Hour + 30*time.Minute)
	addEntry(t, db, dslViewer, closed, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "No further action."})
	at(4 * time.Hour)
	activeLater := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year11}})
	addEntry(t, db, dslViewer, activeLater, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})

	dsl := fx.app.signIn(t, "dsl@demo.test")
	t.Run("Order", func(t *testing.T) {
		res := dsl.get("/queue")
		want := []int64{urgent, newOld, newYoung, activeLater, acked}
		if got := triageListed(res.Body); !slices.Equal(got, want) {
			t.Errorf("queue %v, want %v", got, want)
		}
		if !strings.Contains(res.Body, "2 days ago") && !strings.Contains(res.Body, "1 day ago") {
			t.Error("the queue does not say how old concerns are")
		}
	})

	t.Run("Filters", func(t *testing.T) {
		for query, want := range map[string][]int64{
			"status=closed":               {closed},
			"status=new":                  {urgent, newOld, newYoung, acked},
			"status=acknowledged":         {activeLater},
			"status=all&year=8":           {newYoung, closed, acked},
			"category=online_safety":      {newOld},
			"assignee=me":                 {acked},
			"assignee=none&year=11":       {urgent, newOld, activeLater},
			"status=nonsense":             {urgent, newOld, newYoung, activeLater, acked},
			"status=all&category=nothing": nil,
		} {
			res := dsl.get("/queue?" + query)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", query, res.StatusCode)
				continue
			}
			if got := triageListed(res.Body); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", query, got, want)
			}
		}
		// The form shows the choice back.
		res := dsl.get("/queue?status=closed&year=8")
		if !strings.Contains(res.Body, `<option value="closed" selected>`) || !strings.Contains(res.Body, `<option value="8" selected>`) {
			t.Error("the filter form does not keep the choice")
		}
	})

	t.Run("NoQueueForOthers", func(t *testing.T) {
		for _, email := range []string{"staff@demo.test", "governor@demo.test", "admin@demo.test", "staff07@demo.test"} {
			if res := fx.app.signIn(t, email).get("/queue"); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", email, res.StatusCode)
			}
		}
		res := fx.app.signIn(t, "chair@demo.test").get("/queue")
		if res.StatusCode != http.StatusOK || len(triageListed(res.Body)) != 0 {
			t.Errorf("the chair: status %d, concerns %v; want an empty queue", res.StatusCode, triageListed(res.Body))
		}
	})

	t.Run("EveryConcernOnceAcrossPages", func(t *testing.T) {
		for i := range 115 {
			at(5*time.Hour + time.Duration(i/4)*time.Minute)
			id := logConcern(t, db, staff, safeguarding.ConcernInput{PupilIDs: []int64{year8}, Urgent: i%9 == 0})
			if i%3 == 0 {
				addEntry(t, db, dslViewer, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
			}
		}
		var seen []int64
		var pages [][]int64
		path := "/queue"
		for path != "" && len(pages) < 10 {
			res := dsl.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", path, res.StatusCode)
			}
			ids := triageListed(res.Body)
			pages = append(pages, ids)
			seen = append(seen, ids...)
			path = ""
			if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(res.Body); m != nil {
				path = html.UnescapeString(m[1])
			}
			if len(pages) > 1 && !strings.Contains(res.Body, "Back to the first page") {
				t.Errorf("page %d does not link back to the first", len(pages))
			}
		}
		if len(seen) != 120 || len(pages) != 3 || len(pages[0]) != 50 || len(pages[1]) != 50 {
			t.Errorf("%d pages of %v concerns, want 50, 50, 20", len(pages), len(seen))
		}
		once := slices.Clone(seen)
		slices.Sort(once)
		if len(slices.Compact(once)) != len(seen) {
			t.Error("a concern is listed twice")
		}
		// Back from the second page to the first.
		res := dsl.get("/queue")
		res = dsl.get(html.UnescapeString(regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(res.Body)[1]))
		m := regexp.MustCompile(`href="([^"]+)" rel="prev"`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("the second page has no link to the previous page")
		}
		if back := triageListed(dsl.get(html.UnescapeString(m[1])).Body); !slices.Equal(back, pages[0]) {
			t.Errorf("previous page %v, want %v", back, pages[0])
		}
	})
}

package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// deniedRows waits for the audit log to hold want rows of action by actor,
// newest first, and returns them: a denied look is written after the 404
// has gone out, so it may land a moment after the client has read it.
func (f *concernFixture) deniedRows(t *testing.T, actor int64, action string, want int) []safeguarding.AuditEvent {
	t.Helper()
	var rows []safeguarding.AuditEvent
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		rows = rows[:0]
		for _, e := range f.app.auditLog(t, f.app.SchoolID, 1000) {
			if e.ActorID == actor && e.Action == action {
				rows = append(rows, e)
			}
		}
		if len(rows) >= want || time.Now().After(deadline) {
			return rows
		}
	}
}

// A denied request for a concern or a child's file is answered with the very
// 404 of an id no record has, and is written to the audit log either way:
// who, which id, what they asked and from where.
func TestDeniedLooksAudited(t *testing.T) {
	f := newConcernFixture(t)
	staffV, principalV := f.viewer(t, "staff@demo.test"), f.viewer(t, "principal@demo.test")
	about := logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: principalV.PersonID, Categories: []string{"physical_abuse"}})
	aboutChild := logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{PupilIDs: []int64{f.pupil(t, 9).ID}})
	principal, staff, dsl := f.app.signIn(t, "principal@demo.test"), f.app.signIn(t, "staff@demo.test"), f.app.signIn(t, "dsl@demo.test")
	ref, missing := strconv.FormatInt(about, 10), strconv.Itoa(missingRecordID)

	denied := principal.get("/concerns/" + ref)
	gone := principal.get("/concerns/" + missing)
	checkLooksMissing(t, "GET /concerns/{id}", denied, gone)
	for _, h := range []http.Header{denied.Header, gone.Header} {
		h.Del("Date")
	}
	if fmt.Sprint(denied.Header) != fmt.Sprint(gone.Header) {
		t.Errorf("the headers differ:\n%v\n%v", denied.Header, gone.Header)
	}
	form := url.Values{"kind": {"further_information"}, "body": {"More."}}
	checkLooksMissing(t, "POST /concerns/{id}/entries", principal.post("/concerns/"+ref+"/entries", form),
		principal.post("/concerns/"+missing+"/entries", form))
	checkLooksMissing(t, "GET /concerns/{id}/logged", principal.get("/concerns/"+ref+"/logged"), principal.get("/concerns/"+missing+"/logged"))

	want := []safeguarding.AuditEvent{
		{Object: "concern:" + missing, Detail: "GET /concerns/{id}/logged"},
		{Object: "concern:" + ref, Detail: "GET /concerns/{id}/logged"},
		{Object: "concern:" + missing, Detail: "POST /concerns/{id}/entries"},
		{Object: "concern:" + ref, Detail: "POST /concerns/{id}/entries"},
		{Object: "concern:" + missing, Detail: "GET /concerns/{id}"},
		{Object: "concern:" + ref, Detail: "GET /concerns/{id}"},
	}
	for i := range want {
		want[i].SchoolID, want[i].ActorID, want[i].Action, want[i].Address = f.app.SchoolID, principalV.PersonID, "denied_concern", "127.0.0.1"
	}
	if got := f.deniedRows(t, principalV.PersonID, "denied_concern", len(want)); !sameEvents(got, want) {
		t.Errorf("the principal's denied looks:\n%+v\nwant\n%+v", got, want)
	}

	// Staff may not open a child's file.
	pupil := strconv.FormatInt(f.pupil(t, 9).ID, 10)
	checkLooksMissing(t, "GET /pupils/{id}", staff.get("/pupils/"+pupil), staff.get("/pupils/"+missing))
	wantFiles := []safeguarding.AuditEvent{
		{SchoolID: f.app.SchoolID, ActorID: staffV.PersonID, Action: "denied_child_file", Object: "pupil:" + missing, Address: "127.0.0.1", Detail: "GET /pupils/{id}"},
		{SchoolID: f.app.SchoolID, ActorID: staffV.PersonID, Action: "denied_child_file", Object: "pupil:" + pupil, Address: "127.0.0.1", Detail: "GET /pupils/{id}"},
	}
	if got := f.deniedRows(t, staffV.PersonID, "denied_child_file", len(wantFiles)); !sameEvents(got, wantFiles) {
		t.Errorf("the member of staff's denied looks:\n%+v\nwant\n%+v", got, wantFiles)
	}

	// What may be seen is no denied look, nor is an address that names no
	// id. The DSL's last request, for the allegation about the principal,
	// is: once it is recorded, so would the others be.
	if res := dsl.get("/concerns/" + strconv.FormatInt(aboutChild, 10)); res.StatusCode != http.StatusOK {
		t.Fatalf("the DSL's own concern: status %d", res.StatusCode)
	}
	if res := dsl.get("/concerns/not-an-id"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/concerns/not-an-id: status %d", res.StatusCode)
	}
	dsl.get("/concerns/" + ref)
	dslV := f.viewer(t, "dsl@demo.test")
	wantDSL := []safeguarding.AuditEvent{{SchoolID: f.app.SchoolID, ActorID: dslV.PersonID, Action: "denied_concern", Object: "concern:" + ref,
		Address: "127.0.0.1", Detail: "GET /concerns/{id}"}}
	if got := f.deniedRows(t, dslV.PersonID, "denied_concern", 1); !sameEvents(got, wantDSL) {
		t.Errorf("the DSL's denied looks:\n%+v\nwant\n%+v", got, wantDSL)
	}
}

// sameEvents reports whether two lists hold the same audit events, in any
// order.
func sameEvents(a, b []safeguarding.AuditEvent) bool {
	key := func(e safeguarding.AuditEvent) string { return fmt.Sprintf("%+v", e) }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// The principal's fifth request within a day for the allegation about them
// queues one notice (to its case handlers, by the job queue); further
// requests queue no other, and requests for an id that is no concern queue
// none.
func TestDeniedLooksNoticedOverHTTP(t *testing.T) {
	f := newConcernFixture(t)
	principalV := f.viewer(t, "principal@demo.test")
	about := logConcern(t, f.app.DB, f.viewer(t, "staff@demo.test"), safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: principalV.PersonID, Categories: []string{"physical_abuse"}})
	principal := f.app.signIn(t, "principal@demo.test")
	notices := func() int {
		return f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'denied_look_notice'`)
	}
	for range 6 {
		if res := principal.get(fmt.Sprintf("/concerns/%d", missingRecordID)); res.StatusCode != http.StatusNotFound {
			t.Fatalf("missing concern: status %d", res.StatusCode)
		}
	}
	for i := 1; i <= 4; i++ {
		principal.get(fmt.Sprintf("/concerns/%d", about))
	}
	f.deniedRows(t, principalV.PersonID, "denied_concern", 10)
	if n := notices(); n != 0 {
		t.Fatalf("%d notices after 4 denied looks and 6 at no concern, want none", n)
	}
	principal.get(fmt.Sprintf("/concerns/%d", about))
	f.deniedRows(t, principalV.PersonID, "denied_looks_noticed", 1)
	if n := notices(); n != 1 {
		t.Fatalf("%d notices after the 5th denied look, want 1", n)
	}
	var route string
	var person int64
	if err := f.owner.QueryRow(t.Context(), `SELECT args->>'route', (args->>'person_id')::bigint FROM river_job WHERE kind = 'denied_look_notice'`).
		Scan(&route, &person); err != nil || route != "principal" || person != principalV.PersonID {
		t.Fatalf("notice for route %q about person %d (err %v), want the principal route and the principal", route, person, err)
	}
	for range 3 {
		principal.get(fmt.Sprintf("/concerns/%d", about))
	}
	f.deniedRows(t, principalV.PersonID, "denied_concern", 13)
	if n := notices(); n != 1 {
		t.Fatalf("%d notices after 8 denied looks, want still 1", n)
	}
}

package httpserver_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// TestPupilSearchAndAuditPageAccess: every role of the matrix asks for the
// pupil search and the audit page; only those the rules admit get them, and
// the search box shows in the header of exactly those who may search.
func TestPupilSearchAndAuditPageAccess(t *testing.T) {
	f := newConcernFixture(t)
	var pupil int64
	var first string
	if err := f.owner.QueryRow(t.Context(), `SELECT id, first_name FROM pupils ORDER BY id LIMIT 1`).Scan(&pupil, &first); err != nil {
		t.Fatal(err)
	}
	for _, v := range accesstest.Viewers {
		c := f.app.signIn(t, v.Email)
		home := c.get("/home")
		if got, want := strings.Contains(home.Body, `action="/pupils/search"`), safeguarding.MayFindPupils(v.Roles); got != want {
			t.Errorf("%s: the header's search box shows %v, want %v", v.Name, got, want)
		}
		res := c.get("/pupils/search?q=" + url.QueryEscape(first))
		if want := safeguarding.MayFindPupils(v.Roles); want != (res.StatusCode == http.StatusOK) ||
			(!want && res.StatusCode != http.StatusNotFound) {
			t.Errorf("%s searches: %d", v.Name, res.StatusCode)
		} else if want && !strings.Contains(res.Body, `href="/pupils/`+strconv.FormatInt(pupil, 10)+`"`) {
			t.Errorf("%s searches for %q and does not find pupil %d", v.Name, first, pupil)
		}
		res = c.get("/audit")
		if want := len(safeguarding.AuditKindsFor(v.Roles)) > 0; want != (res.StatusCode == http.StatusOK) ||
			(!want && res.StatusCode != http.StatusNotFound) {
			t.Errorf("%s opens the audit page: %d", v.Name, res.StatusCode)
		}
	}
}

// TestAuditPageListsViews: the DSL opens a pupil's file, and the deputy's
// audit page lists it, filtered to that pupil and to the DSL; the file shows
// the deputy who opened it; the administrator's page never does.
func TestAuditPageListsViews(t *testing.T) {
	f := newConcernFixture(t)
	var pupil int64
	var name string
	if err := f.owner.QueryRow(t.Context(), `SELECT id, coalesce(nullif(preferred_first_name, ''), first_name) || ' ' || coalesce(nullif(preferred_last_name, ''), last_name)
		FROM pupils ORDER BY id LIMIT 1`).Scan(&pupil, &name); err != nil {
		t.Fatal(err)
	}
	var dslID int64
	if err := f.owner.QueryRow(t.Context(), `SELECT id FROM people WHERE email = 'dsl@demo.test'`).Scan(&dslID); err != nil {
		t.Fatal(err)
	}
	dsl := f.app.signIn(t, "dsl@demo.test")
	file := "/pupils/" + strconv.FormatInt(pupil, 10)
	if res := dsl.get(file); res.StatusCode != http.StatusOK {
		t.Fatalf("the DSL opens the file: %d", res.StatusCode)
	}
	deputy := f.app.signIn(t, "deputy@demo.test")
	for _, path := range []string{"/audit", "/audit?pupil_id=" + strconv.FormatInt(pupil, 10), "/audit?person=" + strconv.FormatInt(dslID, 10),
		"/audit?pupil=" + url.QueryEscape(name)} {
		res := deputy.get(path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="`+file+`"`) || !strings.Contains(res.Body, "Viewed the child&#39;s file") {
			t.Errorf("%s: %d, the DSL's view of %s is not listed", path, res.StatusCode, file)
		}
	}
	if res := deputy.get("/audit?from-day=31&from-month=2&from-year=2026"); res.StatusCode != http.StatusOK ||
		!strings.Contains(res.Body, "govuk-error-summary") || !strings.Contains(res.Body, "must be a real date") {
		t.Errorf("a date that does not exist: %d, no error shown", res.StatusCode)
	}
	res := deputy.get(file)
	if !strings.Contains(res.Body, "Who has opened this file") || !strings.Contains(res.Body, "?pupil_id="+strconv.FormatInt(pupil, 10)) {
		t.Errorf("the file does not show who has opened it")
	}
	admin := f.app.signIn(t, "admin@demo.test")
	res = admin.get("/audit?pupil_id=" + strconv.FormatInt(pupil, 10))
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, file) || strings.Contains(res.Body, "child&#39;s file</") {
		t.Errorf("the administrator's audit page: %d, names the file", res.StatusCode)
	}
	if !strings.Contains(res.Body, "Signed in") {
		t.Errorf("the administrator's audit page lists no sign-in")
	}
}

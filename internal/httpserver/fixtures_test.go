package httpserver_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// concernFixture is the demo school served by Haven, and the owner's
// connection to set up and to look behind the app's back.
type concernFixture struct {
	app   *testApp
	owner *pgx.Conn // the owner bypasses row-level security
}

func newConcernFixture(t *testing.T) *concernFixture {
	t.Helper()
	app := newTestApp(t)
	owner, err := pgx.Connect(t.Context(), app.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	return &concernFixture{app: app, owner: owner}
}

// viewer is the demo person with that e-mail address.
func (f *concernFixture) viewer(t *testing.T, email string) safeguarding.Viewer {
	t.Helper()
	var id int64
	if err := f.owner.QueryRow(t.Context(), `SELECT id FROM people WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	v, err := f.app.DB.Viewer(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// pupil returns a demo pupil in year group year with a surname long enough
// to search for part of it.
func (f *concernFixture) pupil(t *testing.T, year int) safeguarding.PupilRef {
	t.Helper()
	var p safeguarding.PupilRef
	err := f.owner.QueryRow(t.Context(), `SELECT id, first_name, last_name, year_group FROM pupils
		WHERE school_id = $1 AND year_group = $2 AND length(last_name) >= 5 ORDER BY id LIMIT 1`, f.app.SchoolID, year).Scan(&p.ID, &p.FirstName, &p.LastName, &p.YearGroup)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// count runs a count query as the owner.
func (f *concernFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.owner.QueryRow(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// newToken is a fresh one-time form token (a random UUID).
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// logConcern files a concern by v through the store, at the time db's clock
// gives, failing the test otherwise: what is tested is what the pages make
// of it, not the form. Left blank, the submission token is a fresh one and
// the concern is one of neglect about the pupils named, on 2 March 2026.
func logConcern(t *testing.T, db *postgres.DB, v safeguarding.Viewer, in safeguarding.ConcernInput) int64 {
	t.Helper()
	if in.SubmissionToken == "" {
		in.SubmissionToken = newToken()
	}
	if in.SubjectKind == "" {
		in.SubjectKind = safeguarding.SubjectPupils
	}
	if len(in.Categories) == 0 {
		in.Categories = []string{"neglect"}
	}
	if in.WhatHappened == "" {
		in.WhatHappened = "Came to school hungry again."
	}
	if in.HappenedOn.IsZero() {
		in.HappenedOn = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	}
	id, _, err := db.LogConcern(t.Context(), v, in)
	if err != nil {
		t.Fatalf("log concern %q: %v", in.WhatHappened, err)
	}
	return id
}

// triageLog is logConcern by the name hostile_test.go still calls it.
func triageLog(t *testing.T, db *postgres.DB, v safeguarding.Viewer, in safeguarding.ConcernInput) int64 {
	t.Helper()
	return logConcern(t, db, v, in)
}

// addEntry adds an entry by v to a concern through the store, failing the
// test otherwise.
func addEntry(t *testing.T, db *postgres.DB, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) {
	t.Helper()
	if err := db.AddEntry(t.Context(), v, concernID, in); err != nil {
		t.Fatalf("add %s to concern %d: %v", in.Kind, concernID, err)
	}
}

var (
	scriptTag         = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	inlineStyleOrCode = regexp.MustCompile(`(?i)\s(style|on[a-z]+)\s*=|<style`)
)

// checkStrictCSP fails if a page holds anything a strict
// Content-Security-Policy would block: an inline script, inline style or an
// inline event handler.
func checkStrictCSP(t *testing.T, body string) {
	t.Helper()
	for _, tag := range scriptTag.FindAllString(body, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("inline script, which the Content-Security-Policy blocks: %s", tag)
		}
	}
	if inlineStyleOrCode.MatchString(body) {
		t.Errorf("the page has inline style or an inline event handler: %s", inlineStyleOrCode.FindString(body))
	}
}

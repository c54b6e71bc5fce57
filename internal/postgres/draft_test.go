package postgres_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// draftOf is v's draft as the concern form reads it (FormLists), or nil.
func draftOf(t *testing.T, db *postgres.DB, v safeguarding.Viewer) *safeguarding.Draft {
	t.Helper()
	lists, err := db.FormLists(t.Context(), v)
	if err != nil {
		t.Fatal(err)
	}
	return lists.Draft
}

func TestDraft(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()
	at := time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC)
	db := s.db.WithClock(func() time.Time { return at })

	t.Run("NoDraft", func(t *testing.T) {
		if d := draftOf(t, db, s.teacher); d != nil {
			t.Errorf("a draft with none saved: %s", d.Form)
		}
	})

	t.Run("SaveReplaceRead", func(t *testing.T) {
		if err := db.SaveDraft(ctx, s.teacher, []byte(`{"what-happened":["first"]}`)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveDraft(ctx, s.teacher, []byte(`{"what-happened":["second <b>&</b>"]}`)); err != nil {
			t.Fatal(err)
		}
		d := draftOf(t, db, s.teacher)
		if d == nil {
			t.Fatal("no draft after saving one")
		}
		var form map[string][]string
		if err := json.Unmarshal(d.Form, &form); err != nil {
			t.Fatal(err)
		}
		if got := form["what-happened"]; len(got) != 1 || got[0] != "second <b>&</b>" {
			t.Errorf("draft = %s, want the second save", d.Form)
		}
		if !d.SavedAt.Equal(at) {
			t.Errorf("saved at %v, want %v", d.SavedAt, at)
		}
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM concern_drafts`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d drafts stored (%v), want one per person", n, err)
		}
	})

	t.Run("ErrOthersCannotReadIt", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.principal, s.otherTeacher} {
			if d := draftOf(t, db, v); d != nil {
				t.Errorf("%s read someone else's draft: %s", v.Email, d.Form)
			}
		}
		// Row-level security alone hides it: the viewer's own person id
		// in another's school sees no rows at all.
		ghost := safeguarding.Viewer{SchoolID: s.otherTeacher.SchoolID, PersonID: s.teacher.PersonID}
		if d := draftOf(t, db, ghost); d != nil {
			t.Errorf("a viewer of another school read the draft: %s", d.Form)
		}
	})

	t.Run("ErrNotJSON", func(t *testing.T) {
		if err := db.SaveDraft(ctx, s.teacher, []byte(`what-happened=x`)); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("SaveDraft(not JSON) = %v, want EINVALID", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := db.SaveDraft(ctx, s.principal, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteDraft(ctx, s.teacher); err != nil {
			t.Fatal(err)
		}
		if d := draftOf(t, db, s.teacher); d != nil {
			t.Errorf("after DeleteDraft: %s", d.Form)
		}
		if draftOf(t, db, s.principal) == nil {
			t.Error("deleting one person's draft touched another's")
		}
		if err := db.DeleteDraft(ctx, s.teacher); err != nil {
			t.Errorf("DeleteDraft with none saved: %v", err)
		}
	})

	t.Run("LoggingAConcernDiscardsIt", func(t *testing.T) {
		if err := db.SaveDraft(ctx, s.teacher, []byte(`{"what-happened":["typing"]}`)); err != nil {
			t.Fatal(err)
		}
		found, err := db.SearchPupils(ctx, s.teacher, "brookes", 0, 1)
		if err != nil || len(found) != 1 {
			t.Fatalf("find pupil: %v %v", found, err)
		}
		logConcern(t, db, s.teacher, safeguarding.ConcernInput{
			SubmissionToken: "0b6f7f0e-8a43-4d1c-9a4e-2f7d3c1b5e60", SubjectKind: safeguarding.SubjectPupils,
			PupilIDs: []int64{found[0].ID}, Categories: []string{"neglect"}, WhatHappened: "Hungry every morning",
			HappenedOn: at})
		if d := draftOf(t, db, s.teacher); d != nil {
			t.Errorf("draft still there after the concern was logged: %s", d.Form)
		}
	})
}

package postgres_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestEntryDraft: the entry a person is typing on a concern is kept for
// them alone, on concerns they may add to, until they add it.
func TestEntryDraft(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	at := time.Date(2026, 3, 27, 11, 2, 0, 0, time.UTC)
	db := s.db.WithClock(func() time.Time { return at })
	concern := logConcern(t, db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}})
	read := func(v safeguarding.Viewer) string {
		t.Helper()
		d, found, err := db.EntryDraft(ctx, v, concern)
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			return ""
		}
		return string(d.Form)
	}

	t.Run("SaveReplaceRead", func(t *testing.T) {
		for _, form := range []string{`{"Kind":"action","Body":"Phoned"}`, `{"Kind":"action","Body":"Phoned MASH at 09:10"}`} {
			if err := db.SaveEntryDraft(ctx, s.dsl, concern, safeguarding.EntryAction, []byte(form)); err != nil {
				t.Fatal(err)
			}
		}
		if got := read(s.dsl); got != `{"Body": "Phoned MASH at 09:10", "Kind": "action"}` {
			t.Errorf("draft = %s, want the second save", got)
		}
		d, _, _ := db.EntryDraft(ctx, s.dsl, concern)
		if !d.SavedAt.Equal(at) {
			t.Errorf("saved at %v, want %v", d.SavedAt, at)
		}
	})
	t.Run("ErrOthersCannotReadIt", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.deputy, s.principal, s.staff1} {
			if got := read(v); got != "" {
				t.Errorf("%s read the DSL's draft: %s", v.Email, got)
			}
		}
	})
	t.Run("TheReferrerKeepsFurtherInformation", func(t *testing.T) {
		if err := db.SaveEntryDraft(ctx, s.staff1, concern, safeguarding.EntryFurtherInformation, []byte(`{"Kind":"further_information"}`)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrNotAConcernTheyMayAddTo", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff2, s.principal, s.governor} {
			err := db.SaveEntryDraft(ctx, v, concern, safeguarding.EntryAction, []byte(`{"Kind":"action"}`))
			if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%s kept a draft on a concern they may not add to: %v", v.Email, err)
			}
		}
	})
	t.Run("AddingTheEntryDiscardsItsDraft", func(t *testing.T) {
		addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
		if read(s.dsl) == "" {
			t.Fatal("acknowledging discarded the action being typed")
		}
		addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Phoned MASH at 09:10"})
		if got := read(s.dsl); got != "" {
			t.Errorf("the draft outlived its entry: %s", got)
		}
		if read(s.staff1) == "" {
			t.Error("the DSL's entry discarded the referrer's draft")
		}
	})
}

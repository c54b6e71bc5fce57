package postgres_test

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// A notice is read only by the person it is for: row-level security holds
// the rule whatever the query asks.
func TestNoticesAreReadOnlyByTheirPerson(t *testing.T) {
	s := newSmallSchool(t)
	if err := s.db.AddNotices(t.Context(), safeguarding.Notice{SchoolID: s.schoolID, PersonID: s.dsl.PersonID,
		Kind: safeguarding.NoticeNewConcern, Message: "A new concern was logged"}); err != nil {
		t.Fatal(err)
	}
	count := func(v safeguarding.Viewer) (n int) {
		t.Helper()
		if err := asViewerTx(t, s.db, v, func(tx pgx.Tx) error {
			return tx.QueryRow(t.Context(), `SELECT count(*) FROM notices`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(s.dsl); n != 1 {
		t.Errorf("the DSL reads %d notices, want 1", n)
	}
	for _, v := range []safeguarding.Viewer{s.deputy, s.principal, s.staff1, s.admin} {
		if n := count(v); n != 0 {
			t.Errorf("person %d reads %d notices of the DSL's", v.PersonID, n)
		}
	}
	// Nobody may mark another's notice read.
	if err := asViewerTx(t, s.db, s.deputy, func(tx pgx.Tx) error {
		tag, err := tx.Exec(t.Context(), `UPDATE notices SET read_at = now()`)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("the deputy marked %d of the DSL's notices read", tag.RowsAffected())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

package postgres_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The viewer's transaction sends BEGIN and the viewer with its first
// statement and may send COMMIT with its last; it must still be one
// transaction, with the viewer's settings from the first statement on, that
// commits whole or not at all, and leaves no connection inside it.
func TestViewerTransaction(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	dsl, staff := s.viewerByEmail(t, "dsl@demo.test"), s.viewerByEmail(t, "staff@demo.test")
	drafts := func(v int64) int {
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM concern_drafts WHERE person_id = $1`, v).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const saveDraft = `INSERT INTO concern_drafts (school_id, person_id, form, saved_at) VALUES ($1, $2, '{}', now())
		ON CONFLICT (school_id, person_id) DO UPDATE SET saved_at = excluded.saved_at`

	t.Run("OneTransactionWithTheViewerFromTheFirstStatement", func(t *testing.T) {
		var roles []string
		var first, second time.Time
		err := s.db.AsViewer(ctx, dsl, func(tx pgx.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT haven_roles(), now()`).Scan(&roles, &first); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `SELECT pg_sleep(0.01)`); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT now()`).Scan(&second)
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(roles, "dsl") {
			t.Errorf("the first statement saw roles %v, want the DSL's", roles)
		}
		if !first.Equal(second) {
			t.Errorf("now() moved from %v to %v: the statements ran in separate transactions", first, second)
		}
	})

	t.Run("RollsBackWhenTheFunctionFails", func(t *testing.T) {
		stop := errors.New("stop")
		err := s.db.AsViewer(ctx, staff, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, saveDraft, staff.SchoolID, staff.PersonID); err != nil {
				return err
			}
			return stop
		})
		if !errors.Is(err, stop) {
			t.Fatalf("err = %v, want the function's", err)
		}
		if n := drafts(staff.PersonID); n != 0 {
			t.Errorf("%d drafts stored by a transaction that failed", n)
		}
	})

	t.Run("SendLastCommits", func(t *testing.T) {
		err := s.db.AsViewer(ctx, staff, func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			b.Queue(saveDraft, staff.SchoolID, staff.PersonID)
			return postgres.SendLast(ctx, tx, b)
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := drafts(staff.PersonID); n != 1 {
			t.Errorf("%d drafts stored, want 1", n)
		}
	})

	t.Run("AFailureInTheLastBatchUndoesEverything", func(t *testing.T) {
		err := s.db.AsViewer(ctx, dsl, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, saveDraft, dsl.SchoolID, dsl.PersonID); err != nil {
				return err
			}
			b := &pgx.Batch{}
			b.Queue(saveDraft, staff.SchoolID, staff.PersonID) // another person's draft: refused
			return postgres.SendLast(ctx, tx, b)
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Fatalf("err = %v, want the policy's refusal", err)
		}
		if n := drafts(dsl.PersonID); n != 0 {
			t.Errorf("the DSL's draft was stored although the transaction failed")
		}
	})

	// Whatever happened above, every connection went back to the pool out of
	// any transaction, and the pool still answers.
	if n := s.db.Pool().Stat().AcquiredConns(); n != 0 {
		t.Errorf("%d connections still acquired", n)
	}
	for range 5 {
		err := s.db.AsViewer(ctx, staff, func(tx pgx.Tx) error {
			var status string
			if err := tx.QueryRow(ctx, `SELECT 'ok'`).Scan(&status); err != nil {
				return err
			}
			if st := tx.Conn().PgConn().TxStatus(); st != 'T' {
				t.Errorf("transaction status %q inside the viewer's transaction", st)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Filing a concern checks its pupils with the concern's insert and sends
// COMMIT with its last batch; it is still whole or nothing: a refused pupil
// leaves no concern, link, entry, job or audit line, and keeps the draft.
func TestLogConcernWholeOrNothing(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	elsewhere := s.pupilOfAnotherSchool(t)
	if err := s.db.SaveDraft(ctx, s.staff1, []byte(`{"what":"half written"}`)); err != nil {
		t.Fatal(err)
	}
	counts := func() (n [5]int) {
		t.Helper()
		err := s.owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM concerns), (SELECT count(*) FROM concern_pupils),
			(SELECT count(*) FROM chronology_entries), (SELECT count(*) FROM river_job),
			(SELECT count(*) FROM audit_log WHERE action = 'log_concern')`).Scan(&n[0], &n[1], &n[2], &n[3], &n[4])
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	in := safeguarding.ConcernInput{SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{s.ruby, elsewhere},
		Categories: []string{"neglect"}, WhatHappened: "Came in hungry.", HappenedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}

	before := counts()
	_, _, err := s.db.LogConcern(ctx, s.staff1, in)
	if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Fatalf("a pupil of another school: err = %v, want EINVALID", err)
	}
	if after := counts(); after != before {
		t.Errorf("a refused concern left rows behind: concerns, links, entries, jobs, audit %v → %v", before, after)
	}
	if draftOf(t, s.db, s.staff1) == nil {
		t.Error("the draft is gone after a refused concern")
	}

	in.PupilIDs = []int64{s.ruby}
	id, duplicate, err := s.db.LogConcern(ctx, s.staff1, in)
	if err != nil || duplicate {
		t.Fatalf("LogConcern = %d, %v, %v", id, duplicate, err)
	}
	// Two jobs: the alert, and the escalation should nobody acknowledge it.
	if got, want := counts(), [5]int{before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 2, before[4] + 1}; got != want {
		t.Errorf("after filing: concerns, links, entries, jobs, audit = %v, want %v", got, want)
	}
	if d := draftOf(t, s.db, s.staff1); d != nil {
		t.Errorf("the draft survived the concern it was for: %s", d.Form)
	}
	again, duplicate, err := s.db.LogConcern(ctx, s.staff1, in)
	if err != nil || !duplicate || again != id {
		t.Errorf("the same form again = %d, %v, %v; want %d as a duplicate", again, duplicate, err, id)
	}
}

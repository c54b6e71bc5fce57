package postgres_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/postgres"
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
	if n := s.db.Pool.Stat().AcquiredConns(); n != 0 {
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

package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestVerifyAuditLog tampers with the audit log as its owner could and
// checks that verification names the row, and passes again once the row
// is put back.
func TestVerifyAuditLog(t *testing.T) {
	ctx := context.Background()
	s := loggedConcernWithEntries(t) // writes audit rows: the concern logged, entries added
	dsl := s.viewerByEmail(t, "dsl@demo.test")
	for i := range 3 {
		if err := s.db.Audit(ctx, safeguarding.AuditEvent{SchoolID: dsl.SchoolID, ActorID: dsl.PersonID, Action: "sign_in",
			Address: "192.0.2.1", Detail: strings.Repeat("é", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.db.Audit(ctx, safeguarding.AuditEvent{Action: "sign_in_failed", Detail: "nobody@example.test"}); err != nil {
		t.Fatal(err)
	}
	verify := func(t *testing.T) (int, []postgres.AuditBreak) {
		t.Helper()
		checked, breaks, err := postgres.VerifyAuditLog(ctx, s.connString)
		if err != nil {
			t.Fatal(err)
		}
		return checked, breaks
	}
	if checked, breaks := verify(t); checked < 6 || len(breaks) != 0 {
		t.Fatalf("untouched log: checked %d, breaks %v", checked, breaks)
	}
	var id int64
	var detail string
	if err := s.owner.QueryRow(ctx, `SELECT id, detail FROM audit_log WHERE action = 'sign_in' ORDER BY id LIMIT 1 OFFSET 1`).Scan(&id, &detail); err != nil {
		t.Fatal(err)
	}
	exec := func(t *testing.T, sql string, args ...any) {
		t.Helper()
		if _, err := s.owner.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("ErrEditedRow", func(t *testing.T) {
		exec(t, `UPDATE audit_log SET detail = 'nothing to see' WHERE id = $1`, id)
		_, breaks := verify(t)
		if len(breaks) != 1 || breaks[0].ID != id || !strings.Contains(breaks[0].Problem, "changed") {
			t.Errorf("breaks %v; want row %d changed", breaks, id)
		}
		exec(t, `UPDATE audit_log SET detail = $2 WHERE id = $1`, id, detail)
		if _, breaks := verify(t); len(breaks) != 0 {
			t.Errorf("restored row: breaks %v", breaks)
		}
	})

	t.Run("ErrEditedTime", func(t *testing.T) {
		exec(t, `UPDATE audit_log SET at = at - interval '1 hour' WHERE id = $1`, id)
		if _, breaks := verify(t); len(breaks) != 1 || breaks[0].ID != id {
			t.Errorf("breaks %v; want row %d", breaks, id)
		}
		exec(t, `UPDATE audit_log SET at = at + interval '1 hour' WHERE id = $1`, id)
	})

	t.Run("ErrDeletedRow", func(t *testing.T) {
		tx, err := s.owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, `DELETE FROM audit_log WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		_, breaks := verify(t)
		if len(breaks) != 1 || !strings.Contains(breaks[0].Problem, "removed") {
			t.Errorf("breaks %v; want the row after %d to say one was removed", breaks, id)
		}
	})

	t.Run("ErrDeletedNewest", func(t *testing.T) {
		exec(t, `DELETE FROM audit_log WHERE school_id IS NULL`)
		_, breaks := verify(t)
		found := false
		for _, b := range breaks {
			found = found || (b.SchoolID == 0 && strings.Contains(b.Problem, "removed"))
		}
		if !found {
			t.Errorf("breaks %v; want school 0's chain emptied", breaks)
		}
	})

	t.Run("ErrInsertedRow", func(t *testing.T) {
		exec(t, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_link`)
		exec(t, `INSERT INTO audit_log (school_id, actor_id, action) VALUES ($1, $2, 'sign_in')`, dsl.SchoolID, dsl.PersonID)
		exec(t, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_link`)
		_, breaks := verify(t)
		found := false
		for _, b := range breaks {
			found = found || strings.Contains(b.Problem, "inserted afterwards")
		}
		if !found {
			t.Errorf("breaks %v; want the unlinked row", breaks)
		}
	})
}

// TestAuditChainConcurrent writes audit rows from many transactions at once
// and checks that every one is linked into one unbroken chain.
func TestAuditChainConcurrent(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	dsl := s.viewerByEmail(t, "dsl@demo.test")
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				errs <- s.db.Audit(ctx, safeguarding.AuditEvent{SchoolID: dsl.SchoolID, ActorID: dsl.PersonID, Action: "view_queue"})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checked, breaks, err := postgres.VerifyAuditLog(ctx, s.connString)
	if err != nil || checked < 200 || len(breaks) != 0 {
		t.Fatalf("checked %d, breaks %v, %v", checked, breaks, err)
	}
}

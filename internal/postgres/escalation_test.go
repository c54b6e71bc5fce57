package postgres_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The escalation settings: the defaults until set; set only by the DSL, a
// deputy or the administrator, audited; the vice-chair a governor.
func TestEscalationSettings(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	got, err := s.db.EscalationSettings(ctx, s.staff1)
	if err != nil || got.UrgentAfter != 15*time.Minute || got.OthersHour != 9 || got.ViceChairID != 0 {
		t.Fatalf("defaults %+v, %v", got, err)
	}
	want := safeguarding.EscalationSettings{UrgentAfter: 30 * time.Minute, OthersHour: 8, ViceChairID: s.governor.PersonID}
	for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.chair, s.governor} {
		if err := s.db.SetEscalationSettings(ctx, v, want, "192.0.2.1"); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
			t.Errorf("person %d set the escalation settings: %v", v.PersonID, err)
		}
		// Row-level security holds the rule too.
		if err := asViewerTx(t, s.db, v, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO school_escalation (school_id, urgent_minutes, others_hour, updated_at, updated_by)
				VALUES ($1, 1, 1, now(), $2)`, s.schoolID, v.PersonID)
			return err
		}); err == nil {
			t.Errorf("person %d wrote the escalation settings past the store", v.PersonID)
		}
	}
	if err := s.db.SetEscalationSettings(ctx, s.dsl, safeguarding.EscalationSettings{UrgentAfter: 30 * time.Minute, OthersHour: 8, ViceChairID: s.staff2.PersonID}, "192.0.2.1"); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("a member of staff named vice-chair: %v", err)
	}
	if err := s.db.SetEscalationSettings(ctx, s.dsl, safeguarding.EscalationSettings{UrgentAfter: 0, OthersHour: 24}, "192.0.2.1"); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("0 minutes and hour 24 accepted: %v", err)
	}
	for _, v := range []safeguarding.Viewer{s.dsl, s.admin} {
		if err := s.db.SetEscalationSettings(ctx, v, want, "192.0.2.1"); err != nil {
			t.Fatalf("person %d: %v", v.PersonID, err)
		}
	}
	got, err = s.db.EscalationSettings(ctx, s.staff1)
	if err != nil || got.UrgentAfter != want.UrgentAfter || got.OthersHour != want.OthersHour || got.ViceChairID != want.ViceChairID || got.UpdatedByName != "admin" {
		t.Fatalf("read back %+v, %v", got, err)
	}
	var audited int
	if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'set_escalation' AND school_id = $1`, s.schoolID).Scan(&audited); err != nil || audited != 2 {
		t.Errorf("%d changes audited (err %v), want 2", audited, err)
	}
}

// An escalation is recorded once, read by those who read the concern in
// full (not the member of staff who logged it), and shows as overdue to
// those it is routed to until acknowledged. Nobody signed in may run it.
func TestEscalationRecorded(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"neglect"}})

	if err := asViewerTx(t, s.db, s.dsl, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM haven_escalation_due($1, $2)`, s.schoolID, id).Scan(&n); err != nil || n != 0 {
			t.Errorf("the DSL reached the escalation job's function: %d rows, %v", n, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	e, err := s.db.EscalateConcern(ctx, s.schoolID, id)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Done || e.To != safeguarding.EscalatedToPrincipal || !e.WithAccess || len(e.People) != 1 || e.People[0].PersonID != s.principal.PersonID {
		t.Fatalf("escalated %+v, want to the principal with access", e)
	}
	again, err := s.db.EscalateConcern(ctx, s.schoolID, id)
	if err != nil || len(again.People) != 1 {
		t.Fatalf("run again: %+v, %v", again, err)
	}
	var rows, notices int
	if err := s.owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM concern_escalations WHERE concern_id = $1),
		(SELECT count(*) FROM notices WHERE concern_id = $1 AND kind = 'escalation')`, id).Scan(&rows, &notices); err != nil || rows != 1 || notices != 1 {
		t.Fatalf("%d escalations and %d notices after two runs (err %v), want 1 and 1", rows, notices, err)
	}

	for _, c := range []struct {
		v    safeguarding.Viewer
		sees bool
	}{{s.dsl, true}, {s.deputy, true}, {s.principal, true}, {s.staff1, false}, {s.chair, false}, {s.admin, false}} {
		got, err := s.db.ConcernEscalation(ctx, c.v, id)
		if err != nil {
			t.Fatal(err)
		}
		if (got != nil) != c.sees {
			t.Errorf("person %d sees the escalation: %v, want %v", c.v.PersonID, got != nil, c.sees)
		}
	}
	overdue := func(v safeguarding.Viewer) int {
		t.Helper()
		n, err := s.db.UnacknowledgedInTime(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if overdue(s.dsl) != 1 || overdue(s.deputy) != 1 || overdue(s.principal) != 0 || overdue(s.staff1) != 0 {
		t.Errorf("overdue: DSL %d, deputy %d, principal %d, staff %d; want 1, 1, 0, 0", overdue(s.dsl), overdue(s.deputy), overdue(s.principal), overdue(s.staff1))
	}
	addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	if n := overdue(s.dsl); n != 0 {
		t.Errorf("%d overdue after acknowledgement", n)
	}

	// Acknowledged in time: nothing is escalated.
	seen := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.tom}, Categories: []string{"neglect"}})
	addEntry(t, s.db, s.deputy, seen, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	if e, err := s.db.EscalateConcern(ctx, s.schoolID, seen); err != nil || e.Done || len(e.People) != 0 {
		t.Errorf("an acknowledged concern: %+v, %v", e, err)
	}
}

// Notices: counted unread with the viewer, listed newest first, read when
// their concern is opened or all at once; a concern the reader may no
// longer see is not linked.
func TestNoticesReadUnread(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	child := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"neglect"}})
	aboutPrincipal := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: s.principal.PersonID, Categories: []string{"other"}})
	add := func(concernID int64, msg string) {
		t.Helper()
		if err := s.db.AddNotices(ctx, safeguarding.Notice{SchoolID: s.schoolID, PersonID: s.dsl.PersonID, Kind: safeguarding.NoticeNewConcern,
			ConcernID: concernID, Message: msg}); err != nil {
			t.Fatal(err)
		}
	}
	add(child, "first")
	add(aboutPrincipal, "second") // as if routed to the DSL once: it is not now
	add(0, "third")
	unread := func() int {
		t.Helper()
		v, err := s.db.Viewer(ctx, s.dsl.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnreadNotices
	}
	if n := unread(); n != 3 {
		t.Fatalf("%d unread, want 3", n)
	}
	if v, _ := s.db.Viewer(ctx, s.deputy.PersonID); v.UnreadNotices != 0 {
		t.Errorf("the deputy counts %d of the DSL's notices", v.UnreadNotices)
	}
	dsl := s.dsl
	dsl.UnreadNotices = 3
	if n, err := s.db.MarkConcernNoticesRead(ctx, dsl, child); err != nil || n != 1 {
		t.Fatalf("opening the concern marked %d read (err %v), want 1", n, err)
	}
	if n := unread(); n != 2 {
		t.Errorf("%d unread after opening the concern, want 2", n)
	}
	ns, err := s.db.Notices(ctx, s.dsl)
	if err != nil || len(ns) != 3 {
		t.Fatalf("notices %+v, %v", ns, err)
	}
	if ns[0].Message != "third" || ns[2].Message != "first" {
		t.Errorf("not newest first: %q, %q, %q", ns[0].Message, ns[1].Message, ns[2].Message)
	}
	if ns[2].ReadAt == nil || ns[0].ReadAt != nil || ns[2].ConcernID != child {
		t.Errorf("the opened concern's notice: %+v", ns[2])
	}
	if ns[1].ConcernID != 0 {
		t.Errorf("a notice links the DSL to a concern about the principal (%d)", ns[1].ConcernID)
	}
	if err := s.db.MarkNoticesRead(ctx, s.dsl); err != nil {
		t.Fatal(err)
	}
	if n := unread(); n != 0 {
		t.Errorf("%d unread after marking all read", n)
	}
}

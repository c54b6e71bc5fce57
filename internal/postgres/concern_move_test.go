package postgres_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// A concern whose subject turns out to be someone else is moved to them by
// a case handler, with a reason: the route follows at once, the move is an
// entry of the chronology, the new route's handlers are alerted, and the
// subject is never told.

// alertRoutes are the routes of the alerts queued for a concern, oldest first.
func (s *testDB) alertRoutes(t *testing.T, id int64) []string {
	t.Helper()
	rows, err := s.owner.Query(t.Context(), `SELECT args->>'route' FROM river_job WHERE kind = 'concern_alert' AND (args->>'concern_id')::bigint = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		routes = append(routes, r)
	}
	return routes
}

func TestMoveConcernToThePrincipal(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	// The second misroute of issue 12: a child's account of the principal,
	// logged as a concern about the child. The DSL reads it and moves it.
	id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"sexual_abuse"},
		WhatHappened: "Ruby says the principal touched her."})
	addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAssigned, Details: safeguarding.EntryDetails{AssigneeID: s.deputy.PersonID}})

	t.Run("ErrReasonRequired", func(t *testing.T) {
		_, err := s.db.MoveConcern(ctx, s.dsl, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectStaff, SubjectPersonID: s.principal.PersonID})
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("a move without a reason: %v, want invalid", err)
		}
	})
	t.Run("ErrNotTheirs", func(t *testing.T) {
		for name, v := range map[string]safeguarding.Viewer{"principal": s.principal, "chair": s.chair, "referrer": s.staff1} {
			_, err := s.db.MoveConcern(ctx, v, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectOtherAdult, SubjectAdultName: "Someone", Reason: "x"})
			if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("the %s moves a concern about a child: %v, want not found", name, err)
			}
		}
	})

	// A referral made before the move: its response's deadline follows the
	// concern to its new route, as its entries do.
	addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-7", ReferredOn: "2026-03-02"}})
	if n := rlsCount(t, s.db, s.dsl, `SELECT count(*) FROM deadlines WHERE concern_id = $1 AND kind = 'referral_response'`, id); n != 1 {
		t.Fatalf("before the move the DSL sees %d response deadlines, want 1", n)
	}
	after, err := s.db.MoveConcern(ctx, s.dsl, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: s.principal.PersonID, Reason: "Ruby's account is of the principal: for the chair."})
	if err != nil {
		t.Fatal(err)
	}
	if after.Route != safeguarding.RoutePrincipal {
		t.Errorf("moved to the principal: route %s", after.Route)
	}
	reachesOnlyTheChair(t, s, id, s.ruby)
	if n := rlsCount(t, s.db, s.dsl, `SELECT count(*) FROM chronology_entries WHERE concern_id = $1`, id); n != 0 {
		t.Errorf("the DSL still reads %d of its entries", n)
	}
	if n := rlsCount(t, s.db, s.deputy, `SELECT count(*) FROM concern_pupils WHERE concern_id = $1`, id); n != 0 {
		t.Errorf("the deputy still sees %d of its links", n)
	}
	for name, v := range map[string]safeguarding.Viewer{"DSL": s.dsl, "deputy": s.deputy, "principal": s.principal} {
		if n := rlsCount(t, s.db, v, `SELECT count(*) FROM deadlines WHERE concern_id = $1`, id); n != 0 {
			t.Errorf("the %s still sees %d of its deadlines", name, n)
		}
	}
	if n := rlsCount(t, s.db, s.chair, `SELECT count(*) FROM deadlines WHERE concern_id = $1 AND kind = 'referral_response'`, id); n != 1 {
		t.Errorf("the chair, who handles it now, sees %d response deadlines, want 1", n)
	}
	var assigned *int64
	if err := s.owner.QueryRow(ctx, `SELECT assigned_to FROM concerns WHERE id = $1`, id).Scan(&assigned); err != nil || assigned != nil {
		t.Errorf("the concern is still given to the deputy (%v, %v): they may not have it on the chair's route", assigned, err)
	}
	rec, err := s.db.ConcernRecord(ctx, s.chair, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := rec.Entries[len(rec.Entries)-1]
	if last.Kind != safeguarding.EntryMoved || !strings.Contains(last.Body, "for the chair") || last.Details.ToSubject != "principal (staff)" {
		t.Errorf("the last entry is %s %q to %q, want the move with its reason", last.Kind, last.Body, last.Details.ToSubject)
	}
	// Only the rule's own function may move a concern: the app may not
	// change a subject or a route itself.
	for _, set := range []string{"subject_person_id = NULL", "subject_kind = 'other_adult'", "subject_adult_name = 'x'", "route = 'child'"} {
		err := asViewerTx(t, s.db, s.chair, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE concerns SET `+set+` WHERE id = $1`, id)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("the app ran UPDATE concerns SET %s: %v, want permission denied", set, err)
		}
	}
	if got := s.alertRoutes(t, id); !slices.Equal(got, []string{"child", "principal"}) {
		t.Errorf("alerts queued on routes %v, want the child's, then the chair's", got)
	}
	if _, breaks, err := postgres.VerifyChronology(ctx, s.connString); err != nil || len(breaks) != 0 {
		t.Errorf("the chain after the move: %v, %v", breaks, err)
	}

	t.Run("TheChairSaysItIsSomeoneElse", func(t *testing.T) {
		// Not the principal after all: a visiting coach. The principal, as
		// case manager of concerns about adults, now handles it; the chair
		// no longer sees it.
		after, err := s.db.MoveConcern(ctx, s.chair, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectOtherAdult,
			SubjectAdultName: "A visiting coach", Reason: "The coach, not the head: established by the LADO."})
		if err != nil {
			t.Fatal(err)
		}
		if after.Route != safeguarding.RouteAdult {
			t.Errorf("route %s, want adult", after.Route)
		}
		if _, err := s.db.Concern(ctx, s.chair, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("the chair still sees it: %v", err)
		}
		if _, err := s.db.Concern(ctx, s.principal, id); err != nil {
			t.Errorf("the principal, now its case manager, cannot see it: %v", err)
		}
		if got := s.alertRoutes(t, id); !slices.Equal(got, []string{"child", "principal", "adult"}) {
			t.Errorf("alerts queued on routes %v", got)
		}
	})

	t.Run("ErrSubjectNeverMoves", func(t *testing.T) {
		// A concern about the DSL: the DSL cannot see it, let alone move it.
		id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff, SubjectPersonID: s.dsl.PersonID,
			Categories: []string{"other"}})
		_, err := s.db.MoveConcern(ctx, s.dsl, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectOtherAdult, SubjectAdultName: "Someone", Reason: "x"})
		if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("the subject moves a concern about them: %v", err)
		}
	})
}

func TestMoveConcernToTheChildren(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff, SubjectPersonID: s.principal.PersonID,
		PupilIDs: []int64{s.ruby}, Categories: []string{"child_on_child"}, WhatHappened: "Ruby says she was pushed in the head's office."})
	// The chair finds it was another pupil, not the head: a concern about
	// the child, for the DSL.
	after, err := s.db.MoveConcern(ctx, s.chair, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectPupils,
		Reason: "Another pupil pushed her; the head was not there."})
	if err != nil {
		t.Fatal(err)
	}
	if after.Route != safeguarding.RouteChild || after.SubjectPersonID != 0 {
		t.Errorf("route %s about %d, want the child's route", after.Route, after.SubjectPersonID)
	}
	f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
	if err != nil || !slices.Contains(concernIDs(f.Concerns), id) {
		t.Errorf("the DSL does not see it on Ruby's file: %v", err)
	}
	if _, err := s.db.ChildFile(ctx, s.chair, s.ruby, 0); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("the chair still opens Ruby's file: %v", err)
	}

	t.Run("ErrNoChildren", func(t *testing.T) {
		id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectOtherAdult, SubjectAdultName: "A visitor",
			Categories: []string{"other"}})
		_, err := s.db.MoveConcern(ctx, s.dsl, id, safeguarding.MoveInput{SubjectKind: safeguarding.SubjectPupils, Reason: "x"})
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("moved to children it has none of: %v", err)
		}
	})
}

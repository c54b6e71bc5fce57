package postgres_test

import (
	"slices"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The principal rule cannot be defeated by how a concern is entered: the
// two ways of entering an allegation about the principal that reached the
// principal (issue 12) now reach the chair of governors alone.

// reachesOnlyTheChair checks, through the store, that the concern is the
// chair's alone: on its page, in the queue and on the child's file; the
// principal, the DSL and the deputy find no trace of it, in their queue (by
// the child's year group too), their own concerns, or the child's file.
func reachesOnlyTheChair(t *testing.T, s *smallSchool, id, child int64) {
	t.Helper()
	ctx := t.Context()
	c, err := s.db.Concern(ctx, s.chair, id)
	if err != nil {
		t.Fatalf("the chair cannot see the concern: %v", err)
	}
	if c.Route != safeguarding.RoutePrincipal || c.SubjectPersonID != s.principal.PersonID {
		t.Errorf("route %s about person %d, want the chair's route about the principal (%d)", c.Route, c.SubjectPersonID, s.principal.PersonID)
	}
	if q, err := s.db.Queue(ctx, s.chair, safeguarding.QueueFilter{}); err != nil || !slices.Contains(concernIDs(q.Concerns), id) {
		t.Errorf("the chair's queue lacks the concern (%v)", err)
	}
	if child != 0 {
		f, err := s.db.ChildFile(ctx, s.chair, child, 0)
		if err != nil {
			t.Fatalf("the chair cannot open the child's file: %v", err)
		}
		if !slices.Contains(concernIDs(f.Concerns), id) {
			t.Error("the child's file does not show the chair the concern")
		}
		if !f.DateOfBirth.IsZero() || f.RegistrationGroup != "" {
			t.Error("the child's file shows the chair the child's date of birth or registration group")
		}
	}
	for name, v := range map[string]safeguarding.Viewer{"principal": s.principal, "DSL": s.dsl, "deputy": s.deputy} {
		if _, err := s.db.Concern(ctx, v, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("the %s opens the concern: %v", name, err)
		}
		for _, f := range []safeguarding.QueueFilter{{}, {Status: safeguarding.QueueAll}, {Status: safeguarding.QueueAll, YearGroup: 10}} {
			q, err := s.db.Queue(ctx, v, f)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(concernIDs(q.Concerns), id) {
				t.Errorf("the %s's queue (%+v) shows the concern", name, f)
			}
		}
		mine, err := s.db.MyConcerns(ctx, v, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(concernIDs(mine.Concerns), id) {
			t.Errorf("the %s's own concerns show it", name)
		}
		if child == 0 {
			continue
		}
		f, err := s.db.ChildFile(ctx, v, child, 0)
		if err != nil {
			t.Fatalf("the %s cannot open the child's file: %v", name, err)
		}
		if slices.Contains(concernIDs(f.Concerns), id) || len(f.Chronology) != 0 || len(f.Indicators) != 0 || len(f.OpenReferrals) != 0 {
			t.Errorf("the %s sees a trace of it on the child's file: %d concerns, %d entries, %d indicators, %d referrals",
				name, len(f.Concerns), len(f.Chronology), len(f.Indicators), len(f.OpenReferrals))
		}
	}
}

func TestPrincipalRuleChildToldOfThePrincipal(t *testing.T) {
	s := newSmallSchool(t)
	// "A pupil told me the principal touched him": one concern about the
	// principal, with the pupil linked.
	id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: s.principal.PersonID, PupilIDs: []int64{s.ruby}, Categories: []string{"sexual_abuse"},
		Indicators: []string{"secretive"}, WhatHappened: "A pupil told me the principal touched him."})
	addEntry(t, s.db, s.chair, id, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyLADO, Reference: "LADO-1", ReferredOn: "2026-03-10"}})
	reachesOnlyTheChair(t, s, id, s.ruby)

	t.Run("ChairSeesOnlyTheFilesOfTheirConcerns", func(t *testing.T) {
		if _, err := s.db.ChildFile(t.Context(), s.chair, s.tom, 0); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("the chair opens the file of a child with no concern of theirs: %v", err)
		}
		// A concern about Ruby the chair does not handle stays out of it.
		other := logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"neglect"}})
		f, err := s.db.ChildFile(t.Context(), s.chair, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := concernIDs(f.Concerns); !slices.Equal(got, []int64{id}) {
			t.Errorf("the chair's view of the child's file shows concerns %v, want only %d (not %d)", got, id, other)
		}
		if len(f.OpenReferrals) != 1 || len(f.Indicators) != 1 {
			t.Errorf("the chair sees %d referrals and %d indicators, want the allegation's one and one", len(f.OpenReferrals), len(f.Indicators))
		}
	})
}

func TestPrincipalRuleAnotherAdultNamedAsThePrincipal(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	// The principal of the small school is named "principal"; they go by
	// "Priya" here.
	if _, err := s.owner.Exec(ctx, `UPDATE people SET full_name = 'Priya Shah', known_as = 'Pri' WHERE id = $1`, s.principal.PersonID); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []struct{ name, role string }{
		{"Mrs Priya Shah", "Headteacher"},
		{"  PRIYA   shah", ""},
		{"Dr Pri Shah", "visitor"},
		{"principal@riverside.test", ""},
		{"Someone", "The principal"},
	} {
		in := safeguarding.ConcernInput{SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectOtherAdult,
			SubjectAdultName: typed.name, SubjectAdultRole: typed.role, Categories: []string{"physical_abuse"},
			WhatHappened: "The head grabbed a pupil's arm.", HappenedOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
		_, _, err := s.db.LogConcern(ctx, s.staff1, in)
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("another adult %q (%q) was filed without asking whether it is the principal: %v", typed.name, typed.role, err)
			continue
		}
		// Told it is a different person, the store files it about the
		// principal even so: the chair alone sees it.
		in.DifferentPerson = true
		id := logConcern(t, s.db, s.staff1, in)
		reachesOnlyTheChair(t, s, id, 0)
	}
}

func TestPrincipalRuleAnotherAdultNamedAsStaff(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	if _, err := s.owner.Exec(ctx, `UPDATE people SET full_name = 'Ann Lee' WHERE id = $1`, s.staff2.PersonID); err != nil {
		t.Fatal(err)
	}
	in := safeguarding.ConcernInput{SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectOtherAdult,
		SubjectAdultName: "Ms Ann Lee", Categories: []string{"other"}, WhatHappened: "Shouted at a pupil.", HappenedOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	if _, _, err := s.db.LogConcern(ctx, s.staff1, in); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Fatalf("another adult named like a member of staff was filed without asking: %v", err)
	}
	in.DifferentPerson = true
	id := logConcern(t, s.db, s.staff1, in)
	c, err := s.db.Concern(ctx, s.dsl, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.SubjectKind != safeguarding.SubjectOtherAdult || c.Route != safeguarding.RouteAdult || c.SubjectPersonID != 0 {
		t.Errorf("a different person of the same name: %s on route %s about %d, want another adult", c.SubjectKind, c.Route, c.SubjectPersonID)
	}
	// Nor is it about her, nor hers to see.
	if _, err := s.db.Concern(ctx, s.staff2, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("a member of staff who did not log it sees it: %v", err)
	}
}

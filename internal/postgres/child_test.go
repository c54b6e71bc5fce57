package postgres_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// childClock is a settable "now" for db.WithClock.
type childClock struct{ now time.Time }

func (c *childClock) at(t time.Time) { c.now = t }
func (c *childClock) Now() time.Time { return c.now }

func TestChildFile(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	clk := &childClock{}
	db := s.db.WithClock(clk.Now)
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }

	// Two members of staff, a week apart, both notice Ruby being secretive.
	clk.at(day(2, 9))
	first := logConcern(t, db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby},
		Categories: []string{"cse"}, Indicators: []string{"secretive", "unexplained_gifts"}})
	clk.at(day(9, 9))
	// Tom's indicator is his own: it is not counted on Ruby's file.
	second := logConcern(t, db, s.staff2, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby, s.tom},
		Categories: []string{"cse", "online_safety"}, Parts: []safeguarding.PupilPart{
			{PupilID: s.ruby, Part: safeguarding.PartHarmed, Indicators: []string{"secretive", "vehicles"}},
			{PupilID: s.tom, Part: safeguarding.PartWitness, Indicators: []string{"withdrawn"}}}})
	// The first concern's DSL entries come after the second was logged, so
	// the child's chronology interleaves them.
	clk.at(day(10, 9))
	addEntry(t, db, s.dsl, first, safeguarding.EntryInput{Kind: safeguarding.EntryReferral, Body: "Referred to MASH.",
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-0042", ReferredOn: "2026-03-10"}})
	clk.at(day(11, 9))
	addEntry(t, db, s.dsl, second, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyPolice, Reference: "POL-7", ReferredOn: "2026-03-11"}})
	clk.at(day(12, 9))
	addEntry(t, db, s.dsl, second, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "Police took no further action.",
		Details: safeguarding.EntryDetails{NoResponseWhy: "The police answer by letter."}})
	clk.at(day(13, 9))
	addEntry(t, db, s.staff1, first, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "She had a new phone today."})
	// A concern about someone else entirely stays off Ruby's page.
	clk.at(day(14, 9))
	elsewhere := logConcern(t, db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.tom},
		Categories: []string{"neglect"}, Indicators: []string{"withdrawn"}})

	t.Run("OK", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f.Pupil.Name() != "Ruby Okafor" || f.Pupil.YearGroup != 10 || !f.DateOfBirth.Equal(time.Date(2010, 5, 14, 0, 0, 0, 0, time.UTC)) ||
			f.RegistrationGroup != "10RO" {
			t.Errorf("pupil = %+v born %s in %q", f.Pupil, f.DateOfBirth, f.RegistrationGroup)
		}
		if got := concernIDs(f.Concerns); !slices.Equal(got, []int64{second, first}) {
			t.Errorf("concerns = %v, want %v (newest first)", got, []int64{second, first})
		}
		type line struct {
			concern int64
			kind    safeguarding.EntryKind
		}
		var got []line
		for i, e := range f.Chronology {
			got = append(got, line{e.ConcernID, e.Kind})
			if i > 0 && e.At.Before(f.Chronology[i-1].At) {
				t.Errorf("entry %d (%s) is before the entry above it", i, e.Kind)
			}
		}
		want := []line{
			{first, safeguarding.EntryConcernLogged},
			{second, safeguarding.EntryConcernLogged},
			{first, safeguarding.EntryReferral},
			{second, safeguarding.EntryReferral},
			{second, safeguarding.EntryClosed},
			{first, safeguarding.EntryFurtherInformation},
		}
		if !slices.Equal(got, want) {
			t.Errorf("chronology = %v\nwant %v", got, want)
		}
	})

	t.Run("IndicatorsTalliedInPolicyOrder", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		type tally struct {
			code         string
			times, staff int
			first, last  time.Time
		}
		var got []tally
		for _, i := range f.Indicators {
			got = append(got, tally{i.Indicator.Code, i.Times, i.Staff, i.First.UTC(), i.Last.UTC()})
		}
		want := []tally{
			{"secretive", 2, 2, day(2, 9), day(9, 9)},
			{"unexplained_gifts", 1, 1, day(2, 9), day(2, 9)},
			{"vehicles", 1, 1, day(9, 9), day(9, 9)},
		}
		if !slices.Equal(got, want) {
			t.Errorf("indicators = %v\nwant %v", got, want)
		}
		if f.Indicators[0].Indicator.Label != "Being secretive" {
			t.Errorf("label = %q, want the policy's wording", f.Indicators[0].Indicator.Label)
		}
	})

	t.Run("ReferralsAwaitingAResponseWhateverTheConcernsStatus", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The first's response is due the next working day; the second's
		// concern was closed saying why it has none, so none is owed.
		want := []safeguarding.OpenReferral{{ConcernID: first, Agency: safeguarding.AgencyCSCS, AgencyName: safeguarding.AgencyCSCS.Label(),
			Reference: "MASH-0042", ReferredOn: "2026-03-10", Due: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)}, {ConcernID: second, Agency: safeguarding.AgencyPolice,
			AgencyName: safeguarding.AgencyPolice.Label(), Reference: "POL-7", ReferredOn: "2026-03-11"}}
		for i := range f.OpenReferrals {
			f.OpenReferrals[i].EntryID = 0
		}
		if !slices.Equal(f.OpenReferrals, want) {
			t.Errorf("open referrals = %+v\nwant %+v", f.OpenReferrals, want)
		}
	})

	t.Run("ConcernsAboutSeveralPupilsShowOnEach", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.deputy, s.tom, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := concernIDs(f.Concerns); !slices.Equal(got, []int64{elsewhere, second}) {
			t.Fatalf("concerns = %v, want %v", got, []int64{elsewhere, second})
		}
		// Each concern names the other pupils it is about, not Tom himself.
		var others [][]int64
		for _, c := range f.Concerns {
			var ids []int64
			for _, p := range c.Pupils {
				ids = append(ids, p.ID)
			}
			others = append(others, ids)
		}
		if !slices.Equal(others[0], nil) || !slices.Equal(others[1], []int64{s.ruby}) {
			t.Errorf("other pupils of the concerns = %v, want [[] [%d]]", others, s.ruby)
		}
	})

	t.Run("PrincipalReads", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.principal, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Concerns) != 2 || len(f.Chronology) != 6 {
			t.Errorf("principal sees %d concerns and %d entries, want 2 and 6", len(f.Concerns), len(f.Chronology))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for name, v := range map[string]safeguarding.Viewer{"staff who logged it": s.staff1, "other staff": s.staff2,
			"chair": s.chair, "governor": s.governor, "admin": s.admin} {
			if _, err := s.db.ChildFile(ctx, v, s.ruby, 0); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%s: err = %v, want ENOTFOUND", name, err)
			}
		}
		if _, err := s.db.ChildFile(ctx, s.dsl, s.tom+1000, 0); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("no such pupil: err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("ErrNotFoundInAnotherSchool", func(t *testing.T) {
		theirs := s.pupilOfAnotherSchool(t)
		if _, err := s.db.ChildFile(ctx, s.dsl, theirs, 0); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("Audited", func(t *testing.T) {
		if _, err := s.db.ChildFile(ctx, s.deputy, s.ruby, 0); err != nil {
			t.Fatal(err)
		}
		log, err := postgres.AuditLog(ctx, s.owner, s.schoolID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if e := log[0]; e.Action != "view_child_file" || e.ActorID != s.deputy.PersonID || e.Object != fmt.Sprintf("pupil:%d", s.ruby) {
			t.Errorf("last audit line = %+v", e)
		}
	})
}

// TestChildFileLeavesOutWhatTheGoRuleRefuses: a concern row that row-level
// security lets through (its logger may see it) but that safeguarding.Can
// keeps off a child's file is not shown. The DSL's own concern about a
// child is visible to them under both rules, so the check is made on a
// concern whose route the owner has altered to one the DSL does not read:
// a concern about a safeguarding lead, which is the principal's alone.
func TestChildFileLeavesOutWhatTheGoRuleRefuses(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	id := logConcern(t, s.db, s.dsl, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"other"}})
	if _, err := s.owner.Exec(ctx, `UPDATE concerns SET route = 'safeguarding_lead' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Concerns) != 0 || len(f.Chronology) != 0 {
		t.Errorf("a concern on a route the DSL does not read appeared on a child's page: %d concerns, %d entries", len(f.Concerns), len(f.Chronology))
	}
}

// TestChildFileManyEntries: a child with hundreds of entries reads in a
// handful of queries, not one per concern.
func TestChildFileManyEntries(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	for range 40 {
		id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}, Indicators: []string{"secretive"}})
		for range 9 {
			addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Spoke to her form tutor."})
		}
	}
	start := time.Now()
	f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if len(f.Concerns) != 40 || len(f.Chronology) != 400 {
		t.Fatalf("%d concerns, %d entries; want 40 and 400", len(f.Concerns), len(f.Chronology))
	}
	if f.Indicators[0].Times != 40 || f.Indicators[0].Staff != 1 {
		t.Errorf("secretive: %d times by %d staff, want 40 by 1", f.Indicators[0].Times, f.Indicators[0].Staff)
	}
	t.Logf("child file with %d entries read in %s", len(f.Chronology), elapsed)
}

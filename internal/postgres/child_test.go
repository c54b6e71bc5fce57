package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// childSchool is a small school on its own database: one person in each role,
// two members of staff, and two pupils.
type childSchool struct {
	db    *postgres.DB
	owner *pgx.Conn // bypasses row-level security, to look behind the app's back
	id    int64

	staff1, staff2, dsl, deputy, principal, chair, governor, admin safeguarding.Viewer
	pupil, otherPupil                                              int64
}

func newChildSchool(t *testing.T) *childSchool {
	t.Helper()
	ctx := t.Context()
	conn := pgtest.NewDB(t)
	db, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	owner, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })

	s := &childSchool{db: db, owner: owner}
	if s.id, err = db.CreateSchool(ctx, "Riverside Academy"); err != nil {
		t.Fatal(err)
	}
	person := func(email string, roles ...safeguarding.Role) safeguarding.Viewer {
		t.Helper()
		id, err := db.CreatePerson(ctx, postgres.PersonInput{SchoolID: s.id, Email: email, FullName: email, Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.Viewer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	s.staff1 = person("staff1@riverside.test", safeguarding.RoleStaff)
	s.staff2 = person("staff2@riverside.test", safeguarding.RoleStaff)
	s.dsl = person("dsl@riverside.test", safeguarding.RoleDSL, safeguarding.RoleStaff)
	s.deputy = person("deputy@riverside.test", safeguarding.RoleDeputyDSL, safeguarding.RoleStaff)
	s.principal = person("principal@riverside.test", safeguarding.RolePrincipal, safeguarding.RoleStaff)
	s.chair = person("chair@riverside.test", safeguarding.RoleChair)
	s.governor = person("governor@riverside.test", safeguarding.RoleGovernor)
	s.admin = person("admin@riverside.test", safeguarding.RoleAdmin)

	err = db.AddPupils(ctx, s.id, []postgres.PupilInput{
		{FirstName: "Ruby", LastName: "Okafor", YearGroup: 10, DateOfBirth: time.Date(2010, 5, 14, 0, 0, 0, 0, time.UTC)},
		{FirstName: "Tom", LastName: "Hughes", YearGroup: 8, DateOfBirth: time.Date(2012, 11, 2, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, `SELECT min(id), max(id) FROM pupils WHERE school_id = $1`, s.id).Scan(&s.pupil, &s.otherPupil); err != nil {
		t.Fatal(err)
	}
	return s
}

// childToken is a fresh one-time form token (a UUID).
func childToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// logChildConcern files a concern by v about pupils, failing the test otherwise.
func logChildConcern(t *testing.T, db *postgres.DB, v safeguarding.Viewer, categories, indicators []string, pupils ...int64) int64 {
	t.Helper()
	id, _, err := db.LogConcern(t.Context(), v, postgres.ConcernInput{
		SubmissionToken: childToken(),
		SubjectKind:     safeguarding.SubjectPupils,
		PupilIDs:        pupils,
		Categories:      categories,
		Indicators:      indicators,
		WhatHappened:    "Seen getting into a car after school with an older man.",
		HappenedOn:      time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatalf("log concern: %v", err)
	}
	return id
}

func addChildEntry(t *testing.T, db *postgres.DB, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) {
	t.Helper()
	if err := db.AddEntry(t.Context(), v, concernID, in); err != nil {
		t.Fatalf("add %s to concern %d: %v", in.Kind, concernID, err)
	}
}

// childClock is a settable "now" for db.WithClock.
type childClock struct{ now time.Time }

func (c *childClock) at(t time.Time) { c.now = t }
func (c *childClock) Now() time.Time { return c.now }

func TestChildFile(t *testing.T) {
	s := newChildSchool(t)
	ctx := t.Context()
	clk := &childClock{}
	db := s.db.WithClock(clk.Now)
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }

	// Two members of staff, a week apart, both notice Ruby being secretive.
	clk.at(day(2, 9))
	first := logChildConcern(t, db, s.staff1, []string{"cse"}, []string{"secretive", "unexplained_gifts"}, s.pupil)
	clk.at(day(9, 9))
	second := logChildConcern(t, db, s.staff2, []string{"cse", "online_safety"}, []string{"secretive", "vehicles"}, s.pupil, s.otherPupil)
	// The first concern's DSL entries come after the second was logged, so
	// the child's chronology interleaves them.
	clk.at(day(10, 9))
	addChildEntry(t, db, s.dsl, first, safeguarding.EntryInput{Kind: safeguarding.EntryReferral, Body: "Referred to MASH.",
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-0042", ReferredOn: "2026-03-10"}})
	clk.at(day(11, 9))
	addChildEntry(t, db, s.dsl, second, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyPolice, Reference: "POL-7", ReferredOn: "2026-03-11"}})
	clk.at(day(12, 9))
	addChildEntry(t, db, s.dsl, second, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "Police took no further action."})
	clk.at(day(13, 9))
	addChildEntry(t, db, s.staff1, first, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "She had a new phone today."})
	// A concern about someone else entirely stays off Ruby's page.
	clk.at(day(14, 9))
	elsewhere := logChildConcern(t, db, s.staff1, []string{"neglect"}, []string{"withdrawn"}, s.otherPupil)

	t.Run("OK", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.dsl, s.pupil)
		if err != nil {
			t.Fatal(err)
		}
		if f.Pupil.Name() != "Ruby Okafor" || f.Pupil.YearGroup != 10 || !f.DateOfBirth.Equal(time.Date(2010, 5, 14, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("pupil = %+v born %s", f.Pupil, f.DateOfBirth)
		}
		if got := childConcernIDs(f.Concerns); !slices.Equal(got, []int64{second, first}) {
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
		f, err := s.db.ChildFile(ctx, s.dsl, s.pupil)
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

	t.Run("OnlyReferralsOfOpenConcernsAreOpen", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.dsl, s.pupil)
		if err != nil {
			t.Fatal(err)
		}
		want := []postgres.OpenReferral{{ConcernID: first, Agency: safeguarding.AgencyCSCS, AgencyName: safeguarding.AgencyCSCS.Label(),
			Reference: "MASH-0042", ReferredOn: "2026-03-10"}}
		if !slices.Equal(f.OpenReferrals, want) {
			t.Errorf("open referrals = %+v\nwant %+v", f.OpenReferrals, want)
		}
	})

	t.Run("ConcernsAboutSeveralPupilsShowOnEach", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.deputy, s.otherPupil)
		if err != nil {
			t.Fatal(err)
		}
		if got := childConcernIDs(f.Concerns); !slices.Equal(got, []int64{elsewhere, second}) {
			t.Errorf("concerns = %v, want %v", got, []int64{elsewhere, second})
		}
	})

	t.Run("PrincipalReads", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.principal, s.pupil)
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
			if _, err := s.db.ChildFile(ctx, v, s.pupil); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%s: err = %v, want ENOTFOUND", name, err)
			}
		}
		if _, err := s.db.ChildFile(ctx, s.dsl, s.otherPupil+1000); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("no such pupil: err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("ErrNotFoundInAnotherSchool", func(t *testing.T) {
		otherSchool, err := s.db.CreateSchool(ctx, "Hilltop School")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.db.AddPupils(ctx, otherSchool, []postgres.PupilInput{{FirstName: "Ada", LastName: "Hill", YearGroup: 7,
			DateOfBirth: time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)}}); err != nil {
			t.Fatal(err)
		}
		var theirs int64
		if err := s.owner.QueryRow(ctx, `SELECT id FROM pupils WHERE school_id = $1`, otherSchool).Scan(&theirs); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ChildFile(ctx, s.dsl, theirs); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("Audited", func(t *testing.T) {
		if _, err := s.db.ChildFile(ctx, s.deputy, s.pupil); err != nil {
			t.Fatal(err)
		}
		log, err := s.db.AuditLog(ctx, s.id, 1)
		if err != nil {
			t.Fatal(err)
		}
		if e := log[0]; e.Action != "view_child_file" || e.ActorID != s.deputy.PersonID || e.Object != fmt.Sprintf("pupil:%d", s.pupil) {
			t.Errorf("last audit line = %+v", e)
		}
	})
}

// TestChildFileLeavesOutWhatTheGoRuleRefuses: a concern row that row-level
// security lets through but safeguarding.Can refuses is not shown. The
// DSL's own concern about a child is visible to them under both rules, so
// the check is made on a concern whose route the owner has altered to one
// the DSL does not read on a child's page.
func TestChildFileLeavesOutWhatTheGoRuleRefuses(t *testing.T) {
	s := newChildSchool(t)
	ctx := t.Context()
	id := logChildConcern(t, s.db, s.dsl, []string{"other"}, nil, s.pupil)
	if _, err := s.owner.Exec(ctx, `UPDATE concerns SET route = 'adult' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	f, err := s.db.ChildFile(ctx, s.dsl, s.pupil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Concerns) != 0 || len(f.Chronology) != 0 {
		t.Errorf("an adult-route concern appeared on a child's page: %d concerns, %d entries", len(f.Concerns), len(f.Chronology))
	}
}

// TestChildFileManyEntries: a child with hundreds of entries reads in a
// handful of queries, not one per concern.
func TestChildFileManyEntries(t *testing.T) {
	s := newChildSchool(t)
	ctx := t.Context()
	for range 40 {
		id := logChildConcern(t, s.db, s.staff1, []string{"cse"}, []string{"secretive"}, s.pupil)
		for range 9 {
			addChildEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Spoke to her form tutor."})
		}
	}
	start := time.Now()
	f, err := s.db.ChildFile(ctx, s.dsl, s.pupil)
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

func childConcernIDs(cs []safeguarding.Concern) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

package postgres_test

import (
	"slices"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// searchSchool is a small school with pupils whose names carry accents and
// apostrophes, and a school beside it whose pupil shares a name.
func searchSchool(t *testing.T) (*smallSchool, map[string]int64) {
	t.Helper()
	s := newSmallSchool(t)
	ctx := t.Context()
	born := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	ids, err := s.db.AddPupils(ctx, s.schoolID, []postgres.PupilInput{
		{FirstName: "Zoë", LastName: "Brontë", YearGroup: 8, DateOfBirth: born, RegistrationGroup: "8ZB"},
		{FirstName: "Seán", LastName: "O'Brien", YearGroup: 9, DateOfBirth: born},
		{FirstName: "Jo", LastName: "Smith-Jones", YearGroup: 7, DateOfBirth: born},
	})
	if err != nil {
		t.Fatal(err)
	}
	pupils := map[string]int64{"zoe": ids[0], "sean": ids[1], "jo": ids[2], "ruby": s.ruby, "tom": s.tom}
	if _, err := s.owner.Exec(ctx, `UPDATE pupils SET upn = 'A123456789012', preferred_first_name = 'Jojo' WHERE id = $1`, ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.owner.Exec(ctx, `UPDATE pupils SET active = false, left_on = '2025-07-20' WHERE id = $1`, s.tom); err != nil {
		t.Fatal(err)
	}
	other, err := s.db.CreateSchool(ctx, "Hilltop School")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.db.AddPupils(ctx, other, []postgres.PupilInput{{FirstName: "Zoe", LastName: "Bronte", YearGroup: 8, DateOfBirth: born,
		RegistrationGroup: "8ZB"}})
	if err != nil {
		t.Fatal(err)
	}
	pupils["theirs"] = theirs[0]
	return s, pupils
}

func TestFindPupils(t *testing.T) {
	s, pupils := searchSchool(t)
	ctx := t.Context()
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"Zoe", []string{"zoe"}},
		{"zoë brontë", []string{"zoe"}},
		{"BRONTE", []string{"zoe"}},
		{"ZOË BRONTË", []string{"zoe"}},
		{"OBrien", []string{"sean"}},
		{"o'brien", []string{"sean"}},
		{"O’Brien", []string{"sean"}},
		{"sean o", []string{"sean"}},
		{"Jones", []string{"jo"}},
		{"jojo", []string{"jo"}},
		{"a123456789012", []string{"jo"}},
		{"8zb", []string{"zoe"}},
		{"hughes", []string{"tom"}}, // left the school: their file stays findable
		{"rien", nil},               // a word's middle is not its start
		{"ruby tom", nil},           // every word must match
		{"  ", nil},
		{"%", nil},
	} {
		for _, v := range []safeguarding.Viewer{s.dsl, s.deputy} {
			found, more, err := s.db.FindPupils(ctx, v, tc.query)
			if err != nil {
				t.Fatalf("%q: %v", tc.query, err)
			}
			var got []int64
			for _, p := range found {
				got = append(got, p.ID)
			}
			var want []int64
			for _, w := range tc.want {
				want = append(want, pupils[w])
			}
			if !slices.Equal(got, want) || more {
				t.Errorf("%v searches %q: found %v (more %v), want %v", v.Roles, tc.query, got, more, want)
			}
		}
	}
	found, _, err := s.db.FindPupils(ctx, s.dsl, "Hughes")
	if err != nil || len(found) != 1 || !found[0].Left {
		t.Errorf("the pupil who left is not marked so: %+v, %v", found, err)
	}

	t.Run("ErrNotFoundForOthers", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.chair, s.governor, s.admin} {
			found, _, err := s.db.FindPupils(ctx, v, "Zoe")
			if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND || len(found) != 0 {
				t.Errorf("%v searches: %v, %v; want not found", v.Roles, found, err)
			}
		}
	})
}

// TestReadAuditLog makes views and changes as several people and reads
// them back through the audit page as each role may.
func TestReadAuditLog(t *testing.T) {
	s, pupils := searchSchool(t)
	ctx := t.Context()
	aboutRuby := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}})
	aboutDSL := logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff, SubjectPersonID: s.dsl.PersonID,
		Categories: []string{"other"}})
	view := func(v safeguarding.Viewer, pupil int64) {
		t.Helper()
		if _, err := s.db.ChildFile(ctx, v, pupil, 10); err != nil {
			t.Fatal(err)
		}
	}
	view(s.dsl, s.ruby)
	view(s.deputy, s.ruby)
	view(s.principal, s.ruby)
	view(s.dsl, pupils["zoe"])
	for _, id := range []int64{aboutRuby, aboutDSL} {
		if _, err := s.db.Concern(ctx, s.principal, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Concern(ctx, s.deputy, aboutRuby); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Audit(ctx, safeguarding.AuditEvent{SchoolID: s.schoolID, ActorID: s.staff1.PersonID, Action: "sign_in", Object: "person"}); err != nil {
		t.Fatal(err)
	}
	type line struct {
		actor   int64
		action  string
		pupil   int64
		concern int64
	}
	read := func(t *testing.T, v safeguarding.Viewer, f safeguarding.AuditFilter) []line {
		t.Helper()
		log, err := s.db.ReadAuditLog(ctx, v, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []line
		for _, l := range log.Lines {
			got = append(got, line{l.ActorID, l.Action, l.PupilID, l.ConcernID})
		}
		return got
	}
	everyView := []line{
		{s.deputy.PersonID, "view_concern", 0, aboutRuby},
		{s.principal.PersonID, "view_concern", 0, aboutRuby},
		{s.dsl.PersonID, "view_child_file", pupils["zoe"], 0},
		{s.principal.PersonID, "view_child_file", s.ruby, 0},
		{s.deputy.PersonID, "view_child_file", s.ruby, 0},
		{s.dsl.PersonID, "view_child_file", s.ruby, 0},
		{s.staff1.PersonID, "log_concern", 0, aboutRuby},
	}

	t.Run("DSLReadsEveryViewButOfTheConcernAboutThem", func(t *testing.T) {
		got := read(t, s.dsl, safeguarding.AuditFilter{})
		if !slices.Equal(got, everyView) {
			t.Errorf("the DSL reads\n%v\nwant\n%v", got, everyView)
		}
		// The deputy reads the same: a concern about the DSL goes to the
		// principal alone (DESIGN.md "Routing").
		if got := read(t, s.deputy, safeguarding.AuditFilter{}); !slices.Equal(got, everyView) {
			t.Errorf("the deputy reads\n%v\nwant\n%v", got, everyView)
		}
		if aboutDSL == 0 {
			t.Fatal("no concern about the DSL")
		}
	})

	t.Run("Filters", func(t *testing.T) {
		if got := read(t, s.dsl, safeguarding.AuditFilter{PersonID: s.principal.PersonID}); len(got) != 2 {
			t.Errorf("the principal's doings: %v", got)
		}
		byRuby := []line{everyView[0], everyView[1], everyView[3], everyView[4], everyView[5], everyView[6]}
		if got := read(t, s.dsl, safeguarding.AuditFilter{Pupil: "ruby"}); !slices.Equal(got, byRuby) {
			t.Errorf("about Ruby by name: %v, want %v", got, byRuby)
		}
		if got := read(t, s.dsl, safeguarding.AuditFilter{PupilID: s.ruby}); !slices.Equal(got, byRuby) {
			t.Errorf("about Ruby by id: %v, want %v", got, byRuby)
		}
		if got := read(t, s.dsl, safeguarding.AuditFilter{Pupil: "Zoe"}); !slices.Equal(got, everyView[2:3]) {
			t.Errorf("about Zoë: %v", got)
		}
		if got := read(t, s.dsl, safeguarding.AuditFilter{PupilID: pupils["theirs"]}); len(got) != 0 {
			t.Errorf("about another school's pupil: %v", got)
		}
		today := time.Now().In(safeguarding.England())
		day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		if got := read(t, s.dsl, safeguarding.AuditFilter{From: day, To: day}); !slices.Equal(got, everyView) {
			t.Errorf("today: %v", got)
		}
		if got := read(t, s.dsl, safeguarding.AuditFilter{To: day.AddDate(0, 0, -1)}); len(got) != 0 {
			t.Errorf("before today: %v", got)
		}
		if got := read(t, s.dsl, safeguarding.AuditFilter{From: day.AddDate(0, 0, 1)}); len(got) != 0 {
			t.Errorf("after today: %v", got)
		}
	})

	t.Run("AdministratorReadsAccountsOnly", func(t *testing.T) {
		got := read(t, s.admin, safeguarding.AuditFilter{})
		want := []line{{s.staff1.PersonID, "sign_in", 0, 0}}
		if !slices.Equal(got, want) {
			t.Errorf("the administrator reads %v, want %v", got, want)
		}
		if got := read(t, s.admin, safeguarding.AuditFilter{Pupil: "ruby"}); len(got) != 0 {
			t.Errorf("the administrator reads about Ruby: %v", got)
		}
	})

	t.Run("ErrNotFoundForOthers", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.chair, s.governor} {
			if _, err := s.db.ReadAuditLog(ctx, v, safeguarding.AuditFilter{}); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%v reads the audit page: %v", v.Roles, err)
			}
		}
	})

	t.Run("FileViews", func(t *testing.T) {
		views, err := s.db.FileViews(ctx, s.dsl, s.ruby, 10)
		if err != nil || len(views) != 3 || views[0].ActorID != s.principal.PersonID || views[0].Actor != "principal" {
			t.Errorf("views of Ruby's file: %+v, %v", views, err)
		}
		if views, err := s.db.FileViews(ctx, s.principal, s.ruby, 10); err != nil || views != nil {
			t.Errorf("the principal reads who opened the file: %v, %v", views, err)
		}
	})

	t.Run("Pages", func(t *testing.T) {
		for range 60 {
			view(s.deputy, pupils["sean"])
		}
		log, err := s.db.ReadAuditLog(ctx, s.dsl, safeguarding.AuditFilter{})
		if err != nil || len(log.Lines) != safeguarding.AuditPageSize || !log.More {
			t.Fatalf("first page: %d lines, more %v, %v", len(log.Lines), log.More, err)
		}
		log, err = s.db.ReadAuditLog(ctx, s.dsl, safeguarding.AuditFilter{Page: 1})
		if err != nil || len(log.Lines) != 60+len(everyView)-safeguarding.AuditPageSize || log.More {
			t.Fatalf("second page: %d lines, more %v, %v", len(log.Lines), log.More, err)
		}
		if last := log.Lines[len(log.Lines)-1]; last.Action != "log_concern" {
			t.Errorf("the last line is %+v", last)
		}
	})
}

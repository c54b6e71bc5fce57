package postgres_test

import (
	"slices"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// rosterSchool is two schools on one database, each with a member of staff
// and a few pupils, to search within one and never see the other.
type rosterSchool struct {
	*testDB
	teacher      safeguarding.Viewer // at Northgate
	principal    safeguarding.Viewer // at Northgate
	otherTeacher safeguarding.Viewer // at Southgate
}

func newRosterSchool(t *testing.T) *rosterSchool {
	t.Helper()
	ctx := t.Context()
	s := &rosterSchool{testDB: newTestDB(t)}
	north, err := s.db.CreateSchool(ctx, "Northgate School")
	if err != nil {
		t.Fatal(err)
	}
	south, err := s.db.CreateSchool(ctx, "Southgate School")
	if err != nil {
		t.Fatal(err)
	}
	teacher := func(school int64, email, name string, roles ...safeguarding.Role) safeguarding.Viewer {
		t.Helper()
		return s.person(t, postgres.PersonInput{SchoolID: school, Email: email, FullName: name, JobTitle: "Teacher", Roles: roles})
	}
	s.teacher = teacher(north, "teacher@northgate.test", "Nia Teacher", safeguarding.RoleStaff)
	s.principal = teacher(north, "head@northgate.test", "Hal Head", safeguarding.RolePrincipal, safeguarding.RoleStaff)
	s.otherTeacher = teacher(south, "teacher@southgate.test", "Sol Teacher", safeguarding.RoleStaff)

	born := time.Date(2012, 3, 4, 0, 0, 0, 0, time.UTC)
	_, err = s.db.AddPupils(ctx, north, []postgres.PupilInput{
		{FirstName: "Amelia", LastName: "Okafor", YearGroup: 9, DateOfBirth: born, RegistrationGroup: " 9B "},
		{FirstName: "Oliver", LastName: "Okafor", YearGroup: 7, DateOfBirth: born},
		{FirstName: "Isla", LastName: "Brookes", YearGroup: 9, DateOfBirth: born},
		{FirstName: "Jack", LastName: "O'Brien", YearGroup: 9, DateOfBirth: born},
		{FirstName: "Percy", LastName: "Under_Score", YearGroup: 9, DateOfBirth: born},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.db.AddPupils(ctx, south, []postgres.PupilInput{
		{FirstName: "Amelia", LastName: "Okafor-Smith", YearGroup: 9, DateOfBirth: born},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pupilNames(ps []safeguarding.PupilMatch) []string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name())
	}
	return names
}

func TestSearchPupils(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()
	search := func(t *testing.T, v safeguarding.Viewer, query string, year int) []string {
		t.Helper()
		ps, err := s.db.SearchPupils(ctx, v, query, year, 30)
		if err != nil {
			t.Fatal(err)
		}
		return pupilNames(ps)
	}
	cases := []struct {
		name  string
		query string
		year  int
		want  []string
	}{
		{"PartOfTheSurnameAnyCase", "KAF", 0, []string{"Amelia Okafor", "Oliver Okafor"}},
		{"FilteredByYearGroup", "okafor", 9, []string{"Amelia Okafor"}},
		{"FirstAndLastName", "amelia oka", 0, []string{"Amelia Okafor"}},
		{"YearGroupAlone", "", 9, []string{"Isla Brookes", "Jack O'Brien", "Amelia Okafor", "Percy Under_Score"}},
		{"PrefixMatchesFirst", "o", 0, []string{"Jack O'Brien", "Amelia Okafor", "Oliver Okafor", "Isla Brookes", "Percy Under_Score"}},
		{"Apostrophe", "o'b", 0, []string{"Jack O'Brien"}},
		{"WildcardsAreLiteral", "_", 0, []string{"Percy Under_Score"}},
		{"PercentFindsNobody", "%", 0, nil},
		{"NothingToSearchFor", "  ", 0, nil},
		{"NoMatch", "zzz", 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := search(t, s.teacher, c.query, c.year); !slices.Equal(got, c.want) {
				t.Errorf("SearchPupils(%q, %d) = %q, want %q", c.query, c.year, got, c.want)
			}
		})
	}

	t.Run("Limit", func(t *testing.T) {
		ps, err := s.db.SearchPupils(ctx, s.teacher, "", 9, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 {
			t.Errorf("got %d pupils, want the limit of 2", len(ps))
		}
	})

	t.Run("DetailsToTellPupilsApart", func(t *testing.T) {
		// Year, registration group (trimmed as imported) and date of birth
		// come with each pupil found and each pupil ticked; a roster
		// without groups gives "".
		ps, err := s.db.SearchPupils(ctx, s.teacher, "okafor", 0, 30)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 {
			t.Fatalf("found %d pupils, want 2", len(ps))
		}
		amelia, oliver := ps[0], ps[1]
		born := time.Date(2012, 3, 4, 0, 0, 0, 0, time.UTC)
		if amelia.YearGroup != 9 || amelia.RegistrationGroup != "9B" || !amelia.DateOfBirth.Equal(born) {
			t.Errorf("Amelia found as year %d, group %q, born %v; want 9, 9B, %v", amelia.YearGroup, amelia.RegistrationGroup, amelia.DateOfBirth, born)
		}
		if oliver.YearGroup != 7 || oliver.RegistrationGroup != "" {
			t.Errorf("Oliver found as year %d, group %q; want 7 and no group", oliver.YearGroup, oliver.RegistrationGroup)
		}
		byID, err := s.db.PupilsByID(ctx, s.teacher, []int64{amelia.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(byID) != 1 || byID[0] != amelia {
			t.Errorf("PupilsByID = %+v, want %+v", byID, amelia)
		}
	})

	t.Run("ErrOtherSchoolsPupilsAreNeverFound", func(t *testing.T) {
		if got := search(t, s.otherTeacher, "okafor", 0); !slices.Equal(got, []string{"Amelia Okafor-Smith"}) {
			t.Errorf("Southgate's teacher found %q", got)
		}
		// Row-level security alone keeps them apart: a viewer whose school
		// is Northgate cannot read Southgate's pupils even by id.
		var southID int64
		if err := s.owner.QueryRow(ctx, `SELECT id FROM pupils WHERE last_name = 'Okafor-Smith'`).Scan(&southID); err != nil {
			t.Fatal(err)
		}
		ps, err := s.db.PupilsByID(ctx, s.teacher, []int64{southID})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 0 {
			t.Errorf("PupilsByID returned another school's pupil: %v", ps)
		}
	})

	t.Run("InactivePupilsAreNotOffered", func(t *testing.T) {
		if _, err := s.owner.Exec(ctx, `UPDATE pupils SET active = false WHERE first_name = 'Isla'`); err != nil {
			t.Fatal(err)
		}
		if got := search(t, s.teacher, "brookes", 0); len(got) != 0 {
			t.Errorf("found a pupil who has left: %q", got)
		}
	})
}

// AddPupils returns the new pupils' ids in the order it was given them.
func TestAddPupils(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()
	born := time.Date(2013, 6, 1, 0, 0, 0, 0, time.UTC)
	in := []postgres.PupilInput{{FirstName: "Zed", LastName: "Zimmer", YearGroup: 7, DateOfBirth: born},
		{FirstName: "Abe", LastName: "Abbott", YearGroup: 8, DateOfBirth: born},
		{FirstName: "Max", LastName: "Mason", YearGroup: 7, DateOfBirth: born}}
	ids, err := s.db.AddPupils(ctx, s.teacher.SchoolID, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(in) {
		t.Fatalf("%d ids for %d pupils", len(ids), len(in))
	}
	for i, id := range ids {
		ps, err := s.db.PupilsByID(ctx, s.teacher, []int64{id})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].FirstName != in[i].FirstName {
			t.Errorf("id %d is %v, want %s", id, pupilNames(ps), in[i].FirstName)
		}
	}
}

func TestPupilsByID(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()
	found, err := s.db.SearchPupils(ctx, s.teacher, "okafor", 0, 30)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.db.PupilsByID(ctx, s.teacher, []int64{found[1].ID, found[0].ID, 999999})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pupilNames(ps), []string{"Amelia Okafor", "Oliver Okafor"}; !slices.Equal(got, want) {
		t.Errorf("PupilsByID = %q, want %q (by name, unknown ids left out)", got, want)
	}
	if ps[0].YearGroup != 9 {
		t.Errorf("year group %d, want 9", ps[0].YearGroup)
	}
}

func TestFormLists(t *testing.T) {
	s := newRosterSchool(t)
	lists, err := s.db.FormLists(t.Context(), s.teacher)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lists.YearGroups, []int{7, 9}) {
		t.Errorf("YearGroups = %v, want [7 9]", lists.YearGroups)
	}
	roster, err := s.db.StaffRoster(t.Context(), s.teacher)
	if err != nil {
		t.Fatal(err)
	}
	if len(lists.Staff) == 0 || !slices.Equal(lists.Staff, roster) {
		t.Errorf("Staff = %v, want the staff roster %v", lists.Staff, roster)
	}
	if lists.Draft != nil {
		t.Errorf("Draft = %s with no draft kept", lists.Draft.Form)
	}

	// The draft comes with the lists, and only to the person who wrote it.
	if err := s.db.SaveDraft(t.Context(), s.teacher, []byte(`{"what":"kept"}`)); err != nil {
		t.Fatal(err)
	}
	if lists, err = s.db.FormLists(t.Context(), s.teacher); err != nil {
		t.Fatal(err)
	}
	if lists.Draft == nil || string(lists.Draft.Form) != `{"what": "kept"}` || lists.Draft.SavedAt.IsZero() {
		t.Errorf("Draft = %+v, want the one kept", lists.Draft)
	}
	other, err := s.db.FormLists(t.Context(), s.principal)
	if err != nil {
		t.Fatal(err)
	}
	if other.Draft != nil {
		t.Errorf("another person's lists carry the draft %s", other.Draft.Form)
	}
}

func TestStaffRoster(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()
	staff, err := s.db.StaffRoster(ctx, s.teacher)
	if err != nil {
		t.Fatal(err)
	}
	// The principal is on the roster for everyone: a concern about the
	// principal must be loggable by anyone. The viewer is not, and nor is
	// anyone from another school.
	if len(staff) != 1 || staff[0].ID != s.principal.PersonID || staff[0].Name != "Hal Head" || staff[0].JobTitle != "Teacher" {
		t.Errorf("StaffRoster = %+v, want only the principal", staff)
	}

	if _, err := s.owner.Exec(ctx, `UPDATE people SET active = false WHERE id = $1`, s.principal.PersonID); err != nil {
		t.Fatal(err)
	}
	if staff, err := s.db.StaffRoster(ctx, s.teacher); err != nil || len(staff) != 0 {
		t.Errorf("StaffRoster after the principal left = %+v, %v; want nobody", staff, err)
	}
}

func TestReferenceData(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()

	cats, err := s.db.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 15 || cats[0] != (safeguarding.Category{Code: "cse", Label: "Child sexual exploitation (CSE)"}) || cats[14].Code != "other" {
		t.Errorf("Categories = %+v", cats)
	}
	inds, err := s.db.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(inds) != 26 || inds[0].Label != "Being secretive" || inds[25].Label != "Misuse of drugs and/or alcohol" {
		t.Errorf("Indicators = %+v", inds)
	}

	t.Run("ReadOnceThenCached", func(t *testing.T) {
		// The owner renames a category behind the store's back; the store
		// keeps what it read, since reference data changes only by migration.
		if _, err := s.owner.Exec(ctx, `UPDATE categories SET label = 'Renamed' WHERE code = 'cse'`); err != nil {
			t.Fatal(err)
		}
		again, err := s.db.WithClock(time.Now).Categories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if again[0].Label != "Child sexual exploitation (CSE)" {
			t.Errorf("categories were read again: %+v", again[0])
		}
		again[0].Label = "changed by a caller"
		if third, _ := s.db.Categories(ctx); third[0].Label != "Child sexual exploitation (CSE)" {
			t.Error("a caller's change leaked into the cache")
		}
	})
}

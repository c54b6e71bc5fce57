package postgres_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

// importSchool is a school with an administrator, a member of staff and
// no pupils yet, and a second school beside it.
type importSchool struct {
	*testDB
	admin, teacher, otherAdmin safeguarding.Viewer
}

func newImportSchool(t *testing.T) *importSchool {
	t.Helper()
	s := &importSchool{testDB: newTestDB(t)}
	north, err := s.db.CreateSchool(t.Context(), "Northgate School")
	if err != nil {
		t.Fatal(err)
	}
	south, err := s.db.CreateSchool(t.Context(), "Southgate School")
	if err != nil {
		t.Fatal(err)
	}
	s.admin = s.person(t, postgres.PersonInput{SchoolID: north, Email: "admin@northgate.test", FullName: "Ada Admin", Roles: []safeguarding.Role{safeguarding.RoleAdmin}})
	s.teacher = s.person(t, postgres.PersonInput{SchoolID: north, Email: "teacher@northgate.test", FullName: "Nia Teacher", JobTitle: "Teacher", Roles: []safeguarding.Role{safeguarding.RoleStaff}})
	s.otherAdmin = s.person(t, postgres.PersonInput{SchoolID: south, Email: "admin@southgate.test", FullName: "Sol Admin", Roles: []safeguarding.Role{safeguarding.RoleAdmin}})
	return s
}

func parsePupils(t *testing.T, csv string) []roster.Pupil {
	t.Helper()
	pupils, problems := roster.ParsePupils([]byte(csv))
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	return pupils
}

// pupilFile is a roster file of n pupils, numbered from 1, with UPNs.
func pupilFile(n int) string {
	var b strings.Builder
	b.WriteString("UPN,Legal Forename,Legal Surname,Preferred Forename,DOB,Year,Reg Group,SEN,Looked After\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "A%011d%d,Pupil%d,Surname%d,,04/03/2012,8,8A,N,N\n", i, i%10, i, i)
	}
	return b.String()
}

// rosterState is every pupil of the admin's school, as the owner sees it.
func (s *importSchool) rosterState(t *testing.T) []string {
	t.Helper()
	rows, err := s.owner.Query(t.Context(), `SELECT concat_ws('|', coalesce(upn, '-'), first_name, last_name, preferred_first_name, year_group,
			registration_group, send, looked_after, active, coalesce(left_on::text, '-'))
		FROM pupils WHERE school_id = $1 ORDER BY id`, s.admin.SchoolID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestImportPupils(t *testing.T) {
	t.Run("PreviewChangesNothing", func(t *testing.T) {
		s := newImportSchool(t)
		plan, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(3)), false, "")
		if err != nil || len(plan.New) != 3 {
			t.Fatalf("plan %+v, err %v", plan, err)
		}
		if got := s.rosterState(t); len(got) != 0 {
			t.Errorf("a preview added pupils: %v", got)
		}
	})

	t.Run("ImportingTwiceChangesNothing", func(t *testing.T) {
		s := newImportSchool(t)
		file := parsePupils(t, "UPN,Forename,Surname,Preferred Forename,DOB,Year,Reg Group,SEN,Looked After\n"+
			"A123456789012,Siobhan,O'Neill,Shiv,04/03/2012,8,8A,Y,N\n"+
			",Tom,Ng,,2012-05-06,Year 8,8B,N,Y\n")
		plan, err := s.db.ImportPupils(t.Context(), s.admin, file, true, "192.0.2.1")
		if err != nil || len(plan.New) != 2 {
			t.Fatalf("plan %+v, err %v", plan, err)
		}
		first := s.rosterState(t)
		want := []string{"A123456789012|Siobhan|O'Neill|Shiv|8|8A|t|f|t|-", "-|Tom|Ng||8|8B|f|t|t|-"}
		if !slices.Equal(first, want) {
			t.Fatalf("roster %v, want %v", first, want)
		}
		plan, err = s.db.ImportPupils(t.Context(), s.admin, file, true, "192.0.2.1")
		if err != nil || len(plan.New)+len(plan.Changed)+len(plan.Leaving) != 0 || plan.Unchanged != 2 {
			t.Fatalf("second import: plan %+v, err %v", plan, err)
		}
		if again := s.rosterState(t); !slices.Equal(again, first) {
			t.Errorf("the second import changed the roster: %v, was %v", again, first)
		}
		var audited int
		if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE school_id = $1 AND actor_id = $2 AND action = 'roster_imported' AND object = 'pupils'`,
			s.admin.SchoolID, s.admin.PersonID).Scan(&audited); err != nil || audited != 2 {
			t.Errorf("%d imports audited (err %v), want 2", audited, err)
		}
	})

	t.Run("MissingPupilsAreMarkedLeft", func(t *testing.T) {
		s := newImportSchool(t)
		if _, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(4)), true, ""); err != nil {
			t.Fatal(err)
		}
		plan, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(3)), true, "")
		if err != nil || plan.MarksLeft() != 1 {
			t.Fatalf("plan %+v, err %v", plan, err)
		}
		got := s.rosterState(t)
		if !strings.HasSuffix(got[3], "|f|"+todayISO(t, s)) || !strings.HasSuffix(got[0], "|t|-") {
			t.Errorf("roster %v: want the fourth pupil left today, the rest on the roster", got)
		}
		// Left, never deleted; and back when a later file holds them.
		plan, err = s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(4)), true, "")
		if err != nil || len(plan.Changed) != 1 || !strings.HasSuffix(s.rosterState(t)[3], "|t|-") {
			t.Errorf("plan %+v, err %v, roster %v", plan, err, s.rosterState(t))
		}
	})

	t.Run("APartialFileMarksNobodyLeft", func(t *testing.T) {
		s := newImportSchool(t)
		if _, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(10)), true, ""); err != nil {
			t.Fatal(err)
		}
		plan, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(4)), true, "")
		if err != nil || !plan.LeavingHeld || len(plan.Leaving) != 6 || plan.MarksLeft() != 0 {
			t.Fatalf("plan %+v, err %v", plan, err)
		}
		for _, p := range s.rosterState(t) {
			if !strings.HasSuffix(p, "|t|-") {
				t.Errorf("pupil marked left by a partial file: %s", p)
			}
		}
	})

	t.Run("AllOrNothing", func(t *testing.T) {
		// The last pupil breaks a rule only the database holds: the new
		// pupils before it, the changes and the leavers are not kept either.
		s := newImportSchool(t)
		if _, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(4)), true, ""); err != nil {
			t.Fatal(err)
		}
		before := s.rosterState(t)
		file := parsePupils(t, pupilFile(5))[1:]
		file[0].YearGroup = 9
		file[len(file)-1].RegistrationGroup = strings.Repeat("x", 21)
		if _, err := s.db.ImportPupils(t.Context(), s.admin, file, true, ""); err == nil {
			t.Fatal("an import the database refused reported no error")
		}
		if after := s.rosterState(t); !slices.Equal(after, before) {
			t.Errorf("a failed import changed the roster: %v, was %v", after, before)
		}
	})

	t.Run("OnlyTheAdministrator", func(t *testing.T) {
		s := newImportSchool(t)
		for _, apply := range []bool{false, true} {
			_, err := s.db.ImportPupils(t.Context(), s.teacher, parsePupils(t, pupilFile(1)), apply, "")
			if safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
				t.Errorf("a member of staff imports (apply %v): err %v", apply, err)
			}
		}
		if got := s.rosterState(t); len(got) != 0 {
			t.Errorf("roster %v", got)
		}
	})

	t.Run("TheChildsFileShowsTheRoster", func(t *testing.T) {
		// The DSL sees the legal name beside the name the pupil goes by,
		// the circumstances the roster flags, and, once they have left,
		// when; the file of a pupil who left is still theirs to open.
		s := newImportSchool(t)
		dsl := s.person(t, postgres.PersonInput{SchoolID: s.admin.SchoolID, Email: "dsl@northgate.test", FullName: "Dee Lead", Roles: []safeguarding.Role{safeguarding.RoleDSL}})
		file := pupilFile(3) + "A999999999999,Alexandra,Smith,Sasha,2012-01-01,8,8S,E,Y\n"
		if _, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, file), true, ""); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := s.owner.QueryRow(t.Context(), `SELECT id FROM pupils WHERE upn = 'A999999999999'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f, err := s.db.ChildFile(t.Context(), dsl, id, 10)
		if err != nil || f.Pupil.Name() != "Sasha Smith" || f.LegalName != "Alexandra Smith" ||
			!slices.Equal(f.Circumstances, []string{"SEND", "Child looked after"}) || !f.LeftOn.IsZero() {
			t.Fatalf("file %+v, err %v", f, err)
		}
		if _, err := s.db.ImportPupils(t.Context(), s.admin, parsePupils(t, pupilFile(3)), true, ""); err != nil {
			t.Fatal(err)
		}
		if f, err = s.db.ChildFile(t.Context(), dsl, id, 10); err != nil || f.LeftOn.IsZero() {
			t.Errorf("the file of a pupil who left: %+v, err %v", f, err)
		}
	})

	t.Run("TheConcernFormFindsPupilsByEitherName", func(t *testing.T) {
		s := newImportSchool(t)
		file := parsePupils(t, "Forename,Surname,Preferred Forename,Preferred Surname,DOB,Year\nAlexandra,Smith,Sasha,Jones,2012-01-01,8\n")
		if _, err := s.db.ImportPupils(t.Context(), s.admin, file, true, ""); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"sasha", "alexandra", "smith", "jones", "sasha smith"} {
			got, err := s.db.SearchPupils(t.Context(), s.teacher, q, 0, 10)
			if err != nil || len(got) != 1 || got[0].Name() != "Sasha Jones" {
				t.Errorf("search %q: %+v, %v; want Sasha Jones by her preferred names", q, got, err)
			}
		}
	})
}

func todayISO(t *testing.T, s *importSchool) string {
	t.Helper()
	var d string
	if err := s.owner.QueryRow(t.Context(), `SELECT current_date::text`).Scan(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func parseStaff(t *testing.T, csv string) []roster.StaffMember {
	t.Helper()
	staff, problems := roster.ParseStaff([]byte(csv))
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	return staff
}

// peopleState is every person of the admin's school with their roles.
func (s *importSchool) peopleState(t *testing.T) []string {
	t.Helper()
	rows, err := s.owner.Query(t.Context(), `SELECT concat_ws('|', p.email, p.full_name, p.job_title, p.password_hash = '', p.active,
			(SELECT string_agg(role, ',' ORDER BY role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id))
		FROM people p WHERE p.school_id = $1 ORDER BY p.email`, s.admin.SchoolID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestImportStaff(t *testing.T) {
	const file = "Email,Name,Job Title,Roles\n" +
		"teacher@northgate.test,Nia Teacher,Head of Year 8,DSL; Staff\n" +
		"new@northgate.test,Nev New,Teaching assistant,\n" +
		"admin@northgate.test,Ada Admin,,admin\n"

	t.Run("AddsAndUpdatesOnceAndDeactivatesNobody", func(t *testing.T) {
		s := newImportSchool(t)
		if _, err := s.db.CreatePerson(t.Context(), postgres.PersonInput{SchoolID: s.admin.SchoolID, Email: "leaver@northgate.test",
			FullName: "Lee Leaver", Roles: []safeguarding.Role{safeguarding.RoleStaff}}); err != nil {
			t.Fatal(err)
		}
		preview, problems, err := s.db.ImportStaff(t.Context(), s.admin, parseStaff(t, file), false, "")
		if err != nil || len(problems) > 0 || len(preview.New) != 1 || len(preview.Changed) != 1 || preview.Unchanged != 1 {
			t.Fatalf("preview %+v, problems %v, err %v", preview, problems, err)
		}
		before := s.peopleState(t)
		if _, _, err := s.db.ImportStaff(t.Context(), s.admin, parseStaff(t, file), true, ""); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"admin@northgate.test|Ada Admin||t|t|admin",
			"leaver@northgate.test|Lee Leaver||t|t|staff",
			"new@northgate.test|Nev New|Teaching assistant|t|t|staff",
			"teacher@northgate.test|Nia Teacher|Head of Year 8|t|t|dsl,staff",
		}
		got := s.peopleState(t)
		if !slices.Equal(got, want) {
			t.Fatalf("people %v\nwant %v\n(before %v)", got, want, before)
		}
		plan, _, err := s.db.ImportStaff(t.Context(), s.admin, parseStaff(t, file), true, "")
		if err != nil || len(plan.New)+len(plan.Changed) != 0 || plan.Unchanged != 3 || !slices.Equal(s.peopleState(t), want) {
			t.Errorf("second import: plan %+v, err %v, people %v", plan, err, s.peopleState(t))
		}
	})

	t.Run("AnotherSchoolsAddressAppliesNothing", func(t *testing.T) {
		s := newImportSchool(t)
		before := s.peopleState(t)
		_, problems, err := s.db.ImportStaff(t.Context(), s.admin, parseStaff(t, file+"admin@southgate.test,Sol Admin,,staff\n"), true, "")
		if err != nil || len(problems) != 1 || problems[0].Line != 5 {
			t.Fatalf("problems %v, err %v", problems, err)
		}
		if after := s.peopleState(t); !slices.Equal(after, before) {
			t.Errorf("people %v, were %v", after, before)
		}
	})

	t.Run("NotYourOwnAdministratorRole", func(t *testing.T) {
		s := newImportSchool(t)
		_, problems, err := s.db.ImportStaff(t.Context(), s.admin, parseStaff(t, "Email,Name,Roles\nadmin@northgate.test,Ada Admin,staff\n"), true, "")
		if err != nil || len(problems) != 1 || !slices.Contains(s.peopleState(t), "admin@northgate.test|Ada Admin||t|t|admin") {
			t.Errorf("problems %v, err %v, people %v", problems, err, s.peopleState(t))
		}
	})

	t.Run("OnlyTheAdministrator", func(t *testing.T) {
		s := newImportSchool(t)
		if _, _, err := s.db.ImportStaff(t.Context(), s.teacher, parseStaff(t, file), true, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
			t.Errorf("err %v", err)
		}
	})
}

package postgres_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

// trainingSchool is a school with a DSL, a deputy, a member of staff and a
// governor, and a DSL of another school.
type trainingSchool struct {
	*testDB
	dsl, deputy, teacher, governor, otherDSL safeguarding.Viewer
}

func newTrainingSchool(t *testing.T) *trainingSchool {
	t.Helper()
	s := &trainingSchool{testDB: newTestDB(t)}
	north, err := s.db.CreateSchool(t.Context(), "Northgate School")
	if err != nil {
		t.Fatal(err)
	}
	south, err := s.db.CreateSchool(t.Context(), "Southgate School")
	if err != nil {
		t.Fatal(err)
	}
	p := func(school int64, email, name string, r safeguarding.Role) safeguarding.Viewer {
		return s.person(t, postgres.PersonInput{SchoolID: school, Email: email, FullName: name, Roles: []safeguarding.Role{r}})
	}
	s.dsl = p(north, "dsl@northgate.test", "Dee Lead", safeguarding.RoleDSL)
	s.deputy = p(north, "deputy@northgate.test", "Dev Deputy", safeguarding.RoleDeputyDSL)
	s.teacher = p(north, "teacher@northgate.test", "Nia Teacher", safeguarding.RoleStaff)
	s.governor = p(north, "governor@northgate.test", "Gil Governor", safeguarding.RoleGovernor)
	s.otherDSL = p(south, "dsl@southgate.test", "Sol Lead", safeguarding.RoleDSL)
	return s
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestTrainingKeptByTheDSL(t *testing.T) {
	s := newTrainingSchool(t)
	ctx := t.Context()
	in := safeguarding.TrainingInput{Kind: safeguarding.TrainingAnnualUpdate, CompletedOn: day("2025-09-01"), Provider: "Local authority"}
	id, err := s.db.AddTraining(ctx, s.dsl, s.teacher.PersonID, in, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []safeguarding.Viewer{s.deputy, s.teacher, s.governor, s.otherDSL} {
		if _, err := s.db.AddTraining(ctx, v, s.teacher.PersonID, in, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN && safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("%s adds training: %v", v.Email, err)
		}
		if err := s.db.DeleteTraining(ctx, v, s.teacher.PersonID, id, ""); err == nil {
			t.Errorf("%s deletes training", v.Email)
		}
		if err := s.db.SetStartedOn(ctx, v, s.teacher.PersonID, day("2020-09-01"), ""); err == nil {
			t.Errorf("%s sets a start date", v.Email)
		}
	}
	// Who reads it: the teacher (their own), the deputy, the governor (the
	// report's figures); not another school's DSL.
	for _, v := range []safeguarding.Viewer{s.dsl, s.deputy, s.teacher, s.governor} {
		p, err := s.db.TrainingPerson(ctx, v, s.teacher.PersonID)
		if err != nil || len(p.Records) != 1 || p.Records[0].Provider != "Local authority" {
			t.Errorf("%s reads the teacher's training: %+v, %v", v.Email, p.Records, err)
		}
	}
	if _, err := s.db.TrainingPerson(ctx, s.otherDSL, s.teacher.PersonID); err == nil {
		t.Error("another school's DSL reads the teacher's training")
	}
	if _, err := s.db.TrainingPerson(ctx, s.teacher, s.deputy.PersonID); err == nil {
		t.Error("a member of staff reads a colleague's training")
	}
	if _, err := s.db.TrainingRegister(ctx, s.teacher); err == nil {
		t.Error("a member of staff reads the register")
	}
	reg, err := s.db.TrainingRegister(ctx, s.governor)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range reg {
		names = append(names, p.Name)
	}
	if len(reg) != 3 {
		t.Errorf("the register holds %v; want the DSL, the deputy and the teacher, not the governor", names)
	}

	in.Provider, in.CompletedOn = "NSPCC", day("2025-10-01")
	if err := s.db.UpdateTraining(ctx, s.dsl, s.teacher.PersonID, id, in, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.db.SetStartedOn(ctx, s.dsl, s.teacher.PersonID, day("2019-09-02"), ""); err != nil {
		t.Fatal(err)
	}
	p, err := s.db.TrainingPerson(ctx, s.teacher, s.teacher.PersonID)
	if err != nil || p.Records[0].Provider != "NSPCC" || !p.StartedOn.Equal(day("2019-09-02")) {
		t.Errorf("after the change: %+v, %v", p, err)
	}
	if err := s.db.DeleteTraining(ctx, s.dsl, s.teacher.PersonID, id, ""); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.db.TrainingPerson(ctx, s.dsl, s.teacher.PersonID); len(p.Records) != 0 {
		t.Errorf("deleted record still there: %+v", p.Records)
	}
	if _, err := s.db.AddTraining(ctx, s.dsl, s.otherDSL.PersonID, in, ""); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("the DSL adds training for another school's person: %v", err)
	}
}

func TestImportTrainingAllOrNothingAndIdempotent(t *testing.T) {
	s := newTrainingSchool(t)
	ctx := t.Context()
	today := day("2026-01-10")
	parse := func(csv string) []roster.TrainingRow {
		t.Helper()
		rows, problems := roster.ParseTraining([]byte(csv), today)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		return rows
	}
	count := func() int {
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM training_records`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	bad := parse("email,type,date\nteacher@northgate.test,induction,2025-09-01\nnobody@northgate.test,induction,2025-09-01\ndsl@southgate.test,induction,2025-09-01\n")
	_, problems, err := s.db.ImportTraining(ctx, s.dsl, bad, true, "")
	if err != nil || len(problems) != 2 || problems[0].Line != 3 || problems[1].Line != 4 {
		t.Errorf("problems %v, %v; want lines 3 and 4 (a stranger, another school's person)", problems, err)
	}
	if n := count(); n != 0 {
		t.Errorf("%d records after a file with problems; want none", n)
	}
	good := parse("email,type,date,provider\nteacher@northgate.test,induction,2025-09-01,LA\ndeputy@northgate.test,DSL training,2024-06-01,LA\n")
	if _, _, err := s.db.ImportTraining(ctx, s.deputy, good, true, ""); err == nil {
		t.Error("a deputy imports training")
	}
	plan, problems, err := s.db.ImportTraining(ctx, s.dsl, good, false, "")
	if err != nil || len(problems) > 0 || len(plan.New) != 2 || count() != 0 {
		t.Errorf("preview: %+v, %v, %v, %d records", plan, problems, err, count())
	}
	if _, _, err := s.db.ImportTraining(ctx, s.dsl, good, true, ""); err != nil || count() != 2 {
		t.Fatalf("import: %v, %d records", err, count())
	}
	plan, _, err = s.db.ImportTraining(ctx, safeguarding.Viewer{SchoolID: s.dsl.SchoolID}, good, true, "")
	if err != nil || len(plan.New) != 0 || plan.Already != 2 || count() != 2 {
		t.Errorf("the same file again (from the command line): %+v, %v, %d records; want nothing added", plan, err, count())
	}
}

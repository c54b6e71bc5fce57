package roster_test

import (
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

var trainingToday = time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)

func TestParseTrainingFlexibleHeaders(t *testing.T) {
	file := "\uFEFFStaff Email,Training Type,Date Completed,Trainer,Comments\n" +
		"A.Teacher@School.Example,Annual update,01/09/2025,Local authority,Online course\n" +
		"\n" +
		"dsl@school.example,DSL training,2024-06-03,,\n" +
		"dsl@school.example,dsl_training,03/06/2024,,\n"
	rows, problems := roster.ParseTraining([]byte(file), trainingToday)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2 (the same record twice is one): %+v", len(rows), rows)
	}
	r := rows[0]
	if r.Line != 2 || r.Email != "a.teacher@school.example" || r.Kind != safeguarding.TrainingAnnualUpdate ||
		r.CompletedOn.Format(time.DateOnly) != "2025-09-01" || r.Provider != "Local authority" || r.Notes != "Online course" {
		t.Errorf("first row = %+v", r)
	}
	if rows[1].Line != 4 || rows[1].Kind != safeguarding.TrainingDSL {
		t.Errorf("second row = %+v", rows[1])
	}
}

func TestParseTrainingProblems(t *testing.T) {
	file := "email,type,date\n" +
		"not-an-address,induction,2025-09-01\n" +
		"ok@school.example,first aid,2025-09-01\n" +
		"ok@school.example,induction,31/02/2025\n" +
		"ok@school.example,induction,2026-01-11\n" +
		"ok@school.example,induction,2026-01-10\n"
	_, problems := roster.ParseTraining([]byte(file), trainingToday)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{"line 2, column \"email\"", "line 3, column \"type\"", "line 4, column \"date\"", "line 5, column \"date\""}
	if len(got) != len(want) {
		t.Fatalf("problems %q, want one on each of lines 2 to 5", got)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d = %q, want it to start %q", i, got[i], w)
		}
	}
	if _, problems := roster.ParseTraining([]byte("email,date\nx@y.example,2025-01-01\n"), trainingToday); len(problems) != 1 || problems[0].Line != 1 {
		t.Errorf("a file with no type column: %v", problems)
	}
}

func TestPlanTraining(t *testing.T) {
	rows, _ := roster.ParseTraining([]byte("email,type,date\na@s.example,induction,2025-09-01\nb@s.example,induction,2025-09-01\nstranger@s.example,induction,2025-09-01\n"), trainingToday)
	held := map[string]bool{roster.TrainingKey("a@s.example", safeguarding.TrainingInduction, rows[0].CompletedOn): true}
	plan, problems := roster.PlanTraining(map[string]int64{"a@s.example": 1, "b@s.example": 2}, held, rows)
	if len(problems) != 1 || problems[0].Line != 4 {
		t.Errorf("problems %v, want one for line 4's stranger", problems)
	}
	if len(plan.New) != 1 || plan.New[0].Email != "b@s.example" || plan.People["b@s.example"] != 2 || plan.Already != 1 {
		t.Errorf("plan = %+v", plan)
	}
}

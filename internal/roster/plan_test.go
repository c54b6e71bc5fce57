package roster_test

import (
	"slices"
	"testing"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

func TestPlanPupils(t *testing.T) {
	file := mustPupils(t, "UPN,Forename,Surname,DOB,Year,Reg Group\n"+
		"A123456789012,Amy,Khan,2012-01-01,8,8A\n"+ // same UPN, moved up a year
		",Ben,Lee,2012-02-02,8,8B\n"+ // matched by name and birth, gains nothing
		"A123456789014,Cal,Moss,2012-03-03,8,8C\n"+ // matched by name and birth, gains a UPN
		"A123456789015,Dee,Nye,2012-04-04,8,8D\n"+ // left last year, back
		"A123456789016,Eve,Orr,2012-05-05,8,8E\n") // new
	current := []roster.CurrentPupil{
		{ID: 1, Active: true, Pupil: roster.Pupil{UPN: "A123456789012", FirstName: "Amy", LastName: "Khan", DateOfBirth: date(2012, 1, 1), YearGroup: 7, RegistrationGroup: "8A"}},
		{ID: 2, Active: true, Pupil: roster.Pupil{UPN: "A123456789013", FirstName: "BEN", LastName: "Lee", DateOfBirth: date(2012, 2, 2), YearGroup: 8, RegistrationGroup: "8B"}},
		{ID: 3, Active: true, Pupil: roster.Pupil{FirstName: "Cal", LastName: "Moss", DateOfBirth: date(2012, 3, 3), YearGroup: 8, RegistrationGroup: "8C"}},
		{ID: 4, Active: false, Pupil: roster.Pupil{UPN: "A123456789015", FirstName: "Dee", LastName: "Nye", DateOfBirth: date(2012, 4, 4), YearGroup: 8, RegistrationGroup: "8D"}},
		{ID: 5, Active: true, Pupil: roster.Pupil{UPN: "A123456789099", FirstName: "Fay", LastName: "Poe", DateOfBirth: date(2012, 6, 6), YearGroup: 8}},
	}
	plan := roster.PlanPupils(current, file)
	var changed []int64
	for _, c := range plan.Changed {
		changed = append(changed, c.ID)
	}
	// Ben's names differ only in case from the roster's: that is a change
	// (the file's spelling wins) but the same pupil.
	if !slices.Equal(changed, []int64{1, 2, 3, 4}) || len(plan.New) != 1 || plan.New[0].FirstName != "Eve" ||
		plan.Unchanged != 0 || !slices.Equal(plan.Leaving, []int64{5}) || plan.LeavingHeld || plan.MarksLeft() != 1 {
		t.Fatalf("plan %+v", plan)
	}
	if plan.Changed[1].Pupil.UPN != "A123456789013" {
		t.Errorf("a line without a UPN cleared the roster's UPN: %+v", plan.Changed[1].Pupil)
	}

	t.Run("SameFileTwiceChangesNothing", func(t *testing.T) {
		var after []roster.CurrentPupil
		for i, p := range file {
			after = append(after, roster.CurrentPupil{ID: int64(i + 1), Active: true, Pupil: p})
		}
		plan := roster.PlanPupils(after, file)
		if len(plan.New)+len(plan.Changed)+len(plan.Leaving) != 0 || plan.Unchanged != len(file) {
			t.Errorf("plan %+v", plan)
		}
	})

	t.Run("APartialFileMarksNobodyLeft", func(t *testing.T) {
		plan := roster.PlanPupils(current, file[:1])
		if !plan.LeavingHeld || len(plan.Leaving) != 3 || plan.MarksLeft() != 0 {
			t.Errorf("plan %+v", plan)
		}
	})

	t.Run("AMissingColumnChangesNothing", func(t *testing.T) {
		// A file without preferred names, registration groups or flags
		// clears none of them.
		full := roster.Pupil{UPN: "A123456789012", FirstName: "Amy", LastName: "Khan", PreferredFirstName: "Ames", DateOfBirth: date(2012, 1, 1),
			YearGroup: 8, RegistrationGroup: "8A", Flags: roster.Flags{SEND: true, LookedAfter: true, PreviouslyLookedAfter: true, YoungCarer: true, Excluded: true}}
		f := mustPupils(t, "UPN,Forename,Surname,DOB,Year\nA123456789012,Amy,Khan,2012-01-01,8\n")
		plan := roster.PlanPupils([]roster.CurrentPupil{{ID: 1, Active: true, Pupil: full}}, f)
		if plan.Unchanged != 1 || len(plan.Changed) != 0 {
			t.Errorf("plan %+v", plan)
		}
		// The same columns, present and blank, clear them.
		f = mustPupils(t, "UPN,Forename,Surname,Preferred Forename,DOB,Year,Reg Group,SEN,CLA,PLA,Young Carer,Excluded\nA123456789012,Amy,Khan,,2012-01-01,8,,,,,,\n")
		plan = roster.PlanPupils([]roster.CurrentPupil{{ID: 1, Active: true, Pupil: full}}, f)
		if len(plan.Changed) != 1 || plan.Changed[0].Pupil.PreferredFirstName != "" || plan.Changed[0].Pupil.Flags != (roster.Flags{}) || plan.Changed[0].Pupil.RegistrationGroup != "" {
			t.Errorf("plan %+v", plan)
		}
	})

	t.Run("ADifferentUPNIsADifferentPupil", func(t *testing.T) {
		f := mustPupils(t, "UPN,Forename,Surname,DOB,Year\nA123456789077,Amy,Khan,2012-01-01,8\n")
		plan := roster.PlanPupils(current[:1], f)
		if len(plan.New) != 1 || len(plan.Leaving) != 1 {
			t.Errorf("plan %+v", plan)
		}
	})
}

func TestPlanStaff(t *testing.T) {
	file, problems := roster.ParseStaff([]byte("Email,Name,Job Title,Roles\na@s.example,A,Teacher,staff\nb@s.example,B,Head,principal\nc@s.example,C,,\n"))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	current := []roster.CurrentPerson{
		{ID: 1, Email: "a@s.example", Name: "A", JobTitle: "Teacher", Roles: safeguarding.Roles{"staff"}, Active: true},
		{ID: 2, Email: "b@s.example", Name: "B", JobTitle: "Deputy head", Roles: safeguarding.Roles{"principal"}, Active: true},
		{ID: 9, Email: "gone@s.example", Name: "Z", Roles: safeguarding.Roles{"staff"}, Active: true},
	}
	plan, problems := roster.PlanStaff(current, file, 0)
	if len(problems) > 0 || plan.Unchanged != 1 || len(plan.Changed) != 1 || plan.Changed[0].ID != 2 || len(plan.New) != 1 || plan.New[0].Email != "c@s.example" {
		t.Fatalf("plan %+v, problems %v", plan, problems)
	}
	t.Run("AMissingColumnChangesNothing", func(t *testing.T) {
		// Without job title and roles columns, B keeps "Deputy head" and
		// the principal's role, and C joins as staff.
		file, problems := roster.ParseStaff([]byte("Email,Name\na@s.example,A\nb@s.example,B\nc@s.example,C\n"))
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		plan, problems := roster.PlanStaff(current, file, 0)
		if len(problems) > 0 || plan.Unchanged != 2 || len(plan.Changed) != 0 || len(plan.New) != 1 || !equalRoles(plan.New[0].Roles, safeguarding.Roles{"staff"}) {
			t.Errorf("plan %+v, problems %v", plan, problems)
		}
	})

	t.Run("NotYourOwnAdministratorRole", func(t *testing.T) {
		current := []roster.CurrentPerson{{ID: 7, Email: "a@s.example", Name: "A", JobTitle: "Teacher", Roles: safeguarding.Roles{"staff", "admin"}, Active: true}}
		_, problems := roster.PlanStaff(current, file[:1], 7)
		if len(problems) != 1 || problems[0].Line != 2 {
			t.Errorf("problems %v", problems)
		}
		if _, problems := roster.PlanStaff(current, file[:1], 0); len(problems) != 0 {
			t.Errorf("from the command line: problems %v", problems)
		}
	})
}

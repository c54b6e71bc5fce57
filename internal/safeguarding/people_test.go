package safeguarding_test

import (
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestInviteProblems(t *testing.T) {
	staff := safeguarding.Roles{safeguarding.RoleStaff}
	for name, tc := range map[string]struct {
		in   safeguarding.InviteInput
		want []string // the fields with problems
	}{
		"OK":             {safeguarding.InviteInput{Email: "ada@school.test", Name: "Ada", Roles: staff}, nil},
		"Blank":          {safeguarding.InviteInput{}, []string{"email", "name", "roles"}},
		"NotAnAddress":   {safeguarding.InviteInput{Email: "ada at school", Name: "Ada", Roles: staff}, []string{"email"}},
		"DisplayName":    {safeguarding.InviteInput{Email: "Ada <ada@school.test>", Name: "Ada", Roles: staff}, []string{"email"}},
		"NoDomainDot":    {safeguarding.InviteInput{Email: "ada@localhost", Name: "Ada", Roles: staff}, []string{"email"}},
		"LongTitle":      {safeguarding.InviteInput{Email: "ada@school.test", Name: "Ada", JobTitle: strings.Repeat("x", 201), Roles: staff}, []string{"job_title"}},
		"UnknownRole":    {safeguarding.InviteInput{Email: "ada@school.test", Name: "Ada", Roles: safeguarding.Roles{"teacher"}}, []string{"roles"}},
		"WhitespaceName": {safeguarding.InviteInput{Email: "ada@school.test", Name: "  ", Roles: staff}, []string{"name"}},
	} {
		t.Run(name, func(t *testing.T) {
			p := tc.in.Problems()
			if len(p) != len(tc.want) {
				t.Fatalf("problems %v, want fields %v", p, tc.want)
			}
			for _, f := range tc.want {
				if p[f] == "" {
					t.Errorf("no problem with %s: %v", f, p)
				}
			}
		})
	}
}

func TestLastAdministratorKept(t *testing.T) {
	admin := safeguarding.Person{SchoolID: 1, ID: 2, Active: true, Roles: safeguarding.Roles{safeguarding.RoleAdmin}}
	staff := safeguarding.Roles{safeguarding.RoleStaff}
	if err := safeguarding.CheckRoleChange(admin, staff, 0); err != safeguarding.ErrLastAdministrator {
		t.Errorf("the last administrator steps down: %v", err)
	}
	if err := safeguarding.CheckRoleChange(admin, staff, 1); err != nil {
		t.Errorf("an administrator steps down beside another: %v", err)
	}
	if err := safeguarding.CheckRoleChange(admin, safeguarding.Roles{safeguarding.RoleAdmin, safeguarding.RoleStaff}, 0); err != nil {
		t.Errorf("the last administrator gains a role: %v", err)
	}
	other := safeguarding.Viewer{SchoolID: 1, PersonID: 3, Roles: safeguarding.Roles{safeguarding.RoleAdmin}}
	if err := safeguarding.CheckDeactivation(other, admin, 0); err != safeguarding.ErrLastAdministrator {
		t.Errorf("deactivate the last other administrator: %v", err)
	}
	if err := safeguarding.CheckDeactivation(other, admin, 1); err != nil {
		t.Errorf("deactivate an administrator beside another: %v", err)
	}
	self := safeguarding.Viewer{SchoolID: 1, PersonID: 2, Roles: admin.Roles}
	if err := safeguarding.CheckDeactivation(self, admin, 5); err != safeguarding.ErrDeactivateSelf {
		t.Errorf("deactivate oneself: %v", err)
	}
}

func TestRolesNamed(t *testing.T) {
	rs, ok := safeguarding.RolesNamed([]string{"staff", " dsl", "staff", "admin"})
	if !ok || rs.Label() != "Designated Safeguarding Lead, Member of staff, Administrator" || len(rs) != 3 {
		t.Errorf("RolesNamed: %v, %v", rs, ok)
	}
	if _, ok := safeguarding.RolesNamed([]string{"staff", "teacher"}); ok {
		t.Error("an unknown role is named")
	}
}

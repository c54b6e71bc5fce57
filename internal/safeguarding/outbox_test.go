package safeguarding_test

import (
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestMayReadOutbox is the rule for the outbox over every set of roles a
// person can hold: the administrator reads it, nobody else, whatever else
// they hold.
func TestMayReadOutbox(t *testing.T) {
	checkRoleRule(t, "may read the outbox", safeguarding.MayReadOutbox, map[safeguarding.Role]bool{
		safeguarding.RoleAdmin:     true,
		safeguarding.RoleDSL:       false,
		safeguarding.RoleDeputyDSL: false,
		safeguarding.RolePrincipal: false,
		safeguarding.RoleChair:     false,
		safeguarding.RoleStaff:     false,
		safeguarding.RoleGovernor:  false,
	})
}

// TestMayImportRoster: the administrator imports the roster, nobody else.
func TestMayImportRoster(t *testing.T) {
	checkRoleRule(t, "may import the roster", safeguarding.MayImportRoster, map[safeguarding.Role]bool{
		safeguarding.RoleAdmin:     true,
		safeguarding.RoleDSL:       false,
		safeguarding.RoleDeputyDSL: false,
		safeguarding.RolePrincipal: false,
		safeguarding.RoleChair:     false,
		safeguarding.RoleStaff:     false,
		safeguarding.RoleGovernor:  false,
	})
}

// checkRoleRule checks rule, which says what a person may do from their
// roles alone, over every set of roles a person can hold: it allows a set
// when any role in it may (may names every role), and only then.
func checkRoleRule(t *testing.T, what string, rule func(safeguarding.Roles) bool, may map[safeguarding.Role]bool) {
	t.Helper()
	if len(may) != len(safeguarding.AllRoles) {
		t.Fatalf("the table names %d roles, Haven has %d", len(may), len(safeguarding.AllRoles))
	}
	for mask := range 1 << len(safeguarding.AllRoles) {
		var roles safeguarding.Roles
		want := false
		for i, r := range safeguarding.AllRoles {
			if mask&(1<<i) != 0 {
				roles = append(roles, r)
				want = want || may[r]
			}
		}
		if got := rule(roles); got != want {
			t.Errorf("roles %v: %s %v, want %v", roles, what, got, want)
		}
	}
}

// TestMayAdministerPeople: the administrator, and nobody else, invites
// people and changes their roles.
func TestMayAdministerPeople(t *testing.T) {
	checkRoleRule(t, "may administer people", safeguarding.MayAdministerPeople, map[safeguarding.Role]bool{
		safeguarding.RoleAdmin:     true,
		safeguarding.RoleDSL:       false,
		safeguarding.RoleDeputyDSL: false,
		safeguarding.RolePrincipal: false,
		safeguarding.RoleChair:     false,
		safeguarding.RoleStaff:     false,
		safeguarding.RoleGovernor:  false,
	})
}

package safeguarding_test

import (
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestMayEditSchoolContacts is the rule for the school's emergency contacts,
// role by role, then over every set of roles a person can hold: the DSL, a
// deputy or the administrator may set them; nobody else, whatever else
// they hold.
func TestMayEditSchoolContacts(t *testing.T) {
	may := map[safeguarding.Role]bool{
		safeguarding.RoleDSL:       true,
		safeguarding.RoleDeputyDSL: true,
		safeguarding.RoleAdmin:     true,
		safeguarding.RolePrincipal: false,
		safeguarding.RoleChair:     false,
		safeguarding.RoleStaff:     false,
		safeguarding.RoleGovernor:  false,
	}
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
		if got := safeguarding.MayEditSchoolContacts(roles); got != want {
			t.Errorf("roles %v: may edit school contacts %v, want %v", roles, got, want)
		}
	}
}

package safeguarding_test

import (
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestMayReadOutbox is the rule for the outbox over every set of roles a
// person can hold: the administrator reads it, nobody else, whatever else
// they hold.
func TestMayReadOutbox(t *testing.T) {
	may := map[safeguarding.Role]bool{
		safeguarding.RoleAdmin:     true,
		safeguarding.RoleDSL:       false,
		safeguarding.RoleDeputyDSL: false,
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
		if got := safeguarding.MayReadOutbox(roles); got != want {
			t.Errorf("roles %v: may read the outbox %v, want %v", roles, got, want)
		}
	}
}

package safeguarding_test

import (
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestNeedSecondFactor(t *testing.T) {
	need := map[safeguarding.Role]bool{
		safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: true, safeguarding.RolePrincipal: true,
		safeguarding.RoleChair: true, safeguarding.RoleAdmin: true,
		safeguarding.RoleStaff: false, safeguarding.RoleGovernor: false,
	}
	for _, r := range safeguarding.AllRoles {
		want, ok := need[r]
		if !ok {
			t.Fatalf("role %s: say whether it needs a second factor", r)
		}
		if got := (safeguarding.Roles{r}).NeedSecondFactor(); got != want {
			t.Errorf("%s: NeedSecondFactor = %v, want %v", r, got, want)
		}
		// Another role beside it never takes the need away.
		if got := (safeguarding.Roles{safeguarding.RoleStaff, r}).NeedSecondFactor(); got != want {
			t.Errorf("staff and %s: NeedSecondFactor = %v, want %v", r, got, want)
		}
		v := safeguarding.Viewer{Roles: safeguarding.Roles{r}}
		if v.MustEnrol() != want {
			t.Errorf("%s without a second factor: MustEnrol = %v, want %v", r, v.MustEnrol(), want)
		}
		v.SecondFactor = true
		if v.MustEnrol() {
			t.Errorf("%s with a second factor must still enrol", r)
		}
		if got := safeguarding.MayResetSecondFactor(safeguarding.Roles{r}); got != (r == safeguarding.RoleAdmin) {
			t.Errorf("%s: MayResetSecondFactor = %v", r, got)
		}
	}
}

package safeguarding_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestMayExportChildFile(t *testing.T) {
	checkRoleRule(t, "may export a child's file", safeguarding.MayExportChildFile, map[safeguarding.Role]bool{
		safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: true, safeguarding.RolePrincipal: false,
		safeguarding.RoleChair: false, safeguarding.RoleStaff: false, safeguarding.RoleGovernor: false, safeguarding.RoleAdmin: false,
	})
}

func TestMayReviewRetention(t *testing.T) {
	checkRoleRule(t, "may review retention", safeguarding.MayReviewRetention, map[safeguarding.Role]bool{
		safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: true, safeguarding.RolePrincipal: true,
		safeguarding.RoleChair: false, safeguarding.RoleStaff: false, safeguarding.RoleGovernor: false, safeguarding.RoleAdmin: false,
	})
}

func TestRetainUntil(t *testing.T) {
	for born, want := range map[string]string{"2001-05-04": "2026-05-04", "2000-02-29": "2025-03-01", "2004-02-29": "2029-03-01"} {
		b, _ := time.Parse(time.DateOnly, born)
		if got := safeguarding.RetainUntil(b).Format(time.DateOnly); got != want {
			t.Errorf("born %s: retain until %s, want %s", born, got, want)
		}
	}
}

func TestDestructionAgreed(t *testing.T) {
	dsl := safeguarding.DestructionApproval{PersonID: 1, Roles: safeguarding.Roles{safeguarding.RoleDSL}}
	deputy := safeguarding.DestructionApproval{PersonID: 2, Roles: safeguarding.Roles{safeguarding.RoleDeputyDSL}}
	principal := safeguarding.DestructionApproval{PersonID: 3, Roles: safeguarding.Roles{safeguarding.RolePrincipal}}
	both := safeguarding.DestructionApproval{PersonID: 4, Roles: safeguarding.Roles{safeguarding.RoleDSL, safeguarding.RolePrincipal}}
	for _, c := range []struct {
		name      string
		approvals []safeguarding.DestructionApproval
		want      bool
	}{
		{"Nobody", nil, false},
		{"DSLAlone", []safeguarding.DestructionApproval{dsl}, false},
		{"PrincipalAlone", []safeguarding.DestructionApproval{principal}, false},
		{"OnePersonHoldingBoth", []safeguarding.DestructionApproval{both}, false},
		{"TwoLeads", []safeguarding.DestructionApproval{dsl, deputy}, false},
		{"DSLThenPrincipal", []safeguarding.DestructionApproval{dsl, principal}, true},
		{"PrincipalThenDeputy", []safeguarding.DestructionApproval{principal, deputy}, true},
		{"BothAndAnotherLead", []safeguarding.DestructionApproval{both, dsl}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := safeguarding.DestructionAgreed(c.approvals); got != c.want {
				t.Errorf("agreed %v, want %v", got, c.want)
			}
		})
	}
}

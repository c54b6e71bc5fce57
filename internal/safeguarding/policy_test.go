package safeguarding_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPolicyStatusOn(t *testing.T) {
	today := day("2026-03-10")
	for _, tc := range []struct {
		name, next string
		want       safeguarding.PolicyStatus
	}{
		{"NeverApproved", "", safeguarding.PolicyNotReviewed},
		{"DueYesterday", "2026-03-09", safeguarding.PolicyOverdue},
		{"DueLastYear", "2025-03-10", safeguarding.PolicyOverdue},
		{"DueToday", "2026-03-10", safeguarding.PolicyDueSoon},
		{"DueIn30Days", "2026-04-09", safeguarding.PolicyDueSoon},
		{"DueIn31Days", "2026-04-10", safeguarding.PolicyInDate},
		{"DueNextYear", "2027-03-10", safeguarding.PolicyInDate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var next time.Time
			if tc.next != "" {
				next = day(tc.next)
			}
			// A time of day on either side changes nothing.
			if got := safeguarding.PolicyStatusOn(next, today.Add(23*time.Hour)); got != tc.want {
				t.Errorf("PolicyStatusOn(%s, %s) = %s, want %s", tc.next, today.Format("2006-01-02"), got, tc.want)
			}
		})
	}
	t.Run("OverdueSortsFirst", func(t *testing.T) {
		order := []safeguarding.PolicyStatus{safeguarding.PolicyOverdue, safeguarding.PolicyNotReviewed, safeguarding.PolicyDueSoon, safeguarding.PolicyInDate}
		for i := 1; i < len(order); i++ {
			if safeguarding.PolicyStatusRank(order[i-1]) >= safeguarding.PolicyStatusRank(order[i]) {
				t.Errorf("%s does not sort before %s", order[i-1], order[i])
			}
		}
	})
}

func TestDefaultNextReview(t *testing.T) {
	for approved, want := range map[string]string{"2025-09-15": "2026-09-15", "2024-02-29": "2025-03-01", "2025-12-31": "2026-12-31"} {
		if got := safeguarding.DefaultNextReview(day(approved)); !got.Equal(day(want)) {
			t.Errorf("DefaultNextReview(%s) = %s, want %s", approved, got.Format("2006-01-02"), want)
		}
	}
}

func TestPolicyReviewInputProblems(t *testing.T) {
	today := day("2026-03-10")
	for _, tc := range []struct {
		name           string
		approved, next string
		want           safeguarding.FieldProblems
	}{
		{"OK", "2026-03-01", "2027-03-01", safeguarding.FieldProblems{}},
		{"OKApprovedToday", "2026-03-10", "2026-03-11", safeguarding.FieldProblems{}},
		{"ErrMissing", "", "", safeguarding.FieldProblems{"approved-on": "Enter the date the policy was approved",
			"next-review-on": "Enter the date of the next review"}},
		{"ErrApprovedInFuture", "2026-03-11", "2027-03-11", safeguarding.FieldProblems{
			"approved-on": "The date the policy was approved must be today or in the past"}},
		{"ErrNextReviewSameDay", "2026-03-01", "2026-03-01", safeguarding.FieldProblems{
			"next-review-on": "The next review must be after the date the policy was approved"}},
		{"ErrNextReviewBefore", "2026-03-01", "2025-03-01", safeguarding.FieldProblems{
			"next-review-on": "The next review must be after the date the policy was approved"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in safeguarding.PolicyReviewInput
			if tc.approved != "" {
				in.ApprovedOn = day(tc.approved)
			}
			if tc.next != "" {
				in.NextReviewOn = day(tc.next)
			}
			got := in.Problems(today)
			if len(got) != len(tc.want) {
				t.Fatalf("Problems = %v, want %v", got, tc.want)
			}
			for f, m := range tc.want {
				if got[f] != m {
					t.Errorf("Problems[%q] = %q, want %q", f, got[f], m)
				}
			}
		})
	}
}

func TestPolicyInputProblems(t *testing.T) {
	if p := (safeguarding.PolicyInput{Title: " Online safety policy ", Owner: "DSL"}).Problems(); len(p) != 0 {
		t.Errorf("a titled, owned policy has problems: %v", p)
	}
	p := (safeguarding.PolicyInput{Title: "  ", Owner: ""}).Problems()
	if p["title"] == "" || p["owner"] == "" {
		t.Errorf("a blank policy has problems %v, want title and owner", p)
	}
}

func TestPolicyAccess(t *testing.T) {
	for _, tc := range []struct {
		role         safeguarding.Role
		read, manage bool
	}{
		{safeguarding.RoleDSL, true, true},
		{safeguarding.RolePrincipal, true, true},
		{safeguarding.RoleDeputyDSL, true, false},
		{safeguarding.RoleChair, true, false},
		{safeguarding.RoleGovernor, true, false},
		{safeguarding.RoleStaff, false, false},
		{safeguarding.RoleAdmin, false, false},
	} {
		rs := safeguarding.Roles{tc.role}
		if got := safeguarding.MayReadPolicies(rs); got != tc.read {
			t.Errorf("MayReadPolicies(%s) = %v, want %v", tc.role, got, tc.read)
		}
		if got := safeguarding.MayManagePolicies(rs); got != tc.manage {
			t.Errorf("MayManagePolicies(%s) = %v, want %v", tc.role, got, tc.manage)
		}
	}
}

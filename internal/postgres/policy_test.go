package postgres_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestPolicyRegister(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cse := safeguarding.PolicyInput{Title: "Child sexual exploitation (CSE) policy", Owner: "DSL and Principal"}
	var id int64

	t.Run("OKTheDSLAddsAPolicy", func(t *testing.T) {
		var err error
		if id, err = s.db.AddPolicy(ctx, s.dsl, cse, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		p, err := s.db.Policy(ctx, s.governor, id)
		if err != nil || p.Title != cse.Title || p.Owner != cse.Owner || len(p.Reviews) != 0 || p.StatusOn(time.Now()) != safeguarding.PolicyNotReviewed {
			t.Fatalf("the governor reads %+v (err %v), want the new policy, not yet approved", p, err)
		}
	})

	t.Run("OKReviewsMakeAHistory", func(t *testing.T) {
		for _, r := range []safeguarding.PolicyReviewInput{
			{ApprovedOn: date("2024-09-10"), NextReviewOn: date("2025-09-10")},
			{ApprovedOn: date("2025-09-08"), NextReviewOn: date("2026-09-08")},
		} {
			if err := s.db.RecordPolicyReview(ctx, s.principal, id, r, "192.0.2.1"); err != nil {
				t.Fatal(err)
			}
		}
		p, err := s.db.Policy(ctx, s.chair, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Reviews) != 2 || !p.Reviews[0].ApprovedOn.Equal(date("2025-09-08")) || p.Reviews[0].RecordedBy != "principal" {
			t.Fatalf("history %+v, want two approvals, newest first, recorded by the principal", p.Reviews)
		}
		if !p.LastApproved.Equal(date("2025-09-08")) || !p.NextReview.Equal(date("2026-09-08")) {
			t.Errorf("latest approval %s, next review %s; want the newest", p.LastApproved, p.NextReview)
		}
		// The status follows the day it is read on.
		for on, want := range map[string]safeguarding.PolicyStatus{"2026-01-01": safeguarding.PolicyInDate,
			"2026-08-20": safeguarding.PolicyDueSoon, "2026-09-09": safeguarding.PolicyOverdue} {
			if got := p.StatusOn(date(on)); got != want {
				t.Errorf("status on %s = %s, want %s", on, got, want)
			}
		}
		var audited int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('added_policy', 'reviewed_policy')`).Scan(&audited); err != nil || audited != 3 {
			t.Errorf("%d audit rows (err %v), want 3: the policy and its two reviews", audited, err)
		}
	})

	t.Run("ErrReviewInTheFutureOrBackwards", func(t *testing.T) {
		tomorrow := time.Now().AddDate(0, 0, 2)
		for _, r := range []safeguarding.PolicyReviewInput{
			{ApprovedOn: tomorrow, NextReviewOn: tomorrow.AddDate(1, 0, 0)},
			{ApprovedOn: date("2025-09-08"), NextReviewOn: date("2025-09-01")},
		} {
			if err := s.db.RecordPolicyReview(ctx, s.dsl, id, r, ""); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
				t.Errorf("review %+v: err %v, want EINVALID", r, err)
			}
		}
	})

	t.Run("ErrOnlyTheDSLAndThePrincipalKeepIt", func(t *testing.T) {
		r := safeguarding.PolicyReviewInput{ApprovedOn: date("2026-01-05"), NextReviewOn: date("2027-01-05")}
		for _, v := range []safeguarding.Viewer{s.deputy, s.chair, s.governor, s.staff1, s.admin} {
			if _, err := s.db.AddPolicy(ctx, v, cse, ""); err == nil {
				t.Errorf("roles %v add a policy", v.Roles)
			}
			if err := s.db.RecordPolicyReview(ctx, v, id, r, ""); err == nil {
				t.Errorf("roles %v record a review", v.Roles)
			}
			if err := s.db.RetirePolicy(ctx, v, id, ""); err == nil {
				t.Errorf("roles %v retire a policy", v.Roles)
			}
		}
	})

	t.Run("ErrStaffAndTheAdministratorReadNothing", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.admin} {
			if _, err := s.db.Policies(ctx, v); err == nil {
				t.Errorf("roles %v list the policies", v.Roles)
			}
			if _, err := s.db.Policy(ctx, v, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("roles %v open a policy: err %v, want ENOTFOUND", v.Roles, err)
			}
		}
		for _, v := range []safeguarding.Viewer{s.dsl, s.deputy, s.principal, s.chair, s.governor} {
			if ps, err := s.db.Policies(ctx, v); err != nil || len(ps) != 1 {
				t.Errorf("roles %v list %d policies (err %v), want 1", v.Roles, len(ps), err)
			}
		}
	})

	t.Run("OKRetiredLeavesTheList", func(t *testing.T) {
		if err := s.db.RetirePolicy(ctx, s.dsl, id, ""); err != nil {
			t.Fatal(err)
		}
		if ps, err := s.db.Policies(ctx, s.dsl); err != nil || len(ps) != 0 {
			t.Errorf("%d policies listed after retiring (err %v), want 0", len(ps), err)
		}
		p, err := s.db.Policy(ctx, s.dsl, id)
		if err != nil || !p.Retired() || len(p.Reviews) != 2 {
			t.Errorf("retired policy %+v (err %v), want it retired with its history", p, err)
		}
		r := safeguarding.PolicyReviewInput{ApprovedOn: date("2026-01-05"), NextReviewOn: date("2027-01-05")}
		if err := s.db.RecordPolicyReview(ctx, s.dsl, id, r, ""); safeguarding.ErrorCode(err) != safeguarding.ECONFLICT {
			t.Errorf("reviewing a retired policy: err %v, want ECONFLICT", err)
		}
	})

	t.Run("ErrAnotherSchoolsPolicyIsNotFound", func(t *testing.T) {
		other, err := s.db.CreateSchool(ctx, "Hilltop School")
		if err != nil {
			t.Fatal(err)
		}
		var theirs int64
		if err := s.owner.QueryRow(ctx, `INSERT INTO policies (school_id, title, owner) VALUES ($1, 'Theirs', 'DSL') RETURNING id`, other).Scan(&theirs); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Policy(ctx, s.dsl, theirs); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("another school's policy: err %v, want ENOTFOUND", err)
		}
	})
}

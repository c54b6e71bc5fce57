package demo_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestDemoPolicies: the demo school has its policy register, with the CSE
// policy on it, two years of approvals, one review overdue and one due
// within the month, as the DSL and governors read it.
func TestDemoPolicies(t *testing.T) {
	ctx := t.Context()
	db := postgres.New(pgtest.NewPool(t, pgtest.NewDB(t)), nil)
	school, err := demo.Load(ctx, db, "test-demo-password")
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"dsl@demo.test", "governor@demo.test"} {
		v, err := db.Viewer(ctx, school.People[email].ID)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := db.Policies(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]safeguarding.PolicyStatus{}
		for _, p := range ps {
			status[p.Title] = p.StatusOn(time.Now())
			if d, err := db.Policy(ctx, v, p.ID); err != nil || len(d.Reviews) < 2 || time.Since(d.Reviews[len(d.Reviews)-1].ApprovedOn) < 365*24*time.Hour {
				t.Errorf("%s reads %q with %d approvals (err %v), want a history over two years", email, p.Title, len(d.Reviews), err)
			}
		}
		if len(ps) < 5 || status[demo.OverduePolicy] != safeguarding.PolicyOverdue || status[demo.DueSoonPolicy] != safeguarding.PolicyDueSoon {
			t.Errorf("%s reads %v, want at least 5 policies, %q overdue and %q due soon", email, status, demo.OverduePolicy, demo.DueSoonPolicy)
		}
		overdue := 0
		for _, s := range status {
			if s.NeedsReview() {
				overdue++
			}
		}
		if overdue != 1 {
			t.Errorf("%d policies need review, want 1", overdue)
		}
	}
}

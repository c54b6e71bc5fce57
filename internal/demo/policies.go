package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// demoPolicy is one of the demo school's policies: its approvals, as days
// counted back from the load, each reviewed a year on. ageDays of the
// newest approval decides its status: under 335 days it is in date, from
// 335 it is due within 30 days, over 365 it is overdue.
type demoPolicy struct {
	title, owner string
	approvedAgo  []int // days before the load, oldest first
}

// demoPolicies are the demo school's policies over the last two academic
// years: most in date, one due within the month and one overdue, so that
// the register, the home pages and the oversight report each have
// something to show.
var demoPolicies = []demoPolicy{
	{"Child sexual exploitation (CSE) policy", "DSL and Principal", []int{700, 340}},
	{"Child protection and safeguarding policy", "DSL and Principal", []int{720, 360 + 5, 90}},
	{"Online safety policy", "DSL", []int{690, 400}},
	{"Staff code of conduct", "Principal", []int{650, 290}},
	{"Whistleblowing policy", "Principal and Chair of Governors", []int{600, 240}},
	{"Allegations against staff policy", "Principal and Chair of Governors", []int{710, 330}},
}

// OverduePolicy is the demo policy whose review is overdue on the day the
// demo is loaded: the browser journeys record its review.
const OverduePolicy = "Online safety policy"

// DueSoonPolicy is the demo policy due for review within 30 days.
const DueSoonPolicy = "Child sexual exploitation (CSE) policy"

// loadPolicies adds the demo policies to the school, dated back from now.
func loadPolicies(ctx context.Context, db *postgres.DB, schoolID int64, now time.Time) error {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, p := range demoPolicies {
		var reviews []safeguarding.PolicyReviewInput
		for _, ago := range p.approvedAgo {
			approved := today.AddDate(0, 0, -ago)
			reviews = append(reviews, safeguarding.PolicyReviewInput{ApprovedOn: approved, NextReviewOn: safeguarding.DefaultNextReview(approved)})
		}
		if _, err := db.ImportPolicy(ctx, schoolID, safeguarding.PolicyInput{Title: p.title, Owner: p.owner}, reviews); err != nil {
			return fmt.Errorf("demo policy %s: %w", p.title, err)
		}
	}
	return nil
}

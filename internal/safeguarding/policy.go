package safeguarding

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The policy register (§13.1): the school's safeguarding policies, each
// approved by its owners and reviewed again by a date they set, a year on
// unless they say otherwise. Who reads and keeps it is MayReadPolicies and
// MayManagePolicies (access.go).

// Lengths the policy register accepts (the policies table's checks).
const (
	MaxPolicyTitleLength = 200
	MaxPolicyOwnerLength = 200
)

// PolicyDueSoonWithin is how far ahead a review counts as due soon: the
// register and the home pages warn a month before a review falls overdue.
const PolicyDueSoonWithin = 30

// PolicyStatus is where a policy's review stands on a day.
type PolicyStatus string

const (
	PolicyNotReviewed PolicyStatus = "not_reviewed" // never approved: due now
	PolicyOverdue     PolicyStatus = "overdue"      // its next review date has passed
	PolicyDueSoon     PolicyStatus = "due_soon"     // next review within PolicyDueSoonWithin days
	PolicyInDate      PolicyStatus = "in_date"
)

// NeedsReview reports whether s asks for a review now: the home pages count
// these and the register lists them first.
func (s PolicyStatus) NeedsReview() bool { return s == PolicyNotReviewed || s == PolicyOverdue }

// Label is the status in the register's words.
func (s PolicyStatus) Label() string {
	switch s {
	case PolicyNotReviewed:
		return "Not yet approved"
	case PolicyOverdue:
		return "Overdue"
	case PolicyDueSoon:
		return "Due within 30 days"
	case PolicyInDate:
		return "In date"
	}
	return ""
}

// PolicyStatusOn is the status on day today of a policy whose latest
// approval set its next review for nextReview (zero: never approved). A
// review due today is due soon, not yet overdue: it falls overdue the day
// after. Only calendar dates count; times of day are ignored.
func PolicyStatusOn(nextReview, today time.Time) PolicyStatus {
	if nextReview.IsZero() {
		return PolicyNotReviewed
	}
	due, day := dateOnly(nextReview), dateOnly(today)
	switch {
	case day.After(due):
		return PolicyOverdue
	case !due.After(day.AddDate(0, 0, PolicyDueSoonWithin)):
		return PolicyDueSoon
	}
	return PolicyInDate
}

// statusOrder sorts the register: what needs a review first.
var statusOrder = map[PolicyStatus]int{PolicyOverdue: 0, PolicyNotReviewed: 1, PolicyDueSoon: 2, PolicyInDate: 3}

// PolicyStatusRank orders statuses for the register, overdue first.
func PolicyStatusRank(s PolicyStatus) int { return statusOrder[s] }

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DefaultNextReview is the review date the form offers after an approval
// on approved: a year on (§13.1 "reviewed annually"). 29 February gives
// 1 March.
func DefaultNextReview(approved time.Time) time.Time {
	return dateOnly(approved).AddDate(1, 0, 0)
}

// Policy is one of the school's policies in the register, with its latest
// approval.
type Policy struct {
	ID           int64
	Title        string
	Owner        string    // who reviews it, e.g. "DSL and Principal"
	RetiredOn    time.Time // zero while it is one of the school's policies
	LastApproved time.Time // zero: never approved
	NextReview   time.Time // zero: never approved
}

// StatusOn is p's review status on day today.
func (p Policy) StatusOn(today time.Time) PolicyStatus { return PolicyStatusOn(p.NextReview, today) }

// Retired reports whether p is no longer one of the school's policies.
func (p Policy) Retired() bool { return !p.RetiredOn.IsZero() }

// PolicyReview is one approval of a policy, as its history shows it.
type PolicyReview struct {
	ApprovedOn   time.Time
	NextReviewOn time.Time
	RecordedBy   string // the person's name; "" when nobody signed in recorded it
	RecordedAt   time.Time
}

// PolicyDetails is a policy on its own page: the policy and every
// approval, newest first.
type PolicyDetails struct {
	Policy
	Reviews []PolicyReview
}

// PolicyInput is a new policy as the form gives it.
type PolicyInput struct {
	Title, Owner string
}

// Trimmed is in with surrounding spaces removed.
func (in PolicyInput) Trimmed() PolicyInput {
	in.Title, in.Owner = strings.TrimSpace(in.Title), strings.TrimSpace(in.Owner)
	return in
}

// Problems says, by the form's field names, what stops the policy being
// added.
func (in PolicyInput) Problems() FieldProblems {
	p := FieldProblems{}
	in = in.Trimmed()
	switch {
	case in.Title == "":
		p["title"] = "Enter the policy's title"
	case utf8.RuneCountInString(in.Title) > MaxPolicyTitleLength:
		p["title"] = "The title must be 200 characters or fewer"
	}
	switch {
	case in.Owner == "":
		p["owner"] = "Enter who reviews the policy, for example DSL and Principal"
	case utf8.RuneCountInString(in.Owner) > MaxPolicyOwnerLength:
		p["owner"] = "The owner must be 200 characters or fewer"
	}
	return p
}

// PolicyReviewInput is an approval as the "Record a review" form gives it.
type PolicyReviewInput struct {
	ApprovedOn, NextReviewOn time.Time
}

// Problems says, by the form's field names, what stops the review being
// recorded on day today: a policy is approved on a day that has come (not
// in the future), and its next review falls after that day.
func (in PolicyReviewInput) Problems(today time.Time) FieldProblems {
	p := FieldProblems{}
	if in.ApprovedOn.IsZero() {
		p["approved-on"] = "Enter the date the policy was approved"
	} else if dateOnly(in.ApprovedOn).After(dateOnly(today)) {
		p["approved-on"] = "The date the policy was approved must be today or in the past"
	}
	switch {
	case in.NextReviewOn.IsZero():
		p["next-review-on"] = "Enter the date of the next review"
	case !in.ApprovedOn.IsZero() && !dateOnly(in.NextReviewOn).After(dateOnly(in.ApprovedOn)):
		p["next-review-on"] = "The next review must be after the date the policy was approved"
	}
	return p
}

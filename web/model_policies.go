package web

import "strconv"

// The policy register's pages (§13.1).
const (
	PoliciesPath  = "/policies"
	NewPolicyPath = "/policies/new"
)

// PolicyPath is one policy's page.
func PolicyPath(id int64) string { return PoliciesPath + "/" + strconv.FormatInt(id, 10) }

// PolicyList is the register: the school's policies, those needing review
// first.
type PolicyList struct {
	Policies  []PolicyRow
	Summary   string // e.g. "1 policy is overdue for review."
	CanManage bool   // may add policies (and so review them)
	Banner    string // a success message after retiring a policy
}

// PolicyRow is one policy in the register.
type PolicyRow struct {
	Href, Title, Owner       string
	LastApproved, NextReview string // "Not yet approved" / "None set" when never approved
	Status                   TagText
}

// PolicyForm is the "Add a policy" form as typed.
type PolicyForm struct {
	Title, Owner string
	Errors       Errors
}

// PolicyView is one policy's page: its state, every approval, and for the
// DSL and the principal the form to record a review and the button to
// retire it.
type PolicyView struct {
	ID                       int64
	Title, Owner             string
	LastApproved, NextReview string
	Status                   TagText
	Retired                  string // "Retired on 2 March 2026"; "" while in force
	Reviews                  []PolicyReviewRow
	CanManage                bool
	Review                   PolicyReviewForm
	Banner                   string
}

// PolicyReviewRow is one approval in a policy's history.
type PolicyReviewRow struct {
	ApprovedOn, NextReviewOn, RecordedBy string
}

// PolicyReviewForm is "Record a review" as typed: the approval's date and
// the next review's, prefilled a year on.
type PolicyReviewForm struct {
	ApprovedDay, ApprovedMonth, ApprovedYear string
	NextDay, NextMonth, NextYear             string
	Errors                                   Errors
}

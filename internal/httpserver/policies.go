package httpserver

// The policy register (§13.1): the school's safeguarding policies, their
// approvals and when each is next reviewed. The DSL and the principal keep
// it; deputies, the chair and governors read it; to anyone else its pages
// do not exist.

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// policyStore reads and keeps the policy register.
type policyStore interface {
	Policies(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Policy, error)
	Policy(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.PolicyDetails, error)
	AddPolicy(ctx context.Context, v safeguarding.Viewer, in safeguarding.PolicyInput, address string) (int64, error)
	RecordPolicyReview(ctx context.Context, v safeguarding.Viewer, id int64, in safeguarding.PolicyReviewInput, address string) error
	RetirePolicy(ctx context.Context, v safeguarding.Viewer, id int64, address string) error
}

// policyReader is the signed-in person if they may read the register;
// to anyone else its pages do not exist.
func policyReader(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayReadPolicies(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// policyKeeper is the signed-in person if they may keep the register.
func policyKeeper(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayManagePolicies(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// policies lists the register, those needing review first.
func (s *Server) policies(w http.ResponseWriter, r *http.Request) {
	v, ok := policyReader(w, r)
	if !ok {
		return
	}
	ps, err := s.db.Policies(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := todayInEngland()
	l := web.PolicyList{CanManage: safeguarding.MayManagePolicies(v.Roles), Summary: policiesSummary(ps, today)}
	if r.URL.Query().Get("retired") != "" {
		l.Banner = "The policy has been retired."
	}
	for _, p := range sortedByStatus(ps, today) {
		l.Policies = append(l.Policies, web.PolicyRow{Href: web.PolicyPath(p.ID), Title: p.Title, Owner: p.Owner,
			LastApproved: approvedText(p), NextReview: nextReviewText(p), Status: policyTag(p.StatusOn(today))})
	}
	s.render(w, r, http.StatusOK, web.PoliciesPage(page(r, "Policy register"), l))
}

// sortedByStatus orders the register: overdue first, then never approved,
// due soon and in date; by next review date, then title, within each.
func sortedByStatus(ps []safeguarding.Policy, today time.Time) []safeguarding.Policy {
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b safeguarding.Policy) int {
		if d := safeguarding.PolicyStatusRank(a.StatusOn(today)) - safeguarding.PolicyStatusRank(b.StatusOn(today)); d != 0 {
			return d
		}
		return a.NextReview.Compare(b.NextReview)
	})
	return ps
}

// reviewsDue counts the policies overdue for review (never approved ones
// included) and those due within 30 days.
func reviewsDue(ps []safeguarding.Policy, today time.Time) (overdue, dueSoon int) {
	for _, p := range ps {
		switch st := p.StatusOn(today); {
		case st.NeedsReview():
			overdue++
		case st == safeguarding.PolicyDueSoon:
			dueSoon++
		}
	}
	return overdue, dueSoon
}

// policiesSummary says in a sentence what needs review.
func policiesSummary(ps []safeguarding.Policy, today time.Time) string {
	if len(ps) == 0 {
		return "No policies are on the register yet."
	}
	overdue, dueSoon := reviewsDue(ps, today)
	if overdue == 0 && dueSoon == 0 {
		return fmt.Sprintf("All %s in date.", plural(len(ps), "policy is", "policies are"))
	}
	return reviewsDueText(overdue, dueSoon)
}

// reviewsDueText says how many reviews are overdue and due soon.
func reviewsDueText(overdue, dueSoon int) string {
	switch {
	case overdue > 0 && dueSoon > 0:
		return fmt.Sprintf("%s overdue for review, and %s due within 30 days.",
			plural(overdue, "policy is", "policies are"), plural(dueSoon, "is", "are"))
	case overdue > 0:
		return fmt.Sprintf("%s overdue for review.", plural(overdue, "policy is", "policies are"))
	}
	return fmt.Sprintf("%s due for review within 30 days.", plural(dueSoon, "policy is", "policies are"))
}

// policyTag is a status as a coloured tag.
func policyTag(st safeguarding.PolicyStatus) web.TagText {
	colour := map[safeguarding.PolicyStatus]string{safeguarding.PolicyOverdue: "red", safeguarding.PolicyNotReviewed: "red",
		safeguarding.PolicyDueSoon: "yellow", safeguarding.PolicyInDate: "green"}[st]
	return web.TagText{Text: st.Label(), Colour: colour}
}

func approvedText(p safeguarding.Policy) string {
	if p.LastApproved.IsZero() {
		return "Not yet approved"
	}
	return policyDate(p.LastApproved)
}

func nextReviewText(p safeguarding.Policy) string {
	if p.NextReview.IsZero() {
		return "Due now"
	}
	return policyDate(p.NextReview)
}

// policyDate is a calendar date as stored: no time zone moves it.
func policyDate(t time.Time) string { return t.Format("2 January 2006") }

// newPolicyForm asks for a policy's title and owner.
func (s *Server) newPolicyForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := policyKeeper(w, r); !ok {
		return
	}
	s.render(w, r, http.StatusOK, web.NewPolicyPage(page(r, "Add a policy"), web.PolicyForm{}))
}

// addPolicy adds the policy and goes to its page to record its approval,
// or shows the form again with what was typed and a message by each field.
func (s *Server) addPolicy(w http.ResponseWriter, r *http.Request) {
	v, ok := policyKeeper(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	in := safeguarding.PolicyInput{Title: vals.Get("title"), Owner: vals.Get("owner")}
	var form Form
	problems := in.Problems()
	for _, field := range []string{"title", "owner"} {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		id, err := s.db.AddPolicy(r.Context(), v, in, clientAddress(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, web.PolicyPath(id)+"?added=1", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.NewPolicyPage(page(r, "Add a policy"),
		web.PolicyForm{Title: in.Title, Owner: in.Owner, Errors: form.Errors}))
}

// policyPage shows a policy, its approvals and, to those who keep the
// register, the form to record a review prefilled with today and a year on.
func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) {
	v, ok := policyReader(w, r)
	if !ok {
		return
	}
	today := todayInEngland()
	next := safeguarding.DefaultNextReview(today)
	form := web.PolicyReviewForm{
		ApprovedDay: strconv.Itoa(today.Day()), ApprovedMonth: strconv.Itoa(int(today.Month())), ApprovedYear: strconv.Itoa(today.Year()),
		NextDay: strconv.Itoa(next.Day()), NextMonth: strconv.Itoa(int(next.Month())), NextYear: strconv.Itoa(next.Year())}
	banner := map[string]string{"added": "The policy has been added. Record its approval below.",
		"reviewed": "The review has been recorded."}
	var text string
	for key, msg := range banner {
		if r.URL.Query().Get(key) != "" {
			text = msg
		}
	}
	s.showPolicy(w, r, v, http.StatusOK, form, text)
}

// showPolicy renders a policy's page with the review form f.
func (s *Server) showPolicy(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, f web.PolicyReviewForm, banner string) {
	d, err := s.db.Policy(r.Context(), v, pathID(chi.URLParam(r, "id")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := todayInEngland()
	view := web.PolicyView{ID: d.ID, Title: d.Title, Owner: d.Owner, LastApproved: approvedText(d.Policy), NextReview: nextReviewText(d.Policy),
		Status: policyTag(d.StatusOn(today)), CanManage: safeguarding.MayManagePolicies(v.Roles), Review: f, Banner: banner}
	if d.Retired() {
		view.Retired = "Retired on " + policyDate(d.RetiredOn)
		view.Status = web.TagText{Text: "Retired", Colour: "grey"}
	}
	for _, rv := range d.Reviews {
		by := ""
		if rv.RecordedBy != "" {
			by = "Recorded by " + rv.RecordedBy + "."
		}
		view.Reviews = append(view.Reviews, web.PolicyReviewRow{ApprovedOn: policyDate(rv.ApprovedOn), NextReviewOn: policyDate(rv.NextReviewOn), RecordedBy: by})
	}
	s.render(w, r, status, web.PolicyPage(page(r, d.Title), view))
}

// recordPolicyReview records an approval, or shows the page again with the
// dates as typed and a message by each that needs one. A blank next review
// date means a year after approval (§13.1).
func (s *Server) recordPolicyReview(w http.ResponseWriter, r *http.Request) {
	v, ok := policyKeeper(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	f := web.PolicyReviewForm{ApprovedDay: vals.Get("approved-on-day"), ApprovedMonth: vals.Get("approved-on-month"), ApprovedYear: vals.Get("approved-on-year"),
		NextDay: vals.Get("next-review-on-day"), NextMonth: vals.Get("next-review-on-month"), NextYear: vals.Get("next-review-on-year")}
	in, form := validatePolicyReview(f, todayInEngland())
	if form.Valid() {
		id := pathID(chi.URLParam(r, "id"))
		err := s.db.RecordPolicyReview(r.Context(), v, id, in, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.PolicyPath(id)+"?reviewed=1", http.StatusSeeOther)
			return
		case safeguarding.EINVALID, safeguarding.ECONFLICT:
			form.Check(false, "approved-on", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	f.Errors = form.Errors
	s.showPolicy(w, r, v, http.StatusUnprocessableEntity, f, "")
}

// validatePolicyReview reads the review form's dates and checks them as the
// domain does (PolicyReviewInput.Problems).
func validatePolicyReview(f web.PolicyReviewForm, today time.Time) (safeguarding.PolicyReviewInput, Form) {
	var form Form
	var in safeguarding.PolicyReviewInput
	approved, approvedOK := ParseDate(f.ApprovedDay, f.ApprovedMonth, f.ApprovedYear)
	if approvedOK {
		in.ApprovedOn = approved
	}
	blankNext := !NotBlank(f.NextDay) && !NotBlank(f.NextMonth) && !NotBlank(f.NextYear)
	next, nextOK := ParseDate(f.NextDay, f.NextMonth, f.NextYear)
	switch {
	case blankNext && approvedOK:
		in.NextReviewOn, nextOK = safeguarding.DefaultNextReview(approved), true
	case nextOK:
		in.NextReviewOn = next
	}
	anyApproved := NotBlank(f.ApprovedDay) || NotBlank(f.ApprovedMonth) || NotBlank(f.ApprovedYear)
	form.Check(approvedOK || !anyApproved, "approved-on", "The date the policy was approved must be a real date, for example 15 9 2026")
	form.Check(nextOK || blankNext, "next-review-on", "The next review date must be a real date, for example 15 9 2027")
	problems := in.Problems(today)
	for _, field := range []string{"approved-on", "next-review-on"} {
		msg, bad := problems[field]
		if field == "next-review-on" && !approvedOK && bad && !in.NextReviewOn.IsZero() {
			continue // nothing to compare it with until the approval date is right
		}
		form.Check(!bad, field, msg)
	}
	return in, form
}

// retirePolicy takes a policy off the register, keeping its approvals.
func (s *Server) retirePolicy(w http.ResponseWriter, r *http.Request) {
	v, ok := policyKeeper(w, r)
	if !ok {
		return
	}
	if err := s.db.RetirePolicy(r.Context(), v, pathID(chi.URLParam(r, "id")), clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.PoliciesPath+"?retired=1", http.StatusSeeOther)
}

// policyReviewsSection tells whoever keeps or oversees the register on
// their home page how many reviews are overdue or due soon, with a link;
// ok is false when there is nothing to say or v does not read the register.
func (s *Server) policyReviewsSection(ctx context.Context, v safeguarding.Viewer) (web.HomeSection, bool, error) {
	if !policyReviewsOnHome(v.Roles) {
		return web.HomeSection{}, false, nil
	}
	ps, err := s.db.Policies(ctx, v)
	if err != nil {
		return web.HomeSection{}, false, err
	}
	overdue, dueSoon := reviewsDue(ps, todayInEngland())
	if overdue == 0 && dueSoon == 0 {
		return web.HomeSection{Title: "Policy reviews", Body: "Every policy on the register is in date.",
			Href: web.PoliciesPath, LinkText: "Open the policy register"}, true, nil
	}
	return web.HomeSection{Title: "Policy reviews", Body: reviewsDueText(overdue, dueSoon),
		Href: web.PoliciesPath, LinkText: "Open the policy register"}, true, nil
}

// policyReviewsOnHome: the DSL, deputies, the principal and the chair see
// the register's state on their home page (§13.1); a governor reads it from
// the oversight report.
func policyReviewsOnHome(rs safeguarding.Roles) bool {
	switch rs.Primary() {
	case safeguarding.RoleDSL, safeguarding.RoleDeputyDSL, safeguarding.RolePrincipal, safeguarding.RoleChair:
		return safeguarding.MayReadPolicies(rs)
	}
	return false
}

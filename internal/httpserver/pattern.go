package httpserver

// Pattern flags (DESIGN.md "Seeing patterns"): a flag's page, where the DSL
// or a deputy records their review, and the settings page of the rules.

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// patternStore reads and reviews pattern flags and sets the rules.
type patternStore interface {
	PatternFlag(ctx context.Context, v safeguarding.Viewer, flagID int64) (safeguarding.PatternFlagRecord, error)
	ReviewPatternFlag(ctx context.Context, v safeguarding.Viewer, flagID int64, r safeguarding.PatternReview) error
	PatternSettings(ctx context.Context, v safeguarding.Viewer) (safeguarding.PatternSettings, error)
	SetPatternSettings(ctx context.Context, v safeguarding.Viewer, s safeguarding.PatternSettings, address string) error
}

// patternFlagHref is a flag's page.
func patternFlagHref(id int64) string { return "/patterns/" + strconv.FormatInt(id, 10) }

// patternFlagView is a flag as the queue, the child's page and its own page
// show it.
func patternFlagView(f safeguarding.PatternFlag) web.PatternFlag {
	out := web.PatternFlag{ReviewHref: patternFlagHref(f.ID), Child: f.Pupil.Name(), ChildHref: "/pupils/" + strconv.FormatInt(f.PupilID, 10),
		YearGroup: "Year " + strconv.Itoa(f.Pupil.YearGroup), Rule: f.Rule.Label(), Raised: longDateTime(f.RaisedAt), Open: f.Open(), Reason: f.Reason}
	for _, id := range f.ConcernIDs {
		ref := strconv.FormatInt(id, 10)
		out.Concerns = append(out.Concerns, web.ConcernLink{Text: "Concern " + ref, Href: "/concerns/" + ref})
	}
	if f.ReviewedAt != nil {
		who := strings.TrimSpace(f.ReviewedByName)
		if who == "" {
			who = "someone who has left"
		}
		out.Review = f.Decision.Label() + " (" + who + ", " + longDateTime(*f.ReviewedAt) + ")"
	}
	return out
}

func patternFlagViews(flags []safeguarding.PatternFlag) []web.PatternFlag {
	out := make([]web.PatternFlag, 0, len(flags))
	for _, f := range flags {
		out = append(out, patternFlagView(f))
	}
	return out
}

// patternFlagPage shows a flag the viewer may see, with the review form
// while it is open to those who review flags; "?saved=1" after a review.
func (s *Server) patternFlagPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	s.showPatternFlag(w, r, v, id, http.StatusOK, safeguarding.PatternReview{}, nil)
}

// showPatternFlag renders the flag's page, with the review as typed and
// the problems with it, if any.
func (s *Server) showPatternFlag(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, id int64, status int, typed safeguarding.PatternReview, errs web.Errors) {
	rec, err := s.db.PatternFlag(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	categories, err := s.db.Categories(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	indicators, err := s.db.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	view := web.PatternReviewPage{Flag: patternFlagView(rec.Flag), Description: rec.Settings.Describe(rec.Flag.Rule),
		CanReview: safeguarding.MayManagePatterns(v.Roles), Reason: typed.Reason, Errors: errs, Saved: r.URL.Query().Get("saved") != ""}
	for _, d := range safeguarding.PatternDecisions {
		view.Decision = append(view.Decision, web.Choice{Value: string(d), Label: d.Label(), Checked: d == typed.Decision})
	}
	for _, c := range rec.Concerns {
		ref := strconv.FormatInt(c.ID, 10)
		pc := web.PatternConcern{Concern: web.ConcernLink{Text: "Concern " + ref, Href: "/concerns/" + ref}, LoggedAt: longDateTime(c.LoggedAt),
			LoggedBy: c.LoggedByName, Categories: labelsOf(c.Categories, categories), Indicators: indicatorLabelsOf(c.Indicators, indicators),
			Status: statusTagFor(c.Status)}
		view.Concerns = append(view.Concerns, pc)
	}
	s.render(w, r, status, web.PatternReview(page(r, "Pattern flag"), view))
}

// labelsOf joins the labels of the category codes, in the order given.
func labelsOf(codes []string, categories []safeguarding.Category) string {
	var out []string
	for _, code := range codes {
		label := code
		for _, c := range categories {
			if c.Code == code {
				label = c.Label
			}
		}
		out = append(out, label)
	}
	return strings.Join(out, ", ")
}

// indicatorLabelsOf joins the labels of the indicator codes; "None" for none.
func indicatorLabelsOf(codes []string, indicators []safeguarding.Indicator) string {
	if len(codes) == 0 {
		return "None"
	}
	var out []string
	for _, code := range codes {
		label := code
		for _, i := range indicators {
			if i.Code == code {
				label = i.Label
			}
		}
		out = append(out, label)
	}
	return strings.Join(out, "; ")
}

// reviewPatternFlag records the DSL's decision and its reason, or shows the
// page again with both as typed and a message by each field that needs one.
func (s *Server) reviewPatternFlag(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 || !safeguarding.MayManagePatterns(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	review := safeguarding.PatternReview{Decision: safeguarding.PatternDecision(vals.Get("decision")), Reason: strings.TrimSpace(vals.Get("reason"))}
	var form Form
	problems := review.Problems()
	for _, field := range []string{"decision", "reason"} {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		err := s.db.ReviewPatternFlag(r.Context(), v, id, review)
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, patternFlagHref(id)+"?saved=1", http.StatusSeeOther)
			return
		case safeguarding.EINVALID, safeguarding.ECONFLICT:
			form.Check(false, "reason", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	review.Reason = vals.Get("reason")
	s.showPatternFlag(w, r, v, id, http.StatusUnprocessableEntity, review, form.Errors)
}

// patternEditor is the signed-in person if they may set the pattern rules;
// to anyone else the page does not exist.
func (s *Server) patternEditor(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayManagePatterns(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// patternSettingsForm shows the rules' settings; "?saved=1" after saving.
func (s *Server) patternSettingsForm(w http.ResponseWriter, r *http.Request) {
	v, ok := s.patternEditor(w, r)
	if !ok {
		return
	}
	ps, err := s.db.PatternSettings(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := patternSettingsFormOf(ps)
	f.Saved = r.URL.Query().Get("saved") != ""
	if !ps.UpdatedAt.IsZero() {
		f.LastChanged = lastChanged(safeguarding.SchoolContacts{UpdatedAt: ps.UpdatedAt, UpdatedByName: ps.UpdatedByName})
	}
	s.render(w, r, http.StatusOK, web.PatternSettingsPage(page(r, "Pattern rules"), f))
}

func patternSettingsFormOf(ps safeguarding.PatternSettings) web.PatternSettingsForm {
	n := strconv.Itoa
	return web.PatternSettingsForm{CSEOn: ps.CSEOn, CSEIndicators: n(ps.CSEIndicators), CSEStaff: n(ps.CSEStaff), CSEDays: n(ps.CSEDays),
		ConcernsOn: ps.ConcernsOn, ConcernsMany: n(ps.ConcernsMany), ConcernsDays: n(ps.ConcernsDays),
		MissingOn: ps.MissingOn, MissingDays: n(ps.MissingDays)}
}

// patternSettingsFields are the settings form's number fields in page order.
var patternSettingsFields = []string{"cse-indicators", "cse-staff", "cse-days", "concerns-many", "concerns-days", "missing-days"}

// setPatternSettings saves the rules, or shows the form again with every
// value as typed and a message by each field that needs one.
func (s *Server) setPatternSettings(w http.ResponseWriter, r *http.Request) {
	v, ok := s.patternEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	// A value that is no whole number is 0, which no setting allows: its
	// field says so.
	num := func(field string) int {
		n, err := strconv.Atoi(strings.TrimSpace(vals.Get(field)))
		if err != nil {
			return 0
		}
		return n
	}
	ps := safeguarding.PatternSettings{CSEOn: vals.Get("cse-on") == "on", CSEIndicators: num("cse-indicators"), CSEStaff: num("cse-staff"),
		CSEDays: num("cse-days"), ConcernsOn: vals.Get("concerns-on") == "on", ConcernsMany: num("concerns-many"),
		ConcernsDays: num("concerns-days"), MissingOn: vals.Get("missing-on") == "on", MissingDays: num("missing-days")}
	var form Form
	problems := ps.Problems()
	for _, field := range patternSettingsFields {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		err := s.db.SetPatternSettings(r.Context(), v, ps, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.PatternSettingsPath+"?saved=1", http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, "cse-indicators", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	f := web.PatternSettingsForm{CSEOn: ps.CSEOn, ConcernsOn: ps.ConcernsOn, MissingOn: ps.MissingOn,
		CSEIndicators: vals.Get("cse-indicators"), CSEStaff: vals.Get("cse-staff"), CSEDays: vals.Get("cse-days"),
		ConcernsMany: vals.Get("concerns-many"), ConcernsDays: vals.Get("concerns-days"), MissingDays: vals.Get("missing-days"), Errors: form.Errors}
	s.render(w, r, http.StatusUnprocessableEntity, web.PatternSettingsPage(page(r, "Pattern rules"), f))
}

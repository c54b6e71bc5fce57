package httpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// concernFormStore is what the concern form reads and files.
type concernFormStore interface {
	FormLists(ctx context.Context, v safeguarding.Viewer) (safeguarding.FormLists, error)
	StaffRoster(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.StaffMember, error)
	PupilsByID(ctx context.Context, v safeguarding.Viewer, ids []int64) ([]safeguarding.PupilMatch, error)
	SearchPupils(ctx context.Context, v safeguarding.Viewer, query string, year, limit int) ([]safeguarding.PupilMatch, error)
	LogConcern(ctx context.Context, v safeguarding.Viewer, in safeguarding.ConcernInput) (id int64, duplicate bool, err error)
	Concern(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.Concern, error)
	DeleteDraft(ctx context.Context, v safeguarding.Viewer) error
	SchoolContacts(ctx context.Context, v safeguarding.Viewer) (safeguarding.SchoolContacts, error)
}

const (
	// pupilSearchLimit is how many pupils one search lists.
	pupilSearchLimit = 30
)

// What /concerns/new?draft= asks for when the person has a saved draft.
const (
	// draftContinue: they chose to continue it (the offer's first button).
	draftContinue = "continue"
	// draftKept: they are back after signing in again, and the form the
	// session ended under was kept as their draft: it is shown at once,
	// with a word that it was restored.
	draftKept = "kept"
	// draftDiscarded: they chose to start again; the draft is gone.
	draftDiscarded = "discarded"
)

// newConcernForm shows the concern form. A person with a saved draft is
// first offered it (continue it or start again), never given it silently:
// it may be a concern they meant to abandon, or one started weeks ago.
// Coming back after sign-in with a kept form, or choosing to continue,
// shows the draft in the form.
func (s *Server) newConcernForm(w http.ResponseWriter, r *http.Request) {
	v, ok := s.concernLogger(w, r)
	if !ok {
		return
	}
	// The lists the form offers come with the draft, in one transaction.
	lists, err := s.db.FormLists(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var p web.ConcernFormPage
	asked := r.URL.Query().Get("draft")
	p.Discarded = asked == draftDiscarded
	if d := lists.Draft; d != nil {
		if err := json.Unmarshal(d.Form, &p.Form); err != nil {
			s.log.Warn("unreadable concern draft", "person", v.PersonID, "err", err)
			p.Form = web.ConcernForm{}
		} else if asked != draftContinue && asked != draftKept {
			s.render(w, r, http.StatusOK, web.DraftOfferPage(page(r, "You started a concern"),
				web.DraftOffer{SavedAt: longDateTime(d.SavedAt), ContinueHref: "/concerns/new?draft=" + draftContinue}))
			return
		} else {
			p.Restored = asked == draftKept
			p.Discarded = false
		}
	}
	s.renderConcernFormWith(w, r, v, http.StatusOK, p, &lists)
}

// logConcern files the concern, or re-shows the form: with the pupils a
// search found ("Find pupils"), or with what needs correcting.
func (s *Server) logConcern(w http.ResponseWriter, r *http.Request) {
	v, vals, f, ok := s.postedConcern(w, r)
	if !ok {
		return
	}
	switch vals.Get("action") {
	case "find":
		s.findPupils(w, r, v, f)
		return
	case "draft":
		s.keepDraftAndShow(w, r, v, f)
		return
	case "discard":
		if err := s.db.DeleteDraft(r.Context(), v); err != nil {
			s.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/concerns/new?draft="+draftDiscarded, http.StatusSeeOther)
		return
	}

	opts, err := s.validationOptions(r.Context(), v, f.Subject)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in, form := validateConcern(f, opts, todayInEngland())
	if form.Valid() {
		id, _, err := s.db.LogConcern(r.Context(), v, in)
		switch safeguarding.ErrorCode(err) {
		case "":
			// A resent form (duplicate) lands on the same page as the first.
			http.Redirect(w, r, "/concerns/"+strconv.FormatInt(id, 10)+"/logged", http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, subjectField(f), safeguarding.ErrorMessage(err))
		default:
			s.serverError(w, r, err)
			return
		}
	}
	if err := s.keepDraft(r.Context(), v, f); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderConcernForm(w, r, v, http.StatusUnprocessableEntity, web.ConcernFormPage{Form: f, Errors: form.Errors})
}

// findPupils shows the form again with the pupils the search found. It
// saves the draft too, so a search is never the moment work is lost.
func (s *Server) findPupils(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, f web.ConcernForm) {
	if f.Subject == "" {
		f.Subject = web.SubjectPupils
	}
	var form Form
	form.Check(NotBlank(f.PupilQuery) || f.PupilYear != "", "pupil-query", "Enter part of a name or choose a year group to find pupils")
	if err := s.keepDraft(r.Context(), v, f); err != nil {
		s.serverError(w, r, err)
		return
	}
	status := http.StatusOK
	if !form.Valid() {
		status = http.StatusUnprocessableEntity
	}
	s.renderConcernForm(w, r, v, status, web.ConcernFormPage{Form: f, Errors: form.Errors})
}

// concernLoggedPage confirms a concern to the person who logged it; to
// anyone else it does not exist.
func (s *Server) concernLogged(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	c, err := s.db.Concern(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.LoggedBy != v.PersonID {
		renderError(w, r, http.StatusNotFound)
		return
	}
	view := concernLoggedView(c, s.cfg.EmailAlerts)
	if c.Urgent {
		contacts, err := s.db.SchoolContacts(r.Context(), v)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		view.Emergency = emergencyFor(contacts, v.Roles)
		view.Emergency.AboutAdult = c.Route != safeguarding.RouteChild
	}
	s.render(w, r, http.StatusOK, web.ConcernLoggedPage(page(r, "Concern logged"), view))
}

// emergencyFor is the emergency panel of a school with contacts c, shown
// to a viewer with roles rs, who is offered the settings page while the
// numbers are not set if they may set them.
func emergencyFor(c safeguarding.SchoolContacts, rs safeguarding.Roles) web.Emergency {
	return web.Emergency{DSLPhone: c.DSLPhone, SocialCarePhone: c.SocialCarePhone, SocialCareOutOfHours: c.SocialCareOutOfHours,
		MaySetContacts: safeguarding.MayEditSchoolContacts(rs)}
}

func concernLoggedView(c safeguarding.Concern, emailAlerts bool) web.ConcernLogged {
	out := web.ConcernLogged{Reference: strconv.FormatInt(c.ID, 10), Subject: c.SubjectLabel(), Urgent: c.Urgent,
		AboutChild: c.Route == safeguarding.RouteChild}
	who := safeguarding.WhoSees(c.Route)
	switch c.Route {
	case safeguarding.RouteChild:
		out.HandledBy = who + " The DSL or a deputy will decide what to do. If they refer it to children's social care or another agency, they will tell you what action will be taken within one working day (policy §11.9)."
		out.SpeakTo = "If you have not already done so, speak to the DSL or a deputy DSL today as well (policy §11.1)."
	case safeguarding.RoutePrincipal:
		out.HandledBy = "Your concern is about the principal, so it goes to the chair of governors only (policy §11.3). " + who
		out.SpeakTo = "If you have not already done so, speak to the chair of governors as well."
	case safeguarding.RouteSafeguardingLead:
		out.HandledBy = "Your concern is about a safeguarding lead, so it goes to the principal only. " + who
		out.SpeakTo = "If you have not already done so, speak to the principal as well."
	default:
		out.HandledBy = "Your concern is about an adult, so it goes to the principal, as case manager, and the DSL. " + who
		out.SpeakTo = "If you have not already done so, speak to the principal or the DSL as well."
	}
	if emailAlerts {
		out.Alerted = alertedSentence(c.Route, c.Urgent)
	}
	return out
}

// whoSeesBySubject is, for each answer to the form's "Who is the concern
// about?", who will see the concern (safeguarding.WhoSees). A member of
// staff may be a safeguarding lead or the principal, whose concerns go
// elsewhere; the hint says so.
func whoSeesBySubject() map[string]string {
	return map[string]string{
		web.SubjectPupils:    safeguarding.WhoSees(safeguarding.RouteChild),
		web.SubjectPrincipal: safeguarding.WhoSees(safeguarding.RoutePrincipal),
		web.SubjectStaff: safeguarding.WhoSees(safeguarding.RouteAdult) +
			" About the DSL or a deputy DSL: " + lowerFirst(safeguarding.WhoSees(safeguarding.RouteSafeguardingLead)) +
			" About the principal: " + lowerFirst(safeguarding.WhoSees(safeguarding.RoutePrincipal)),
		web.SubjectOtherAdult: safeguarding.WhoSees(safeguarding.RouteAdult),
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// alertedSentence says who has been e-mailed about a new concern: its
// case handlers (jobs.AlertWorker), told plainly whether it is urgent.
func alertedSentence(r safeguarding.Route, urgent bool) string {
	who, have := "The DSL and the deputy DSLs", "have"
	switch r {
	case safeguarding.RoutePrincipal:
		who, have = "The chair of governors", "has"
	case safeguarding.RouteSafeguardingLead:
		who, have = "The principal", "has"
	case safeguarding.RouteAdult:
		who = "The principal, the DSL and the deputy DSLs"
	}
	if urgent {
		return who + " " + have + " been alerted by e-mail that your concern is urgent."
	}
	return who + " " + have + " been told by e-mail that you have logged a concern."
}

// concernLogger is the signed-in person if they may log concerns: people who
// work with children. Anyone else is told the page does not exist.
func (s *Server) concernLogger(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !canLogConcerns(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// postedConcern is the person posting a concern form, if they may log
// concerns, with the form as posted.
func (s *Server) postedConcern(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, url.Values, web.ConcernForm, bool) {
	v, ok := s.concernLogger(w, r)
	if !ok {
		return v, nil, web.ConcernForm{}, false
	}
	vals, ok := parseConcernPost(w, r)
	if !ok {
		return v, nil, web.ConcernForm{}, false
	}
	return v, vals, postedConcernForm(vals), true
}

func parseConcernPost(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	// readForm has parsed it, within maxFormBytes.
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusRequestEntityTooLarge)
		return nil, false
	}
	return r.PostForm, true
}

// concernOptions is what the form offers: reference lists, the roster and
// the year groups.
type concernOptions struct {
	safeguarding.ConcernChoices
	years    []int
	contacts safeguarding.SchoolContacts
}

// concernOptions reads the school's lists unless the caller has them.
func (s *Server) concernOptions(ctx context.Context, v safeguarding.Viewer, lists *safeguarding.FormLists) (concernOptions, error) {
	o, err := s.validationOptions(ctx, v, "") // the reference lists
	if err != nil {
		return o, err
	}
	if lists == nil {
		read, err := s.db.FormLists(ctx, v)
		if err != nil {
			return o, err
		}
		lists = &read
	}
	o.Staff, o.years, o.contacts = lists.Staff, lists.YearGroups, lists.Contacts
	return o, nil
}

// validationOptions is what validating a form about subject needs: the
// reference lists (cached), and the staff roster only for a concern about
// a member of staff, so that filing the common concern costs no roster read.
func (s *Server) validationOptions(ctx context.Context, v safeguarding.Viewer, subject string) (concernOptions, error) {
	var o concernOptions
	var err error
	if o.Categories, err = s.db.Categories(ctx); err != nil {
		return o, err
	}
	if o.Indicators, err = s.db.Indicators(ctx); err != nil {
		return o, err
	}
	if subject == web.SubjectStaff || subject == web.SubjectPrincipal || subject == web.SubjectOtherAdult {
		o.Staff, err = s.db.StaffRoster(ctx, v)
	}
	return o, err
}

// renderConcernForm shows the form with everything it offers: the pupils
// ticked, then those the search finds, the roster and the reference lists.
func (s *Server) renderConcernForm(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, p web.ConcernFormPage) {
	s.renderConcernFormWith(w, r, v, status, p, nil)
}

// renderConcernFormWith is renderConcernForm with the school's lists
// already read, or nil to read them.
func (s *Server) renderConcernFormWith(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, p web.ConcernFormPage, lists *safeguarding.FormLists) {
	ctx := r.Context()
	if !validToken(p.Form.Token) {
		p.Form.Token = newSubmissionToken()
	}
	p.Form.Author = strconv.FormatInt(v.PersonID, 10)

	opts, err := s.concernOptions(ctx, v, lists)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ticked, err := s.db.PupilsByID(ctx, v, parseIDs(p.Form.PupilIDs))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, pupil := range ticked {
		p.Pupils = append(p.Pupils, pupilChoice(pupil))
	}
	p.Chosen = slices.Clone(p.Pupils)
	p.PlaceErrors()
	year, _ := strconv.Atoi(p.Form.PupilYear)
	if NotBlank(p.Form.PupilQuery) || year > 0 {
		found, err := s.db.SearchPupils(ctx, v, p.Form.PupilQuery, year, pupilSearchLimit+1)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.PupilSearch = pupilSearchMessage(len(found), pupilSearchLimit)
		found = found[:min(len(found), pupilSearchLimit)]
		for _, pupil := range found {
			if !slices.ContainsFunc(ticked, func(t safeguarding.PupilMatch) bool { return t.ID == pupil.ID }) {
				p.Pupils = append(p.Pupils, pupilChoice(pupil))
			}
		}
	}

	p.YearGroups = opts.years
	p.Emergency = emergencyFor(opts.contacts, v.Roles)
	_, p.PrincipalOffered = safeguarding.PrincipalOf(opts.Staff)
	p.WhoSees = whoSeesBySubject()
	if p.Form.Subject == web.SubjectOtherAdult && NotBlank(p.Form.AdultName) {
		for _, m := range safeguarding.StaffMatches(p.Form.AdultName, p.Form.AdultRole, opts.Staff) {
			c := web.StaffChoice{ID: m.ID, Name: m.Name, JobTitle: m.JobTitle, Principal: m.Principal}
			if m.Principal {
				c.WhoSees = safeguarding.WhoSees(safeguarding.RoutePrincipal)
			}
			p.AdultMatches = append(p.AdultMatches, c)
		}
	}
	for _, m := range opts.Staff {
		p.Staff = append(p.Staff, web.StaffChoice{ID: m.ID, Name: m.Name, JobTitle: m.JobTitle})
	}
	for _, c := range opts.Categories {
		p.Categories = append(p.Categories, web.CodeLabel{Code: c.Code, Label: c.Label})
	}
	for _, i := range opts.Indicators {
		p.Indicators = append(p.Indicators, web.CodeLabel{Code: i.Code, Label: i.Label})
	}
	s.render(w, r, status, web.NewConcernPage(page(r, "Log a concern"), p))
}

// pupilChoice is a pupil as the form lists them: with their year,
// registration group and date of birth, so that the right one of two
// children of the same name is chosen.
func pupilChoice(p safeguarding.PupilMatch) web.PupilChoice {
	return web.PupilChoice{ID: p.ID, Name: p.Name(), YearGroup: p.YearGroup,
		RegistrationGroup: p.RegistrationGroup, Born: longDate(p.DateOfBirth)}
}

func pupilSearchMessage(found, limit int) string {
	switch {
	case found == 0:
		return "No pupils found. Check the spelling, or try another year group."
	case found == 1:
		return "1 pupil found."
	case found > limit:
		return fmt.Sprintf("Showing the first %d pupils found. Type more of the name to narrow the search.", limit)
	}
	return fmt.Sprintf("%d pupils found.", found)
}

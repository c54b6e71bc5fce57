package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// concernFormStore is what the concern form reads and files.
type concernFormStore interface {
	FormLists(ctx context.Context, v safeguarding.Viewer) (safeguarding.FormLists, error)
	StaffRoster(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.StaffMember, error)
	PupilsByID(ctx context.Context, v safeguarding.Viewer, ids []int64) ([]safeguarding.PupilRef, error)
	SearchPupils(ctx context.Context, v safeguarding.Viewer, query string, year, limit int) ([]safeguarding.PupilRef, error)
	LogConcern(ctx context.Context, v safeguarding.Viewer, in safeguarding.ConcernInput) (id int64, duplicate bool, err error)
	Concern(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.Concern, error)
	DeleteDraft(ctx context.Context, v safeguarding.Viewer) error
}

const (
	// pupilSearchLimit is how many pupils one search lists.
	pupilSearchLimit = 30
	// sessionPendingConcern holds a concern form posted after the session
	// ended, until its author signs in again.
	sessionPendingConcern = "pending_concern"
)

// newConcernForm shows the concern form: the person's saved draft if they
// have one, otherwise an empty form with a fresh submission token.
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
	if d := lists.Draft; d != nil {
		if err := json.Unmarshal(d.Form, &p.Form); err != nil {
			s.log.Warn("unreadable concern draft", "person", v.PersonID, "err", err)
			p.Form = web.ConcernForm{}
		} else {
			p.Restored = true
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
		http.Redirect(w, r, "/concerns/new", http.StatusSeeOther)
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
	s.render(w, r, http.StatusOK, web.ConcernLoggedPage(page(r, "Concern logged"), concernLoggedView(c, s.cfg.EmailAlerts)))
}

func concernLoggedView(c safeguarding.Concern, emailAlerts bool) web.ConcernLogged {
	out := web.ConcernLogged{Reference: strconv.FormatInt(c.ID, 10), Subject: c.SubjectLabel(), Urgent: c.Urgent,
		AboutChild: c.Route == safeguarding.RouteChild}
	switch c.Route {
	case safeguarding.RouteChild:
		out.HandledBy = "The Designated Safeguarding Lead (DSL) or a deputy will read your concern and decide what to do. If they refer it to children's social care or another agency, they will tell you what action will be taken within one working day (policy §11.9)."
		out.SpeakTo = "If you have not already done so, speak to the DSL or a deputy DSL today as well (policy §11.1)."
	case safeguarding.RoutePrincipal:
		out.HandledBy = "Your concern is about the principal, so it goes to the chair of governors only (policy §11.3). The principal cannot see it."
		out.SpeakTo = "If you have not already done so, speak to the chair of governors as well."
	case safeguarding.RouteSafeguardingLead:
		out.HandledBy = "Your concern is about a safeguarding lead, so it goes to the principal only. The person it is about cannot see it."
		out.SpeakTo = "If you have not already done so, speak to the principal as well."
	default:
		out.HandledBy = "Your concern is about an adult, so it goes to the principal, as case manager, and the DSL. The person it is about cannot see it."
		out.SpeakTo = "If you have not already done so, speak to the principal or the DSL as well."
	}
	if emailAlerts {
		out.Alerted = alertedSentence(c.Route, c.Urgent)
	}
	return out
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

// concernFormFrom reads the posted form exactly as typed, cleaned of what
// no one can type (cleanText).
func concernFormFrom(vals url.Values) web.ConcernForm {
	vals = cleanValues(vals)
	return web.ConcernForm{
		Token:         vals.Get("token"),
		Author:        vals.Get("author"),
		Subject:       vals.Get("subject"),
		PupilQuery:    vals.Get("pupil-query"),
		PupilYear:     vals.Get("pupil-year"),
		PupilIDs:      distinct(vals["pupil"]),
		SubjectPerson: vals.Get("subject-person"),
		AdultName:     vals.Get("adult-name"),
		AdultRole:     vals.Get("adult-role"),
		Categories:    distinct(vals["category"]),
		Indicators:    distinct(vals["indicator"]),
		WhatHappened:  vals.Get("what-happened"),
		ChildsWords:   vals.Get("childs-words"),
		HappenedDay:   vals.Get("happened-day"),
		HappenedMonth: vals.Get("happened-month"),
		HappenedYear:  vals.Get("happened-year"),
		HappenedTime:  vals.Get("happened-time"),
		Location:      vals.Get("location"),
		OthersTold:    vals.Get("others-told"),
		ActionsTaken:  vals.Get("actions-taken"),
		Urgent:        vals.Get("urgent"),
	}
}

// postedConcernForm is concernFormFrom with a usable submission token: a
// form that lost its token (it never does in a browser) gets a fresh one.
func postedConcernForm(vals url.Values) web.ConcernForm {
	f := concernFormFrom(vals)
	if !validToken(f.Token) {
		f.Token = newSubmissionToken()
	}
	return f
}

func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// concernOptions is what the form offers: reference lists, the roster and
// the year groups.
type concernOptions struct {
	safeguarding.ConcernChoices
	years []int
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
	o.Staff, o.years = lists.Staff, lists.YearGroups
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
	if subject == web.SubjectStaff {
		o.Staff, err = s.db.StaffRoster(ctx, v)
	}
	return o, err
}

// concernFields are the concern form's fields in the order the page shows
// them, which the messages about them follow. Whether the child is in danger
// is asked first, so that a child in danger is dealt with before the form is.
var concernFields = []string{"urgent", "subject", "pupil-query", "subject-person", "adult-name", "adult-role",
	"category", "indicator", "what-happened", "childs-words", "happened", "happened-time",
	"location", "others-told", "actions-taken"}

// validateConcern checks a posted form and turns it into what the store
// files: what only a form can get wrong (a question left unanswered, a date
// or a time that cannot be read) is checked here, the rest by the concern's
// own rules (safeguarding.ConcernInput.Problems). Messages follow the order
// of the fields on the page, one for each field.
func validateConcern(f web.ConcernForm, o concernOptions, today time.Time) (safeguarding.ConcernInput, Form) {
	in, unreadable := concernFromForm(f, o)
	problems := in.Problems(o.ConcernChoices, today)
	var form Form
	for _, field := range concernFields {
		if msg, ok := unreadable[field]; ok {
			form.Check(false, field, msg)
		}
		if msg, ok := problems[field]; ok {
			form.Check(false, field, msg)
		}
	}
	// A field concernFields does not name still stops the concern.
	for _, field := range slices.Sorted(maps.Keys(problems)) {
		form.Check(false, field, problems[field])
	}
	return in, form
}

// concernFromForm reads a posted form into a concern, trimmed as it is
// filed, with what could not be read from it. The categories and indicators
// ticked keep the order the form lists them in.
func concernFromForm(f web.ConcernForm, o concernOptions) (safeguarding.ConcernInput, safeguarding.FieldProblems) {
	unreadable := safeguarding.FieldProblems{}
	in := safeguarding.ConcernInput{SubmissionToken: f.Token}

	if f.Urgent != "yes" && f.Urgent != "no" {
		unreadable["urgent"] = "Select yes if the child is in immediate danger"
	}
	in.Urgent = f.Urgent == "yes"

	switch f.Subject {
	case web.SubjectPupils:
		in.SubjectKind = safeguarding.SubjectPupils
		in.PupilIDs = parseIDs(f.PupilIDs)
	case web.SubjectStaff:
		in.SubjectKind = safeguarding.SubjectStaff
		in.SubjectPersonID = pathID(f.SubjectPerson)
	case web.SubjectOtherAdult:
		in.SubjectKind = safeguarding.SubjectOtherAdult
		in.SubjectAdultName = strings.TrimSpace(f.AdultName)
		in.SubjectAdultRole = strings.TrimSpace(f.AdultRole)
	}

	in.Categories = inListOrder(f.Categories, o.Categories, func(c safeguarding.Category) string { return c.Code })
	in.Indicators = inListOrder(f.Indicators, o.Indicators, func(i safeguarding.Indicator) string { return i.Code })

	in.WhatHappened = strings.TrimSpace(f.WhatHappened)
	// The child's words are kept exactly as typed: not even trimmed.
	in.ChildsWords = f.ChildsWords
	if !NotBlank(in.ChildsWords) {
		in.ChildsWords = ""
	}

	if NotBlank(f.HappenedDay) || NotBlank(f.HappenedMonth) || NotBlank(f.HappenedYear) {
		if d, ok := ParseDate(f.HappenedDay, f.HappenedMonth, f.HappenedYear); ok {
			in.HappenedOn = d
		} else {
			unreadable["happened"] = "The date it happened must be a real date, like 27 3 2026"
		}
	}
	if NotBlank(f.HappenedTime) {
		t, ok := parseClock(f.HappenedTime)
		if !ok {
			unreadable["happened-time"] = "Enter the time on the 24-hour clock, like 14:30, or leave it blank"
		}
		in.HappenedTime = t
	}

	in.Location = strings.TrimSpace(f.Location)
	in.OthersTold = strings.TrimSpace(f.OthersTold)
	in.ActionsTaken = strings.TrimSpace(f.ActionsTaken)
	return in, unreadable
}

// inListOrder is the codes ticked in the order of the list they were ticked
// from, followed by any that are not on it (which the concern's rules refuse).
func inListOrder[T any](ticked []string, list []T, code func(T) string) []string {
	var out []string
	for _, item := range list {
		if c := code(item); slices.Contains(ticked, c) {
			out = append(out, c)
		}
	}
	for _, c := range ticked {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// subjectField is the field a store's complaint about the subject belongs to.
func subjectField(f web.ConcernForm) string {
	switch f.Subject {
	case web.SubjectPupils:
		return "pupil-query"
	case web.SubjectStaff:
		return "subject-person"
	case web.SubjectOtherAdult:
		return "adult-name"
	}
	return "subject"
}

func parseIDs(ss []string) []int64 {
	var ids []int64
	for _, s := range ss {
		if id := pathID(s); id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

var clockPattern = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$`)

// parseClock reads a time of day as people write it ("14:30", "9.05",
// "2:30pm", "2pm") and returns it as HH:MM on the 24-hour clock.
func parseClock(s string) (string, bool) {
	m := clockPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil || (m[2] == "" && m[3] == "") {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	if m[3] != "" {
		if h < 1 || h > 12 {
			return "", false
		}
		h %= 12
		if m[3][0] == 'p' {
			h += 12
		}
	}
	if h > 23 || min > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, min), true
}

var england = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.Local
})

// todayInEngland is the date in the schools' time zone, as a UTC midnight
// like the dates ParseDate returns.
func todayInEngland() time.Time {
	y, m, d := time.Now().In(england()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
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
		p.Pupils = append(p.Pupils, web.PupilChoice{ID: pupil.ID, Name: pupil.Name(), YearGroup: pupil.YearGroup})
	}
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
			if !slices.ContainsFunc(ticked, func(t safeguarding.PupilRef) bool { return t.ID == pupil.ID }) {
				p.Pupils = append(p.Pupils, web.PupilChoice{ID: pupil.ID, Name: pupil.Name(), YearGroup: pupil.YearGroup})
			}
		}
	}

	p.YearGroups = opts.years
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

var tokenPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func validToken(t string) bool { return tokenPattern.MatchString(t) }

// newSubmissionToken is a random (version 4) UUID, the form's one-time
// submission token.
func newSubmissionToken() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

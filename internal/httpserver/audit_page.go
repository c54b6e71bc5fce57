package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// auditStore reads the audit page, the header's pupil search and the
// latest openings of a pupil's file.
type auditStore interface {
	ReadAuditLog(ctx context.Context, v safeguarding.Viewer, f safeguarding.AuditFilter) (safeguarding.AuditLog, error)
	FindPupils(ctx context.Context, v safeguarding.Viewer, query string) ([]safeguarding.FoundPupil, bool, error)
	FileViews(ctx context.Context, v safeguarding.Viewer, pupilID int64, limit int) ([]safeguarding.AuditLine, error)
}

// maxSearchChars is the longest search read; anything longer is cut.
const maxSearchChars = 100

// pupilSearch lists the pupils the header's search finds (docs/search.md).
// Only the DSL and deputies search; anyone else is told the page does not
// exist, by the store's rule.
func (s *Server) pupilSearch(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	query := searchQuery(r)
	found, more, err := s.db.FindPupils(r.Context(), v, query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := web.PupilSearch{Query: query, More: more}
	switch len(found) {
	case 0:
		view.Heading = "No pupils found"
	case 1:
		view.Heading = "1 pupil found"
	default:
		view.Heading = strconv.Itoa(len(found)) + " pupils found"
	}
	if more {
		view.Heading = "The first " + view.Heading
	}
	for _, p := range found {
		details := "Year " + strconv.Itoa(p.YearGroup)
		if p.RegistrationGroup != "" {
			details += ", " + p.RegistrationGroup
		}
		details += ", born " + longDate(p.DateOfBirth)
		view.Results = append(view.Results, web.PupilResult{Href: "/pupils/" + strconv.FormatInt(p.ID, 10), Name: p.Name(),
			Details: details, UPN: p.UPN, Left: p.Left})
	}
	s.render(w, r, http.StatusOK, web.PupilSearchPage(page(r, "Find a pupil"), view))
}

// searchQuery is the search the request asks for, tidied and cut short.
func searchQuery(r *http.Request) string {
	q := strings.Join(strings.Fields(cleanText(r.URL.Query().Get("q"))), " ")
	if rs := []rune(q); len(rs) > maxSearchChars {
		q = string(rs[:maxSearchChars])
	}
	return q
}

// auditChoice is the audit page's filter as the URL gives it, kept as
// typed so that the form shows it back.
type auditChoice struct {
	person, pupil, pupilID string
	from, to               [3]string // day, month, year
	page                   int
}

func auditChoiceFrom(q url.Values) auditChoice {
	c := auditChoice{person: q.Get("person"), pupil: strings.TrimSpace(cleanText(q.Get("pupil"))), pupilID: q.Get("pupil_id")}
	if pathID(c.person) == 0 {
		c.person = ""
	}
	if pathID(c.pupilID) == 0 {
		c.pupilID = ""
	}
	if rs := []rune(c.pupil); len(rs) > maxSearchChars {
		c.pupil = string(rs[:maxSearchChars])
	}
	for i, part := range []string{"day", "month", "year"} {
		c.from[i] = strings.TrimSpace(q.Get("from-" + part))
		c.to[i] = strings.TrimSpace(q.Get("to-" + part))
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n <= 10000 {
		c.page = n - 1
	}
	return c
}

// filter is the store's filter for the choice, and the problems with the
// dates typed, if any (the page then lists nothing filtered wrongly).
func (c auditChoice) filter() (safeguarding.AuditFilter, web.Errors) {
	f := safeguarding.AuditFilter{PersonID: pathID(c.person), PupilID: pathID(c.pupilID), Pupil: c.pupil, Page: c.page}
	var errs web.Errors
	date := func(field, what string, parts [3]string) time.Time {
		if parts == [3]string{} {
			return time.Time{}
		}
		d, ok := ParseDate(parts[0], parts[1], parts[2])
		if !ok {
			errs = append(errs, web.FieldError{Field: field, Message: what + " must be a real date, like 27 3 2026"})
		}
		return d
	}
	f.From = date("from", "The date to list from", c.from)
	f.To = date("to", "The date to list to", c.to)
	if len(errs) == 0 && !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs = append(errs, web.FieldError{Field: "to", Message: "The date to list to must be the same as or after the date to list from"})
	}
	return f, errs
}

// filtered reports whether the choice narrows the page at all.
func (c auditChoice) filtered() bool {
	return c.person != "" || c.pupil != "" || c.pupilID != "" || c.from != [3]string{} || c.to != [3]string{}
}

// href is the audit page's address for the choice on page n (from 0).
func (c auditChoice) href(n int) string {
	q := url.Values{}
	for name, value := range map[string]string{"person": c.person, "pupil": c.pupil, "pupil_id": c.pupilID,
		"from-day": c.from[0], "from-month": c.from[1], "from-year": c.from[2], "to-day": c.to[0], "to-month": c.to[1], "to-year": c.to[2]} {
		if value != "" {
			q.Set(name, value)
		}
	}
	if n > 0 {
		q.Set("page", strconv.Itoa(n+1))
	}
	if len(q) == 0 {
		return web.AuditPath
	}
	return web.AuditPath + "?" + q.Encode()
}

// auditPage is the audit page (docs/audit-log.md): for the DSL and
// deputies, who viewed or changed which child's file or concern; for the
// administrator, sign-ins and account changes. Anyone else is told the page
// does not exist, by the store's rule.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	c := auditChoiceFrom(r.URL.Query())
	f, errs := c.filter()
	if len(errs) > 0 {
		f = safeguarding.AuditFilter{} // nothing listed by half a filter: the whole log's first page
		c.page = 0
	}
	log, err := s.db.ReadAuditLog(r.Context(), v, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := auditPageView(log, c, errs)
	if len(errs) > 0 {
		view.Rows, view.NextHref = nil, ""
	}
	s.render(w, r, http.StatusOK, web.AuditLogPage(page(r, view.Heading), view))
}

// auditPageView is the audit page for a page of the log.
func auditPageView(log safeguarding.AuditLog, c auditChoice, errs web.Errors) web.AuditPage {
	children := false
	for _, k := range log.Kinds {
		children = children || k == safeguarding.AuditChildren
	}
	a := web.AuditPage{Heading: "Audit log", Children: children, Errors: errs, Filtered: c.filtered(),
		Intro: "Every sign-in and every change to a person's account, newest first. Which child's file or concern anyone opened is not shown here.",
		Pupil: web.Input{ID: "pupil", Name: "pupil", Label: "Pupil", Hint: "Name, UPN or registration group", Value: c.pupil},
		From:  web.DateFields{Name: "from", Legend: "From", Hint: "For example, 1 9 2025", Error: errs.Get("from"), Day: c.from[0], Month: c.from[1], Year: c.from[2]},
		To:    web.DateFields{Name: "to", Legend: "To", Hint: "For example, 31 3 2026", Error: errs.Get("to"), Day: c.to[0], Month: c.to[1], Year: c.to[2]},
	}
	if children {
		a.Intro = "Who opened or changed each child's file and each concern you may see, and when, newest first."
	}
	a.Person = web.SelectField{ID: "person", Name: "person", Label: "Who", Options: []web.Option{{Value: "", Label: "Anyone", Selected: c.person == ""}}}
	for _, p := range log.People {
		id := strconv.FormatInt(p.ID, 10)
		a.Person.Options = append(a.Person.Options, web.Option{Value: id, Label: p.Name, Selected: c.person == id})
	}
	for _, l := range log.Lines {
		a.Rows = append(a.Rows, auditRowView(l))
	}
	if c.pupilID != "" && c.pupil == "" {
		a.Pupil.Hint = "Showing one pupil's file, opened from it. Type a name to look for another."
	}
	if c.page > 0 {
		a.PrevHref = c.href(c.page - 1)
		a.PageNumber = "Page " + strconv.Itoa(c.page+1)
	}
	if log.More {
		a.NextHref = c.href(c.page + 1)
	}
	return a
}

// auditRowView is one line of the audit page.
func auditRowView(l safeguarding.AuditLine) web.AuditRow {
	row := web.AuditRow{When: clockDateTime(l.At), Who: l.Actor, What: safeguarding.AuditActionLabel(l.Action), Detail: l.Detail, Address: l.Address}
	if row.Who == "" {
		row.Who = "Someone unknown"
	}
	switch {
	case l.PupilID != 0:
		row.About, row.AboutHref = l.Pupil+"'s file", "/pupils/"+strconv.FormatInt(l.PupilID, 10)
	case l.ConcernID != 0:
		row.About, row.AboutHref = "Concern "+strconv.FormatInt(l.ConcernID, 10), "/concerns/"+strconv.FormatInt(l.ConcernID, 10)
	}
	return row
}

// fileViewsShown is how many of the latest openings a pupil's file lists.
const fileViewsShown = 10

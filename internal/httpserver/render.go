package httpserver

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// renderBuffers are the buffers pages are rendered into, kept between
// requests: a page otherwise grows a new buffer by doubling, copying and
// clearing it at each step, which a long page pays many times over.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxKeptBuffer is the largest buffer kept for the next page: a rare huge
// page (a chronology shown in full) is not held on to.
const maxKeptBuffer = 1 << 20

// render writes a component with the given status. It renders into a
// buffer first so that a failure mid-page becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxKeptBuffer {
			renderBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The length is known: the page goes out in one piece, not chunked.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// page is the layout's view model for the current request.
func page(r *http.Request, title string) web.Page {
	p := web.Page{Title: title}
	v, ok := viewerFrom(r.Context())
	if !ok {
		return p
	}
	p.SignedIn = true
	p.UserName = v.Name
	p.RoleLabel = v.Roles.Label()
	p.SchoolName = v.SchoolName
	p.UnreadNotices = v.UnreadNotices
	if v.MustEnrol() {
		return p // no menu: enrolment is the only page they may open
	}
	p.Search = safeguarding.MayFindPupils(v.Roles)
	if p.Search && r.URL.Path == web.PupilSearchPath {
		p.SearchQuery = searchQuery(r)
	}
	for _, l := range navFor(v.Roles) {
		if l.Href == web.DuePath {
			l = dueLink(r)
		}
		l.Current = r.URL.Path == l.Href || (l.Href != "/home" && strings.HasPrefix(r.URL.Path, l.Href+"/"))
		p.Nav = append(p.Nav, l)
	}
	return p
}

// navFor is the service navigation for a person with roles rs.
func navFor(rs safeguarding.Roles) []web.NavLink {
	nav := []web.NavLink{{Href: "/home", Label: "Home"}}
	if len(safeguarding.VisibleRoutes(rs)) > 0 {
		nav = append(nav, web.NavLink{Href: "/queue", Label: "Concerns"})
	}
	if safeguarding.MaySeeDue(rs) {
		nav = append(nav, web.NavLink{Href: web.DuePath, Label: "Due"})
	}
	if safeguarding.MayReadAnnualReport(rs) {
		nav = append(nav, web.NavLink{Href: web.AnnualReportPath, Label: "Annual report"})
	}
	if len(safeguarding.AuditKindsFor(rs)) > 0 {
		nav = append(nav, web.NavLink{Href: web.AuditPath, Label: "Audit log"})
	}
	if canLogConcerns(rs) {
		nav = append(nav, web.NavLink{Href: "/concerns/new", Label: "Log a concern"},
			web.NavLink{Href: "/my-concerns", Label: "My concerns"})
	}
	return nav
}

// canLogConcerns: who may log a concern is the domain's rule.
func canLogConcerns(rs safeguarding.Roles) bool { return safeguarding.MayLog(rs) }

// errorPages holds the wording of each error page.
var errorPages = map[int]web.ErrorInfo{
	http.StatusNotFound: {Status: http.StatusNotFound, Heading: "Page not found",
		Message: "If you typed the web address, check it is correct. If you followed a link, the page may not exist or you may not have access to it."},
	http.StatusForbidden: {Status: http.StatusForbidden, Heading: "This request was refused",
		Message: "The request did not come from a Haven page, so it was refused to protect your account. Go back to the page, reload it and try again."},
	http.StatusInternalServerError: {Status: http.StatusInternalServerError, Heading: "Sorry, there is a problem with the service",
		Message: "Nothing you entered has been lost if you saw it saved. Try again in a few minutes."},
	http.StatusRequestEntityTooLarge: {Status: http.StatusRequestEntityTooLarge, Heading: "What you sent could not be read",
		Message: "The form was too large or could not be read. Go back, shorten what you entered and try again."},
	http.StatusServiceUnavailable: {Status: http.StatusServiceUnavailable, Heading: "Sorry, the service is unavailable",
		Message: "Haven cannot reach its database just now. Try again in a minute."},
}

// renderError writes the error page for status. It needs nothing but the
// request, so middleware that runs before the server's state can use it.
func renderError(w http.ResponseWriter, r *http.Request, status int) {
	info, ok := errorPages[status]
	if !ok {
		info = errorPages[http.StatusInternalServerError]
		status = http.StatusInternalServerError
	}
	var buf bytes.Buffer
	if err := web.ErrorPage(page(r, info.Heading), info).Render(r.Context(), &buf); err != nil {
		http.Error(w, info.Heading, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The length is known: the page goes out whole, whether or not the
	// handler then flushes it (recordDeniedLook).
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// serverError logs err and shows a plain page: 503 when the database is
// unreachable, 500 otherwise. A form that could not be saved comes back
// whole in a page that can post it again, so a fault never loses what
// someone typed.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	if isUnavailable(err) {
		status = http.StatusServiceUnavailable
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	if rf, ok := retryFormFor(r, status); ok {
		var buf bytes.Buffer
		if err := web.RetryPage(page(r, rf.Heading), rf).Render(r.Context(), &buf); err == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(status)
			buf.WriteTo(w)
			return
		}
	}
	renderError(w, r, status)
}

// fail maps a domain error to its page: ENOTFOUND and EFORBIDDEN are both
// 404, so that a record's existence is never revealed. On a route that asks
// for a concern or a child's file (looksAt), the 404 is recorded as a
// denied look once it has gone out.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch safeguarding.ErrorCode(err) {
	case safeguarding.ENOTFOUND, safeguarding.EFORBIDDEN:
		renderError(w, r, http.StatusNotFound)
		s.recordDeniedLook(w, r)
	default:
		s.serverError(w, r, err)
	}
}

package httpserver

import (
	"bytes"
	"context"
	"net/http"

	"github.com/a-h/templ"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// render writes a component with the given status. It renders into a
// buffer first so that a failure mid-page becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// page is the layout's view model for the current request.
func page(ctx context.Context, title string) web.Page {
	p := web.Page{Title: title}
	v, ok := viewerFrom(ctx)
	if !ok {
		return p
	}
	p.SignedIn = true
	p.UserName = v.Name
	p.RoleLabel = v.Roles.Label()
	p.SchoolName = v.SchoolName
	p.Nav = []web.NavLink{{Href: "/home", Label: "Home"}}
	return p
}

// errorPages holds the wording of each error page.
var errorPages = map[int]web.ErrorInfo{
	http.StatusNotFound: {Status: http.StatusNotFound, Heading: "Page not found",
		Message: "If you typed the web address, check it is correct. If you followed a link, the page may not exist or you may not have access to it."},
	http.StatusForbidden: {Status: http.StatusForbidden, Heading: "This request was refused",
		Message: "The request did not come from a Haven page, so it was refused to protect your account. Go back to the page, reload it and try again."},
	http.StatusInternalServerError: {Status: http.StatusInternalServerError, Heading: "Sorry, there is a problem with the service",
		Message: "Nothing you entered has been lost if you saw it saved. Try again in a few minutes."},
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
	if err := web.ErrorPage(page(r.Context(), info.Heading), info).Render(r.Context(), &buf); err != nil {
		http.Error(w, info.Heading, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// serverError logs err and shows the plain 500 page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	renderError(w, r, http.StatusInternalServerError)
}

// fail maps a domain error to its page: ENOTFOUND and EFORBIDDEN are both
// 404, so that a record's existence is never revealed.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch safeguarding.ErrorCode(err) {
	case safeguarding.ENOTFOUND, safeguarding.EFORBIDDEN:
		renderError(w, r, http.StatusNotFound)
	default:
		s.serverError(w, r, err)
	}
}

package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// signInStore checks sign-ins and records sign-outs.
type signInStore interface {
	SignIn(ctx context.Context, email, password, address string) (safeguarding.Viewer, error)
	Audit(ctx context.Context, e safeguarding.AuditEvent) error
}

func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	if _, ok := viewerFrom(r.Context()); ok {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := viewerFrom(r.Context()); ok {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return
	}
	f := web.SignInForm{Notice: s.sessions.PopString(r.Context(), "notice")}
	s.render(w, r, http.StatusOK, web.SignInPage(page(r, "Sign in"), f))
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusNotFound)
		return
	}
	f, plain := signInFormFrom(r.PostForm)
	email := f.Email
	if f.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, web.SignInPage(page(r, "Sign in"), f))
		return
	}

	v, err := s.db.SignIn(r.Context(), email, plain, clientAddress(r))
	if code := safeguarding.ErrorCode(err); code == safeguarding.EUNAUTHORIZED || code == safeguarding.EINVALID {
		f.Errors = web.Errors{{Field: "email", Message: safeguarding.ErrorMessage(err)}}
		s.render(w, r, http.StatusUnprocessableEntity, web.SignInPage(page(r, "Sign in"), f))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	// A new token at sign-in, so a token planted before it is worthless.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	returnTo := s.sessions.PopString(r.Context(), "return_to")
	s.sessions.Put(r.Context(), sessionPersonID, v.PersonID)
	if s.restorePendingConcern(r.Context(), v) {
		returnTo = "/concerns/new"
	}
	if !strings.HasPrefix(returnTo, "/") || strings.HasPrefix(returnTo, "//") {
		returnTo = "/home"
	}
	http.Redirect(w, r, returnTo, http.StatusSeeOther)
}

// signInFormFrom reads the sign-in form: the e-mail address trimmed and
// cleaned of what no one can type (cleanText), the password exactly as
// typed, and a message for each that is missing, or for an e-mail address
// longer than any can be.
func signInFormFrom(vals url.Values) (f web.SignInForm, password string) {
	f.Email = strings.TrimSpace(cleanText(vals.Get("email")))
	password = vals.Get("password")
	var form Form
	form.Check(f.Email != "", "email", "Enter your e-mail address")
	form.Check(MaxChars(f.Email, safeguarding.MaxEmailLength), "email", safeguarding.ErrorMessage(safeguarding.ErrEmailTooLong))
	form.Check(password != "", "password", "Enter your password")
	f.Errors = form.Errors
	return f, password
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if v, ok := viewerFrom(r.Context()); ok {
		if err := s.db.Audit(r.Context(), auditEvent(r, v, "sign_out", "person")); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	// Destroy forgets the session; a fresh one carries the notice.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), "notice", "You have been signed out.")
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

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
	q := r.URL.Query()
	f := web.SignInForm{Notice: signInNotices[q.Get("notice")], Next: localPath(q.Get("next"))}
	s.render(w, r, http.StatusOK, web.SignInPage(page(r, "Sign in"), f))
}

// What the sign-in page may say as it opens, named in its address: a
// signed-out visitor has no stored session to carry a notice in, and an
// address can choose only one of these.
const (
	noticeSignedOut   = "signed-out"
	noticeConcernKept = "concern-kept"
	noticeUnlocked    = "unlocked"
	noticeReset       = "password-reset"
	noticePasswordSet = "password-set"
	noticeCodeTooLate = "code-too-late" // codeWait passed (signin_code.go)
)

var signInNotices = map[string]string{
	noticeSignedOut:   "You have been signed out.",
	noticeUnlocked:    "Your account is unlocked. Sign in with your e-mail address and password.",
	noticeReset:       "Your password has been changed. Sign in with your e-mail address and your new password.",
	noticePasswordSet: "Your password is set. Sign in with your e-mail address and new password.",
	noticeCodeTooLate: "You took too long to enter the code from your authenticator app. Sign in again.",
	noticeConcernKept: "You were signed out because you had not used Haven for a while. Sign in again to carry on: the concern you were writing has been kept.",
	noticeEntryKept:   "You were signed out because you had not used Haven for a while. Sign in again to carry on: the entry you were writing has been kept, and has not been added yet.",
}

// signInURL is the sign-in page's address, with the page to go to after
// signing in and the notice to show; either may be empty.
func signInURL(next, notice string) string {
	q := url.Values{}
	if next != "" {
		q.Set("next", next)
	}
	if notice != "" {
		q.Set("notice", notice)
	}
	if len(q) == 0 {
		return "/sign-in"
	}
	return "/sign-in?" + q.Encode()
}

// localPath returns p if it is a path on this site, otherwise "": sign-in
// never sends anyone elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return ""
	}
	return p
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

	next := localPath(r.PostForm.Get("next"))
	if v.SecondFactor {
		s.askForCode(w, r, v.PersonID, next) // signin_code.go
		return
	}
	s.finishSignIn(w, r, v, next)
}

// finishSignIn signs v in, every factor checked (startSession), and sends
// them on to next (a local path), or home.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, next string) {
	if err := s.startSession(r.Context(), v); err != nil {
		s.serverError(w, r, err)
		return
	}
	// The row of a session that had expired on this browser goes too.
	if c, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
		if err := s.sessionStore.Delete(c.Value); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if next = localPath(next); next == "" {
		next = "/home"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// renewSession gives the session a new token as a sign-in's step
// succeeds, so a token planted before it is worthless; the row of a
// session that had expired on this browser goes too.
func (s *Server) renewSession(r *http.Request) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	if c, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
		return s.sessionStore.Delete(c.Value)
	}
	return nil
}

// signInFormFrom reads the sign-in form: the e-mail address trimmed and
// cleaned of what no one can type (cleanText), the password exactly as
// typed, and a message for each that is missing, or for an e-mail address
// longer than any can be.
func signInFormFrom(vals url.Values) (f web.SignInForm, password string) {
	f.Email = strings.TrimSpace(cleanText(vals.Get("email")))
	f.Next = localPath(vals.Get("next"))
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
	// Destroy deletes the session and the browser's cookie with it.
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, signInURL("", noticeSignedOut), http.StatusSeeOther)
}

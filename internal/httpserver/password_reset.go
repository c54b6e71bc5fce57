package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// passwordResetStore takes requests for reset links and uses them.
type passwordResetStore interface {
	// RequestPasswordReset e-mails a reset link to the account with that
	// address, if there is one that may have it; nil either way.
	RequestPasswordReset(ctx context.Context, email, address string) error
	// CheckPasswordResetLink returns nil for a usable link, ENOTFOUND
	// otherwise.
	CheckPasswordResetLink(ctx context.Context, token string) error
	// ResetPassword uses the link up, sets the password and ends every
	// session of its account.
	ResetPassword(ctx context.Context, token, next, address string) error
}

func (s *Server) forgottenPasswordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.ForgottenPasswordPage(page(r, "Reset your password"), web.ForgottenPasswordForm{}))
}

// requestPasswordReset asks for a reset link and answers with the same
// page, by the same redirect, whether or not the address has an account:
// the e-mail is sent later, by the job queue, so the answer takes the same
// time too, give or take a database write.
func (s *Server) requestPasswordReset(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusNotFound)
		return
	}
	f := web.ForgottenPasswordForm{Email: strings.TrimSpace(cleanText(r.PostForm.Get("email")))}
	var form Form
	form.Check(f.Email != "", "email", "Enter your e-mail address")
	form.Check(MaxChars(f.Email, safeguarding.MaxEmailLength), "email", safeguarding.ErrorMessage(safeguarding.ErrEmailTooLong))
	form.Check(f.Email == "" || strings.Contains(f.Email, "@"), "email", "Enter an e-mail address in the correct format, like name@example.com")
	if f.Errors = form.Errors; f.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, web.ForgottenPasswordPage(page(r, "Reset your password"), f))
		return
	}
	if err := s.db.RequestPasswordReset(r.Context(), f.Email, clientAddress(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, web.ResetLinkSentPath, http.StatusSeeOther)
}

func (s *Server) resetLinkSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.ResetLinkSentPage(page(r, "Check your e-mail")))
}

// resetPasswordForm shows the form an e-mailed reset link opens; opening
// it changes nothing, so a mail scanner that opens the link does not use
// it up.
func (s *Server) resetPasswordForm(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	s.renderReset(w, r, token, nil, s.db.CheckPasswordResetLink(r.Context(), token))
}

// resetPassword sets the new password, which ends every session of the
// account, the one in this browser too; then the person signs in with it.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusNotFound)
		return
	}
	token := chi.URLParam(r, "token")
	var form Form
	next := s.checkNewPassword(r.Context(), &form, r.PostForm)
	if !form.Valid() {
		// A link that no longer works says so, rather than asking again.
		s.renderReset(w, r, token, form.Errors, s.db.CheckPasswordResetLink(r.Context(), token))
		return
	}
	if err := s.db.ResetPassword(r.Context(), token, next, clientAddress(r)); err != nil {
		s.renderReset(w, r, token, nil, err)
		return
	}
	if _, ok := viewerFrom(r.Context()); ok {
		// Whoever was signed in here signs in afresh, as everyone else must.
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, signInURL("", noticeReset), http.StatusSeeOther)
}

// renderReset shows the reset page for a link that works (err nil), with
// the form's errors if any, or for one that does not (ENOTFOUND, 404).
func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, token string, errs web.Errors, err error) {
	title := "Choose a new password"
	switch safeguarding.ErrorCode(err) {
	case "":
		status := http.StatusOK
		if errs.Any() {
			status = http.StatusUnprocessableEntity
		}
		s.render(w, r, status, web.ResetPasswordPage(page(r, title),
			web.ResetPasswordForm{Valid: true, Action: "/password/reset/" + url.PathEscape(token), Errors: errs}))
	case safeguarding.ENOTFOUND:
		s.render(w, r, http.StatusNotFound, web.ResetPasswordPage(page(r, ""), web.ResetPasswordForm{}))
	default:
		s.serverError(w, r, err)
	}
}

package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// passwordStore changes the signed-in person's password.
type passwordStore interface {
	// ChangePassword sets v's password to next if current is right, and
	// returns when v's sessions were ended by it; a wrong current password
	// counts as a failed sign-in.
	ChangePassword(ctx context.Context, v safeguarding.Viewer, current, next, address string) (sessionsSince time.Time, err error)
}

func (s *Server) changePasswordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.ChangePasswordPage(page(r, "Change your password"), web.ChangePasswordForm{}))
}

// changePassword sets a new password. Every other session of the person
// ends; this one carries on, under a new token, as if signed in after the
// change.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusNotFound)
		return
	}
	v, _ := viewerFrom(r.Context())
	current := r.PostForm.Get("current-password")
	var form Form
	form.Check(current != "", "current-password", "Enter your current password")
	next := s.checkNewPassword(r.Context(), &form, r.PostForm)
	form.Check(current == "" || next == "" || next != current, "new-password", "Enter a new password that is different from your current one")
	if !form.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, web.ChangePasswordPage(page(r, "Change your password"), web.ChangePasswordForm{Errors: form.Errors}))
		return
	}

	since, err := s.db.ChangePassword(r.Context(), v, current, next, clientAddress(r))
	if safeguarding.ErrorCode(err) == safeguarding.EUNAUTHORIZED {
		// Wrong, or refused as a sign-in would be (too many guesses).
		form.Check(false, "current-password", safeguarding.ErrorMessage(err))
		s.render(w, r, http.StatusUnprocessableEntity, web.ChangePasswordPage(page(r, "Change your password"), web.ChangePasswordForm{Errors: form.Errors}))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.SessionsSince = since
	if err := s.startSession(r.Context(), v); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), accountNoticeKey, "Your password has been changed. You have been signed out of Haven everywhere else.")
	http.Redirect(w, r, web.AccountPath, http.StatusSeeOther)
}

// checkNewPassword reads a form's new password and its confirmation into
// form's checks, and returns the new password if both are acceptable, ""
// otherwise. Only its length and whether it is a known password count
// (Config.CheckPassword).
func (s *Server) checkNewPassword(ctx context.Context, form *Form, vals url.Values) string {
	next, confirm := vals.Get("new-password"), vals.Get("confirm-password")
	form.Check(next != "", "new-password", "Enter a new password")
	if next != "" {
		check := s.cfg.CheckPassword
		if check == nil {
			check = func(_ context.Context, plain string) string { return password.Check(plain) }
		}
		msg := check(ctx, next)
		form.Check(msg == "", "new-password", msg)
	}
	form.Check(confirm != "", "confirm-password", "Confirm your new password")
	form.Check(confirm == "" || next == "" || confirm == next, "confirm-password", "The passwords do not match. Enter the same new password twice")
	if !form.Valid() {
		return ""
	}
	return next
}

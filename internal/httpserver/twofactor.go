package httpserver

import (
	"context"
	"net/http"
	"strconv"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor"
	"github.com/havenapp/haven/web"
)

// twoFactorStore enrols a person's second factor.
type twoFactorStore interface {
	EnrolmentSecret(ctx context.Context, v safeguarding.Viewer) (string, error)
	ConfirmSecondFactor(ctx context.Context, v safeguarding.Viewer, code, address string) ([]string, error)
	SecondFactor(ctx context.Context, v safeguarding.Viewer) (postgres.SecondFactorStatus, error)
}

// requireSecondFactor lets a person whose roles need a second factor
// (safeguarding.Viewer.MustEnrol) do nothing until they have enrolled one:
// every route behind it sends them to enrolment. Enrolment and signing out
// are outside it. A concern they post (their factor was reset while they
// wrote it) is kept as their draft, offered back once they have enrolled.
func (s *Server) requireSecondFactor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := viewerFrom(r.Context())
		if !v.MustEnrol() {
			next.ServeHTTP(w, r)
			return
		}
		if isConcernPost(r) && r.PostForm.Get("action") != "discard" {
			f := postedConcernForm(r.PostForm)
			if f.Author == strconv.FormatInt(v.PersonID, 10) && canLogConcerns(v.Roles) {
				if err := s.keepDraft(r.Context(), v, f); err != nil {
					s.serverError(w, r, err)
					return
				}
			}
		}
		http.Redirect(w, r, web.TwoFactorPath, http.StatusSeeOther)
	})
}

// twoFactorPage is the account page for two-factor sign-in: enrolment
// until the person has a second factor, then what they have.
func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	if v.SecondFactor {
		st, err := s.db.SecondFactor(r.Context(), v)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, web.TwoFactorStatusPage(page(r, "Two-factor sign-in"), web.TwoFactorStatus{
			EnrolledAt: st.EnrolledAt, RecoveryCodesLeft: st.RecoveryCodesLeft, RecoveryCodesTotal: st.RecoveryCodesTotal}))
		return
	}
	s.renderEnrolment(w, r, v, http.StatusOK, nil)
}

// renderEnrolment shows the enrolment page with the secret v is enrolling
// with.
func (s *Server) renderEnrolment(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, errs web.Errors) {
	secret, err := s.db.EnrolmentSecret(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, web.TwoFactorEnrolmentPage(page(r, "Set up two-factor sign-in"), web.TwoFactorEnrolment{
		Required: v.Roles.NeedSecondFactor(), Secret: twofactor.GroupForTyping(secret), Errors: errs}))
}

// twoFactorQR is the enrolment page's QR code, drawn here: the secret
// never leaves Haven but for the person's own browser. Once enrolled,
// there is none.
func (s *Server) twoFactorQR(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	if v.SecondFactor {
		renderError(w, r, http.StatusNotFound)
		return
	}
	secret, err := s.db.EnrolmentSecret(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Drawn at twice the size shown, for sharp edges on dense screens.
	png, err := twofactor.QRCode(secret, v.Email, 400)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	w.Write(png)
}

// confirmTwoFactor turns the second factor on once the person types a
// right code, and shows their recovery codes, this once.
func (s *Server) confirmTwoFactor(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	if v.SecondFactor {
		http.Redirect(w, r, web.TwoFactorPath, http.StatusSeeOther)
		return
	}
	code := twofactor.NormaliseCode(r.PostForm.Get("code"))
	if code == "" {
		s.renderEnrolment(w, r, v, http.StatusUnprocessableEntity, web.Errors{{Field: "code", Message: "Enter the 6-digit code your authenticator app shows for Haven"}})
		return
	}
	codes, err := s.db.ConfirmSecondFactor(r.Context(), v, code, clientAddress(r))
	switch safeguarding.ErrorCode(err) {
	case "":
	case safeguarding.EINVALID:
		s.renderEnrolment(w, r, v, http.StatusUnprocessableEntity, web.Errors{{Field: "code", Message: safeguarding.ErrorMessage(err)}})
		return
	case safeguarding.ECONFLICT: // enrolled in another tab meanwhile
		http.Redirect(w, r, web.TwoFactorPath, http.StatusSeeOther)
		return
	default:
		s.serverError(w, r, err)
		return
	}
	v.SecondFactor = true
	r = r.WithContext(context.WithValue(r.Context(), viewerKey, v)) // the page's menu is now theirs
	s.render(w, r, http.StatusOK, web.RecoveryCodesPage(page(r, "Save your recovery codes"), web.RecoveryCodes{Codes: codes, Next: "/home"}))
}

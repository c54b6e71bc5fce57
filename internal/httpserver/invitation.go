package httpserver

// The invitation link: the page where an invited person sets their
// password, without signing in. Opening it changes nothing; the form uses
// it up.

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// invitationStore checks and uses invitation links.
type invitationStore interface {
	// CheckInvitation returns whom a usable link invites, or ENOTFOUND.
	CheckInvitation(ctx context.Context, token string) (postgres.Invitation, error)
	// AcceptInvitation uses the link up, setting its person's password.
	AcceptInvitation(ctx context.Context, token, passwordHash, address string) (string, error)
}

// invitationForm shows whom the link invites and the password form, or,
// for a link that no longer works, what to do instead.
func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	inv, err := s.db.CheckInvitation(r.Context(), token)
	s.renderInvitation(w, r, token, inv, nil, err)
}

// acceptInvitation sets the password and sends the person to sign in with
// it; a password that will not do comes back with why.
func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusRequestEntityTooLarge)
		return
	}
	inv, err := s.db.CheckInvitation(r.Context(), token)
	if err != nil {
		s.renderInvitation(w, r, token, inv, nil, err)
		return
	}
	// The password exactly as typed: nothing is cleaned from it.
	plain, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	var form Form
	form.Check(plain != "", "password", "Enter a password")
	if plain != "" {
		msg := password.Check(plain)
		form.Check(msg == "", "password", msg)
	}
	form.Check(plain == "" || confirm == plain, "confirm", "Enter the same password again")
	if !form.Valid() {
		s.renderInvitation(w, r, token, inv, form.Errors, nil)
		return
	}
	hash, err := password.Hash(plain)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, err := s.db.AcceptInvitation(r.Context(), token, hash, clientAddress(r)); err != nil {
		s.renderInvitation(w, r, token, inv, nil, err)
		return
	}
	// Whoever was signed in on this browser (an administrator trying the
	// link from the Outbox) is signed out: the browser is the invited
	// person's now, and they sign in next.
	if v, ok := viewerFrom(r.Context()); ok {
		if err := s.db.Audit(r.Context(), auditEvent(r, v, "sign_out", "person")); err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, signInURL("", noticePasswordSet), http.StatusSeeOther)
}

// renderInvitation shows the invitation page for a link that works (err
// nil), with errs if the password would not do, or for one that does not
// (ENOTFOUND, 404).
func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, token string, inv postgres.Invitation, errs web.Errors, err error) {
	switch safeguarding.ErrorCode(err) {
	case "":
		status := http.StatusOK
		if errs.Any() {
			status = http.StatusUnprocessableEntity
		}
		i := web.InvitationPage{Valid: true, Name: inv.Name, SchoolName: inv.SchoolName, Action: "/invitation/" + url.PathEscape(token), Errors: errs}
		if v, ok := viewerFrom(r.Context()); ok {
			i.SignedInAs = v.Name
		}
		s.render(w, r, status, web.InvitationAcceptPage(page(r, ""), i))
	case safeguarding.ENOTFOUND:
		s.render(w, r, http.StatusNotFound, web.InvitationAcceptPage(page(r, ""), web.InvitationPage{}))
	default:
		s.serverError(w, r, err)
	}
}

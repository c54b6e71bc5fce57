package httpserver

import (
	"context"
	"net/http"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor"
	"github.com/havenapp/haven/web"
)

// secondStepStore finishes a sign-in with a second factor.
type secondStepStore interface {
	SignInCode(ctx context.Context, personID int64, code, address string) (safeguarding.Viewer, error)
	SignInRecoveryCode(ctx context.Context, personID int64, code, address string) (safeguarding.Viewer, error)
}

// The session of a sign-in half done: the password was right, the code is
// yet to come. Nobody is signed in (sessionPersonID is unset), so no page
// but the code's opens.
const (
	sessionPendingPersonID = "pending_person_id"
	sessionPendingSince    = "pending_since" // Unix seconds
	sessionPendingNext     = "pending_next"  // where to go once signed in
)

// codeWait is how long after the password the code may come.
const codeWait = 10 * time.Minute

// askForCode puts the person whose password was right into the session as
// pending and sends them to the code's page.
func (s *Server) askForCode(w http.ResponseWriter, r *http.Request, personID int64, next string) {
	if err := s.renewSession(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	s.sessions.Remove(ctx, sessionPersonID)
	s.sessions.Put(ctx, sessionPendingPersonID, personID)
	s.sessions.Put(ctx, sessionPendingSince, time.Now().Unix())
	s.sessions.Put(ctx, sessionPendingNext, next)
	http.Redirect(w, r, web.SignInCodePath, http.StatusSeeOther)
}

// pendingSignIn is the person whose code the session waits for, if any;
// late reports a wait past codeWait, which ends it.
func (s *Server) pendingSignIn(r *http.Request) (personID int64, late bool) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessionPendingPersonID)
	if id == 0 {
		return 0, false
	}
	if time.Since(time.Unix(s.sessions.GetInt64(ctx, sessionPendingSince), 0)) > codeWait {
		s.forgetPending(ctx)
		return 0, true
	}
	return id, false
}

func (s *Server) forgetPending(ctx context.Context) {
	s.sessions.Remove(ctx, sessionPendingPersonID)
	s.sessions.Remove(ctx, sessionPendingSince)
	s.sessions.Remove(ctx, sessionPendingNext)
}

// noPendingSignIn sends a browser with no sign-in waiting for a code back
// to the start, or home if it is signed in.
func (s *Server) noPendingSignIn(w http.ResponseWriter, r *http.Request, late bool) {
	to := "/sign-in"
	switch {
	case late:
		to = signInURL("", noticeCodeTooLate)
	case isSignedIn(r):
		to = "/home"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func isSignedIn(r *http.Request) bool {
	_, ok := viewerFrom(r.Context())
	return ok
}

func (s *Server) signInCodeForm(w http.ResponseWriter, r *http.Request) {
	s.showCodeForm(w, r, false)
}

func (s *Server) signInRecoveryForm(w http.ResponseWriter, r *http.Request) {
	s.showCodeForm(w, r, true)
}

func (s *Server) showCodeForm(w http.ResponseWriter, r *http.Request, recovery bool) {
	if id, late := s.pendingSignIn(r); id == 0 {
		s.noPendingSignIn(w, r, late)
		return
	}
	s.render(w, r, http.StatusOK, web.SignInCodePage(page(r, ""), web.SignInCode{Recovery: recovery}))
}

func (s *Server) signInWithCode(w http.ResponseWriter, r *http.Request) {
	s.checkCode(w, r, false)
}

func (s *Server) signInWithRecoveryCode(w http.ResponseWriter, r *http.Request) {
	s.checkCode(w, r, true)
}

// checkCode checks the code (or recovery code) of the pending sign-in
// and, if it is right, signs the person in and sends them where they were
// going. A wrong code is counted as a wrong password is.
func (s *Server) checkCode(w http.ResponseWriter, r *http.Request, recovery bool) {
	id, late := s.pendingSignIn(r)
	if id == 0 {
		s.noPendingSignIn(w, r, late)
		return
	}
	f := web.SignInCode{Recovery: recovery}
	code, check := twofactor.NormaliseCode(r.PostForm.Get("code")), s.db.SignInCode
	if recovery {
		check = s.db.SignInRecoveryCode
	}
	if code == "" {
		msg := "Enter the 6-digit code your authenticator app shows"
		if recovery {
			msg = "Enter one of your recovery codes"
		}
		f.Errors = web.Errors{{Field: "code", Message: msg}}
		s.render(w, r, http.StatusUnprocessableEntity, web.SignInCodePage(page(r, ""), f))
		return
	}
	v, err := check(r.Context(), id, code, clientAddress(r))
	switch safeguarding.ErrorCode(err) {
	case "":
	case safeguarding.EUNAUTHORIZED, safeguarding.EINVALID:
		f.Errors = web.Errors{{Field: "code", Message: safeguarding.ErrorMessage(err)}}
		s.render(w, r, http.StatusUnprocessableEntity, web.SignInCodePage(page(r, ""), f))
		return
	case safeguarding.ENOTFOUND: // no longer a person who may sign in
		s.forgetPending(r.Context())
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	default:
		s.serverError(w, r, err)
		return
	}
	next := s.sessions.GetString(r.Context(), sessionPendingNext)
	s.forgetPending(r.Context())
	s.finishSignIn(w, r, v, next)
}

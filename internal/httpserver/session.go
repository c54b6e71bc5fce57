package httpserver

import (
	"context"
	"net/http"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// viewerStore reads the signed-in person, with their current roles, for
// every request.
type viewerStore interface {
	Viewer(ctx context.Context, personID int64) (safeguarding.Viewer, error)
}

type ctxKey int

const viewerKey ctxKey = iota

// sessionPersonID is the session key holding the signed-in person's id.
const sessionPersonID = "person_id"

// sessionSignedInAt is the session key holding when the person signed in,
// in Unix microseconds: a session signed in before the person's
// SessionsSince (a password changed or reset, a leaver deactivated) is
// over. A session from before Haven kept it has none, and counts as
// signed in at the epoch, so it ends the next time SessionsSince is set.
const sessionSignedInAt = "signed_in_at"

// startSession makes the request's session v's: a new token, so that a
// token planted or seen before is worthless, and the moment it began. The
// moment is no earlier than v.SessionsSince (the database's clock), so
// that a session begun just after the person's sessions were ended, or by
// the change that ended them, is not ended by it even when this server's
// clock is behind the database's.
func (s *Server) startSession(ctx context.Context, v safeguarding.Viewer) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	at := time.Now()
	if at.Before(v.SessionsSince) {
		at = v.SessionsSince
	}
	s.sessions.Put(ctx, sessionPersonID, v.PersonID)
	s.sessions.Put(ctx, sessionSignedInAt, at.UnixMicro())
	return nil
}

// sessionEnded reports whether a session of v's signed in at signedInAt
// (its sessionSignedInAt; 0, the epoch, when it has none) began before v's
// sessions were ended.
func sessionEnded(signedInAt int64, v safeguarding.Viewer) bool {
	return time.UnixMicro(signedInAt).Before(v.SessionsSince)
}

// viewerFrom returns the signed-in person, if any.
func viewerFrom(ctx context.Context) (safeguarding.Viewer, bool) {
	v, ok := ctx.Value(viewerKey).(safeguarding.Viewer)
	return v, ok
}

// loadViewer puts the signed-in person, freshly read with their current
// roles, into the request's context. A person deactivated since signing in
// is signed out, and so is a session begun before the person's sessions
// were ended (sessionEnded): the next page is the sign-in page.
func (s *Server) loadViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessionPersonID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		v, err := s.db.Viewer(r.Context(), id)
		switch safeguarding.ErrorCode(err) {
		case "":
			at, _ := s.sessions.Get(r.Context(), sessionSignedInAt).(int64)
			if sessionEnded(at, v) {
				s.endSession(r.Context())
				break
			}
			r = r.WithContext(context.WithValue(r.Context(), viewerKey, v))
		case safeguarding.ENOTFOUND:
			s.endSession(r.Context())
		default:
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// endSession signs the session's person out; a session with nobody signed
// in is not stored (sessionStore), so its row goes.
func (s *Server) endSession(ctx context.Context) {
	s.sessions.Remove(ctx, sessionPersonID)
	s.sessions.Remove(ctx, sessionSignedInAt)
}

// requireSignIn sends a visitor who is not signed in to the sign-in page,
// with where they were going in its address (a signed-out visitor has no
// stored session to remember it in).
func (s *Server) requireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := viewerFrom(r.Context()); !ok {
			if isConcernPost(r) {
				s.keepPendingConcern(w, r) // a concern typed as the session ended survives sign-in
				return
			}
			if id := entryPostConcern(r); id != 0 {
				s.keepPendingEntry(w, r, id) // and so does an entry (entry_draft.go)
				return
			}
			to := "/sign-in"
			if r.Method == http.MethodGet {
				to = signInURL(r.URL.RequestURI(), "")
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

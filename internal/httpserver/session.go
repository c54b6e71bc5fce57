package httpserver

import (
	"context"
	"net/http"

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

// viewerFrom returns the signed-in person, if any.
func viewerFrom(ctx context.Context) (safeguarding.Viewer, bool) {
	v, ok := ctx.Value(viewerKey).(safeguarding.Viewer)
	return v, ok
}

// loadViewer puts the signed-in person, freshly read with their current
// roles, into the request's context. A person deactivated since signing in
// is signed out.
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
			r = r.WithContext(context.WithValue(r.Context(), viewerKey, v))
		case safeguarding.ENOTFOUND:
			s.sessions.Remove(r.Context(), sessionPersonID)
		default:
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
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

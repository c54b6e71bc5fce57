package httpserver

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// deniedLookStore records a request for a concern or a child's file that
// was answered "not found".
type deniedLookStore interface {
	RecordDeniedLook(ctx context.Context, v safeguarding.Viewer, look safeguarding.DeniedLook) error
}

// lookedForKey is the context key under which a route names the kind of
// record its {id} is.
type lookedForKey struct{}

// looksAt marks the routes whose {id} is a record of the kind given, so that
// a "not found" for one (fail) is recorded as a denied look.
func looksAt(kind safeguarding.LookedFor) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), lookedForKey{}, kind)))
		})
	}
}

// recordDeniedLookTimeout bounds the audit write after the answer has gone.
const recordDeniedLookTimeout = 10 * time.Second

// recordDeniedLook writes the denied look r made to the audit log, if r asked
// for a record (looksAt) by a well-formed id. The "not found" page has been
// written: it goes out first, so that the person sees the same answer, as
// soon, whether the record does not exist or exists and is not theirs to
// see (and whether or not this look raises a notice). The write outlives a
// client that hangs up at once: leaving does not avoid the record.
func (s *Server) recordDeniedLook(w http.ResponseWriter, r *http.Request) {
	kind, ok := r.Context().Value(lookedForKey{}).(safeguarding.LookedFor)
	v, signedIn := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if !ok || !signedIn || id == 0 {
		return
	}
	http.NewResponseController(w).Flush() // an answer that cannot be flushed goes when the handler returns
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordDeniedLookTimeout)
	defer cancel()
	look := safeguarding.DeniedLook{Record: kind, ID: id, Request: r.Method + " " + routePattern(r), Address: clientAddress(r)}
	if err := s.db.RecordDeniedLook(ctx, v, look); err != nil {
		s.log.Error("record a denied look", "err", err)
	}
}

// routePattern is the route r matched, e.g. "/concerns/{id}": it names what
// was asked without the id.
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}

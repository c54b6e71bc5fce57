package httpserver

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// secondFactorResetStore clears a person's second factor.
type secondFactorResetStore interface {
	ResetSecondFactor(ctx context.Context, v safeguarding.Viewer, personID int64, address string) error
}

// noticeSecondFactorReset is the person page's notice after a reset.
const noticeSecondFactorReset = "second-factor-reset"

// resetSecondFactor is an administrator's reset of a person's second
// factor (for a lost phone): the person signs in with their password
// alone next time and, if their roles need one, enrols again. Anyone
// else, and any person of another school, gets 404.
func (s *Server) resetSecondFactor(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 || !safeguarding.MayResetSecondFactor(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.db.ResetSecondFactor(r.Context(), v, id, clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/people/%d?done=%s", id, noticeSecondFactorReset), http.StatusSeeOther)
}

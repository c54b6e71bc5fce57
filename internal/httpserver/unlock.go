package httpserver

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// unlockStore checks and uses the links e-mailed to the owners of locked
// accounts.
type unlockStore interface {
	// CheckUnlockLink returns nil for a usable link, ENOTFOUND otherwise.
	CheckUnlockLink(ctx context.Context, token string) error
	// UnlockWithLink uses the link up and unlocks its account.
	UnlockWithLink(ctx context.Context, token, address string) error
}

// unlockForm shows what an unlock link will do; it changes nothing, so a
// mail scanner that opens the link does not use it up.
func (s *Server) unlockForm(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	err := s.db.CheckUnlockLink(r.Context(), token)
	s.renderUnlock(w, r, token, err)
}

// unlock lifts the lock and sends the person to sign in.
func (s *Server) unlock(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	if err := s.db.UnlockWithLink(r.Context(), token, clientAddress(r)); err != nil {
		s.renderUnlock(w, r, token, err)
		return
	}
	http.Redirect(w, r, signInURL("", noticeUnlocked), http.StatusSeeOther)
}

// renderUnlock shows the unlock page for a link that works (err nil) or
// that does not (ENOTFOUND, 404).
func (s *Server) renderUnlock(w http.ResponseWriter, r *http.Request, token string, err error) {
	switch safeguarding.ErrorCode(err) {
	case "":
		s.render(w, r, http.StatusOK, web.UnlockPage(page(r, ""), web.Unlock{Valid: true, Action: "/unlock/" + url.PathEscape(token)}))
	case safeguarding.ENOTFOUND:
		s.render(w, r, http.StatusNotFound, web.UnlockPage(page(r, ""), web.Unlock{}))
	default:
		s.serverError(w, r, err)
	}
}

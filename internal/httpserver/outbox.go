package httpserver

// The Outbox: while SMTP_URL is unset, the e-mails Haven would have sent,
// for the school's administrator to read (a person trying Haven follows an
// invitation or an alert's link from here).

import (
	"context"
	"net/http"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// outboxStore reads the school's outbox.
type outboxStore interface {
	Outbox(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.OutboxMessage, error)
}

// outboxExists reports whether the signed-in v has an Outbox page: only
// without SMTP, and only for the administrator.
func (s *Server) outboxExists(v safeguarding.Viewer) bool {
	return !s.cfg.EmailAlerts && safeguarding.MayReadOutbox(v.Roles)
}

// outbox lists the kept e-mails, newest first; to anyone else, or once
// SMTP is set up, the page does not exist.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	v, ok := viewerFrom(r.Context())
	if !ok || !s.outboxExists(v) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	msgs, err := s.db.Outbox(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]web.OutboxMessage, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, web.OutboxMessage{To: m.To, Subject: m.Subject, When: longDateTime(m.SentAt), Paragraphs: paragraphs(m.Body)})
	}
	s.render(w, r, http.StatusOK, web.OutboxPage(page(r, "Outbox"), out))
}

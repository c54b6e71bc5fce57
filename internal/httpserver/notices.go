package httpserver

// The signed-in person's in-app notices: every alert and escalation Haven
// e-mails them, so nothing depends on e-mail alone.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// noticesStore reads and marks the signed-in person's notices.
type noticesStore interface {
	Notices(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Notice, error)
	MarkNoticesRead(ctx context.Context, v safeguarding.Viewer) error
	MarkConcernNoticesRead(ctx context.Context, v safeguarding.Viewer, concernID int64) (int, error)
}

// notices lists the person's notices, newest first; "?read=1" after they
// were all marked read.
func (s *Server) notices(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	ns, err := s.db.Notices(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	view := web.NoticesView{Marked: r.URL.Query().Get("read") != ""}
	for _, n := range ns {
		row := web.NoticeRow{Message: n.Message, When: longDateTime(n.CreatedAt), Unread: n.ReadAt == nil}
		if n.ConcernID != 0 {
			row.Href = "/concerns/" + strconv.FormatInt(n.ConcernID, 10)
		}
		if row.Unread {
			view.Unread++
		}
		view.Notices = append(view.Notices, row)
	}
	s.render(w, r, http.StatusOK, web.NoticesPage(page(r, "Notices"), view))
}

// markNoticesRead marks all the person's notices read.
func (s *Server) markNoticesRead(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	if err := s.db.MarkNoticesRead(r.Context(), v); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, web.NoticesPath+"?read=1", http.StatusSeeOther)
}

// markConcernNoticesRead marks v's notices about concern id read, as v
// opens it, and says how many; nothing to do (and no query) when v has
// none unread.
func (s *Server) markConcernNoticesRead(ctx context.Context, v safeguarding.Viewer, id int64) (int, error) {
	if v.UnreadNotices == 0 {
		return 0, nil
	}
	return s.db.MarkConcernNoticesRead(ctx, v, id)
}

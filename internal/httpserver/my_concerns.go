package httpserver

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// myConcernsStore reads a page of the concerns a person logged.
type myConcernsStore interface {
	MyConcerns(ctx context.Context, v safeguarding.Viewer, after int64, limit int) (safeguarding.MyConcernsPage, error)
}

// myConcernsPerPage is how many concerns "My concerns" shows at a time.
const myConcernsPerPage = 25

// myConcerns lists the concerns the signed-in person logged, newest first,
// a page at a time: ?after=<id> continues after the concern with that id.
func (s *Server) myConcerns(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	if !canLogConcerns(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	after := pathID(r.URL.Query().Get("after")) // anything but an id starts at the newest
	mine, err := s.db.MyConcerns(r.Context(), v, after, myConcernsPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	categories, err := s.db.Categories(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var view web.MyConcernsPage
	for _, c := range mine.Concerns {
		view.Concerns = append(view.Concerns, web.MyConcern{Concern: concernLinkTo(c.ID), Subject: subjectNamesFor(v, c),
			Categories: strings.Join(concernCategoryLabels(categories, c.Categories), ", "), LoggedAt: longDateTime(c.LoggedAt),
			Status: statusTagFor(c.Status), FeedbackGiven: c.FeedbackGiven})
	}
	if mine.Next != 0 {
		view.NextHref = "/my-concerns?after=" + strconv.FormatInt(mine.Next, 10)
	}
	if after != 0 {
		view.FirstHref = "/my-concerns"
	}
	s.render(w, r, http.StatusOK, web.MyConcernsList(page(r, "My concerns"), view))
}

// subjectNamesFor names whom a concern is about, linking each pupil to
// their page when v may see it there.
func subjectNamesFor(v safeguarding.Viewer, c safeguarding.Concern) []web.SubjectName {
	if c.SubjectKind != safeguarding.SubjectPupils {
		return []web.SubjectName{{Name: c.SubjectLabel()}}
	}
	linked := safeguarding.Can(v, c.Access(), safeguarding.ActionViewChildFile)
	var out []web.SubjectName
	for _, p := range c.Pupils {
		n := web.SubjectName{Name: p.Name()}
		if linked {
			n.Href = pupilHref(p.ID)
		}
		out = append(out, n)
	}
	return out
}

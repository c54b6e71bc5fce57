package httpserver

// The Due view: every open deadline the DSL and deputies owe, and the count
// of the overdue ones in the header of every page they open.

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// dueStore reads the school's open deadlines.
type dueStore interface {
	Due(ctx context.Context, v safeguarding.Viewer, limit int) (safeguarding.DueList, error)
	OverdueCount(ctx context.Context, v safeguarding.Viewer, limit int) (int, error)
}

// dueListed is how many deadlines the Due view lists: overdue first, then
// the soonest; the page says how many more there are.
const dueListed = 200

// overdueLimit is the most the header counts; beyond it, it says "99+".
const overdueLimit = 100

// due shows the Due view to the DSL and deputies; to anyone else it does
// not exist.
func (s *Server) due(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	list, err := s.db.Due(r.Context(), v, dueListed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := dueView(list.Deadlines, time.Now())
	view.Overdue, view.More = list.Overdue, list.Total-len(list.Deadlines)
	s.render(w, r, http.StatusOK, web.DuePage(page(r, "Due"), view))
}

// dueView is the deadlines as the Due view lists them.
func dueView(ds []safeguarding.Deadline, now time.Time) web.DueView {
	var d web.DueView
	for _, dl := range ds {
		state := dueState(dl.Due, now)
		if state == "Overdue" {
			d.Overdue++
		}
		item := web.DueItem{What: dl.Kind.Label(), From: dl.What, Due: dueDay(dl.Due), State: state,
			About: "Concern " + strconv.FormatInt(dl.ConcernID, 10), Link: dl.Link}
		if dl.Kind == safeguarding.DeadlineTransfer {
			// Named by year group and leaving day, as the Due view names
			// no one; the transfer page it links to names the pupil.
			item.From, item.About = "", "A pupil in "+dl.What+" who left on "+dueDay(dl.From)
		}
		d.Items = append(d.Items, item)
	}
	return d
}

// dueState is the tag a deadline due on due shows at now: "Overdue", "Due
// today" or none.
func dueState(due, now time.Time) string {
	switch safeguarding.StateAt(due, now) {
	case safeguarding.PastDue:
		return "Overdue"
	case safeguarding.DueToday:
		return "Due today"
	}
	return ""
}

// overdueCounter counts the viewer's overdue deadlines once, if the page
// asks: a redirect or a page with no header costs nothing.
type overdueCounter struct {
	once  sync.Once
	count func() (int, error)
	n     int
	err   error
}

func (c *overdueCounter) get() (int, error) {
	c.once.Do(func() { c.n, c.err = c.count() })
	return c.n, c.err
}

type overdueKey struct{}

// withOverdueCount gives the request of a DSL or deputy the count of the
// school's overdue deadlines for the header, worked out when the page is
// drawn.
func (s *Server) withOverdueCount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := viewerFrom(r.Context())
		if ok && safeguarding.MaySeeDue(v.Roles) && !v.MustEnrol() {
			ctx := r.Context()
			c := &overdueCounter{count: func() (int, error) { return s.db.OverdueCount(ctx, v, overdueLimit) }}
			r = r.WithContext(context.WithValue(ctx, overdueKey{}, c))
		}
		next.ServeHTTP(w, r)
	})
}

// dueLink is the Due view's link in the header, with the overdue count
// when there is one; a count that fails is left out, not the page.
func dueLink(r *http.Request) web.NavLink {
	l := web.NavLink{Href: web.DuePath, Label: "Due"}
	c, ok := r.Context().Value(overdueKey{}).(*overdueCounter)
	if !ok {
		return l
	}
	switch n, err := c.get(); {
	case err != nil:
	case n >= overdueLimit:
		l.Label = "Due (" + strconv.Itoa(overdueLimit-1) + "+)"
	case n > 0:
		l.Label = "Due (" + strconv.Itoa(n) + ")"
	}
	return l
}

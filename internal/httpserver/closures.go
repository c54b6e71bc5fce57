package httpserver

// The school's closure days: the holidays between terms and INSET days that
// every deadline skips, kept by whoever keeps the school's settings
// (safeguarding.MayEditSchoolContacts).

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// closuresStore lists, adds and removes the school's closure days.
type closuresStore interface {
	ClosureDays(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Closure, error)
	AddClosure(ctx context.Context, v safeguarding.Viewer, c safeguarding.Closure, address string) error
	RemoveClosure(ctx context.Context, v safeguarding.Viewer, id int64, address string) error
}

// closuresPage lists the closure days with the form to add more;
// "?saved=added" or "?saved=removed" after a change.
func (s *Server) closuresPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	f := web.ClosuresForm{From: closureDateFields("from", "", "", "", ""), To: closureDateFields("to", "", "", "", "")}
	switch r.URL.Query().Get("saved") {
	case "added", "removed":
		f.Saved = r.URL.Query().Get("saved")
	}
	s.renderClosures(w, r, v, http.StatusOK, f)
}

// addClosure adds closure days, or shows the form again with everything as
// typed and a message by each field that needs one.
func (s *Server) addClosure(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	c := safeguarding.Closure{Reason: vals.Get("reason")}
	c.From, _ = ParseDate(vals.Get("from-day"), vals.Get("from-month"), vals.Get("from-year"))
	c.To, _ = ParseDate(vals.Get("to-day"), vals.Get("to-month"), vals.Get("to-year"))
	var form Form
	problems := c.Problems()
	for _, field := range []string{"from", "to", "reason"} {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		err := s.db.AddClosure(r.Context(), v, c, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.ClosuresPath+"?saved=added", http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, "from", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	f := web.ClosuresForm{Reason: vals.Get("reason"), Errors: form.Errors,
		From: closureDateFields("from", vals.Get("from-day"), vals.Get("from-month"), vals.Get("from-year"), form.Errors.Get("from")),
		To:   closureDateFields("to", vals.Get("to-day"), vals.Get("to-month"), vals.Get("to-year"), form.Errors.Get("to"))}
	s.renderClosures(w, r, v, http.StatusUnprocessableEntity, f)
}

// removeClosure removes one closure: a closure of another school, or none,
// is not found.
func (s *Server) removeClosure(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.db.RemoveClosure(r.Context(), v, id, clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.ClosuresPath+"?saved=removed", http.StatusSeeOther)
}

func (s *Server) renderClosures(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, f web.ClosuresForm) {
	closures, err := s.db.ClosureDays(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, c := range closures {
		f.Closures = append(f.Closures, web.ClosureRow{ID: c.ID, Days: closureDays(c), Reason: c.Reason,
			FormPath: web.ClosuresPath + "/" + strconv.FormatInt(c.ID, 10) + "/remove"})
	}
	s.render(w, r, status, web.ClosuresPage(page(r, "Closure days"), f))
}

// closureDays says which days a closure covers, with their weekdays.
func closureDays(c safeguarding.Closure) string {
	if c.From.Equal(c.To) {
		return dueDay(c.From)
	}
	return dueDay(c.From) + " to " + dueDay(c.To)
}

// dueDay is a date with its weekday, as deadlines are shown: "Monday 12
// October 2026".
func dueDay(d time.Time) string { return d.Format("Monday 2 January 2006") }

func closureDateFields(name, day, month, year, problem string) web.DateFields {
	f := web.DateFields{Name: name, Day: day, Month: month, Year: year, Error: problem}
	if name == "from" {
		f.Legend, f.Hint = "First day closed", "For example, 21 12 2026"
	} else {
		f.Legend, f.Hint = "Last day closed", "The same as the first day for a single day, for example 1 1 2027"
	}
	return f
}

package httpserver

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// concernMoveStore is what moving a concern to its right subject needs.
type concernMoveStore interface {
	Concern(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.Concern, error)
	StaffRoster(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.StaffMember, error)
	MoveConcern(ctx context.Context, v safeguarding.Viewer, id int64, in safeguarding.MoveInput) (safeguarding.ConcernAccess, error)
}

// moveConcernForm shows the form that moves a concern to the subject it is
// really about, to those who may move it (safeguarding.ActionMove); to
// anyone else it does not exist.
func (s *Server) moveConcernForm(w http.ResponseWriter, r *http.Request) {
	_, c, staff, ok := s.movableConcern(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, web.MoveConcernPage(page(r, "Move concern "+strconv.FormatInt(c.ID, 10)), moveConcernView(c, staff, web.MoveConcern{})))
}

// moveConcern moves the concern, or shows the form again with what needs
// correcting. Afterwards the mover goes back to the concern if they may
// still see it, or to their queue.
func (s *Server) moveConcern(w http.ResponseWriter, r *http.Request) {
	v, c, staff, ok := s.movableConcern(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	typed := web.MoveConcern{Subject: vals.Get("move-subject"), Person: vals.Get("move-person"),
		AdultName: vals.Get("move-adult-name"), AdultRole: vals.Get("move-adult-role"), Reason: vals.Get("move-reason")}
	in := safeguarding.MoveInput{Reason: strings.TrimSpace(typed.Reason)}
	switch typed.Subject {
	case web.SubjectPrincipal:
		if m, ok := safeguarding.PrincipalOf(staff); ok {
			in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, m.ID
		}
	case web.SubjectStaff:
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, pathID(typed.Person)
	case web.SubjectOtherAdult:
		in.SubjectKind = safeguarding.SubjectOtherAdult
		in.SubjectAdultName, in.SubjectAdultRole = strings.TrimSpace(typed.AdultName), strings.TrimSpace(typed.AdultRole)
	case web.SubjectPupils:
		in.SubjectKind = safeguarding.SubjectPupils
	}
	var form Form
	problems := in.Problems(staff, len(c.Pupils) > 0)
	for _, field := range []string{"move-subject", "move-person", "move-adult-name", "move-adult-role", "move-reason"} {
		if msg, ok := problems[field]; ok {
			form.Check(false, field, msg)
		}
	}
	if form.Valid() {
		after, err := s.db.MoveConcern(r.Context(), v, c.ID, in)
		switch safeguarding.ErrorCode(err) {
		case "":
			to := "/queue"
			if safeguarding.Can(v, after, safeguarding.ActionView) {
				to = "/concerns/" + strconv.FormatInt(c.ID, 10)
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, "move-subject", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	typed.Errors = form.Errors
	s.render(w, r, http.StatusUnprocessableEntity, web.MoveConcernPage(page(r, "Move concern "+strconv.FormatInt(c.ID, 10)), moveConcernView(c, staff, typed)))
}

// movableConcern is the concern of the request's path and the staff it may
// be moved to, if the viewer may move it; otherwise the page does not exist.
func (s *Server) movableConcern(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, safeguarding.Concern, []safeguarding.StaffMember, bool) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return v, safeguarding.Concern{}, nil, false
	}
	c, err := s.db.Concern(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return v, c, nil, false
	}
	if !safeguarding.Can(v, c.Access(), safeguarding.ActionMove) {
		renderError(w, r, http.StatusNotFound)
		return v, c, nil, false
	}
	staff, err := s.db.StaffRoster(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return v, c, nil, false
	}
	return v, c, staff, true
}

func moveConcernView(c safeguarding.Concern, staff []safeguarding.StaffMember, m web.MoveConcern) web.MoveConcern {
	ref := strconv.FormatInt(c.ID, 10)
	m.Reference, m.Action, m.Back = ref, "/concerns/"+ref+"/move", "/concerns/"+ref
	_, m.PrincipalOffered = safeguarding.PrincipalOf(staff)
	m.ChildrenOffered = len(c.Pupils) > 0 && c.SubjectKind != safeguarding.SubjectPupils
	m.WhoSees = whoSeesBySubject()
	for _, s := range staff {
		m.Staff = append(m.Staff, web.StaffChoice{ID: s.ID, Name: s.Name, JobTitle: s.JobTitle, Principal: s.Principal})
	}
	return m
}

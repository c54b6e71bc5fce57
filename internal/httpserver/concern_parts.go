package httpserver

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// concernPartsStore is what recording each child's part of a concern needs.
type concernPartsStore interface {
	Concern(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.Concern, error)
	RecordParts(ctx context.Context, v safeguarding.Viewer, concernID int64, parts []safeguarding.PupilPart) error
}

// recordPartsForm asks a case handler for each child's own part, signs and
// words of a concern logged before parts were recorded. To anyone else, and
// for a concern whose parts are recorded, the page does not exist.
func (s *Server) recordPartsForm(w http.ResponseWriter, r *http.Request) {
	_, c, ok := s.unattributedConcern(w, r)
	if !ok {
		return
	}
	s.renderRecordParts(w, r, http.StatusOK, c, nil, nil)
}

// recordParts records each child's part and goes back to the concern, or
// shows the form again with everything typed and what needs correcting.
func (s *Server) recordParts(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.unattributedConcern(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	indicators, err := s.db.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var typed []web.ChildPartForm
	var parts []safeguarding.PupilPart
	for _, p := range c.Pupils {
		partField, indicatorField, wordsField := safeguarding.PartFields(p.ID)
		t := web.ChildPartForm{PupilID: strconv.FormatInt(p.ID, 10), Part: vals.Get(partField),
			Indicators: distinct(vals[indicatorField]), Words: vals.Get(wordsField)}
		typed = append(typed, t)
		parts = append(parts, safeguarding.PupilPart{PupilID: p.ID, Part: safeguarding.Part(t.Part),
			Indicators:  inListOrder(t.Indicators, indicators, func(i safeguarding.Indicator) string { return i.Code }),
			ChildsWords: childsWords(t.Words)})
	}
	var form Form
	problems := safeguarding.AttributionProblems(c, parts, indicators)
	for _, p := range c.Pupils {
		for _, field := range []string{partFieldOf(p.ID), indicatorFieldOf(p.ID), wordsFieldOf(p.ID)} {
			if msg, ok := problems[field]; ok {
				form.Check(false, field, msg)
			}
		}
	}
	if form.Valid() {
		err := s.db.RecordParts(r.Context(), v, c.ID, parts)
		switch safeguarding.ErrorCode(err) {
		case "":
			s.sessions.Put(r.Context(), concernBannerKey(c.ID), "Each child's part has been recorded.")
			http.Redirect(w, r, "/concerns/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, partFieldOf(c.Pupils[0].ID), safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.renderRecordParts(w, r, http.StatusUnprocessableEntity, c, typed, form.Errors)
}

func partFieldOf(id int64) string      { f, _, _ := safeguarding.PartFields(id); return f }
func indicatorFieldOf(id int64) string { _, f, _ := safeguarding.PartFields(id); return f }
func wordsFieldOf(id int64) string     { _, _, f := safeguarding.PartFields(id); return f }

// unattributedConcern is the concern of the request's path if the viewer
// may record its children's parts and they are not yet recorded.
func (s *Server) unattributedConcern(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, safeguarding.Concern, bool) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return v, safeguarding.Concern{}, false
	}
	c, err := s.db.Concern(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return v, c, false
	}
	if !safeguarding.MayAttribute(v, c.Access()) || !c.Unattributed() {
		renderError(w, r, http.StatusNotFound)
		return v, c, false
	}
	return v, c, true
}

func (s *Server) renderRecordParts(w http.ResponseWriter, r *http.Request, status int, c safeguarding.Concern, typed []web.ChildPartForm, errs web.Errors) {
	indicators, err := s.db.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ref := strconv.FormatInt(c.ID, 10)
	f := web.RecordParts{Reference: ref, Action: "/concerns/" + ref + "/parts", Back: "/concerns/" + ref,
		ChildsWords: paragraphs(c.ChildsWords), Errors: errs}
	var list []web.CodeLabel
	for _, i := range indicators {
		list = append(list, web.CodeLabel{Code: i.Code, Label: i.Label})
		if slices.Contains(c.Indicators, i.Code) {
			f.Indicators = append(f.Indicators, i.Label)
		}
	}
	for _, p := range c.Pupils {
		t := web.ChildPartForm{PupilID: strconv.FormatInt(p.ID, 10)}
		if i := slices.IndexFunc(typed, func(t web.ChildPartForm) bool { return t.PupilID == strconv.FormatInt(p.ID, 10) }); i >= 0 {
			t = typed[i]
		}
		f.Sections = append(f.Sections, web.NewChildSection(web.PupilChoice{ID: p.ID, Name: p.Name(), YearGroup: p.YearGroup}, t, list, errs, ""))
	}
	s.render(w, r, status, web.RecordPartsPage(page(r, "Record each child's part: concern "+ref), f))
}

package httpserver

// Drafts: what a member of staff has typed is kept on the server as they
// type, when they search for pupils, when the form is refused, and when
// their session ends mid-form, so that nothing they wrote is ever lost.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// draftStore keeps the concern a person is writing.
type draftStore interface {
	SaveDraft(ctx context.Context, v safeguarding.Viewer, form []byte) error
	DeleteDraft(ctx context.Context, v safeguarding.Viewer) error
}

// saveDraft keeps the form as the person's draft. draft.js calls it as the
// person types (and gets 204); the "Save draft" button shows the form again.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request) {
	v, _, f, ok := s.postedConcern(w, r)
	if !ok {
		return
	}
	if r.Header.Get("Haven-Autosave") != "" {
		if err := s.keepDraft(r.Context(), v, f); err != nil {
			s.serverError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.keepDraftAndShow(w, r, v, f)
}

func (s *Server) keepDraftAndShow(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, f web.ConcernForm) {
	if err := s.keepDraft(r.Context(), v, f); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderConcernForm(w, r, v, http.StatusOK, web.ConcernFormPage{Form: f, DraftSaved: true})
}

// keepDraft saves the form as v's draft; an empty form discards the draft,
// so that clearing the form is not "restored" later.
func (s *Server) keepDraft(ctx context.Context, v safeguarding.Viewer, f web.ConcernForm) error {
	f.Author = strconv.FormatInt(v.PersonID, 10)
	blank := f
	blank.Token, blank.Author, blank.PupilYear = "", "", ""
	if isBlank(blank) {
		return s.db.DeleteDraft(ctx, v)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.db.SaveDraft(ctx, v, b)
}

func isBlank(f web.ConcernForm) bool {
	return f.Subject == "" && !NotBlank(f.PupilQuery) && len(f.PupilIDs) == 0 && f.SubjectPerson == "" &&
		!NotBlank(f.AdultName) && !NotBlank(f.AdultRole) && len(f.Categories) == 0 && len(f.Indicators) == 0 &&
		!NotBlank(f.WhatHappened) && !NotBlank(f.ChildsWords) && !NotBlank(f.HappenedDay) && !NotBlank(f.HappenedMonth) &&
		!NotBlank(f.HappenedYear) && !NotBlank(f.HappenedTime) && !NotBlank(f.Location) && !NotBlank(f.OthersTold) &&
		!NotBlank(f.ActionsTaken) && f.Urgent == "" && !slices.ContainsFunc(f.Children, typedChildPart)
}

// typedChildPart reports whether a child's own fields hold anything typed:
// their part alone is a default, not typing.
func typedChildPart(c web.ChildPartForm) bool { return len(c.Indicators) > 0 || NotBlank(c.Words) }

// maxKeptConcernBytes bounds a concern form kept across sign-in, as the
// draft's JSON. The longest concern Haven accepts (50,800 characters in all)
// fits, even written wholly in four-byte characters.
const maxKeptConcernBytes = 256 << 10

// isConcernPost reports whether r posts the concern form.
func isConcernPost(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/concerns" || r.URL.Path == "/concerns/draft")
}

// keepPendingConcern is requireSignIn's answer to a concern form posted
// with no one signed in. If the browser's session was signed in when it
// expired, the form becomes the draft of the person it belonged to, which
// they get back when they sign in again, on any browser, and nobody else
// does; then nothing anyone typed is lost to a timeout. Otherwise nothing
// is kept: a signed-out visitor cannot make Haven store anything. A form
// larger than maxKeptConcernBytes gets the error page and is not kept.
func (s *Server) keepPendingConcern(w http.ResponseWriter, r *http.Request) {
	kept, err := s.keepExpiredSessionsConcern(r)
	switch {
	case errors.Is(err, errKeptConcernTooLarge):
		renderError(w, r, http.StatusRequestEntityTooLarge)
	case err != nil:
		s.serverError(w, r, err)
	case kept:
		http.Redirect(w, r, signInURL("/concerns/new?draft="+draftKept, noticeConcernKept), http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	}
}

var errKeptConcernTooLarge = errors.New("the concern form is too large to keep across sign-in")

// keepExpiredSessionsConcern saves the posted concern form as the draft of
// the person whose session, now expired, the request carries, if they
// wrote it and may log concerns, and reports whether it did.
func (s *Server) keepExpiredSessionsConcern(r *http.Request) (bool, error) {
	if r.PostForm.Get("action") == "discard" {
		return false, nil
	}
	f := postedConcernForm(r.PostForm)
	if b, err := json.Marshal(f); err != nil {
		return false, err
	} else if len(b) > maxKeptConcernBytes {
		return false, errKeptConcernTooLarge
	}

	v, ok, err := s.expiredSessionsViewer(r)
	if err != nil || !ok || f.Author != strconv.FormatInt(v.PersonID, 10) || !canLogConcerns(v.Roles) {
		return false, err
	}
	if err := s.keepDraft(r.Context(), v, f); err != nil {
		return false, err
	}
	return true, nil
}

package httpserver

// Drafts: what a member of staff has typed is kept on the server as they
// type, when they search for pupils, when the form is refused, and when
// their session ends mid-form, so that nothing they wrote is ever lost.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
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
		!NotBlank(f.ActionsTaken) && f.Urgent == ""
}

// keepPendingConcern is requireSignIn's hook for a concern form posted after
// the session ended: the form is kept in the new, anonymous session, and
// restorePendingConcern makes it the draft of whoever wrote it once they sign
// in again. Nothing anyone typed is lost to a timeout.
func (s *Server) keepPendingConcern(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || (r.URL.Path != "/concerns" && r.URL.Path != "/concerns/draft") {
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("action") == "discard" {
		return
	}
	s.sessions.Put(r.Context(), sessionPendingConcern, r.PostForm.Encode())
	s.sessions.Put(r.Context(), "notice", "You were signed out because you had not used Haven for a while. Sign in again to carry on: the concern you were writing has been kept.")
}

// restorePendingConcern saves a concern form kept by keepPendingConcern as
// v's draft, if v wrote it, and reports whether it did. A form someone else
// wrote on this browser is dropped, never shown to v.
func (s *Server) restorePendingConcern(ctx context.Context, v safeguarding.Viewer) bool {
	raw := s.sessions.PopString(ctx, sessionPendingConcern)
	if raw == "" {
		return false
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return false
	}
	f := postedConcernForm(vals)
	if f.Author != strconv.FormatInt(v.PersonID, 10) || !canLogConcerns(v.Roles) {
		return false
	}
	if err := s.keepDraft(ctx, v, f); err != nil {
		s.log.Error("restore concern after sign-in", "person", v.PersonID, "err", err)
		return false
	}
	return true
}

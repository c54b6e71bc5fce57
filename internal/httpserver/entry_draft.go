package httpserver

// Entry drafts: a chronology entry someone is typing on a concern's page is
// kept on the server as they type (entry_draft.js) and when their session
// ends mid-entry, and it is in its form again when they come back to the
// concern, so that nothing they wrote is lost. A refused entry comes back
// with every field as typed (addEntry); a post that fails because the
// database is down comes back on the retry page (retry.go).

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// draftedKinds are the entries whose forms have anything to type: a draft
// of any other is never kept.
var draftedKinds = slices.DeleteFunc(slices.Clone(postedKinds), func(k safeguarding.EntryKind) bool {
	return k == safeguarding.EntryAcknowledged || k == safeguarding.EntryAssigned || k == safeguarding.EntryStatusChanged
})

// entryDraftStore keeps the entry a person is typing on a concern.
type entryDraftStore interface {
	SaveEntryDraft(ctx context.Context, v safeguarding.Viewer, concernID int64, kind safeguarding.EntryKind, form []byte) error
	DeleteEntryDraft(ctx context.Context, v safeguarding.Viewer, concernID int64) error
}

// noticeEntryKept is the sign-in page's notice after an entry was kept.
const noticeEntryKept = "entry-kept"

// maxKeptEntryBytes bounds an entry kept as a draft, as its JSON: the
// longest entry Haven accepts fits, even in four-byte characters.
const maxKeptEntryBytes = 256 << 10

var errKeptEntryTooLarge = errors.New("the entry is too large to keep as a draft")

// saveEntryDraft keeps the entry form as the person's draft for the
// concern. entry_draft.js calls it as they type, and gets 204.
func (s *Server) saveEntryDraft(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id, d, _, ok := postedEntry(w, r, draftedKinds)
	if !ok {
		return
	}
	switch err := s.keepEntryDraft(r.Context(), v, id, d); {
	case errors.Is(err, errKeptEntryTooLarge):
		renderError(w, r, http.StatusRequestEntityTooLarge)
	case err != nil:
		s.fail(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// keepEntryDraft saves d as v's draft for the concern.
func (s *Server) keepEntryDraft(ctx context.Context, v safeguarding.Viewer, concernID int64, d web.EntryDraft) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if len(b) > maxKeptEntryBytes {
		return errKeptEntryTooLarge
	}
	return s.db.SaveEntryDraft(ctx, v, concernID, safeguarding.EntryKind(d.Kind), b)
}

// entryPostPath matches the addresses the concern page's entry forms post to.
var entryPostPath = regexp.MustCompile(`^/concerns/([0-9]+)/entries(/draft)?$`)

// entryPostConcern is the concern an entry form posted to r is for; 0 if r
// posts no entry form.
func entryPostConcern(r *http.Request) int64 {
	if r.Method != http.MethodPost {
		return 0
	}
	m := entryPostPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return 0
	}
	return pathID(m[1])
}

// keepPendingEntry is requireSignIn's answer to an entry posted with no one
// signed in. As for a concern form (keepPendingConcern), an entry typed by
// the person whose session has just expired becomes their draft for the
// concern, and signing in again takes them back to it, in its form; a
// signed-out visitor cannot make Haven store anything.
func (s *Server) keepPendingEntry(w http.ResponseWriter, r *http.Request, concernID int64) {
	d := entryDraftFrom(r.PostForm)
	kept, err := s.keepExpiredSessionsEntry(r, concernID, d)
	switch {
	case errors.Is(err, errKeptEntryTooLarge):
		renderError(w, r, http.StatusRequestEntityTooLarge)
	case err != nil:
		s.serverError(w, r, err)
	case kept:
		back := "/concerns/" + strconv.FormatInt(concernID, 10) + "#" + web.EntryFormID(d.Kind)
		http.Redirect(w, r, signInURL(back, noticeEntryKept), http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	}
}

// keepExpiredSessionsEntry saves d as the entry draft of the person whose
// session, now expired, the request carries, if the form was theirs and
// they may still add to the concern, and reports whether it did.
func (s *Server) keepExpiredSessionsEntry(r *http.Request, concernID int64, d web.EntryDraft) (bool, error) {
	if !slices.Contains(draftedKinds, safeguarding.EntryKind(d.Kind)) {
		return false, nil
	}
	v, ok, err := s.expiredSessionsViewer(r)
	if err != nil || !ok || r.PostForm.Get("author") != strconv.FormatInt(v.PersonID, 10) {
		return false, err
	}
	err = s.keepEntryDraft(r.Context(), v, concernID, d)
	if safeguarding.ErrorCode(err) == safeguarding.ENOTFOUND {
		return false, nil // not a concern they may add to (any more)
	}
	return err == nil, err
}

// expiredSessionsViewer is the person whose expired session r carries, as
// they are now, if Haven can tell and they are still active.
func (s *Server) expiredSessionsViewer(r *http.Request) (safeguarding.Viewer, bool, error) {
	c, err := r.Cookie(s.sessions.Cookie.Name)
	if err != nil {
		return safeguarding.Viewer{}, false, nil
	}
	b, found, err := s.sessionStore.Expired(r.Context(), c.Value)
	if err != nil || !found {
		return safeguarding.Viewer{}, false, err
	}
	_, values, err := s.sessions.Codec.Decode(b)
	if err != nil {
		return safeguarding.Viewer{}, false, nil // not a session Haven can read: nobody to keep it for
	}
	personID, _ := values[sessionPersonID].(int64)
	if personID == 0 {
		return safeguarding.Viewer{}, false, nil
	}
	v, err := s.db.Viewer(r.Context(), personID)
	if safeguarding.ErrorCode(err) == safeguarding.ENOTFOUND {
		return safeguarding.Viewer{}, false, nil
	}
	// A session ended by a password change keeps nothing for anyone: it
	// may be the one the change was made to shut out.
	if at, _ := values[sessionSignedInAt].(int64); err == nil && sessionEnded(at, v) {
		return safeguarding.Viewer{}, false, nil
	}
	return v, err == nil, err
}

// withKeptEntry puts the viewer's kept draft (as the store read it with the
// concern) into its form on the page, unless the page already shows a form
// as typed (a refused one) or no longer has that form.
func withKeptEntry(view *web.ConcernView, kept *safeguarding.Draft) {
	if kept == nil || view.Typed.Kind != "" {
		return
	}
	var d web.EntryDraft
	if err := json.Unmarshal(kept.Form, &d); err != nil || !entryFormShown(*view, safeguarding.EntryKind(d.Kind)) {
		return // not a draft this Haven wrote, or its form has gone: nothing to give back
	}
	view.Typed, view.KeptEntry = d, true
}

// entryFormShown reports whether the concern page shows the form for
// entries of kind, as web.ConcernPage decides: a draft for a form no longer
// there (the concern closed since) is not offered.
func entryFormShown(view web.ConcernView, kind safeguarding.EntryKind) bool {
	t := view.Triage
	switch {
	case kind == safeguarding.EntryFurtherInformation:
		return view.FurtherInformation
	case t == nil:
		return false
	case kind == safeguarding.EntryReferralResponse:
		return len(t.Referrals) > 0
	case kind == safeguarding.EntryCorrection:
		return true
	case kind == safeguarding.EntryReopened:
		return !t.Open
	}
	return t.Open
}

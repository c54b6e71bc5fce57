package httpserver

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// entryStore adds entries to a concern's chronology.
type entryStore interface {
	RecordEntry(ctx context.Context, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) (int64, error)
	entryDraftStore
}

// postedKinds are the entries the concern page's forms add.
var postedKinds = append([]safeguarding.EntryKind{safeguarding.EntryFurtherInformation, safeguarding.EntryAcknowledged,
	safeguarding.EntryAssigned, safeguarding.EntryStatusChanged, safeguarding.EntryClosed, safeguarding.EntryReopened},
	append(safeguarding.RecordableKinds, safeguarding.EntryBodyMap)...)

// entryFieldOrder is the order in which the entry forms ask for their
// fields, so that the error summary lists problems as the form shows them.
var entryFieldOrder = []string{"assignee", "corrects", "agency", "agency_other", "reference", "referred_on",
	"referral", "agency_action", "agency_contact", "responded_on", "statutory", "next_step", "next_step_reason", "body", "safe_to_tell", "judgement", "reason",
	"no_response_reason", "happened_at", "happened_reason", "region", "description"}

// Longest texts an entry may hold: generous, but bounded.
const (
	maxEntryBody  = 20000
	maxEntryField = 5000
)

// postedEntry reads an entry form posted to the concern the path names:
// the concern's id, the entry as typed and the form's values. A concern id
// that is not one, or a kind not among kinds, is not found (404), and ok is
// false once an answer is written.
func postedEntry(w http.ResponseWriter, r *http.Request, kinds []safeguarding.EntryKind) (id int64, d web.EntryDraft, vals url.Values, ok bool) {
	if vals, ok = parseConcernPost(w, r); !ok {
		return 0, d, nil, false
	}
	id, d = pathID(chi.URLParam(r, "id")), entryDraftFrom(vals)
	if id == 0 || !slices.Contains(kinds, safeguarding.EntryKind(d.Kind)) {
		renderError(w, r, http.StatusNotFound)
		return 0, d, nil, false
	}
	return id, d, vals, true
}

// addEntry adds one entry to a concern's chronology: triage, an action, a
// decision, a referral, feedback, closing, reopening, a correction, or the
// referrer's further information. A form with problems comes back (422)
// with every value kept; a concern the viewer may not add to is not found.
func (s *Server) addEntry(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	ctx := r.Context()
	id, draft, vals, ok := postedEntry(w, r, postedKinds)
	if !ok {
		return
	}
	in, form := validateEntry(draft, vals.Get("to_status"), time.Now())
	if form.Valid() {
		entryID, err := s.db.RecordEntry(ctx, v, id, in)
		switch safeguarding.ErrorCode(err) {
		case "":
			s.entrySaved(w, r, id, entryID, in.Kind)
			return
		case safeguarding.EINVALID:
			// The concern moved on (closed by someone else a moment
			// before), or the entry names something not on it.
			form.Check(false, storeProblemField(in.Kind, err), safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	view, c, err := s.concernView(ctx, v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Someone who may see the concern but not add this entry (the principal
	// reading a concern about a child) is not shown a form they could not use.
	if safeguarding.ErrorCode(safeguarding.CheckEntry(v, c, in)) == safeguarding.EFORBIDDEN {
		renderError(w, r, http.StatusNotFound)
		return
	}
	view.Errors, view.Typed = aboutProblemOnField(form.Errors, c, in), draft
	// A refused entry is kept as the person's draft as well, so that it
	// survives the tab closing before they put it right.
	if slices.Contains(draftedKinds, in.Kind) {
		if err := s.keepEntryDraft(ctx, v, id, draft); err != nil && !errors.Is(err, errKeptEntryTooLarge) {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.ConcernPage(page(r, view.Title()), view))
}

// entrySaved answers an entry just recorded: the concern's page, come back
// at the entry (app.js moves the focus there), with what was done said.
func (s *Server) entrySaved(w http.ResponseWriter, r *http.Request, concernID, entryID int64, kind safeguarding.EntryKind) {
	s.sessions.Put(r.Context(), concernBannerKey(concernID), entryBanner(kind))
	http.Redirect(w, r, "/concerns/"+strconv.FormatInt(concernID, 10)+"#"+entryAnchor(entryID), http.StatusSeeOther)
}

// entryDraftFrom reads an entry form exactly as typed, cleaned of what no
// one can type (cleanText).
func entryDraftFrom(vals url.Values) web.EntryDraft {
	vals = cleanValues(vals)
	return web.EntryDraft{
		Kind:          vals.Get("kind"),
		Body:          vals.Get("body"),
		Reason:        vals.Get("reason"),
		Judgement:     vals.Get("judgement"),
		SafeToTell:    vals.Get("safe_to_tell") == "yes",
		Agency:        vals.Get("agency"),
		AgencyOther:   vals.Get("agency_other"),
		Reference:     vals.Get("reference"),
		ReferredDay:   vals.Get("referred_on-day"),
		ReferredMonth: vals.Get("referred_on-month"),
		ReferredYear:  vals.Get("referred_on-year"),
		Corrects:      vals.Get("corrects"),
		Assignee:      vals.Get("assignee"),
		EntryTimeDraft: web.EntryTimeDraft{
			HappenedDay:    vals.Get("happened_at-day"),
			HappenedMonth:  vals.Get("happened_at-month"),
			HappenedYear:   vals.Get("happened_at-year"),
			HappenedTime:   vals.Get("happened_at-time"),
			HappenedReason: vals.Get("happened_reason"),
		},
		ReferralResponseDraft: web.ReferralResponseDraft{
			Referral:       vals.Get("referral"),
			AgencyAction:   vals.Get("agency_action"),
			AgencyContact:  vals.Get("agency_contact"),
			RespondedDay:   vals.Get("responded_on-day"),
			RespondedMonth: vals.Get("responded_on-month"),
			RespondedYear:  vals.Get("responded_on-year"),
			NoResponseWhy:  vals.Get("no_response_reason"),
			Statutory:      vals.Get("statutory"),
			NextStep:       vals.Get("next_step"),
			NextStepReason: vals.Get("next_step_reason"),
		},
		BodyMapDraft: web.BodyMapDraft{
			Region:      vals.Get("region"),
			X:           vals.Get("x"),
			Y:           vals.Get("y"),
			Description: vals.Get("description"),
		},
		About: distinct(vals["about"]),
	}
}

// validateEntry turns an entry typed at now into the domain's input,
// keeping only the fields its kind has, and collects every problem with it,
// one per field, in the order the form shows them.
func validateEntry(d web.EntryDraft, toStatus string, now time.Time) (safeguarding.EntryInput, Form) {
	today := dateIn(now)
	kind := safeguarding.EntryKind(d.Kind)
	in := safeguarding.EntryInput{Kind: kind, Body: strings.TrimSpace(d.Body)}
	if kind == safeguarding.EntryAcknowledged || kind == safeguarding.EntryAssigned || kind == safeguarding.EntryStatusChanged {
		in.Body = "" // their forms have no text
	}
	var form Form
	field := func(name string) string { return web.EntryFieldID(d.Kind, name) }
	switch kind {
	case safeguarding.EntryDecision:
		in.Details.Reason = strings.TrimSpace(d.Reason)
	case safeguarding.EntryContactParents:
		in.Details.SafeToTell = d.SafeToTell
		in.Details.Judgement = strings.TrimSpace(d.Judgement)
	case safeguarding.EntryReferral:
		in.Details.Agency = safeguarding.Agency(d.Agency)
		if in.Details.Agency == safeguarding.AgencyOtherAgent {
			in.Details.AgencyOther = strings.TrimSpace(d.AgencyOther)
		}
		in.Details.Reference = strings.TrimSpace(d.Reference)
		if on, ok := ParseDate(d.ReferredDay, d.ReferredMonth, d.ReferredYear); ok {
			in.Details.ReferredOn = on.Format(time.DateOnly)
			form.Check(!on.After(today), field("referred_on"), "The date of the referral must be today or in the past")
		}
	case safeguarding.EntryReferralResponse:
		in.Details.ReferralID = pathID(d.Referral)
		in.Details.AgencyAction = strings.TrimSpace(d.AgencyAction)
		in.Details.AgencyContact = strings.TrimSpace(d.AgencyContact)
		if on, ok := ParseDate(d.RespondedDay, d.RespondedMonth, d.RespondedYear); ok {
			in.Details.RespondedOn = on.Format(time.DateOnly)
			form.Check(!on.After(today), field("responded_on"), "The date of the response must be today or in the past")
		}
		in.Details.Statutory = safeguarding.Statutory(d.Statutory)
		in.Details.NextStep = safeguarding.NextStep(d.NextStep)
		in.Details.NextStepReason = strings.TrimSpace(d.NextStepReason)
	case safeguarding.EntryClosed:
		in.Details.NoResponseWhy = strings.TrimSpace(d.NoResponseWhy)
	case safeguarding.EntryCorrection:
		in.CorrectsID = pathID(d.Corrects)
	case safeguarding.EntryAssigned:
		in.Details.AssigneeID = pathID(d.Assignee)
		form.Check(in.Details.AssigneeID != 0, field("assignee"), "Choose the DSL or deputy to assign the concern to")
	case safeguarding.EntryStatusChanged:
		in.Details.ToStatus = safeguarding.Status(toStatus)
	case safeguarding.EntryBodyMap:
		in.Body = "" // its form has no text but each mark's description
		in.Details.Marks = []safeguarding.BodyMark{bodyMarkFrom(d.BodyMapDraft)}
		form.Check(MaxChars(d.Description, maxEntryField), field("description"), "Shorten this to "+strconv.Itoa(maxEntryField)+" characters or fewer")
	}
	if kind.MayBeBackDated() {
		at, msg := parseHappenedAt(d.EntryTimeDraft, now)
		form.Check(msg == "", field("happened_at"), msg)
		in.HappenedAt = at
		in.Details.HappenedReason = strings.TrimSpace(d.HappenedReason)
	}
	if slices.Contains(safeguarding.AboutPupilsKinds, kind) {
		in.PupilIDs = parseIDs(d.About)
	}
	problems := in.Problems(now)
	for _, name := range entryFieldOrder {
		if msg, ok := problems[name]; ok {
			form.Check(false, field(name), msg)
		}
	}
	form.Check(MaxChars(in.Body, maxEntryBody), field("body"), "Shorten the text to "+strconv.Itoa(maxEntryBody)+" characters or fewer")
	for _, f := range []struct{ name, value string }{{"agency_other", in.Details.AgencyOther}, {"reference", in.Details.Reference},
		{"judgement", in.Details.Judgement}, {"reason", in.Details.Reason}, {"agency_action", in.Details.AgencyAction},
		{"agency_contact", in.Details.AgencyContact}, {"no_response_reason", in.Details.NoResponseWhy},
		{"next_step_reason", in.Details.NextStepReason},
		{"happened_reason", in.Details.HappenedReason}} {
		form.Check(MaxChars(f.value, maxEntryField), field(f.name), "Shorten this to "+strconv.Itoa(maxEntryField)+" characters or fewer")
	}
	return in, form
}

// storeProblemField is where the page shows a problem (err) the store found
// with an entry that passed the form's checks.
func storeProblemField(kind safeguarding.EntryKind, err error) string {
	if errors.Is(err, safeguarding.ErrReferralsAwaitResponse) {
		return web.EntryFieldID(string(kind), "no_response_reason")
	}
	switch kind {
	case safeguarding.EntryReferralResponse:
		return web.EntryFieldID(string(kind), "referral")
	case safeguarding.EntryAssigned:
		return web.EntryFieldID(string(kind), "assignee")
	case safeguarding.EntryCorrection:
		return web.EntryFieldID(string(kind), "corrects")
	}
	return web.EntryFormID(string(kind))
}

// entryBanner is the success message after adding an entry of kind.
func entryBanner(kind safeguarding.EntryKind) string {
	switch kind {
	case safeguarding.EntryFurtherInformation:
		return "Your further information has been added"
	case safeguarding.EntryAcknowledged:
		return "Concern acknowledged"
	case safeguarding.EntryAssigned:
		return "Concern assigned"
	case safeguarding.EntryStatusChanged:
		return "Status changed"
	case safeguarding.EntryClosed:
		return "Concern closed"
	case safeguarding.EntryReopened:
		return "Concern reopened"
	case safeguarding.EntryBodyMap:
		return "Body map added to the chronology"
	}
	return kind.Label() + " added to the chronology"
}

// parseHappenedAt reads when an entry says it happened, on the 24-hour
// clock in the schools' time zone: zero if nothing was typed (it happened
// now), today's date if only a time was. msg says what is wrong, if anything.
func parseHappenedAt(d web.EntryTimeDraft, now time.Time) (time.Time, string) {
	dateTyped := NotBlank(d.HappenedDay) || NotBlank(d.HappenedMonth) || NotBlank(d.HappenedYear)
	if !dateTyped && !NotBlank(d.HappenedTime) {
		return time.Time{}, ""
	}
	day := dateIn(now)
	if dateTyped {
		var ok bool
		if day, ok = ParseDate(d.HappenedDay, d.HappenedMonth, d.HappenedYear); !ok {
			return time.Time{}, "The date it happened must be a real date, like 27 3 2026"
		}
	}
	clock, ok := parseClock(d.HappenedTime)
	if !ok {
		return time.Time{}, "Enter the time it happened on the 24-hour clock, like 09:10"
	}
	hm, _ := time.Parse("15:04", clock)
	return time.Date(day.Year(), day.Month(), day.Day(), hm.Hour(), hm.Minute(), 0, 0, england()), ""
}

// dateIn is the date at t in the schools' time zone, as a UTC midnight like
// the dates ParseDate returns.
func dateIn(t time.Time) time.Time {
	y, m, d := t.In(england()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// aboutProblemOnField moves the store's complaint about whom an entry is
// about (safeguarding.EntryPupils) from the form to its question.
func aboutProblemOnField(errs web.Errors, c safeguarding.Concern, in safeguarding.EntryInput) web.Errors {
	_, problem := safeguarding.EntryPupils(c, in)
	formID := web.EntryFormID(string(in.Kind))
	if problem == "" || errs.Get(formID) != problem {
		return errs
	}
	out := web.Errors{{Field: web.EntryFieldID(string(in.Kind), "about"), Message: problem}}
	for _, e := range errs {
		if e.Field != formID {
			out = append(out, e)
		}
	}
	return out
}

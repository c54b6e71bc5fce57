package safeguarding

import (
	"slices"
	"strings"
	"time"
)

// EntryInput is a new chronology entry as a person writes it.
type EntryInput struct {
	Kind       EntryKind
	Body       string
	Details    EntryDetails
	CorrectsID int64
	// HappenedAt is when what the entry records happened, if the person
	// said; the zero time means now. Only kinds that MayBeBackDated take it.
	HappenedAt time.Time
	// PupilIDs are the pupils of the concern the entry is about; none
	// means the whole concern. A conversation with a child names the
	// child or children it was with (EntryPupils).
	PupilIDs []int64
}

// BackDateLimit is how far back an entry may say it happened without a
// reason for recording it so late.
const BackDateLimit = 7 * 24 * time.Hour

// FieldProblems maps a form field's name to what is wrong with it.
type FieldProblems map[string]string

// Problems says what is missing or wrong, field by field, for an entry
// written at now; empty means the entry may be recorded. Fields are named as
// the entry form names them.
func (in EntryInput) Problems(now time.Time) FieldProblems {
	p := FieldProblems{}
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	if in.Kind.MayBeBackDated() && !in.HappenedAt.IsZero() {
		switch {
		case in.HappenedAt.After(now):
			p["happened_at"] = "The time it happened must be now or in the past"
		case in.HappenedAt.Before(now.Add(-BackDateLimit)) && blank(in.Details.HappenedReason):
			p["happened_reason"] = "Say why this is being recorded more than 7 days after it happened"
		}
	}
	switch in.Kind {
	case EntryFurtherInformation, EntryAction, EntryFeedback, EntryOutcome:
		if blank(in.Body) {
			p["body"] = map[EntryKind]string{
				EntryFurtherInformation: "Enter the further information",
				EntryAction:             "Describe the action taken",
				EntryFeedback:           "Enter the feedback for the member of staff",
				EntryOutcome:            "Describe the outcome",
			}[in.Kind]
		}
	case EntryConversationChild:
		if blank(in.Body) {
			p["body"] = "Record what the child said, including their wishes and feelings"
		}
	case EntryContactParents:
		if blank(in.Body) {
			p["body"] = "Record what was discussed with the parents or carers"
		}
		if !in.Details.SafeToTell {
			p["safe_to_tell"] = "Confirm that telling the parents or carers would not put the child or others at risk of harm, or do not record contact"
		}
		if blank(in.Details.Judgement) {
			p["judgement"] = "Explain why telling them would not put the child or others at risk"
		}
	case EntryDecision:
		if blank(in.Body) {
			p["body"] = "Enter the decision"
		}
		if blank(in.Details.Reason) {
			p["reason"] = "Enter the reason for the decision"
		}
	case EntryReferral:
		if !validAgency(in.Details.Agency) {
			p["agency"] = "Choose the agency the referral was made to"
		} else if in.Details.Agency == AgencyOtherAgent && blank(in.Details.AgencyOther) {
			p["agency_other"] = "Name the agency"
		}
		if _, err := time.Parse(time.DateOnly, in.Details.ReferredOn); err != nil {
			p["referred_on"] = "Enter the date the referral was made, for example 27 3 2026"
		}
	case EntryReferralResponse:
		if in.Details.ReferralID == 0 {
			p["referral"] = "Choose the referral the agency responded to"
		}
		if blank(in.Details.AgencyAction) {
			p["agency_action"] = "Enter what the agency will do"
		}
		if _, err := time.Parse(time.DateOnly, in.Details.RespondedOn); err != nil {
			p["responded_on"] = "Enter the date the agency responded, for example 27 3 2026"
		}
		responseProblems(in.Details, p)
	case EntryClosed:
		if blank(in.Body) {
			p["body"] = "Enter the outcome: a concern cannot be closed without one"
		}
	case EntryReopened:
		if blank(in.Body) {
			p["body"] = "Enter the reason for reopening the concern"
		}
	case EntryCorrection:
		if in.CorrectsID == 0 {
			p["corrects"] = "Choose the entry this corrects"
		}
		if blank(in.Body) {
			p["body"] = "Enter the correction"
		}
	case EntryBodyMap:
		bodyMapProblems(in.Details.Marks, p)
	case EntryAcknowledged, EntryAssigned, EntryStatusChanged:
	default:
		p["kind"] = "Choose what to record"
	}
	return p
}

func validAgency(a Agency) bool {
	for _, x := range Agencies {
		if a == x {
			return true
		}
	}
	return false
}

// CheckEntry decides whether v may add in to concern c as it stands:
// EFORBIDDEN (shown as not found) if v may not, EINVALID if the concern's
// status does not allow it, nil otherwise. Problems() is checked separately.
func CheckEntry(v Viewer, c Concern, in EntryInput) error {
	access := c.Access()
	if in.Kind == EntryFurtherInformation {
		if !Can(v, access, ActionAddEntry) {
			return Errorf(EFORBIDDEN, "No such concern")
		}
		return nil
	}
	if in.Kind == EntryBodyMap {
		if !MayAddBodyMap(v, access) {
			return Errorf(EFORBIDDEN, "No such concern")
		}
		if c.Status == StatusClosed {
			return Errorf(EINVALID, "This concern is closed: reopen it, with a reason, before adding to it")
		}
		return nil
	}
	action := ActionTriage
	switch in.Kind {
	case EntryClosed:
		action = ActionClose
	case EntryReopened:
		action = ActionReopen
	case EntryConcernLogged:
		return Errorf(EINVALID, "A concern is logged only once")
	case EntryPartRecorded:
		// Recorded with the pupil's row, by ApplyAttribution, never alone.
		return Errorf(EINVALID, "Record each child's part with the form for it")
	}
	if !Can(v, access, action) {
		return Errorf(EFORBIDDEN, "No such concern")
	}
	next := map[EntryKind]Status{EntryAcknowledged: StatusAcknowledged, EntryClosed: StatusClosed, EntryReopened: StatusReopened}
	if in.Kind == EntryStatusChanged {
		next[EntryStatusChanged] = in.Details.ToStatus
	}
	if to, ok := next[in.Kind]; ok && !c.Status.CanMoveTo(to) {
		return Errorf(EINVALID, "A concern that is %s cannot become %s", strings.ToLower(c.Status.Label()), strings.ToLower(to.Label()))
	}
	// An agency's response may come after the concern closed; recording it
	// does not reopen the concern.
	if c.Status == StatusClosed && in.Kind != EntryReopened && in.Kind != EntryCorrection && in.Kind != EntryReferralResponse {
		return Errorf(EINVALID, "This concern is closed: reopen it, with a reason, before adding to it")
	}
	return nil
}

// ApplyEntry is what recording in does to concern c when v records it at
// now: the entry to append to the chronology, and the concern as it stands
// afterwards (status, assignee, acknowledgement, feedback, last activity).
// assignee is the person in.Details.AssigneeID names, as the store read
// them; it is ignored unless the entry assigns the concern.
//
// It returns what CheckEntry returns, and EINVALID when the concern would
// be given to someone who may not have it (MayBeAssigned). The entry's
// fields are checked before (in.Problems), once, where they were typed.
func ApplyEntry(v Viewer, c Concern, in EntryInput, assignee Person, now time.Time) (Entry, Concern, error) {
	if err := CheckEntry(v, c, in); err != nil {
		return Entry{}, c, err
	}
	pupils, problem := EntryPupils(c, in)
	if problem != "" {
		return Entry{}, c, Errorf(EINVALID, "%s", problem)
	}
	switch in.Kind {
	case EntryAcknowledged:
		c.Status, c.AcknowledgedAt = StatusAcknowledged, &now
	case EntryAssigned:
		if assignee.ID != in.Details.AssigneeID || !MayBeAssigned(assignee, c.Access()) {
			return Entry{}, c, Errorf(EINVALID, "Choose the DSL or deputy to assign the concern to")
		}
		in.Details.AssigneeName = assignee.Name
		c.AssignedTo, c.AssignedToName = assignee.ID, assignee.Name
	case EntryStatusChanged:
		in.Details.FromStatus = c.Status
		c.Status = in.Details.ToStatus
	case EntryClosed:
		c.Status = StatusClosed
	case EntryReopened:
		c.Status = StatusReopened
	case EntryFeedback:
		c.FeedbackGiven = true
	}
	if c.AcknowledgedAt == nil && in.Kind != EntryFurtherInformation && Can(v, c.Access(), ActionTriage) {
		c.AcknowledgedAt = &now // a case handler who records anything has seen the concern
	}
	c.LastActivityAt = now
	if in.Kind == EntryReferralResponse {
		in.Details = fitResponse(in.Details)
	}
	e := Entry{SchoolID: c.SchoolID, ConcernID: c.ID, Kind: in.Kind, AuthorID: v.PersonID, AuthorName: v.Name, At: now,
		Body: in.Body, Details: in.Details, CorrectsID: in.CorrectsID, PupilIDs: pupils}
	// A time that is not earlier than now says nothing When does not, and
	// a reason for recording late is kept only when it was late.
	if in.Kind.MayBeBackDated() && in.HappenedAt.Before(now) {
		e.HappenedAt = in.HappenedAt
	}
	if e.HappenedAt.IsZero() || !e.HappenedAt.Before(now.Add(-BackDateLimit)) {
		e.Details.HappenedReason = ""
	}
	return e, c, nil
}

// ErrReferralsAwaitResponse refuses closing a concern while referrals on it
// have no recorded response and no reason is given (§11.9–11.12).
var ErrReferralsAwaitResponse = Errorf(EINVALID,
	"Record the agency's response to each referral, or say why the concern is closed without it")

// AwaitingResponse are the referrals among entries (one concern's
// chronology, or a child's across concerns) that no response names, in the
// order given.
func AwaitingResponse(entries []Entry) []Entry {
	answered := map[int64]bool{}
	for _, e := range entries {
		if e.Kind == EntryReferralResponse {
			answered[e.Details.ReferralID] = true
		}
	}
	var out []Entry
	for _, e := range entries {
		if e.Kind == EntryReferral && !answered[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// FitToReferrals is in as it is recorded on a concern whose referrals and
// responses are entries: an agency's response that names no pupils is about
// the pupils its referral is about (a response to a referral about one
// child belongs on that child's file, not on every file the concern is on),
// and a reason for closing without responses is kept only while a referral
// awaits one.
func FitToReferrals(in EntryInput, entries []Entry) EntryInput {
	switch in.Kind {
	case EntryReferralResponse:
		if len(in.PupilIDs) > 0 {
			break
		}
		for _, e := range entries {
			if e.ID == in.Details.ReferralID && e.Kind == EntryReferral {
				in.PupilIDs = slices.Clone(e.PupilIDs)
			}
		}
	case EntryClosed:
		if len(AwaitingResponse(entries)) == 0 {
			in.Details.NoResponseWhy = ""
		}
	}
	return in
}

// CheckReferrals decides whether in may be added to a concern whose
// chronology is entries: a response must answer a referral of that concern,
// and closing while referrals await a response needs a reason
// (ErrReferralsAwaitResponse). It is checked beside ApplyEntry by whoever
// has read the chronology.
func CheckReferrals(in EntryInput, entries []Entry) error {
	switch in.Kind {
	case EntryReferralResponse:
		for _, e := range entries {
			if e.ID == in.Details.ReferralID && e.Kind == EntryReferral {
				return nil
			}
		}
		return Errorf(EINVALID, "Choose a referral of this concern")
	case EntryClosed:
		if len(AwaitingResponse(entries)) > 0 && strings.TrimSpace(in.Details.NoResponseWhy) == "" {
			return ErrReferralsAwaitResponse
		}
	}
	return nil
}

// AboutPupilsKinds are the entries that may be about named pupils of a
// concern rather than the whole of it; the rest are about the whole.
var AboutPupilsKinds = []EntryKind{EntryAction, EntryConversationChild, EntryContactParents, EntryDecision, EntryReferral,
	EntryReferralResponse, EntryOutcome, EntryBodyMap}

// EntryPupils are the pupils entry in is about, as it is recorded on
// concern c: those it names, each a pupil of c; a conversation with a
// child is always about the child or children it was with, which with one
// pupil is that pupil. problem says what is wrong, "" if nothing is.
func EntryPupils(c Concern, in EntryInput) (pupils []int64, problem string) {
	for _, id := range in.PupilIDs {
		if !slices.ContainsFunc(c.Pupils, func(p PupilRef) bool { return p.ID == id }) || slices.Contains(pupils, id) {
			return nil, "Choose pupils of this concern"
		}
		pupils = append(pupils, id)
	}
	if len(pupils) > 0 && !slices.Contains(AboutPupilsKinds, in.Kind) {
		return nil, "This entry is about the whole concern: do not choose pupils for it"
	}
	if in.Kind == EntryBodyMap {
		switch {
		case len(pupils) > 1:
			return nil, "Choose the one child the marks were seen on"
		case len(pupils) == 0 && len(c.Pupils) == 1:
			return []int64{c.Pupils[0].ID}, ""
		case len(pupils) == 0 && len(c.Pupils) > 1:
			return nil, "Choose the child the marks were seen on"
		}
	}
	if in.Kind == EntryConversationChild && len(pupils) == 0 {
		if len(c.Pupils) == 1 {
			return []int64{c.Pupils[0].ID}, ""
		}
		if len(c.Pupils) > 1 {
			return nil, "Choose the child or children the conversation was with"
		}
	}
	return pupils, ""
}

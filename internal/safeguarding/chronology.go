package safeguarding

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"slices"
	"time"
)

// EntryKind is what a chronology entry records (policy §11.13, §11.15, §11.17).
type EntryKind string

const (
	EntryConcernLogged      EntryKind = "concern_logged"      // the original concern
	EntryFurtherInformation EntryKind = "further_information" // added by the member of staff who logged it
	EntryAcknowledged       EntryKind = "acknowledged"        // triage: the DSL has seen it
	EntryAssigned           EntryKind = "assigned"            // triage: given to a DSL or deputy
	EntryStatusChanged      EntryKind = "status_changed"
	EntryAction             EntryKind = "action"                  // something done
	EntryConversationChild  EntryKind = "conversation_with_child" // the child's wishes and feelings (§11.13)
	EntryContactParents     EntryKind = "contact_with_parents"    // with the judgement that it was safe (§11.15)
	EntryDecision           EntryKind = "decision"                // with the reason for it (§11.17)
	EntryReferral           EntryKind = "referral"                // to an agency, with reference and date
	EntryReferralResponse   EntryKind = "referral_response"       // the agency's answer to a referral (§11.9–11.12)
	EntryFeedback           EntryKind = "feedback"                // to the member of staff who raised it (§11.9)
	EntryOutcome            EntryKind = "outcome"
	EntryClosed             EntryKind = "closed"   // requires an outcome
	EntryReopened           EntryKind = "reopened" // requires a reason
	EntryCorrection         EntryKind = "correction"
	EntryMoved              EntryKind = "moved" // to the subject it is really about, with a reason (ApplyMove)
	// EntryPartRecorded: one child's part, signs and words, recorded by a
	// case handler for a concern logged before parts were (ApplyAttribution).
	// One per child, about that child, so no child's file holds another's.
	EntryPartRecorded EntryKind = "part_recorded"
	// EntryBodyMap: where on a child's body injuries or marks were seen
	// (Details.Marks), about one child (bodymap.go).
	EntryBodyMap EntryKind = "body_map"
)

// Label is the entry kind as a heading in the chronology.
func (k EntryKind) Label() string {
	switch k {
	case EntryConcernLogged:
		return "Concern logged"
	case EntryFurtherInformation:
		return "Further information from the member of staff"
	case EntryAcknowledged:
		return "Acknowledged"
	case EntryAssigned:
		return "Assigned"
	case EntryStatusChanged:
		return "Status changed"
	case EntryAction:
		return "Action taken"
	case EntryConversationChild:
		return "Conversation with the child"
	case EntryContactParents:
		return "Contact with parents or carers"
	case EntryDecision:
		return "Decision"
	case EntryReferral:
		return "Referral"
	case EntryReferralResponse:
		return "Response to a referral"
	case EntryFeedback:
		return "Feedback to the member of staff"
	case EntryOutcome:
		return "Outcome"
	case EntryClosed:
		return "Closed"
	case EntryReopened:
		return "Reopened"
	case EntryCorrection:
		return "Correction"
	case EntryMoved:
		return "Moved to the right person"
	case EntryPartRecorded:
		return "Child's part recorded"
	case EntryBodyMap:
		return "Body map"
	}
	return string(k)
}

// RecordableKinds are the entries a case handler writes from the concern
// page's "Add to the chronology" form.
var RecordableKinds = []EntryKind{EntryAction, EntryConversationChild, EntryContactParents, EntryDecision,
	EntryReferral, EntryReferralResponse, EntryFeedback, EntryOutcome, EntryCorrection}

// MayBeBackDated reports whether an entry of kind records something done,
// which may have happened before it was written: not triage, a status
// change, logging, closing or reopening, which happen as they are written.
func (k EntryKind) MayBeBackDated() bool {
	switch k {
	case EntryAction, EntryConversationChild, EntryContactParents, EntryDecision, EntryReferral,
		EntryReferralResponse, EntryFeedback, EntryOutcome:
		return true
	}
	return false
}

// EntryDetails holds the structured fields some kinds of entry need.
type EntryDetails struct {
	Reason       string `json:"reason,omitempty"`        // a decision's reason
	Agency       Agency `json:"agency,omitempty"`        // a referral's agency
	AgencyOther  string `json:"agency_other,omitempty"`  // named when Agency is other
	Reference    string `json:"reference,omitempty"`     // a referral's reference
	ReferredOn   string `json:"referred_on,omitempty"`   // a referral's date, YYYY-MM-DD
	SafeToTell   bool   `json:"safe_to_tell,omitempty"`  // §11.15: telling parents would not put the child or others at risk
	Judgement    string `json:"judgement,omitempty"`     // §11.15: why that is so
	AssigneeID   int64  `json:"assignee_id,omitempty"`   // assigned
	AssigneeName string `json:"assignee_name,omitempty"` // assigned
	FromStatus   Status `json:"from_status,omitempty"`   // status changed
	ToStatus     Status `json:"to_status,omitempty"`     // status changed
	CorrectsKind string `json:"corrects_kind,omitempty"` // what a correction corrects
	ToSubject    string `json:"to_subject,omitempty"`    // moved: whom the concern is now about

	// Added later; omitempty keeps every earlier entry's details, and so
	// its hash, as they were.
	HappenedReason string `json:"happened_reason,omitempty"`    // why it is recorded more than 7 days after it happened
	ReferralID     int64  `json:"referral_id,omitempty"`        // a response: the referral entry it answers
	AgencyAction   string `json:"agency_action,omitempty"`      // a response: what the agency will do
	AgencyContact  string `json:"agency_contact,omitempty"`     // a response: who at the agency
	RespondedOn    string `json:"responded_on,omitempty"`       // a response: when the agency answered, YYYY-MM-DD
	NoResponseWhy  string `json:"no_response_reason,omitempty"` // closed: why referrals without a response do not hold it open
	// A response: whether the agency will carry out a statutory
	// investigation, and when it will not, what the school does next and
	// why (§11.11–11.12).
	Statutory      Statutory `json:"statutory_investigation,omitempty"`
	NextStep       NextStep  `json:"next_step,omitempty"`
	NextStepReason string    `json:"next_step_reason,omitempty"`

	// Part is the child's part, signs and words a part_recorded entry
	// records; the entry names the child (Entry.PupilIDs).
	Part        Part     `json:"part,omitempty"`
	Indicators  []string `json:"indicators,omitempty"`
	ChildsWords string   `json:"childs_words,omitempty"`

	// Marks are a body map's injuries or marks (EntryBodyMap).
	Marks []BodyMark `json:"marks,omitempty"`
}

// Entry is one line of a concern's chronology. Entries are never edited or
// deleted; a correction is a new entry that names the one it corrects.
type Entry struct {
	SchoolID   int64
	ID         int64
	ConcernID  int64
	Kind       EntryKind
	AuthorID   int64
	AuthorName string
	At         time.Time
	Body       string
	Details    EntryDetails
	CorrectsID int64
	// PupilIDs are the pupils of the concern the entry is about; none means
	// the whole concern. A pupil's file shows only the entries about them or
	// about the whole concern (AboutPupil).
	PupilIDs []int64
	// HappenedAt is when what the entry records happened, when that was
	// before it was written (At); the zero time means when it was written.
	HappenedAt time.Time
	PrevHash   []byte
	Hash       []byte
}

// When is when what the entry records happened: HappenedAt if it was
// given, else when it was written. Chronologies are ordered by it.
func (e Entry) When() time.Time {
	if e.HappenedAt.IsZero() {
		return e.At
	}
	return e.HappenedAt
}

// BackDated reports whether the entry says it happened before it was written.
func (e Entry) BackDated() bool { return !e.HappenedAt.IsZero() && e.HappenedAt.Before(e.At) }

// AboutPupil reports whether the entry belongs on pupil's file: it is about
// the whole concern, or names the pupil.
func (e Entry) AboutPupil(pupil int64) bool {
	return len(e.PupilIDs) == 0 || slices.Contains(e.PupilIDs, pupil)
}

// ChainHash is the hash that links an entry to the one before it in its
// concern's chronology: SHA-256 over the previous hash and every stored
// field of the entry, each length-prefixed so no two entries can collide by
// moving bytes between fields. A later change to any stored entry breaks
// every hash after it, which `haven verify` detects.
func ChainHash(prev []byte, e Entry) []byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	num := func(i int64) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(i))
		field(n[:])
	}
	details, _ := json.Marshal(e.Details) // a struct of strings, ints, bools and slices of them cannot fail
	field(prev)
	num(e.SchoolID)
	num(e.ConcernID)
	field([]byte(e.Kind))
	num(e.AuthorID)
	num(e.At.UTC().UnixMicro())
	field([]byte(e.Body))
	field(details)
	num(e.CorrectsID)
	// Added later, and hashed only when set, so that every entry written
	// before them keeps its hash. Each is tagged so neither can pass for
	// the other.
	if len(e.PupilIDs) > 0 {
		field([]byte("pupils"))
		num(int64(len(e.PupilIDs)))
		for _, id := range e.PupilIDs {
			num(id)
		}
	}
	if !e.HappenedAt.IsZero() {
		field([]byte("happened_at"))
		num(e.HappenedAt.UTC().UnixMicro())
	}
	return h.Sum(nil)
}

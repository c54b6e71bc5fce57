package safeguarding

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// entryFields are the names Problems may use: the entry form's fields.
var entryFields = []string{"kind", "body", "safe_to_tell", "judgement", "reason", "agency", "agency_other", "referred_on", "corrects",
	"referral", "agency_action", "responded_on", "statutory", "next_step", "next_step_reason"}

var allEntryKinds = []EntryKind{EntryConcernLogged, EntryFurtherInformation, EntryAcknowledged, EntryAssigned, EntryStatusChanged,
	EntryAction, EntryConversationChild, EntryContactParents, EntryDecision, EntryReferral, EntryReferralResponse, EntryFeedback, EntryOutcome,
	EntryClosed, EntryReopened, EntryCorrection}

// FuzzEntryProblems: Problems names only the form's fields, with a message
// for each, and an entry with no problems has everything its kind needs
// (policy §11.13, §11.15, §11.17).
func FuzzEntryProblems(f *testing.F) {
	for _, k := range allEntryKinds {
		f.Add(string(k), "Phoned the form tutor.", "Meets the threshold.", "No risk from mum.", true, "cscs", "", "2026-03-26", int64(3))
		f.Add(string(k), " \t\r\n", "", " ", false, "", "", "", int64(0))
	}
	f.Add("referral", "", "", "", false, "other", " ", "2026-02-31", int64(0))
	f.Add("referral", "", "", "", false, "other", "School nurse", "26/03/2026", int64(0))
	f.Add("referral", "", "", "", false, "OTHER", "x", "2026-3-26", int64(0))
	f.Add("", "x", "x", "x", true, "police", "x", "2026-03-26", int64(-1))
	f.Add("decision\x00", "x", "x", "x", true, "police\x00", "x", "2026-03-26\x00", int64(1))
	f.Add("correction", "\u00a0\u2003", "", "", false, "", "", "", int64(9223372036854775807))

	f.Fuzz(func(t *testing.T, kind, body, reason, judgement string, safe bool, agency, agencyOther, referredOn string, corrects int64) {
		in := EntryInput{Kind: EntryKind(kind), Body: body, CorrectsID: corrects, Details: EntryDetails{Reason: reason, Judgement: judgement,
			SafeToTell: safe, Agency: Agency(agency), AgencyOther: agencyOther, ReferredOn: referredOn}}
		now := time.Date(2026, 3, 27, 11, 2, 0, 0, time.UTC)
		p := in.Problems(now)
		for field, msg := range p {
			if !slices.Contains(entryFields, field) {
				t.Fatalf("Problems names %q, which is no field of the form", field)
			}
			if strings.TrimSpace(msg) == "" {
				t.Fatalf("field %q has no message", field)
			}
		}
		if again := in.Problems(now); len(again) != len(p) {
			t.Fatal("Problems is not deterministic")
		}
		known := slices.Contains(allEntryKinds, in.Kind) && in.Kind != EntryConcernLogged // LogConcern writes that one
		if known == (p["kind"] != "") {
			t.Fatalf("kind %q: problem %q", kind, p["kind"])
		}
		if len(p) > 0 {
			return
		}
		blank := func(s string) bool { return strings.TrimSpace(s) == "" }
		switch in.Kind {
		case EntryFurtherInformation, EntryAction, EntryFeedback, EntryOutcome, EntryConversationChild, EntryClosed, EntryReopened:
			if blank(body) {
				t.Fatalf("a %s with no text", kind)
			}
		case EntryContactParents:
			if blank(body) || !safe || blank(judgement) {
				t.Fatal("contact with parents without the §11.15 judgement")
			}
		case EntryDecision:
			if blank(body) || blank(reason) {
				t.Fatal("a decision without its reason (§11.17)")
			}
		case EntryReferral:
			if !slices.Contains(Agencies, in.Details.Agency) || (in.Details.Agency == AgencyOtherAgent && blank(agencyOther)) {
				t.Fatalf("a referral to %q (%q)", agency, agencyOther)
			}
			if _, err := time.Parse(time.DateOnly, referredOn); err != nil {
				t.Fatalf("a referral on %q", referredOn)
			}
		case EntryCorrection:
			if corrects == 0 || blank(body) {
				t.Fatal("a correction of nothing, or with no text")
			}
		}
	})
}

package safeguarding

import (
	"slices"
	"time"
)

// ConcernRecord is what a concern's page shows: the concern, the entries
// of its chronology the viewer may see, and whom it may be assigned to.
type ConcernRecord struct {
	Concern Concern
	Entries []Entry    // oldest first
	Leads   []Assignee // read only when the page offers to assign the concern
	// EntryDraft is the entry the viewer was typing on the concern and has
	// not added yet, if they kept one (nil otherwise).
	EntryDraft *Draft
}

// ChildFile is everything about one pupil that a viewer may see: the pupil,
// the concerns about them, the whole chronology across those concerns, the
// CSE indicators recorded over time and the referrals still open.
type ChildFile struct {
	Pupil       PupilRef
	DateOfBirth time.Time

	// Concerns are newest first. Each one's Pupils are the other pupils it
	// is about, if any: the pupil of the file is left out of every one.
	Concerns   []Concern
	Chronology []Entry // the entries of the concerns above, in time order: all, or the latest asked for
	// ChronologyTotal is how many entries the concerns above have in all;
	// more than len(Chronology) when only the latest were read.
	ChronologyTotal int
	Indicators      []IndicatorTally // in policy order (§5.2), over every concern
	OpenReferrals   []OpenReferral   // oldest first, over every entry
}

// IndicatorTally is one CSE indicator as recorded for one child across
// concerns: how often, by how many members of staff, and when.
type IndicatorTally struct {
	Indicator Indicator
	Times     int // concerns that ticked it
	Staff     int // distinct members of staff who ticked it
	First     time.Time
	Last      time.Time
}

// TallyIndicators counts, for each CSE indicator in policy order (§5.2),
// the concerns that ticked it, the distinct members of staff who did, and
// the first and last time; indicators no concern ticked are left out.
func TallyIndicators(indicators []Indicator, concerns []Concern) []IndicatorTally {
	var out []IndicatorTally
	for _, ind := range indicators {
		t := IndicatorTally{Indicator: ind}
		staff := map[int64]bool{}
		for _, c := range concerns {
			if !slices.Contains(c.Indicators, ind.Code) {
				continue
			}
			t.Times++
			staff[c.LoggedBy] = true
			if t.First.IsZero() || c.LoggedAt.Before(t.First) {
				t.First = c.LoggedAt
			}
			if c.LoggedAt.After(t.Last) {
				t.Last = c.LoggedAt
			}
		}
		if t.Times > 0 {
			t.Staff = len(staff)
			out = append(out, t)
		}
	}
	return out
}

// OpenReferral is a referral that awaits the agency's response, whatever
// its concern's status: closing a concern does not answer its referrals.
type OpenReferral struct {
	ConcernID  int64
	EntryID    int64
	Agency     Agency
	AgencyName string // the agency's label, or its name when it is "other"
	Reference  string
	ReferredOn string // YYYY-MM-DD, as recorded
}

// OpenReferrals are the referrals among entries (the referrals and
// responses of a child's concerns) that await the agency's response.
func OpenReferrals(entries []Entry) []OpenReferral {
	var out []OpenReferral
	for _, e := range AwaitingResponse(entries) {
		out = append(out, OpenReferral{ConcernID: e.ConcernID, EntryID: e.ID, Agency: e.Details.Agency,
			AgencyName: e.Details.AgencyName(), Reference: e.Details.Reference, ReferredOn: e.Details.ReferredOn})
	}
	return out
}

// AgencyName is a referral's agency as people call it: its label, or its
// name when it is "other".
func (d EntryDetails) AgencyName() string {
	if d.Agency == AgencyOtherAgent && d.AgencyOther != "" {
		return d.AgencyOther
	}
	return d.Agency.Label()
}

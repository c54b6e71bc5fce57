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
	// Attachments are the files kept with the concern that the viewer may
	// see (MaySeeAttachment), oldest first, without their content.
	Attachments []Attachment
	// Deadlines are the concern's open deadlines, for those who see them
	// (SeesDeadlines).
	Deadlines []Deadline
}

// ChildFile is everything about one pupil that a viewer may see: the pupil,
// the concerns about them, the whole chronology across those concerns, the
// CSE indicators recorded over time and the referrals still open.
type ChildFile struct {
	Pupil             PupilRef
	DateOfBirth       time.Time
	RegistrationGroup string // their tutor group, "" if the roster has none
	// LegalName is the pupil's legal name when they go by another (Pupil
	// holds the names they go by); "" when the two are the same.
	LegalName string
	// Circumstances are the roster's flags the policy asks staff to watch
	// (§5.1, §7.4) that are set for the pupil, worded for the page: "SEND",
	// "Child looked after", …
	Circumstances []string
	// LeftOn is the day a roster import marked the pupil as left; zero
	// while they are on the roster.
	LeftOn time.Time

	// Concerns are newest first. Each one's Pupils are the other pupils it
	// is about, if any: the pupil of the file is left out of every one, and
	// each is nameless (the zero PupilRef) to a viewer who may not see their
	// files (MayNameOnFile). Each one's Parts, Indicators and ChildsWords are
	// the pupil's own only (one part, that pupil's), with the shared account
	// (WhatHappened); nothing of another pupil's is on the file.
	Concerns []Concern
	// Chronology is the entries of the concerns above about the pupil or the
	// whole concern (Entry.AboutPupil), in time order: all, or the latest
	// asked for. The body of each concern's first entry (the concern as
	// submitted, every pupil's part with it) is left out.
	Chronology []Entry
	// ChronologyTotal is how many entries the concerns above have in all;
	// more than len(Chronology) when only the latest were read.
	ChronologyTotal int
	Indicators      []IndicatorTally // in policy order (§5.2), over every concern
	OpenReferrals   []OpenReferral   // oldest first, over every entry
	// PatternFlags are the child's pattern flags that the viewer may see
	// (MaySeePatternFlag), open and reviewed, newest first.
	PatternFlags []PatternFlag
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
// the concerns that ticked it (on a child's file, for that child: each
// concern's Indicators are theirs alone), the distinct members of staff who did, and
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
	// Due is when the agency's response is due (§11.9); zero when no
	// response is owed any more (the concern was closed saying why) or the
	// viewer does not see deadlines.
	Due time.Time
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

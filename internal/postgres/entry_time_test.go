package postgres_test

import (
	"slices"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestBackDatedEntries: an entry that says it happened earlier is read in
// the concern's chronology and the child's file where it happened, with both
// times kept, while the hash chain links entries in the order written.
func TestBackDatedEntries(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	clk := &childClock{}
	db := s.db.WithClock(clk.Now)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }

	clk.at(at(27, 8, 0))
	concern := logConcern(t, db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}})
	clk.at(at(27, 10, 30))
	addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: "Refer to MASH",
		Details: safeguarding.EntryDetails{Reason: "Older adult"}})
	// Written at 11:02, the call happened at 09:10: before the decision.
	clk.at(at(27, 11, 2))
	addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Phoned MASH", HappenedAt: at(27, 9, 10)})
	// A time that is not earlier than when it is written is not kept.
	clk.at(at(27, 11, 30))
	addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryOutcome, Body: "Plan agreed", HappenedAt: at(27, 11, 30)})

	kinds := func(entries []safeguarding.Entry) []safeguarding.EntryKind {
		var out []safeguarding.EntryKind
		for _, e := range entries {
			out = append(out, e.Kind)
		}
		return out
	}
	want := []safeguarding.EntryKind{safeguarding.EntryConcernLogged, safeguarding.EntryAction, safeguarding.EntryDecision, safeguarding.EntryOutcome}

	t.Run("ConcernChronologyInTheOrderThingsHappened", func(t *testing.T) {
		rec, err := s.db.ConcernRecord(ctx, s.dsl, concern, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(rec.Entries); !slices.Equal(got, want) {
			t.Fatalf("chronology = %v, want %v", got, want)
		}
		call := rec.Entries[1]
		if !call.HappenedAt.Equal(at(27, 9, 10)) || !call.At.Equal(at(27, 11, 2)) || !call.BackDated() {
			t.Errorf("the call happened %s, written %s", call.HappenedAt, call.At)
		}
		if !rec.Entries[3].HappenedAt.IsZero() {
			t.Errorf("an entry said to happen as it was written keeps a time: %s", rec.Entries[3].HappenedAt)
		}
	})
	t.Run("ChildsFileInTheOrderThingsHappened", func(t *testing.T) {
		f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(f.Chronology); !slices.Equal(got, want) {
			t.Fatalf("child's chronology = %v, want %v", got, want)
		}
		f, err = s.db.ChildFile(ctx, s.dsl, s.ruby, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(f.Chronology); !slices.Equal(got, want[2:]) {
			t.Fatalf("the latest two = %v, want %v", got, want[2:])
		}
	})
	t.Run("TheChainStillVerifies", func(t *testing.T) {
		if _, breaks, err := postgres.VerifyChronology(ctx, s.connString); err != nil || len(breaks) != 0 {
			t.Fatalf("verify: %v %v", breaks, err)
		}
	})
}

// TestReferralResponses: closing a concern while a referral awaits the
// agency's response needs a reason; the referral stays on the child's file
// after the concern closes, until its response is recorded.
func TestReferralResponses(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	concern := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}})
	other := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.tom}, Categories: []string{"cse"}})
	addEntry(t, s.db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyPolice, Reference: "POL-9", ReferredOn: "2026-03-26"}})
	addEntry(t, s.db, s.dsl, other, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, ReferredOn: "2026-03-26"}})
	referral := func(concernID int64) int64 {
		rec, err := s.db.ConcernRecord(ctx, s.dsl, concernID, nil)
		if err != nil {
			t.Fatal(err)
		}
		return safeguarding.AwaitingResponse(rec.Entries)[0].ID
	}
	policeReferral := referral(concern)
	awaiting := func() []int64 {
		t.Helper()
		f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range f.OpenReferrals {
			ids = append(ids, r.EntryID)
		}
		return ids
	}
	closing := safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "No further action by school"}

	t.Run("ErrClosingWithoutTheResponseOrAReason", func(t *testing.T) {
		err := s.db.AddEntry(ctx, s.dsl, concern, closing)
		if err != safeguarding.ErrReferralsAwaitResponse {
			t.Fatalf("closed with a referral awaiting its response: %v", err)
		}
	})
	t.Run("ErrResponseToAnotherConcernsReferral", func(t *testing.T) {
		err := s.db.AddEntry(ctx, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferralResponse,
			Details: safeguarding.EntryDetails{ReferralID: referral(other), AgencyAction: "x", RespondedOn: "2026-03-27"}})
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Fatalf("a response to another concern's referral: %v", err)
		}
	})
	t.Run("ClosedWithAReasonTheReferralStaysListed", func(t *testing.T) {
		in := closing
		in.Details.NoResponseWhy = "The police answer by letter"
		addEntry(t, s.db, s.dsl, concern, in)
		if got := awaiting(); !slices.Equal(got, []int64{policeReferral}) {
			t.Fatalf("awaiting a response = %v, want %v", got, []int64{policeReferral})
		}
	})
	t.Run("TheResponseIsRecordedOnTheClosedConcern", func(t *testing.T) {
		addEntry(t, s.db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferralResponse,
			Details: safeguarding.EntryDetails{ReferralID: policeReferral, AgencyAction: "No further action", AgencyContact: "DC Lee", RespondedOn: "2026-03-27"}})
		if got := awaiting(); len(got) != 0 {
			t.Fatalf("a referral with its response is still listed: %v", got)
		}
		c, err := s.db.Concern(ctx, s.dsl, concern)
		if err != nil || c.Status != safeguarding.StatusClosed {
			t.Fatalf("the response changed the concern: %s %v", c.Status, err)
		}
	})
}

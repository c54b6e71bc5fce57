package safeguarding

import (
	"slices"
	"testing"
	"time"
)

var (
	testNow = time.Date(2026, 3, 27, 11, 2, 0, 0, time.UTC)
	testDSL = Viewer{SchoolID: 1, PersonID: 7, Name: "Dana Lead", Roles: Roles{RoleDSL}}
)

func openConcern(status Status) Concern {
	return Concern{SchoolID: 1, ID: 3, Route: RouteChild, SubjectKind: SubjectPupils, Status: status, LoggedBy: 9}
}

func TestEntryProblemsHappenedAt(t *testing.T) {
	action := func(at time.Time, reason string) EntryInput {
		return EntryInput{Kind: EntryAction, Body: "Phoned MASH", HappenedAt: at, Details: EntryDetails{HappenedReason: reason}}
	}
	t.Run("OK earlier today", func(t *testing.T) {
		if p := action(testNow.Add(-2*time.Hour), "").Problems(testNow); len(p) != 0 {
			t.Fatalf("problems: %v", p)
		}
	})
	t.Run("OK blank means now", func(t *testing.T) {
		if p := action(time.Time{}, "").Problems(testNow); len(p) != 0 {
			t.Fatalf("problems: %v", p)
		}
	})
	t.Run("ErrFuture", func(t *testing.T) {
		p := action(testNow.Add(time.Minute), "").Problems(testNow)
		if p["happened_at"] == "" {
			t.Fatalf("a time in the future was accepted: %v", p)
		}
	})
	t.Run("ErrMoreThan7DaysWithoutReason", func(t *testing.T) {
		p := action(testNow.Add(-BackDateLimit-time.Minute), " ").Problems(testNow)
		if p["happened_reason"] == "" {
			t.Fatalf("an entry 7 days late was accepted without a reason: %v", p)
		}
	})
	t.Run("OK exactly 7 days", func(t *testing.T) {
		if p := action(testNow.Add(-BackDateLimit), "").Problems(testNow); len(p) != 0 {
			t.Fatalf("problems: %v", p)
		}
	})
	t.Run("OK more than 7 days with a reason", func(t *testing.T) {
		if p := action(testNow.Add(-30*24*time.Hour), "Found in the pastoral log").Problems(testNow); len(p) != 0 {
			t.Fatalf("problems: %v", p)
		}
	})
}

func TestApplyEntryHappenedAt(t *testing.T) {
	earlier := testNow.Add(-90 * time.Minute)
	cases := []struct {
		name string
		in   EntryInput
		want time.Time
	}{
		{"earlier is kept", EntryInput{Kind: EntryAction, Body: "x", HappenedAt: earlier}, earlier},
		{"now is not back-dated", EntryInput{Kind: EntryAction, Body: "x", HappenedAt: testNow}, time.Time{}},
		{"a status change happens as written", EntryInput{Kind: EntryStatusChanged, HappenedAt: earlier,
			Details: EntryDetails{ToStatus: StatusInProgress}}, time.Time{}},
		{"closing happens as written", EntryInput{Kind: EntryClosed, Body: "x", HappenedAt: earlier}, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, _, err := ApplyEntry(testDSL, openConcern(StatusAcknowledged), tc.in, Person{}, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if !e.HappenedAt.Equal(tc.want) || !e.At.Equal(testNow) {
				t.Fatalf("happened %v written %v, want happened %v", e.HappenedAt, e.At, tc.want)
			}
		})
	}
}

func TestApplyEntryKeepsALateReasonOnlyWhenLate(t *testing.T) {
	reason := EntryDetails{HappenedReason: "Found in the pastoral log"}
	for _, tc := range []struct {
		name string
		at   time.Time
		kept bool
	}{
		{"not back-dated", time.Time{}, false},
		{"a day back", testNow.Add(-24 * time.Hour), false},
		{"ten days back", testNow.Add(-10 * 24 * time.Hour), true},
	} {
		in := EntryInput{Kind: EntryAction, Body: "x", HappenedAt: tc.at, Details: reason}
		e, _, err := ApplyEntry(testDSL, openConcern(StatusAcknowledged), in, Person{}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if (e.Details.HappenedReason != "") != tc.kept {
			t.Errorf("%s: reason %q", tc.name, e.Details.HappenedReason)
		}
	}
}

func TestReferralResponses(t *testing.T) {
	referral := Entry{ID: 10, ConcernID: 3, Kind: EntryReferral, Details: EntryDetails{Agency: AgencyCSCS}}
	other := Entry{ID: 11, ConcernID: 3, Kind: EntryReferral, Details: EntryDetails{Agency: AgencyPolice}}
	response := Entry{ID: 12, ConcernID: 3, Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 10}}
	closing := EntryInput{Kind: EntryClosed, Body: "No further action"}

	t.Run("AwaitingResponse", func(t *testing.T) {
		got := AwaitingResponse([]Entry{referral, other, response})
		if len(got) != 1 || got[0].ID != 11 {
			t.Fatalf("awaiting: %v", got)
		}
		if refs := OpenReferrals([]Entry{referral, other, response}); len(refs) != 1 || refs[0].EntryID != 11 || refs[0].AgencyName != AgencyPolice.Label() {
			t.Fatalf("open referrals: %+v", refs)
		}
	})
	t.Run("ErrClosingWithoutResponseOrReason", func(t *testing.T) {
		if err := CheckReferrals(closing, []Entry{referral, other, response}); err != ErrReferralsAwaitResponse {
			t.Fatalf("closing with a referral awaiting its response: %v", err)
		}
	})
	t.Run("OK closing with a reason", func(t *testing.T) {
		in := closing
		in.Details.NoResponseWhy = "The police said they would not respond in writing"
		if err := CheckReferrals(in, []Entry{referral, other, response}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OK closing once every referral has its response", func(t *testing.T) {
		if err := CheckReferrals(closing, []Entry{referral, response}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrResponseToNoReferral", func(t *testing.T) {
		in := EntryInput{Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 12}}
		if ErrorCode(CheckReferrals(in, []Entry{referral, response})) != EINVALID {
			t.Fatal("a response naming an entry that is not a referral was accepted")
		}
	})
	t.Run("ResponseProblems", func(t *testing.T) {
		p := EntryInput{Kind: EntryReferralResponse}.Problems(testNow)
		for _, f := range []string{"referral", "agency_action", "responded_on"} {
			if p[f] == "" {
				t.Errorf("no problem with %s: %v", f, p)
			}
		}
	})
	t.Run("OK response after the concern closed", func(t *testing.T) {
		in := EntryInput{Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 10, AgencyAction: "Assessment", RespondedOn: "2026-03-26"}}
		_, after, err := ApplyEntry(testDSL, openConcern(StatusClosed), in, Person{}, testNow)
		if err != nil || after.Status != StatusClosed {
			t.Fatalf("status %s, err %v", after.Status, err)
		}
	})
}

// A response to a referral about one child is about that child, unless it
// names pupils itself; one to a referral about the whole concern is too. A
// reason for closing without responses is kept only while one is awaited.
func TestFitToReferrals(t *testing.T) {
	entries := []Entry{
		{ID: 10, Kind: EntryReferral, PupilIDs: []int64{7}},
		{ID: 11, Kind: EntryReferral},
	}
	for _, tc := range []struct {
		in   EntryInput
		want []int64
	}{
		{EntryInput{Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 10}}, []int64{7}},
		{EntryInput{Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 11}}, nil},
		{EntryInput{Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 10}, PupilIDs: []int64{8}}, []int64{8}},
		{EntryInput{Kind: EntryAction, Details: EntryDetails{ReferralID: 10}}, nil},
	} {
		if got := FitToReferrals(tc.in, entries).PupilIDs; !slices.Equal(got, tc.want) {
			t.Errorf("%s answering %d naming %v: about %v, want %v", tc.in.Kind, tc.in.Details.ReferralID, tc.in.PupilIDs, got, tc.want)
		}
	}
	closing := EntryInput{Kind: EntryClosed, Body: "Done", Details: EntryDetails{NoResponseWhy: "The agency closed its case"}}
	if got := FitToReferrals(closing, entries).Details.NoResponseWhy; got != closing.Details.NoResponseWhy {
		t.Errorf("closing while referrals await a response keeps the reason %q, want %q", got, closing.Details.NoResponseWhy)
	}
	answered := append(entries, Entry{ID: 12, Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 10}},
		Entry{ID: 13, Kind: EntryReferralResponse, Details: EntryDetails{ReferralID: 11}})
	if got := FitToReferrals(closing, answered).Details.NoResponseWhy; got != "" {
		t.Errorf("closing with every referral answered keeps the reason %q", got)
	}
}

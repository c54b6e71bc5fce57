package safeguarding_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// OverdueBefore agrees with working out every deadline's due date: a
// deadline counted from a day before it is overdue, from it or later is not,
// across weekends, bank holidays and closure days.
func TestOverdueBefore(t *testing.T) {
	christmas := safeguarding.Closure{From: day("2026-12-21"), To: day("2027-01-01"), Reason: "Christmas holidays"}
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), []safeguarding.Closure{christmas})
	for _, n := range []int{1, 2, 5} {
		for now := day("2026-12-01").Add(10 * time.Hour); now.Before(day("2027-01-20")); now = now.Add(24 * time.Hour) {
			before := cal.OverdueBefore(n, now)
			for from := day("2026-11-01"); from.Before(day("2027-01-20")); from = from.AddDate(0, 0, 1) {
				overdue := safeguarding.Overdue(cal.AddWorkingDays(from, n), now)
				if overdue != from.Before(before) {
					t.Fatalf("%d working days from %s at %s: overdue %v, but OverdueBefore is %s", n, from.Format(time.DateOnly), now, overdue, before.Format(time.DateOnly))
				}
			}
		}
	}
}

// A response to a referral made on a Friday is due on the Monday, and
// overdue from the Tuesday; feedback owed from a Thursday is due the
// Monday after.
func TestDueOnAndState(t *testing.T) {
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	due := cal.DueOn(safeguarding.DeadlineReferralResponse, day("2026-10-09"))
	if !due.Equal(day("2026-10-12")) {
		t.Fatalf("due %s, want Monday 12 October", due)
	}
	for at, want := range map[string]safeguarding.DueState{
		"2026-10-09T16:00:00Z": safeguarding.NotYetDue,
		"2026-10-12T08:00:00Z": safeguarding.DueToday,
		"2026-10-12T22:59:00Z": safeguarding.DueToday, // 23:59 in London
		"2026-10-12T23:01:00Z": safeguarding.PastDue,  // Tuesday in London
	} {
		now, _ := time.Parse(time.RFC3339, at)
		if got := safeguarding.StateAt(due, now); got != want {
			t.Errorf("at %s: %v, want %v", at, got, want)
		}
	}
	if got := cal.DueOn(safeguarding.DeadlineFeedback, day("2026-10-08")); !got.Equal(day("2026-10-12")) {
		t.Errorf("feedback from Thursday due %s, want Monday", got)
	}
}

// The Due view lists overdue deadlines first, then the soonest.
func TestSortDeadlines(t *testing.T) {
	now := day("2026-10-14").Add(9 * time.Hour)
	ds := []safeguarding.Deadline{{ID: 1, Due: day("2026-10-20")}, {ID: 2, Due: day("2026-10-12")}, {ID: 3, Due: day("2026-10-14")}, {ID: 4, Due: day("2026-10-13")}}
	safeguarding.SortDeadlines(ds, now)
	var got []int64
	for _, d := range ds {
		got = append(got, d.ID)
	}
	if want := []int64{2, 4, 3, 1}; !equalIDs(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Which entries open and meet deadlines.
func TestDeadlinesOfEntries(t *testing.T) {
	referral := safeguarding.Entry{ID: 7, ConcernID: 3, Kind: safeguarding.EntryReferral, Details: safeguarding.EntryDetails{ReferredOn: "2026-10-09"}}
	d, ok := safeguarding.DeadlineOpened(referral)
	if !ok || d.Kind != safeguarding.DeadlineReferralResponse || d.EntryID != 7 || !d.From.Equal(day("2026-10-09")) {
		t.Errorf("a referral opens %+v, %v", d, ok)
	}
	if _, ok := safeguarding.DeadlineOpened(safeguarding.Entry{Kind: safeguarding.EntryAction}); ok {
		t.Error("an action opens a deadline")
	}
	for _, tc := range []struct {
		e       safeguarding.Entry
		kind    safeguarding.DeadlineKind
		entryID int64
		ok      bool
	}{
		{safeguarding.Entry{Kind: safeguarding.EntryReferralResponse, Details: safeguarding.EntryDetails{ReferralID: 7}}, safeguarding.DeadlineReferralResponse, 7, true},
		{safeguarding.Entry{Kind: safeguarding.EntryFeedback}, safeguarding.DeadlineFeedback, 0, true},
		{safeguarding.Entry{Kind: safeguarding.EntryClosed, Details: safeguarding.EntryDetails{NoResponseWhy: "The police said by phone"}}, safeguarding.DeadlineReferralResponse, 0, true},
		{safeguarding.Entry{Kind: safeguarding.EntryClosed}, "", 0, false},
		{safeguarding.Entry{Kind: safeguarding.EntryAction}, "", 0, false},
	} {
		kind, id, ok := safeguarding.DeadlinesMet(tc.e)
		if kind != tc.kind || id != tc.entryID || ok != tc.ok {
			t.Errorf("%s meets %q %d %v, want %q %d %v", tc.e.Kind, kind, id, ok, tc.kind, tc.entryID, tc.ok)
		}
	}
}

// A response says whether the agency investigates; "no statutory
// investigation" asks for the next step and its reason (§11.11–11.12).
func TestResponseNextStep(t *testing.T) {
	now := day("2026-10-14").Add(9 * time.Hour)
	base := safeguarding.EntryDetails{ReferralID: 7, AgencyAction: "Assessment", RespondedOn: "2026-10-13"}
	in := safeguarding.EntryInput{Kind: safeguarding.EntryReferralResponse, Details: base}
	if p := in.Problems(now); p["statutory"] == "" {
		t.Errorf("no answer about an investigation: %v", p)
	}
	in.Details.Statutory = safeguarding.NoStatutoryInvestigation
	if p := in.Problems(now); p["next_step"] == "" || p["next_step_reason"] == "" {
		t.Errorf("no statutory investigation and no next step: %v", p)
	}
	in.Details.NextStep, in.Details.NextStepReason = safeguarding.NextStepEarlyHelp, "The family agreed to early help"
	if p := in.Problems(now); len(p) != 0 {
		t.Errorf("a complete response: %v", p)
	}
	in.Details.Statutory = safeguarding.StatutoryInvestigation
	if p := in.Problems(now); len(p) != 0 {
		t.Errorf("an investigation with a leftover next step: %v", p)
	}
}

// OverdueAmong counts the open deadlines past their day, of every kind, on
// the school's calendar: a closure day moves a transfer's day, and a
// deadline due today is not yet overdue.
func TestOverdueAmong(t *testing.T) {
	inset := safeguarding.Closure{From: day("2026-11-11"), To: day("2026-11-11"), Reason: "INSET day"}
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), []safeguarding.Closure{inset})
	monday := day("2026-11-16").Add(9 * time.Hour)
	ds := []safeguarding.DeadlinesFrom{
		{Kind: safeguarding.DeadlineReferralResponse, From: day("2026-11-12"), N: 2}, // due Friday: overdue
		{Kind: safeguarding.DeadlineReferralResponse, From: day("2026-11-13"), N: 1}, // due Monday: today
		{Kind: safeguarding.DeadlineFeedback, From: day("2026-11-10"), N: 1},         // due Friday, past the INSET day: overdue
		{Kind: safeguarding.DeadlineTransfer, From: day("2026-11-06"), N: 4},         // due Monday, past the INSET day: today
		{Kind: safeguarding.DeadlineTransfer, From: day("2026-11-05"), N: 3},         // due Friday: overdue
	}
	if got := cal.OverdueAmong(ds, monday); got != 6 {
		t.Errorf("overdue on Monday: %d, want 6", got)
	}
	if got := safeguarding.TransferDue(cal, day("2026-11-06")); !got.Equal(day("2026-11-16")) {
		t.Errorf("transfer due %s, want Monday 16 November", got.Format(time.DateOnly))
	}
}

// The transfers due are in the Due view of whom has it and may transfer
// files: today, the DSL and deputies.
func TestMaySeeTransfersDue(t *testing.T) {
	for _, r := range []safeguarding.Role{safeguarding.RoleDSL, safeguarding.RoleDeputyDSL} {
		if !safeguarding.MaySeeTransfersDue(safeguarding.Roles{r}) {
			t.Errorf("%s does not see transfers due", r)
		}
	}
	for _, r := range []safeguarding.Role{safeguarding.RoleStaff, safeguarding.RolePrincipal, safeguarding.RoleAdmin} {
		if safeguarding.MaySeeTransfersDue(safeguarding.Roles{r}) {
			t.Errorf("%s sees transfers due", r)
		}
	}
}

package postgres_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// A referral recorded on a Friday afternoon is due on the Monday, on the
// Tuesday when that Monday is a bank holiday, and later still when the
// school is closed; the header's count follows the calendar at once.
func TestReferralResponseDue(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	clk := &childClock{}
	friday := time.Date(2026, 10, 9, 15, 30, 0, 0, time.UTC) // 16:30 in London
	clk.at(friday)
	db := s.db.WithClock(clk.Now)
	concern := logConcern(t, db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}})
	addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-1", ReferredOn: "2026-10-09"}})

	due := func(db *postgres.DB, v safeguarding.Viewer) ([]safeguarding.Deadline, error) {
		list, err := db.Due(ctx, v, 100)
		if err == nil && (list.Total != len(list.Deadlines)) {
			t.Errorf("%d deadlines listed of %d", len(list.Deadlines), list.Total)
		}
		return list.Deadlines, err
	}
	check := func(t *testing.T, ds []safeguarding.Deadline, want string) {
		t.Helper()
		for _, d := range ds {
			if d.Kind == safeguarding.DeadlineReferralResponse {
				if got := d.Due.Format(time.DateOnly); got != want {
					t.Errorf("response due %s, want %s", got, want)
				}
				if d.What != safeguarding.AgencyCSCS.Label() || d.ConcernID != concern {
					t.Errorf("deadline %+v", d)
				}
				return
			}
		}
		t.Errorf("no response due among %+v", ds)
	}
	t.Run("DueMonday", func(t *testing.T) {
		ds, err := due(db, s.dsl)
		if err != nil {
			t.Fatal(err)
		}
		check(t, ds, "2026-10-12")
	})
	t.Run("DueTuesdayWhenMondayIsABankHoliday", func(t *testing.T) {
		holidays := safeguarding.DefaultBankHolidays()
		holidays[time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC)] = "A bank holiday for the test"
		ds, err := due(db.WithBankHolidays(holidays), s.dsl)
		if err != nil {
			t.Fatal(err)
		}
		check(t, ds, "2026-10-13")
	})
	t.Run("OverdueCountFollowsClosureDays", func(t *testing.T) {
		clk.at(time.Date(2026, 10, 13, 9, 0, 0, 0, time.UTC)) // Tuesday
		count := func() int {
			t.Helper()
			n, err := db.OverdueCount(ctx, s.dsl, 100)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The response is overdue; feedback owed since Friday is due today.
		if n := count(); n != 1 {
			t.Fatalf("overdue on Tuesday: %d, want 1 (the response)", n)
		}
		inset := safeguarding.Closure{From: time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), Reason: "INSET day"}
		if err := db.AddClosure(ctx, s.admin, inset, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Errorf("overdue on Tuesday after an INSET day on Monday: %d, want 0", n)
		}
		ds, err := due(db, s.dsl)
		if err != nil {
			t.Fatal(err)
		}
		check(t, ds, "2026-10-13")
		closures, err := db.ClosureDays(ctx, s.dsl)
		if err != nil || len(closures) != 1 {
			t.Fatalf("closure days %v, %v", closures, err)
		}
		if err := db.RemoveClosure(ctx, s.deputy, closures[0].ID, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 1 {
			t.Errorf("overdue once the INSET day is removed: %d, want 1", n)
		}
	})
	t.Run("OnlyTheDSLAndDeputies", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.chair, s.governor, s.admin} {
			if _, err := due(db, v); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
				t.Errorf("%s: %v, want EFORBIDDEN", v.Name, err)
			}
			if n, err := db.OverdueCount(ctx, v, 100); n != 0 || err != nil {
				t.Errorf("%s counts %d, %v", v.Name, n, err)
			}
		}
		if n, err := db.OverdueCount(ctx, s.deputy, 100); n != 1 || err != nil {
			t.Errorf("the deputy counts %d, %v", n, err)
		}
	})
	t.Run("ErrClosureDaysBySomeoneElse", func(t *testing.T) {
		inset := safeguarding.Closure{From: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Reason: "INSET day"}
		for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.governor} {
			if err := db.AddClosure(ctx, v, inset, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
				t.Errorf("%s added closure days: %v", v.Name, err)
			}
		}
	})
	// §11.10: nothing waits on the agency; the concern takes every action
	// while its referral awaits a response.
	t.Run("OpenForActionsWhileTheReferralIsPending", func(t *testing.T) {
		for _, in := range []safeguarding.EntryInput{
			{Kind: safeguarding.EntryAction, Body: "Safety plan agreed with Ruby"},
			{Kind: safeguarding.EntryConversationChild, Body: "Ruby wants to stay in her classes"},
			{Kind: safeguarding.EntryDecision, Body: "Separate timetable", Details: safeguarding.EntryDetails{Reason: "Keep her safe at school"}},
			{Kind: safeguarding.EntryContactParents, Body: "Told her mother", Details: safeguarding.EntryDetails{SafeToTell: true, Judgement: "Mother is protective"}},
			{Kind: safeguarding.EntryOutcome, Body: "Support in place"},
		} {
			if err := db.AddEntry(ctx, s.dsl, concern, in); err != nil {
				t.Errorf("%s while a referral is pending: %v", in.Kind, err)
			}
		}
		c, err := db.Concern(ctx, s.dsl, concern)
		if err != nil || c.Status == safeguarding.StatusClosed {
			t.Errorf("status %s, %v", c.Status, err)
		}
	})
	t.Run("MetByTheResponseAndTheFeedback", func(t *testing.T) {
		rec, err := db.ConcernRecord(ctx, s.dsl, concern, nil)
		if err != nil {
			t.Fatal(err)
		}
		referral := safeguarding.AwaitingResponse(rec.Entries)[0].ID
		addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferralResponse,
			Details: safeguarding.EntryDetails{ReferralID: referral, AgencyAction: "No statutory investigation", RespondedOn: "2026-10-13",
				Statutory: safeguarding.NoStatutoryInvestigation, NextStep: safeguarding.NextStepEarlyHelp, NextStepReason: "Family agreed"}})
		ds, err := due(db, s.dsl)
		if err != nil || len(ds) != 1 || ds[0].Kind != safeguarding.DeadlineFeedback || ds[0].Due.Format(time.DateOnly) != "2026-10-13" {
			t.Fatalf("after the response: %+v, %v; want the feedback due on Tuesday", ds, err)
		}
		addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryFeedback, Body: "Thank you; it is in hand."})
		if ds, err := due(db, s.dsl); err != nil || len(ds) != 0 {
			t.Fatalf("after the feedback: %+v, %v", ds, err)
		}
	})
	t.Run("NoFeedbackOwedToTheDSL", func(t *testing.T) {
		mine := logConcern(t, db, s.dsl, safeguarding.ConcernInput{PupilIDs: []int64{s.tom}, Categories: []string{"neglect"}})
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM deadlines WHERE concern_id = $1`, mine).Scan(&n); err != nil || n != 0 {
			t.Errorf("a concern the DSL logged owes feedback: %d, %v", n, err)
		}
	})
}

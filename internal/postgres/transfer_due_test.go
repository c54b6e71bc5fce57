package postgres_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
)

// A leaver's file to transfer is in the Due view and, once overdue, in the
// header's count, both counted on the school's calendar (a weekend and a
// closure day); it leaves both once sent or recorded as not needed.
func TestTransferInTheDueView(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	clk := &childClock{}
	db := s.db.WithClock(clk.Now)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) } // GMT: London's time

	// Both Ruby and Tom are on a concern the DSL logged (so it owes no
	// feedback); both leave on Friday 6 November 2026. Five working days
	// skip the weekend: due Friday 13 November.
	clk.at(day(6, 15))
	logConcern(t, db, s.dsl, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby, s.tom}, Categories: []string{"cse"}})
	for _, p := range []int64{s.ruby, s.tom} {
		if err := db.MarkLeft(ctx, s.dsl, p, day(6, 0)); err != nil {
			t.Fatal(err)
		}
	}
	transfers := func(t *testing.T, v safeguarding.Viewer) (safeguarding.DueList, []safeguarding.Deadline) {
		t.Helper()
		list, err := db.Due(ctx, v, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []safeguarding.Deadline
		for _, d := range list.Deadlines {
			if d.Kind == safeguarding.DeadlineTransfer {
				out = append(out, d)
			}
		}
		return list, out
	}
	count := func(t *testing.T, v safeguarding.Viewer) int {
		t.Helper()
		n, err := db.OverdueCount(ctx, v, 100)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("DueFridayAfterTheWeekend", func(t *testing.T) {
		clk.at(day(13, 10))
		_, ds := transfers(t, s.dsl)
		if len(ds) != 2 {
			t.Fatalf("transfers due %+v, want Ruby's and Tom's", ds)
		}
		for _, d := range ds {
			if d.Due.Format(time.DateOnly) != "2026-11-13" || d.ConcernID != 0 ||
				d.Link != "/pupils/"+strconv.FormatInt(d.PupilID, 10)+"/transfer" || d.What == "" {
				t.Errorf("transfer %+v, want due 2026-11-13, linking to the pupil's transfer page", d)
			}
		}
		if n := count(t, s.dsl); n != 0 {
			t.Errorf("overdue on the day they are due: %d, want 0", n)
		}
	})
	t.Run("OverdueOnMondayFirstInTheList", func(t *testing.T) {
		// A concern logged by staff on Monday owes feedback by Wednesday:
		// the overdue transfers come before it.
		clk.at(day(16, 9))
		logConcern(t, db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"neglect"}})
		list, ds := transfers(t, s.dsl)
		if len(ds) != 2 || list.Overdue != 2 || len(list.Deadlines) != 3 {
			t.Fatalf("Due view %+v, want two overdue transfers and the feedback", list)
		}
		for i, d := range list.Deadlines {
			if want := i < 2; (d.Kind == safeguarding.DeadlineTransfer) != want {
				t.Errorf("deadline %d is %s: overdue transfers come first", i, d.Kind)
			}
		}
		if n := count(t, s.dsl); n != 2 {
			t.Errorf("overdue on Monday: %d, want 2", n)
		}
		if n := count(t, s.deputy); n != 2 {
			t.Errorf("the deputy counts %d, want 2", n)
		}
		if n, err := db.OverdueCount(ctx, s.dsl, 1); n != 1 || err != nil {
			t.Errorf("counted up to 1: %d, %v", n, err)
		}
	})
	t.Run("AClosureDayMovesIt", func(t *testing.T) {
		inset := safeguarding.Closure{From: day(11, 0), To: day(11, 0), Reason: "INSET day"}
		if err := db.AddClosure(ctx, s.dsl, inset, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		_, ds := transfers(t, s.dsl)
		if len(ds) != 2 || ds[0].Due.Format(time.DateOnly) != "2026-11-16" {
			t.Errorf("after an INSET day on Wednesday, transfers %+v, want due Monday 16 November", ds)
		}
		if n := count(t, s.dsl); n != 0 {
			t.Errorf("overdue on Monday, due that day: %d, want 0", n)
		}
		clk.at(day(17, 9))
		if n := count(t, s.dsl); n != 2 {
			t.Errorf("overdue on Tuesday: %d, want 2", n)
		}
	})
	t.Run("OnlyForWhomMayTransferFiles", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.chair, s.governor, s.admin} {
			if safeguarding.MaySeeTransfersDue(v.Roles) {
				t.Fatalf("%v may see transfers due", v.Roles)
			}
			if n := count(t, v); n != 0 {
				t.Errorf("%v counts %d overdue", v.Roles, n)
			}
		}
	})
	t.Run("GoneOnceSentOrNotNeeded", func(t *testing.T) {
		if err := db.RecordTransferNotNeeded(ctx, s.dsl, s.tom, "Moved abroad; no school to send it to."); err != nil {
			t.Fatal(err)
		}
		if _, ds := transfers(t, s.dsl); len(ds) != 1 || ds[0].PupilID != s.ruby {
			t.Errorf("after Tom's was not needed, transfers %+v, want Ruby's", ds)
		}
		if n := count(t, s.dsl); n != 1 {
			t.Errorf("overdue after Tom's was not needed: %d, want 1", n)
		}
		keys, err := transfer.NewKeys()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExportTransferBundle(ctx, s.dsl, s.ruby, postgres.TransferRequest{ToSchool: "Hilltop School", Recipient: keys.AgeRecipient}); err != nil {
			t.Fatal(err)
		}
		if _, ds := transfers(t, s.dsl); len(ds) != 0 {
			t.Errorf("after Ruby's was sent, transfers %+v", ds)
		}
		if n := count(t, s.dsl); n != 0 {
			t.Errorf("overdue after both were done: %d, want 0", n)
		}
	})
}

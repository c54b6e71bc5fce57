package demo

import (
	"fmt"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The demo register shows the same picture whenever it is loaded: two
// members of staff overdue, one due within 30 days, a new starter without
// induction, the deputy's DSL training out of date; everyone else in date.
// (From early August the whole staff's update is due within 30 days, as
// in a real school before the autumn term's session: the picture holds
// from September to July.)
func TestDemoTrainingPicture(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, time.March, 18, 14, 30, 0, 0, time.UTC),
		time.Date(2025, time.September, 3, 9, 0, 0, 0, time.UTC),
		time.Date(2028, time.February, 29, 9, 0, 0, 0, time.UTC),
	} {
		thisYear := now.Year()
		if now.Month() < time.September {
			thisYear--
		}
		rows := trainingRecords(thisYear, now)
		records := map[string][]safeguarding.TrainingRecord{}
		for _, r := range rows {
			records[r.Email] = append(records[r.Email], safeguarding.TrainingRecord{Kind: r.Kind, CompletedOn: r.CompletedOn})
			if r.CompletedOn.After(now) {
				t.Errorf("%s: a record after the load moment: %+v", now, r)
			}
		}
		roles := map[string]safeguarding.Roles{}
		for _, a := range Accounts {
			roles[a.Email] = safeguarding.Roles{a.Role, safeguarding.RoleStaff}
		}
		for i := 1; i <= 33; i++ {
			roles[fmt.Sprintf("staff%02d@demo.test", i)] = safeguarding.Roles{safeguarding.RoleStaff}
		}
		want := map[string]safeguarding.TrainingState{
			"staff01@demo.test": safeguarding.TrainingOverdue, "staff02@demo.test": safeguarding.TrainingOverdue,
			"staff03@demo.test": safeguarding.TrainingDueSoon, "staff33@demo.test": safeguarding.TrainingNeverDone,
			"deputy@demo.test": safeguarding.TrainingOverdue,
		}
		for email, rs := range roles {
			if !safeguarding.NeedsTraining(safeguarding.Roles{rs[0]}) {
				if len(records[email]) > 0 {
					t.Errorf("%s: %s needs no training but has records", now, email)
				}
				continue
			}
			ss := safeguarding.TrainingStatus(rs, startedOn(email, thisYear), records[email], now)
			got, _ := safeguarding.WorstTraining(ss)
			if got != want[email] {
				t.Errorf("%s: %s is %s, want %s (%+v)", now.Format(time.DateOnly), email, got.Label(), want[email].Label(), ss)
			}
		}
	}
}

package demo

import (
	"fmt"
	"time"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The demo school's training register (policy §4.1, §4.7), across the last
// two academic years and worked out from the day the demo is loaded, as the
// pupils' ages are: so that, whenever it is loaded, the register shows the
// same picture. Everyone who works with children had induction when they
// started and the whole-staff update on the second day of each autumn term,
// except:
//   - staff01 and staff02, whose updates lapsed: their last was two Septembers
//     ago, so they are overdue;
//   - staff03, who missed this September's session and caught up on last
//     year's recording 11½ months ago, so is due within 30 days;
//   - staff33, who started this September and has not had induction yet;
//   - the deputy, whose DSL training is over 2 years old (overdue), while
//     the DSL's is in date.
// Nothing here draws on the roster's random source, so adding it left every
// demo name and date as it was.

// startedOn is the day a demo person started at the school: the named
// accounts years ago, the staff room spread over 15 years, and the last two
// of it this September.
func startedOn(email string, thisYear int) time.Time {
	years := map[string]int{"staff@demo.test": 6, "dsl@demo.test": 9, "deputy@demo.test": 4, "principal@demo.test": 12}
	n, ok := years[email]
	var i int
	if _, err := fmt.Sscanf(email, "staff%02d@demo.test", &i); err == nil && !ok {
		n, ok = (i*7)%15+1, true
		if i >= 32 {
			n = 0
		}
	}
	if !ok {
		return time.Time{} // governors and the administrator need no training
	}
	return time.Date(thisYear-n, time.September, 1, 0, 0, 0, 0, time.UTC)
}

// trainingRecords is the demo register as of now, the load moment.
func trainingRecords(thisYear int, now time.Time) []roster.TrainingRow {
	today := safeguarding.Day(now)
	var rows []roster.TrainingRow
	add := func(email string, kind safeguarding.TrainingKind, on time.Time, provider string) {
		if on.After(today) {
			return
		}
		rows = append(rows, roster.TrainingRow{Email: email, Kind: kind, CompletedOn: on, Provider: provider})
	}
	inset := func(year int) time.Time { return time.Date(year, time.September, 2, 0, 0, 0, 0, time.UTC) }
	var staff []string
	for _, a := range Accounts {
		if safeguarding.NeedsTraining(safeguarding.Roles{a.Role}) {
			staff = append(staff, a.Email)
		}
	}
	for i := 1; i <= 33; i++ {
		staff = append(staff, fmt.Sprintf("staff%02d@demo.test", i))
	}
	for i, email := range staff {
		started := startedOn(email, thisYear)
		if email != "staff33@demo.test" {
			add(email, safeguarding.TrainingInduction, started, "The DSL")
		}
		switch email {
		case "staff01@demo.test", "staff02@demo.test":
			add(email, safeguarding.TrainingAnnualUpdate, inset(thisYear-2), "Whole-staff INSET")
			continue
		case "staff03@demo.test":
			add(email, safeguarding.TrainingAnnualUpdate, inset(thisYear-1), "Whole-staff INSET")
			add(email, safeguarding.TrainingAnnualUpdate, safeguarding.AddMonths(today, -12).AddDate(0, 0, 15), "Recorded INSET session")
			continue
		}
		for _, y := range []int{thisYear - 1, thisYear} {
			if inset(y).After(started) {
				add(email, safeguarding.TrainingAnnualUpdate, inset(y), "Whole-staff INSET")
			}
		}
		if i%4 == 1 {
			add(email, safeguarding.TrainingOnlineSafety, time.Date(thisYear-1, time.November, 12, 0, 0, 0, 0, time.UTC), "National Online Safety")
		}
	}
	add("dsl@demo.test", safeguarding.TrainingDSL, safeguarding.AddMonths(today, -14), "Local authority DSL course")
	add("deputy@demo.test", safeguarding.TrainingDSL, safeguarding.AddMonths(today, -27), "Local authority DSL course")
	return rows
}

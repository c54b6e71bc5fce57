package safeguarding_test

import (
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestAddWorkingDays(t *testing.T) {
	inset := safeguarding.Closure{From: day("2026-11-02"), To: day("2026-11-02"), Reason: "INSET day"}
	christmas := safeguarding.Closure{From: day("2026-12-21"), To: day("2027-01-01"), Reason: "Christmas holidays"}
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), []safeguarding.Closure{inset, christmas})
	plain := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	tests := map[string]struct {
		cal      safeguarding.Calendar
		from     string
		n        int
		want     string
		whyFirst string // why the first day after from is not a working day, if it is not
	}{
		"Weekday":                   {plain, "2026-10-06", 1, "2026-10-07", ""},
		"FridayToMonday":            {plain, "2026-10-09", 1, "2026-10-12", "Saturday"},
		"SaturdayToMonday":          {plain, "2026-10-10", 1, "2026-10-12", "Sunday"},
		"TwoOverAWeekend":           {plain, "2026-10-08", 2, "2026-10-12", ""},
		"GoodFridayAndEasterMonday": {plain, "2026-04-02", 1, "2026-04-07", "Good Friday"},
		"EarlyMay":                  {plain, "2026-05-01", 1, "2026-05-05", "Saturday"},
		"SpringBankHoliday":         {plain, "2026-05-22", 1, "2026-05-26", "Saturday"},
		"AugustBankHolidayFriday":   {plain, "2026-08-28", 1, "2026-09-01", "Saturday"},
		"AugustBankHolidayMonday":   {plain, "2026-08-30", 1, "2026-09-01", "Summer bank holiday"},
		"ChristmasOnAFriday":        {plain, "2026-12-24", 1, "2026-12-29", "Christmas Day"},
		"ChristmasOnASaturday":      {plain, "2027-12-24", 1, "2027-12-29", "Saturday"},
		"NewYearSubstitute":         {plain, "2027-12-31", 1, "2028-01-04", "Saturday"},
		"CoronationMonday":          {plain, "2023-05-05", 1, "2023-05-09", "Saturday"},
		"JubileeThursdayFriday":     {plain, "2022-06-01", 1, "2022-06-06", "Spring bank holiday"},
		"INSETDay":                  {cal, "2026-10-30", 1, "2026-11-03", "Saturday"},
		"INSETDayItself":            {cal, "2026-11-01", 1, "2026-11-03", "INSET day"},
		"ChristmasHolidays":         {cal, "2026-12-18", 1, "2027-01-04", "Saturday"},
		"ThreeAcrossTheHolidays":    {cal, "2026-12-17", 3, "2027-01-05", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.cal.AddWorkingDays(day(tc.from), tc.n); !got.Equal(day(tc.want)) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got.Format(time.DateOnly), tc.want)
			}
			if got := tc.cal.WhyClosed(day(tc.from).AddDate(0, 0, 1)); got != tc.whyFirst {
				t.Errorf("WhyClosed(the day after %s) = %q, want %q", tc.from, got, tc.whyFirst)
			}
		})
	}
}

func TestBankHolidaysShippedCoverEveryYear(t *testing.T) {
	h := safeguarding.DefaultBankHolidays()
	for y := 2020; y <= 2030; y++ {
		n := 0
		for d := range h {
			if d.Year() == y {
				n++
				if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
					t.Errorf("%s (%s) falls on a weekend", d.Format(time.DateOnly), h[d])
				}
			}
		}
		if n < 8 {
			t.Errorf("%d has %d bank holidays, want at least 8", y, n)
		}
	}
}

func TestReadBankHolidaysNamesTheBadLine(t *testing.T) {
	_, err := safeguarding.ReadBankHolidays(strings.NewReader("# ours\n2027-01-01 New Year\n\n1 Jan 2027 Oops\n"))
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("err = %v, want one naming line 4", err)
	}
	h, err := safeguarding.ReadBankHolidays(strings.NewReader("2027-01-01 New Year\n"))
	if err != nil || h[day("2027-01-01")] != "New Year" {
		t.Fatalf("h = %v, err = %v", h, err)
	}
}

func TestWorkingDaysLateAndOverdue(t *testing.T) {
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	// Due Monday 4 May 2026 is a bank holiday: due the Tuesday.
	due := cal.AddWorkingDays(day("2026-05-01"), 1)
	if !due.Equal(day("2026-05-05")) {
		t.Fatalf("due = %s", due.Format(time.DateOnly))
	}
	for today, want := range map[string]int{"2026-05-05": 0, "2026-05-06": 1, "2026-05-09": 3, "2026-05-11": 4} {
		if got := cal.WorkingDaysLate(due, day(today)); got != want {
			t.Errorf("WorkingDaysLate(due, %s) = %d, want %d", today, got, want)
		}
	}
	london := safeguarding.England()
	if safeguarding.Overdue(due, time.Date(2026, 5, 5, 23, 59, 0, 0, london)) {
		t.Error("overdue before the due day ends")
	}
	// 23:30 UTC on 5 May is already 6 May in England (summer time).
	if !safeguarding.Overdue(due, time.Date(2026, 5, 5, 23, 30, 0, 0, time.UTC)) {
		t.Error("not overdue once the due day has ended in England")
	}
}

func TestNextWorkingMorning(t *testing.T) {
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	london := safeguarding.England()
	friday := time.Date(2026, 8, 28, 16, 40, 0, 0, london)
	want := time.Date(2026, 9, 1, 9, 0, 0, 0, london) // Monday 31 August is the summer bank holiday
	if got := cal.NextWorkingMorning(friday, 9); !got.Equal(want) {
		t.Errorf("NextWorkingMorning = %s, want %s", got, want)
	}
}

func TestClosureProblems(t *testing.T) {
	p := safeguarding.Closure{From: day("2026-12-21"), To: day("2026-12-20")}.Problems()
	if p["to"] == "" || p["reason"] == "" || p["from"] != "" {
		t.Errorf("problems = %v", p)
	}
	if p := (safeguarding.Closure{From: day("2026-12-21"), To: day("2026-12-21"), Reason: "INSET day"}).Problems(); len(p) != 0 {
		t.Errorf("problems = %v", p)
	}
}

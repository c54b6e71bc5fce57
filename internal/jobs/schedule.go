package jobs

import (
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// DailyAt is a River schedule (river.PeriodicSchedule) that runs each day
// at hour:minute in England, whatever the clocks did overnight: a job run
// at 02:00 runs at 02:00 in winter and in summer.
type DailyAt struct{ Hour, Minute int }

// Next is the first hour:minute in England after t.
func (d DailyAt) Next(t time.Time) time.Time {
	local := t.In(safeguarding.England())
	y, m, day := local.Date()
	next := time.Date(y, m, day, d.Hour, d.Minute, 0, 0, safeguarding.England())
	for !next.After(t) {
		day++
		next = time.Date(y, m, day, d.Hour, d.Minute, 0, 0, safeguarding.England())
	}
	return next
}

// Previous is the last time of day at or before t, in England.
func (d DailyAt) Previous(t time.Time) time.Time {
	local := t.In(safeguarding.England())
	prev := time.Date(local.Year(), local.Month(), local.Day(), d.Hour, d.Minute, 0, 0, safeguarding.England())
	if prev.After(t) {
		prev = time.Date(local.Year(), local.Month(), local.Day()-1, d.Hour, d.Minute, 0, 0, safeguarding.England())
	}
	return prev
}

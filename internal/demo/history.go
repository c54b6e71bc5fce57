package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The people who handle the demo school's concerns.
const (
	dslEmail       = "dsl@demo.test"
	deputyEmail    = "deputy@demo.test"
	principalEmail = "principal@demo.test"
	chairEmail     = "chair@demo.test"
)

// everydayConcerns is how many ordinary concerns about children the history
// holds besides its scripted cases.
const everydayConcerns = 440

// History is the demo school's past: every concern and every entry of its
// chronology, planned from a fixed seed and the moment it is loaded, so
// that the same moment always gives the same past.
type History struct {
	concerns []pastConcern
	leavers  []leaver  // pupils the history adds, who have left (history_later.go)
	now      time.Time // the moment it was planned up to
}

// Concerns is how many concerns the history holds.
func (h History) Concerns() int { return len(h.concerns) }

// pastConcern is a concern as it will be logged, with what happened to it
// afterwards. Its text names people by placeholder ({name}, {other},
// {subject}), resolved against the roster when it is loaded.
type pastConcern struct {
	at      time.Time
	by      string      // e-mail address of the member of staff who logs it
	pupils  []pupilPick // the children it is about
	subject string      // e-mail address of the member of staff it is about
	in      safeguarding.ConcernInput
	steps   []step
	// otherPart and otherWords are the second child's own part and words,
	// when there is one; the first child is the child harmed or at risk,
	// with the concern's indicators and words.
	otherPart  safeguarding.Part
	otherWords string
}

// pupilPick names a pupil by year group and place in it, as Load adds them,
// or, when leaver is set, the history's own leaver of that number (1 for
// the first of History.leavers).
type pupilPick struct{ year, n, leaver int }

// step is one chronology entry after the concern was logged.
type step struct {
	at       time.Time
	by       string // e-mail address of the author
	in       safeguarding.EntryInput
	assignee string // e-mail address of the lead an assigned entry names
	corrects bool   // a correction of the entry before it
}

// PlanHistory plans the demo school's history up to now without touching a
// database.
func PlanHistory(now time.Time) History {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		loc = time.UTC // no time zone database: the past is an hour out in summer
	}
	p := &planner{rng: rand.New(rand.NewPCG(2026, 3)), loc: loc, now: now.In(loc)}
	year := p.now.Year()
	if p.now.Month() < time.September {
		year--
	}
	p.thisYear = time.Date(year, time.September, 1, 0, 0, 0, 0, loc)
	p.lastYear = p.thisYear.AddDate(-1, 0, 0)
	p.yearBefore = p.thisYear.AddDate(-2, 0, 0)
	for range 30 {
		p.cohort = append(p.cohort, pupilPick{year: 8 + p.rng.IntN(6), n: p.rng.IntN(43)})
	}
	p.cases()
	p.everyday(everydayConcerns)
	p.earlier()
	p.patternStory()
	p.caseReferredOnFriday()
	p.laterLife()
	for i := range p.concerns {
		c := &p.concerns[i]
		c.steps = slices.DeleteFunc(c.steps, func(s step) bool { return !s.at.Before(p.now) })
	}
	slices.SortStableFunc(p.concerns, func(a, b pastConcern) int { return a.at.Compare(b.at) })
	return History{concerns: p.concerns, leavers: p.leavers, now: now}
}

// planner draws the history. Every choice comes from rng, in order.
type planner struct {
	rng      *rand.Rand
	loc      *time.Location
	now      time.Time
	thisYear time.Time // 1 September that began the current academic year
	lastYear time.Time // 1 September a year before
	// yearBefore is 1 September two years before: the oversight report
	// compares last year with the year before it.
	yearBefore time.Time
	cohort     []pupilPick
	concerns   []pastConcern
	leavers    []leaver
}

func (p *planner) chance(f float64) bool { return p.rng.Float64() < f }

func pick[T any](p *planner, xs []T) T { return xs[p.rng.IntN(len(xs))] }

// between is a duration from lo to hi.
func (p *planner) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(p.rng.Int64N(int64(hi-lo)+1))
}

// token is a submission token: a version 4 UUID drawn from rng.
func (p *planner) token() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(p.rng.UintN(256))
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// holiday reports whether day falls in the school holidays: summer, the
// Christmas fortnight, the Easter fortnight and the three half terms, on
// the dates most English schools keep.
func holiday(day time.Time) bool {
	m, d := day.Month(), day.Day()
	switch {
	case m == time.July && d >= 22, m == time.August, m == time.September && d <= 2,
		m == time.December && d >= 20, m == time.January && d <= 3:
		return true
	}
	for _, week := range []struct {
		m time.Month
		d int
	}{{time.October, 28}, {time.February, 17}, {time.April, 3}, {time.April, 10}, {time.May, 28}} {
		anchor := time.Date(day.Year(), week.m, week.d, 0, 0, 0, 0, day.Location())
		monday := anchor.AddDate(0, 0, -(int(anchor.Weekday())+6)%7)
		if !day.Before(monday) && day.Before(monday.AddDate(0, 0, 7)) {
			return true
		}
	}
	return false
}

func weekend(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }

// dayWeight is how likely a concern is to be logged on day: term-time
// weekdays most of all, holidays and weekends rarely, August hardly ever.
func dayWeight(day time.Time) float64 {
	switch {
	case day.Month() == time.August:
		return 0.03
	case weekend(day):
		return 0.05
	case holiday(day):
		return 0.1
	}
	return 1
}

// loggedAt draws when a concern was logged, between the start of last
// academic year and now.
func (p *planner) loggedAt(days []time.Time, cumulative []float64) time.Time {
	for {
		i, _ := slices.BinarySearch(cumulative, p.rng.Float64()*cumulative[len(cumulative)-1])
		day := days[min(i, len(days)-1)]
		var minute int
		if dayWeight(day) == 1 {
			minute = 8*60 + 10 + p.rng.IntN(9*60+20) // the school day, and just after it
		} else {
			minute = 9*60 + p.rng.IntN(11*60) // someone at home, seeing something online
		}
		at := day.Add(time.Duration(minute) * time.Minute)
		if at.Before(p.now) {
			return at
		}
	}
}

// working moves t into the working day: a time in the evening, the night
// or at a weekend moves to the next weekday morning.
func (p *planner) working(t time.Time) time.Time {
	t = t.In(p.loc)
	for {
		minute := t.Hour()*60 + t.Minute()
		switch {
		case weekend(t) || minute >= 17*60+45:
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 8, p.rng.IntN(55), 0, 0, p.loc)
		case minute < 7*60+45:
			t = time.Date(t.Year(), t.Month(), t.Day(), 8, p.rng.IntN(55), 0, 0, p.loc)
		default:
			return t
		}
	}
}

// workingDaysAfter is k weekdays after t's day, during the working day.
func (p *planner) workingDaysAfter(t time.Time, k int) time.Time {
	t = t.In(p.loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, p.loc)
	for k > 0 {
		day = day.AddDate(0, 0, 1)
		if !weekend(day) {
			k--
		}
	}
	return day.Add(time.Duration(9*60+p.rng.IntN(7*60)) * time.Minute)
}

// recent is a working time k weekdays before now (k ≥ 1), so always past.
func (p *planner) recent(k int) time.Time {
	day := time.Date(p.now.Year(), p.now.Month(), p.now.Day(), 0, 0, 0, 0, p.loc)
	for k > 0 {
		day = day.AddDate(0, 0, -1)
		if !weekend(day) {
			k--
		}
	}
	return day.Add(time.Duration(8*60+30+p.rng.IntN(8*60)) * time.Minute)
}

// on is a time on a date of the academic year starting at year, during the
// school day: month and day as on a calendar, moved off a weekend.
func (p *planner) on(year time.Time, m time.Month, d int) time.Time {
	y := year.Year()
	if m < time.September {
		y++
	}
	return p.working(time.Date(y, m, d, 8, 40+p.rng.IntN(7*60), 0, 0, p.loc))
}

// pupil draws a child for a concern logged at: sometimes one already known
// to the pastoral team, and never a child who was not yet at the college.
func (p *planner) pupil(at time.Time, minYear int) pupilPick {
	lowest := max(minYear, 7)
	switch {
	case at.Before(p.lastYear):
		lowest = max(lowest, 9) // this year's Years 7 and 8 were at primary school then
	case at.Before(p.thisYear):
		lowest = max(lowest, 8) // this year's Year 7 were at primary school then
	}
	if p.chance(0.3) {
		if c := pick(p, p.cohort); c.year >= lowest {
			return c
		}
	}
	return pupilPick{year: lowest + p.rng.IntN(14-lowest), n: p.rng.IntN(43)}
}

// referrer draws the member of staff who logs an everyday concern: pastoral
// staff and the demo's own teacher more often than most.
func (p *planner) referrer() string {
	switch r := p.rng.IntN(100); {
	case r < 7:
		return "staff@demo.test"
	case r < 9:
		return principalEmail
	case r < 32:
		return fmt.Sprintf("staff%02d@demo.test", pick(p, []int{2, 7, 11, 19, 24}))
	}
	return fmt.Sprintf("staff%02d@demo.test", 1+p.rng.IntN(33))
}

// timeline appends steps to a concern, each after the one before.
type timeline struct {
	p *planner
	c *pastConcern
	t time.Time
}

func (p *planner) timeline(c *pastConcern) *timeline { return &timeline{p: p, c: c, t: c.at} }

// wait moves the timeline on by between lo and hi, into the working day.
func (tl *timeline) wait(lo, hi time.Duration) *timeline {
	tl.t = tl.p.working(tl.t.Add(tl.p.between(lo, hi)))
	return tl
}

// until moves the timeline on to t, if t is later.
func (tl *timeline) until(t time.Time) *timeline {
	if t.After(tl.t) {
		tl.t = t
	}
	return tl
}

func (tl *timeline) add(by string, in safeguarding.EntryInput) *timeline {
	tl.c.steps = append(tl.c.steps, step{at: tl.t, by: by, in: in})
	return tl
}

func (tl *timeline) assign(by, assignee string) *timeline {
	tl.c.steps = append(tl.c.steps, step{at: tl.t, by: by, in: safeguarding.EntryInput{Kind: safeguarding.EntryAssigned}, assignee: assignee})
	return tl
}

func (tl *timeline) correct(by, body string) *timeline {
	tl.c.steps = append(tl.c.steps, step{at: tl.t, by: by, in: safeguarding.EntryInput{Kind: safeguarding.EntryCorrection, Body: body}, corrects: true})
	return tl
}

func entry(k safeguarding.EntryKind, body string) safeguarding.EntryInput {
	return safeguarding.EntryInput{Kind: k, Body: body}
}

func decided(body, reason string) safeguarding.EntryInput {
	return safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: body, Details: safeguarding.EntryDetails{Reason: reason}}
}

func told(body, judgement string) safeguarding.EntryInput {
	return safeguarding.EntryInput{Kind: safeguarding.EntryContactParents, Body: body,
		Details: safeguarding.EntryDetails{SafeToTell: true, Judgement: judgement}}
}

func moved(to safeguarding.Status) safeguarding.EntryInput {
	return safeguarding.EntryInput{Kind: safeguarding.EntryStatusChanged, Details: safeguarding.EntryDetails{ToStatus: to}}
}

// referred is a referral made at t: most have the agency's reference, a few
// were made by phone with the reference still to come.
func (tl *timeline) referred(by string, a safeguarding.Agency, other, body string) *timeline {
	p := tl.p
	yy := tl.t.Year() % 100
	var ref string
	switch a {
	case safeguarding.AgencyCSCS:
		ref = fmt.Sprintf("MASH-%02d-%05d", yy, 10000+p.rng.IntN(90000))
	case safeguarding.AgencyPolice:
		ref = fmt.Sprintf("44%07d/%02d", p.rng.IntN(10000000), yy)
	case safeguarding.AgencyLADO:
		ref = fmt.Sprintf("LADO/%02d/%03d", yy, 1+p.rng.IntN(400))
	case safeguarding.AgencyEarlyHelp:
		ref = fmt.Sprintf("EH%06d", p.rng.IntN(1000000))
	case safeguarding.AgencyCEOP:
		ref = fmt.Sprintf("CEOP-%08d", p.rng.IntN(100000000))
	case safeguarding.AgencyNRM:
		ref = fmt.Sprintf("NRM-%d-%05d", tl.t.Year(), p.rng.IntN(100000))
	case safeguarding.AgencyPrevent:
		ref = fmt.Sprintf("PVT/%02d/%04d", yy, p.rng.IntN(10000))
	default:
		ref = fmt.Sprintf("%05d", p.rng.IntN(100000))
	}
	if p.chance(0.08) {
		ref = ""
	}
	return tl.add(by, safeguarding.EntryInput{Kind: safeguarding.EntryReferral, Body: body, Details: safeguarding.EntryDetails{
		Agency: a, AgencyOther: other, Reference: ref, ReferredOn: tl.t.In(p.loc).Format(time.DateOnly)}})
}

// close closes the concern with its outcome.
func (tl *timeline) close(by, outcome string) *timeline {
	return tl.add(by, entry(safeguarding.EntryClosed, outcome))
}

// conclude records the outcome of work with other agencies, then closes
// the concern on it.
func (tl *timeline) conclude(by, outcome string) *timeline {
	tl.add(by, entry(safeguarding.EntryOutcome, outcome))
	first, _, _ := strings.Cut(outcome, ". ")
	return tl.wait(2*time.Minute, 40*time.Minute).close(by, "Closed. "+strings.TrimSuffix(first, ".")+".")
}

// happened is the date and, often, the time of day something happened,
// shortly before it was logged at.
func (p *planner) happened(at time.Time) (time.Time, string) {
	at = at.In(p.loc)
	day, clock := at, ""
	switch r := p.rng.IntN(10); {
	case r < 7:
		if p.chance(0.6) {
			earlier := at.Add(-p.between(10*time.Minute, 3*time.Hour))
			if earlier.Day() == at.Day() {
				clock = earlier.Format("15:04")
			}
		}
	case r < 9:
		day = at.AddDate(0, 0, -1)
	default:
		day = at.AddDate(0, 0, -2-p.rng.IntN(5))
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC), clock
}

// childInput is a concern about pupils as the form would file it.
func (p *planner) childInput(at time.Time, categories, indicators []string, a account, urgent bool) safeguarding.ConcernInput {
	on, clock := p.happened(at)
	return safeguarding.ConcernInput{SubmissionToken: p.token(), SubjectKind: safeguarding.SubjectPupils,
		Categories: categories, Indicators: indicators, WhatHappened: a.what, ChildsWords: a.words,
		HappenedOn: on, HappenedTime: clock, Location: a.where, OthersTold: a.told, ActionsTaken: a.done, Urgent: urgent}
}

// adultInput is a concern about a member of staff (subject is their e-mail
// address) or, when subject is empty, about an adult not on the roster.
func (p *planner) adultInput(at time.Time, adultName, adultRole string, a account) safeguarding.ConcernInput {
	on, clock := p.happened(at)
	kind := safeguarding.SubjectStaff
	if adultName != "" {
		kind = safeguarding.SubjectOtherAdult
	}
	return safeguarding.ConcernInput{SubmissionToken: p.token(), SubjectKind: kind, SubjectAdultName: adultName, SubjectAdultRole: adultRole,
		Categories: []string{"other"}, WhatHappened: a.what, HappenedOn: on, HappenedTime: clock, Location: a.where,
		OthersTold: a.told, ActionsTaken: a.done}
}

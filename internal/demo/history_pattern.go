package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// patternPupil is the child whose last few weeks a pattern rule flags for
// the DSL's review (DESIGN.md "Seeing patterns"): three concerns, from two
// members of staff, each with a CSE indicator or two, none alarming alone.
var patternPupil = pupilPick{year: 10, n: 7}

// patternStory plans those three concerns, the last a few days before now,
// each on a school day morning. It draws from the random source last, so
// the rest of the history is as it was without it.
func (p *planner) patternStory() {
	day := func(daysAgo int) time.Time {
		d := p.now.AddDate(0, 0, -daysAgo)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 10, 40, 0, 0, p.loc)
	}
	for _, c := range []struct {
		daysAgo    int
		by         string
		indicators []string
		a          account
	}{
		{19, "staff03@demo.test", []string{"secretive", "withdrawn"}, account{
			what:  "{name} has been very quiet in lessons for the last two weeks and keeps checking their phone under the desk. When I asked if everything was alright {name} said it was nothing and changed the subject.",
			where: "Classroom"}},
		{11, "staff11@demo.test", []string{"unexplained_gifts"}, account{
			what:  "{name} came to the library with a new phone and expensive headphones and told a friend, in my hearing, that 'someone' had bought them.",
			where: "Library"}},
		{3, "staff03@demo.test", []string{"older_partner"}, account{
			what:  "{name}'s friends were teasing {name} about a boyfriend 'who drives'. {name} laughed it off but looked uncomfortable when they said he was 'well older'.",
			where: "Corridor by the science block"}},
	} {
		at := day(c.daysAgo)
		if !at.Before(p.now) {
			continue
		}
		p.concerns = append(p.concerns, pastConcern{at: at, by: c.by, pupils: []pupilPick{patternPupil},
			in: p.childInput(at, []string{"cse"}, c.indicators, c.a, false)})
	}
}

// PatternPupil is the demo child whose pattern flag is open for review once
// the history is loaded.
func PatternPupil(s School) safeguarding.PupilRef {
	var inYear []safeguarding.PupilRef
	for _, p := range s.Pupils {
		if p.YearGroup == patternPupil.year {
			inYear = append(inYear, p)
		}
	}
	return inYear[patternPupil.n]
}

// raisePatternFlags runs the pattern rules, as the job that follows each
// concern would, for the child of the pattern story, at the time of their
// latest concern: the rest of the history is past and was not flagged.
func (h History) raisePatternFlags(ctx context.Context, db *postgres.DB, school School) error {
	pupil := PatternPupil(school)
	var last time.Time
	for _, c := range h.concerns {
		for _, pick := range c.pupils {
			if pick == patternPupil && c.at.After(last) {
				last = c.at
			}
		}
	}
	if last.IsZero() {
		return nil
	}
	if _, err := db.WithClock(fixed(last)).RaisePatternFlags(ctx, school.ID, pupil.ID); err != nil {
		return fmt.Errorf("demo pattern flags: %w", err)
	}
	return nil
}

package demo

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// Load writes the history into school (which the package's Load made)
// through the store's own paths (routing, row-level security, hash-linked
// chronologies, audit), as the people in it and at the times it happened.
// It files no alerts: the past is not news. Thousands of small
// transactions commit one after another, so a store on a pool that does
// not wait for the disk at each commit (postgres.WithoutCommitWait) loads
// it in half the time; a load cut short is started again anyway.
func (h History) Load(ctx context.Context, db *postgres.DB, school School) error {
	db = db.WithoutAlerts()
	l := &loader{db: db, school: school, pupils: map[int][]safeguarding.PupilRef{}, viewers: map[string]safeguarding.Viewer{}}
	for _, p := range school.Pupils {
		l.pupils[p.YearGroup] = append(l.pupils[p.YearGroup], p)
	}
	if err := l.addLeavers(ctx, h.leavers); err != nil {
		return err
	}
	for _, c := range h.concerns {
		for _, email := range append([]string{c.by}, stepAuthors(c)...) {
			if err := l.loadViewer(ctx, email); err != nil {
				return err
			}
		}
	}
	// Concerns are logged one at a time in the order they happened, so that
	// their ids follow time as a real school's would; each concern's
	// chronology is written, in order, as soon as it is logged, several
	// concerns at once.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ids := make([]int64, len(h.concerns))
	work, errs := make(chan int, len(h.concerns)), make(chan error, loadWorkers+1)
	var wg sync.WaitGroup
	for range loadWorkers {
		wg.Go(func() {
			for i := range work {
				if err := l.chronology(ctx, ids[i], h.concerns[i]); err != nil {
					errs <- fmt.Errorf("chronology of demo concern %d: %w", ids[i], err)
					cancel()
					return
				}
			}
		})
	}
	escalated, escalateAt := h.escalated()
	for i, c := range h.concerns {
		in, err := l.input(c)
		if err == nil {
			ids[i], _, err = db.WithClock(fixed(c.at)).LogConcern(ctx, l.viewers[c.by], in)
		}
		if err == nil && i == escalated {
			// Escalated before its chronology (and its acknowledgement)
			// is written, as it happened.
			_, err = db.WithClock(fixed(escalateAt)).EscalateConcern(ctx, school.ID, ids[i])
		}
		if err != nil {
			errs <- fmt.Errorf("log demo concern %d of %d: %w", i+1, len(h.concerns), err)
			cancel()
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	if err := l.markLeft(ctx, h.leavers); err != nil {
		return err
	}
	if err := h.raisePatternFlags(ctx, db, school); err != nil {
		return err
	}
	// What the nightly retention job would list tonight, listed now by the
	// store function the job calls, so the demo shows it at once.
	if _, err := db.ListRetentionDue(ctx, safeguarding.DateInEngland(h.now)); err != nil {
		return fmt.Errorf("demo retention listing: %w", err)
	}
	return db.AnalyzeAfterLoad(ctx)
}

// loadWorkers is how many chronologies are written at once.
const loadWorkers = 3 // with the loop logging concerns, the pool's four connections

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

func stepAuthors(c pastConcern) []string {
	var out []string
	for _, s := range c.steps {
		out = append(out, s.by)
	}
	return out
}

type loader struct {
	db      *postgres.DB
	school  School
	pupils  map[int][]safeguarding.PupilRef // by year group, in the order added
	viewers map[string]safeguarding.Viewer  // by e-mail address; read only once loading starts
	leavers []safeguarding.PupilRef         // the history's leavers, as History.leavers
}

func (l *loader) loadViewer(ctx context.Context, email string) error {
	if _, ok := l.viewers[email]; ok {
		return nil
	}
	person, ok := l.school.People[email]
	if !ok {
		return fmt.Errorf("demo history: no one in the demo school has the e-mail address %s", email)
	}
	v, err := l.db.Viewer(ctx, person.ID)
	if err != nil {
		return fmt.Errorf("demo history: %s: %w", email, err)
	}
	l.viewers[email] = v
	return nil
}

// names resolves a concern's placeholders and pupils.
func (l *loader) names(c pastConcern) (*strings.Replacer, []int64, error) {
	var ids []int64
	var kv []string
	for i, pp := range c.pupils {
		pupil, err := l.pick(pp)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, pupil.ID)
		if i == 0 {
			kv = append(kv, "{name}", pupil.FirstName)
		} else {
			kv = append(kv, "{other}", pupil.Name())
		}
	}
	if c.subject != "" {
		kv = append(kv, "{subject}", l.school.People[c.subject].Name)
	}
	return strings.NewReplacer(kv...), ids, nil
}

// pick is the pupil pp names.
func (l *loader) pick(pp pupilPick) (safeguarding.PupilRef, error) {
	if pp.leaver > 0 {
		return l.leavers[pp.leaver-1], nil
	}
	year := l.pupils[pp.year]
	if len(year) == 0 {
		return safeguarding.PupilRef{}, fmt.Errorf("demo history: the demo school has no pupils in year %d", pp.year)
	}
	return year[pp.n%len(year)], nil
}

func (l *loader) input(c pastConcern) (safeguarding.ConcernInput, error) {
	r, ids, err := l.names(c)
	if err != nil {
		return c.in, err
	}
	in := c.in
	in.PupilIDs = ids
	if c.subject != "" {
		in.SubjectPersonID = l.school.People[c.subject].ID
	}
	for _, s := range []*string{&in.WhatHappened, &in.ChildsWords, &in.Location, &in.OthersTold, &in.ActionsTaken} {
		*s = r.Replace(*s)
	}
	// Several children: each has their own part, the first the child harmed
	// or at risk with what the account records, the second their own.
	if len(ids) > 1 {
		in.Parts = []safeguarding.PupilPart{{PupilID: ids[0], Part: safeguarding.PartHarmed, Indicators: in.Indicators, ChildsWords: in.ChildsWords}}
		for _, id := range ids[1:] {
			in.Parts = append(in.Parts, safeguarding.PupilPart{PupilID: id, Part: c.otherPart, ChildsWords: r.Replace(c.otherWords)})
		}
		in.Indicators, in.ChildsWords = nil, ""
	}
	return in, nil
}

// chronology adds a concern's entries in order, each as its author at its time.
func (l *loader) chronology(ctx context.Context, id int64, c pastConcern) error {
	r, ids, err := l.names(c)
	if err != nil {
		return err
	}
	for _, s := range c.steps {
		v, in := l.viewers[s.by], s.in
		// A conversation is with the child the story names ({name}), the first.
		if in.Kind == safeguarding.EntryConversationChild && len(ids) > 1 {
			in.PupilIDs = ids[:1]
		}
		in.Body, in.Details.Reason, in.Details.Judgement = r.Replace(in.Body), r.Replace(in.Details.Reason), r.Replace(in.Details.Judgement)
		if s.assignee != "" {
			in.Details.AssigneeID = l.school.People[s.assignee].ID
		}
		if s.corrects {
			entries, err := l.db.Chronology(ctx, v, id)
			if err != nil {
				return err
			}
			last := entries[len(entries)-1]
			in.CorrectsID, in.Details.CorrectsKind = last.ID, string(last.Kind)
		}
		if in.Kind == safeguarding.EntryClosed {
			if err := l.answerReferrals(ctx, v, id, s.at); err != nil {
				return err
			}
		}
		if err := l.db.WithClock(fixed(s.at)).AddEntry(ctx, v, id, in); err != nil {
			return fmt.Errorf("%s by %s: %w", in.Kind, s.by, err)
		}
	}
	return nil
}

// answerReferrals records, as the concern closes at at, the agencies'
// responses to its referrals that have none yet: a concern closes on what
// the agencies decided, which its outcome tells.
func (l *loader) answerReferrals(ctx context.Context, v safeguarding.Viewer, id int64, at time.Time) error {
	entries, err := l.db.Chronology(ctx, v, id)
	if err != nil {
		return err
	}
	for _, r := range safeguarding.AwaitingResponse(entries) {
		in := safeguarding.EntryInput{Kind: safeguarding.EntryReferralResponse, Details: safeguarding.EntryDetails{ReferralID: r.ID,
			AgencyAction: "Confirmed what it has done and will do, as the outcome of this concern records.",
			RespondedOn:  at.Format(time.DateOnly)}} // in working hours, the same day in UTC as in England
		if err := l.db.WithClock(fixed(at)).AddEntry(ctx, v, id, in); err != nil {
			return fmt.Errorf("response to referral %d: %w", r.ID, err)
		}
	}
	return nil
}

// escalated picks the concern of the history that was escalated, and when:
// the latest concern about a child that nobody acknowledged by its
// escalation time (the school's defaults); -1 for none.
func (h History) escalated() (int, time.Time) {
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	for i := len(h.concerns) - 1; i >= 0; i-- {
		c := h.concerns[i]
		if len(c.pupils) == 0 {
			continue
		}
		at := safeguarding.DefaultEscalation.EscalateAt(c.at, c.in.Urgent, cal)
		if len(c.steps) > 0 && c.steps[0].at.After(at) {
			return i, at
		}
	}
	return -1, time.Time{}
}

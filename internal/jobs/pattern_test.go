package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// A pattern job keeps its kind and JSON names: a queued job must still be
// worked.
func TestPatternArgsFormat(t *testing.T) {
	a := jobs.PatternArgs{SchoolID: 1, PupilIDs: []int64{2, 3}}
	if k := a.Kind(); k != "pattern_rules" {
		t.Errorf("kind %q, want pattern_rules", k)
	}
	if b, _ := json.Marshal(a); string(b) != `{"school_id":1,"pupil_ids":[2,3]}` {
		t.Errorf("args %s", b)
	}
}

// TestPatternJob: the rules' job, queued with each concern about a child,
// is worked by the queue whenever it runs (here, after the concerns were
// all logged, as after a restart), and flags the child whose concerns show
// a pattern, with a notice to the DSL and the deputy.
func TestPatternJob(t *testing.T) {
	s := newSchool(t)
	enqueue, err := jobs.PatternEnqueuer(s.pool)
	if err != nil {
		t.Fatal(err)
	}
	store := s.db.WithPatternRules(enqueue)
	pupil, _ := s.pupil(t)
	for i, c := range []struct{ by, indicator string }{{"staff@demo.test", "secretive"}, {"staff02@demo.test", "gangs"}, {"staff@demo.test", "vehicles"}} {
		at := time.Now().AddDate(0, 0, 2*i-6)
		in := safeguarding.ConcernInput{SubmissionToken: fmt.Sprintf("00000000-0000-4000-8000-%012d", 900+i), SubjectKind: safeguarding.SubjectPupils,
			PupilIDs: []int64{pupil}, Categories: []string{"cse"}, Indicators: []string{c.indicator},
			WhatHappened: "A small thing.", HappenedOn: safeguarding.DateInEngland(at)}
		if _, _, err := store.WithClock(func() time.Time { return at }).LogConcern(t.Context(), s.viewer(t, c.by), in); err != nil {
			t.Fatal(err)
		}
	}
	count := func(sql string) int {
		var n int
		if err := s.owner.QueryRow(t.Context(), sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM river_job WHERE kind = 'pattern_rules' AND state = 'available'`); n != 3 {
		t.Fatalf("%d pattern jobs queued, want 3", n)
	}
	if n := count(`SELECT count(*) FROM pattern_flags`); n != 0 {
		t.Fatalf("%d flags before the jobs ran", n)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: s.db, Mail: discard{}, BaseURL: baseURL},
		Patterns: &jobs.PatternWorker{Patterns: s.db}}, func() bool {
		return count(`SELECT count(*) FROM river_job WHERE kind = 'pattern_rules' AND state <> 'completed'`) == 0
	})
	if n := count(`SELECT count(*) FROM pattern_flags WHERE rule = 'cse_across_staff' AND reviewed_at IS NULL`); n != 1 {
		t.Errorf("%d open flags, want 1", n)
	}
	if n := count(`SELECT count(*) FROM notices WHERE kind = 'pattern'`); n != 2 {
		t.Errorf("%d notices, want 2", n)
	}
}

// discard sends nothing: the concerns' alerts are not what is tested.
type discard struct{}

func (discard) Send(context.Context, mail.Message) error { return nil }

package main

import (
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The dataset's concerns begin as the app's do: the first entry holds the
// concern in the current snapshot version, saying what the concern's row says.
func TestGeneratedSnapshots(t *testing.T) {
	g := &generator{now: time.Date(2026, 3, 18, 14, 0, 0, 0, time.UTC),
		categories: []string{"cse", "neglect", "online_safety", "other"}, indicators: []string{"secretive", "vehicles", "withdrawn"}}
	s := roster(g.now)[0]
	rng := mrand.New(mrand.NewPCG(seed, 1))
	zipf := mrand.NewZipf(rng, 1.1, 40, uint64(len(s.byRank)-1))
	h := &schoolHistory{school: s}
	for i := range 200 {
		c := g.concern(rng, zipf, s, int64(i+1), g.now.Add(-time.Duration(i)*7*time.Hour))
		first := len(h.entries)
		g.chronology(rng, s, &c, h)
		e := h.entries[first]
		if e.kind != safeguarding.EntryConcernLogged {
			t.Fatalf("concern %d begins with %s", c.id, e.kind)
		}
		got, err := safeguarding.DecodeConcernSnapshot([]byte(e.body))
		if err != nil {
			t.Fatalf("concern %d: %v", c.id, err)
		}
		if got.SubmissionToken != uuidString(c.token) || got.SubjectKind != c.subjectKind || !slices.Equal(got.PupilIDs, c.pupils) ||
			got.SubjectPersonID != c.subjectPerson || got.WhatHappened != c.what || got.ChildsWords != c.input().UnattributedWords() ||
			!slices.EqualFunc(got.Pupils, c.input().PupilParts(), func(s safeguarding.SnapshotPupil, p safeguarding.PupilPart) bool {
				return s.PupilID == p.PupilID && s.Part == p.Part && s.ChildsWords == p.ChildsWords && slices.Equal(s.Indicators, p.Indicators)
			}) ||
			got.HappenedOn != c.happenedOn.Format(time.DateOnly) || got.Urgent != c.urgent || !slices.Equal(got.Categories, c.categories) {
			t.Errorf("concern %d: snapshot %+v does not say what its row says", c.id, got)
		}
		if want := fmt.Sprintf(`{"version":%d,`, safeguarding.ConcernSnapshotVersion); !strings.HasPrefix(e.body, want) {
			t.Errorf("concern %d: snapshot %.40s…, want it to begin %s", c.id, e.body, want)
		}
	}
}

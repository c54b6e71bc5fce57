package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// loggedConcernWithEntries makes a chronology of four entries by two
// authors, the staff member's last entry written after the DSL's.
func loggedConcernWithEntries(t *testing.T) *testDB {
	t.Helper()
	s := demoStore(t)
	staff := s.viewerByEmail(t, "staff@demo.test")
	dsl := s.viewerByEmail(t, "dsl@demo.test")
	id := logConcern(t, s.db, staff, safeguarding.ConcernInput{SubmissionToken: "7a3e0c1e-95f4-4d7e-8d0f-3f1f3f9e2a10",
		SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{s.firstPupil(t)}, Categories: []string{"cse"},
		WhatHappened: "Seen getting into a car with an older man after school.", HappenedOn: time.Now()})
	addEntry(t, s.db, dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	addEntry(t, s.db, dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: "Refer to children's social care",
		Details: safeguarding.EntryDetails{Reason: "Indicators of CSE"}})
	// The staff member cannot read the DSL's entries, yet links to them.
	addEntry(t, s.db, staff, id, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "She said he is called Jay."})
	return s
}

func TestVerifyChronology(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, tamper, problem string
		breaks                int
	}{
		{"OK", ``, "", 0},
		{"ErrChangedContent", `UPDATE chronology_entries SET details = jsonb_set(details, '{reason}', '"none"') WHERE kind = 'decision'`, "changed", 1},
		{"ErrChangedTime", `UPDATE chronology_entries SET at = at - interval '1 day' WHERE kind = 'further_information'`, "changed", 1},
		{"ErrRemovedEntry", `DELETE FROM chronology_entries WHERE kind = 'acknowledged'`, "removed", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := loggedConcernWithEntries(t)
			if tc.tamper != "" {
				if _, err := s.owner.Exec(ctx, tc.tamper); err != nil {
					t.Fatal(err)
				}
			}
			checked, breaks, err := postgres.VerifyChronology(ctx, s.connString)
			if err != nil {
				t.Fatal(err)
			}
			if checked < 3 || len(breaks) != tc.breaks {
				t.Fatalf("checked %d entries, breaks %v; want %d break(s)", checked, breaks, tc.breaks)
			}
			if tc.breaks > 0 && !strings.Contains(breaks[0].Problem, tc.problem) {
				t.Errorf("problem %q does not say %q", breaks[0].Problem, tc.problem)
			}
		})
	}
}

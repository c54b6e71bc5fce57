package postgres_test

import (
	"context"
	"encoding/json"
	"reflect"
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

// concernInputV1 is safeguarding.ConcernInput as it was while LogConcern stored
// json.Marshal(in) as a concern's first entry (snapshot version 1), frozen
// here so that the test keeps writing version 1 however the input changes.
type concernInputV1 struct {
	SubmissionToken  string
	SubjectKind      safeguarding.SubjectKind
	PupilIDs         []int64
	SubjectPersonID  int64
	SubjectAdultName string
	SubjectAdultRole string
	Categories       []string
	Indicators       []string
	WhatHappened     string
	ChildsWords      string
	HappenedOn       time.Time
	HappenedTime     string
	Location         string
	OthersTold       string
	ActionsTaken     string
	Urgent           bool
}

// asLoggedBeforeVersion2 rewrites concern id's first entry, its only one so
// far, as LogConcern wrote it before snapshots had a version: in's fields
// under their Go names, hashed as they were then.
func asLoggedBeforeVersion2(t *testing.T, s *smallSchool, id int64, in safeguarding.ConcernInput) string {
	t.Helper()
	ctx := t.Context()
	v1, err := json.Marshal(concernInputV1{SubmissionToken: in.SubmissionToken, SubjectKind: in.SubjectKind, PupilIDs: in.PupilIDs,
		SubjectPersonID: in.SubjectPersonID, SubjectAdultName: in.SubjectAdultName, SubjectAdultRole: in.SubjectAdultRole,
		Categories: in.Categories, Indicators: in.Indicators, WhatHappened: in.WhatHappened, ChildsWords: in.ChildsWords,
		HappenedOn: in.HappenedOn, HappenedTime: in.HappenedTime, Location: in.Location, OthersTold: in.OthersTold,
		ActionsTaken: in.ActionsTaken, Urgent: in.Urgent})
	if err != nil {
		t.Fatal(err)
	}
	var e safeguarding.Entry
	var details []byte
	err = s.owner.QueryRow(ctx, `SELECT school_id, id, concern_id, kind, author_id, at, details, coalesce(corrects_id, 0), prev_hash
		FROM chronology_entries WHERE school_id = $1 AND concern_id = $2`, s.schoolID, id).
		Scan(&e.SchoolID, &e.ID, &e.ConcernID, &e.Kind, &e.AuthorID, &e.At, &details, &e.CorrectsID, &e.PrevHash)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(details, &e.Details); err != nil {
		t.Fatal(err)
	}
	e.Body = string(v1)
	if _, err := s.owner.Exec(ctx, `UPDATE chronology_entries SET body = $1, hash = $2 WHERE id = $3`,
		e.Body, safeguarding.ChainHash(e.PrevHash, e), e.ID); err != nil {
		t.Fatal(err)
	}
	return e.Body
}

// TestVerifyAcrossSnapshotVersions: a concern logged before snapshots had a
// version (its first entry holds version 1) and one logged since (version
// 2) both verify, with entries added after the change linked to either, and
// both are read back as the concern that was logged.
func TestVerifyAcrossSnapshotVersions(t *testing.T) {
	ctx := t.Context()
	s := newSmallSchool(t)
	before := safeguarding.ConcernInput{SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{s.ruby},
		Categories: []string{"cse"}, Indicators: []string{"secretive", "vehicles"},
		WhatHappened: "Ruby was collected at the gate by a man in a grey car.", ChildsWords: "  He said I'm \"his girl\" & not to tell.\n",
		HappenedOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), HappenedTime: "15:40", Location: "Front gate"}
	since := safeguarding.ConcernInput{SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{s.ruby, s.tom},
		Categories: []string{"online_safety"}, WhatHappened: "Both were sent <messages> by an adult they met online.",
		Parts: []safeguarding.PupilPart{{PupilID: s.ruby, Part: safeguarding.PartHarmed, ChildsWords: "He knows where we live."},
			{PupilID: s.tom, Part: safeguarding.PartWitness}},
		HappenedOn: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Urgent: true}
	beforeID := logConcern(t, s.db, s.staff1, before)
	v1 := asLoggedBeforeVersion2(t, s, beforeID, before)
	if !strings.HasPrefix(v1, `{"SubmissionToken":"`) || !strings.Contains(v1, `"HappenedOn":"2026-03-02T00:00:00Z"`) {
		t.Fatalf("not version 1 as it was stored: %s", v1)
	}
	sinceID := logConcern(t, s.db, s.staff2, since)
	for _, id := range []int64{beforeID, sinceID} {
		addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
		addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Spoke to her form tutor."})
	}

	t.Run("OKVerifies", func(t *testing.T) {
		checked, breaks, err := postgres.VerifyChronology(ctx, s.connString)
		if err != nil || checked != 6 || len(breaks) != 0 {
			t.Fatalf("checked %d entries, breaks %v, %v; want 6 and none", checked, breaks, err)
		}
	})

	t.Run("OKReadsEitherVersion", func(t *testing.T) {
		for _, c := range []struct {
			id      int64
			in      safeguarding.ConcernInput
			version string
		}{{beforeID, before, "1"}, {sinceID, since, "3"}} {
			entries, err := s.db.Chronology(ctx, s.dsl, c.id)
			if err != nil || len(entries) != 3 {
				t.Fatalf("concern %d: %d entries, %v", c.id, len(entries), err)
			}
			want := c.in.Snapshot()
			if c.version == "1" { // version 1 kept the one pupil's indicators and words as the concern's
				want.Indicators, want.ChildsWords, want.Pupils = c.in.Indicators, c.in.ChildsWords, nil
			}
			snap, err := safeguarding.DecodeConcernSnapshot([]byte(entries[0].Body))
			if err != nil || !reflect.DeepEqual(snap, want) {
				t.Errorf("version %s: snapshot %+v, %v; want %+v", c.version, snap, err, want)
			}
			account := safeguarding.ConcernAccount{WhatHappened: want.WhatHappened, ChildsWords: want.ChildsWords}
			if a, err := safeguarding.DecodeConcernAccount([]byte(entries[0].Body)); err != nil || a != account {
				t.Errorf("version %s: account %+v, %v; want %+v", c.version, a, err, account)
			}
		}
		// The child's file shows each concern's shared account and Ruby's
		// own words, from the concern, not from its first entry.
		f, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil {
			t.Fatal(err)
		}
		accounts := map[string]bool{}
		for _, c := range f.Concerns {
			accounts[c.WhatHappened+"|"+c.Parts[0].ChildsWords] = true
		}
		for _, a := range []string{before.WhatHappened + "|" + before.ChildsWords, since.WhatHappened + "|He knows where we live."} {
			if !accounts[a] {
				t.Errorf("the child's file does not show %q", a)
			}
		}
	})

	t.Run("ErrChangedVersion1Content", func(t *testing.T) {
		if _, err := s.owner.Exec(ctx, `UPDATE chronology_entries SET body = replace(body, 'grey car', 'red car') WHERE concern_id = $1 AND kind = 'concern_logged'`, beforeID); err != nil {
			t.Fatal(err)
		}
		_, breaks, err := postgres.VerifyChronology(ctx, s.connString)
		if err != nil || len(breaks) != 1 || breaks[0].ConcernID != beforeID || !strings.Contains(breaks[0].Problem, "changed") {
			t.Errorf("breaks %v, %v; want the version 1 entry changed", breaks, err)
		}
	})
}

package postgres_test

import (
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/migrations"
)

// TestMigrationGivesEachPupilTheirPart runs migration 00019 on a copy of the
// demo history as migration 00018 held it: every concern's indicators and
// child's words on the concern, and its first entry a version 2 snapshot.
// A concern about one pupil becomes wholly that pupil's; one about several
// keeps its indicators and words on the concern, not yet attributed, and
// they reach no pupil's file until the DSL attributes them.
func TestMigrationGivesEachPupilTheirPart(t *testing.T) {
	ctx := t.Context()
	s := newTestDB(t)
	school, err := demo.Load(ctx, s.db, "test-demo-password")
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.PlanHistory(time.Date(2026, time.March, 18, 14, 30, 0, 0, time.UTC)).Load(ctx, s.db, school); err != nil {
		t.Fatal(err)
	}
	asOf00018(t, s)

	// Down to 00018 and up again, as an upgrade from 00018 runs it.
	migrateDownTo(t, s.connString, 18)
	var parts bool
	if err := s.owner.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_name = 'concern_pupils' AND column_name = 'part')`).Scan(&parts); err != nil || parts {
		t.Fatalf("at 00018 concern_pupils has a part (%v)", err)
	}
	if err := postgres.Migrate(ctx, s.connString); err != nil {
		t.Fatalf("migrate up: %v", err)
	}

	// Every concern against the snapshot its first entry holds.
	rows, err := s.owner.Query(ctx, `SELECT c.id, e.body, c.indicators, c.childs_words,
			coalesce(json_agg(json_build_object('pupil', cp.pupil_id, 'part', cp.part, 'indicators', cp.indicators, 'words', cp.childs_words))
				FILTER (WHERE cp.pupil_id IS NOT NULL), '[]')
		FROM concerns c JOIN chronology_entries e ON e.school_id = c.school_id AND e.concern_id = c.id AND e.kind = 'concern_logged'
		LEFT JOIN concern_pupils cp ON cp.school_id = c.school_id AND cp.concern_id = c.id
		GROUP BY c.school_id, c.id, e.body ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	type pupilRow struct {
		Pupil      int64
		Part       safeguarding.Part
		Indicators []string
		Words      string
	}
	var single, several, severalWithWords int
	var unattributed []int64
	for rows.Next() {
		var id int64
		var body, words string
		var indicators []string
		var pupilsJSON []byte
		if err := rows.Scan(&id, &body, &indicators, &words, &pupilsJSON); err != nil {
			t.Fatal(err)
		}
		var pupils []pupilRow
		if err := json.Unmarshal(pupilsJSON, &pupils); err != nil {
			t.Fatal(err)
		}
		snap, err := safeguarding.DecodeConcernSnapshot([]byte(body))
		if err != nil {
			t.Fatalf("concern %d: %v", id, err)
		}
		sameSet := func(a, b []string) bool {
			return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
		}
		switch len(pupils) {
		case 0:
			if words != snap.ChildsWords || !sameSet(indicators, snap.Indicators) {
				t.Errorf("concern %d about no pupil: its words or indicators changed", id)
			}
		case 1:
			single++
			p := pupils[0]
			if p.Part != safeguarding.PartHarmed || p.Words != snap.ChildsWords || !sameSet(p.Indicators, snap.Indicators) || words != "" {
				t.Errorf("concern %d about one pupil: pupil %+v and %q left on the concern; want everything of %+v", id, p, words, snap)
			}
		default:
			several++
			if snap.ChildsWords != "" {
				severalWithWords++
				unattributed = append(unattributed, id)
			}
			if words != snap.ChildsWords || !sameSet(indicators, snap.Indicators) {
				t.Errorf("concern %d about several pupils: %q and %q on the concern, want the snapshot's %q and %q", id, words, indicators, snap.ChildsWords, snap.Indicators)
			}
			for _, p := range pupils {
				if p.Part != safeguarding.PartNotRecorded || len(p.Indicators) > 0 || p.Words != "" {
					t.Errorf("concern %d: pupil %+v was given what is not yet attributed", id, p)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d concerns about one pupil, %d about several (%d with the child's words)", single, several, severalWithWords)
	if single == 0 || severalWithWords < 3 {
		t.Fatalf("the demo history has %d concerns about one pupil and %d about several with words: too few to test on", single, severalWithWords)
	}

	dsl := s.viewerByEmail(t, "dsl@demo.test")
	t.Run("UnattributedOnNoPupilsFile", func(t *testing.T) {
		for _, id := range unattributed {
			c, err := s.db.Concern(ctx, dsl, id)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Unattributed() {
				t.Errorf("concern %d is not shown as unattributed", id)
			}
			for _, p := range c.Pupils {
				f, err := s.db.ChildFile(ctx, dsl, p.ID, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, line := range strings.Split(c.ChildsWords, "\n") {
					if leak := fileHolds(f, line); leak != "" {
						t.Errorf("concern %d's unattributed words %q are on pupil %d's file: %s", id, line, p.ID, leak)
					}
				}
			}
		}
	})

	t.Run("TheDSLAttributes", func(t *testing.T) {
		id := unattributed[0]
		c, err := s.db.Concern(ctx, dsl, id)
		if err != nil {
			t.Fatal(err)
		}
		first, second := c.Pupils[0].ID, c.Pupils[1].ID
		var parts []safeguarding.PupilPart
		for _, p := range c.Pupils {
			parts = append(parts, safeguarding.PupilPart{PupilID: p.ID, Part: safeguarding.PartWitness})
		}
		parts[0] = safeguarding.PupilPart{PupilID: first, Part: safeguarding.PartHarmed, Indicators: c.Indicators, ChildsWords: c.ChildsWords}
		staff := s.viewerByEmail(t, "staff@demo.test")
		if err := s.db.RecordParts(ctx, staff, id, parts); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("a member of staff records parts: %v, want ENOTFOUND", err)
		}
		if err := s.db.RecordParts(ctx, dsl, id, parts); err != nil {
			t.Fatal(err)
		}
		if err := s.db.RecordParts(ctx, dsl, id, parts); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("parts recorded twice: %v, want EINVALID", err)
		}
		f, err := s.db.ChildFile(ctx, dsl, first, 0)
		if err != nil {
			t.Fatal(err)
		}
		if fileHolds(f, c.ChildsWords) == "" {
			t.Error("the words given to the first pupil are not on their file")
		}
		f, err = s.db.ChildFile(ctx, dsl, second, 0)
		if err != nil {
			t.Fatal(err)
		}
		if leak := fileHolds(f, c.ChildsWords); leak != "" {
			t.Errorf("the first pupil's words are on the second's file: %s", leak)
		}
		entries, err := s.db.Chronology(ctx, dsl, id)
		if err != nil {
			t.Fatal(err)
		}
		recorded := 0
		for _, e := range entries {
			if e.Kind == safeguarding.EntryPartRecorded && e.AuthorID == dsl.PersonID && len(e.PupilIDs) == 1 {
				recorded++
			}
		}
		if recorded != len(c.Pupils) {
			t.Errorf("%d part_recorded entries by the DSL, want one per pupil (%d)", recorded, len(c.Pupils))
		}
	})
}

// asOf00018 rewrites the store as migration 00018 held it: each concern's
// indicators and child's words on the concern (a concern about several
// pupils had one box for the words of them all), and its first entry a
// version 2 snapshot saying so.
func asOf00018(t *testing.T, s *testDB) {
	t.Helper()
	ctx := t.Context()
	rows, err := s.owner.Query(ctx, `SELECT e.id, e.body FROM chronology_entries e WHERE e.kind = 'concern_logged'`)
	if err != nil {
		t.Fatal(err)
	}
	type first struct {
		id   int64
		body string
	}
	var firsts []first
	for rows.Next() {
		var f first
		if err := rows.Scan(&f.id, &f.body); err != nil {
			t.Fatal(err)
		}
		firsts = append(firsts, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, f := range firsts {
		snap, err := safeguarding.DecodeConcernSnapshot([]byte(f.body))
		if err != nil {
			t.Fatal(err)
		}
		indicators, words := snap.Indicators, snap.ChildsWords
		var said []string
		for _, p := range snap.Pupils {
			indicators = append(indicators, p.Indicators...)
			if p.ChildsWords != "" {
				said = append(said, p.ChildsWords)
			}
		}
		if len(snap.Pupils) > 0 {
			words = strings.Join(said, "\n")
		}
		slices.Sort(indicators)
		indicators = slices.Compact(indicators)
		v2 := map[string]any{"version": 2, "submission_token": snap.SubmissionToken, "subject_kind": snap.SubjectKind,
			"pupil_ids": nonEmpty(snap.PupilIDs), "subject_person_id": snap.SubjectPersonID, "subject_adult_name": snap.SubjectAdultName,
			"subject_adult_role": snap.SubjectAdultRole, "categories": nonEmpty(snap.Categories), "indicators": nonEmpty(indicators),
			"what_happened": snap.WhatHappened, "childs_words": words, "happened_on": snap.HappenedOn, "happened_time": snap.HappenedTime,
			"location": snap.Location, "others_told": snap.OthersTold, "actions_taken": snap.ActionsTaken, "urgent": snap.Urgent}
		body, err := json.Marshal(v2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.owner.Exec(ctx, `WITH e AS (UPDATE chronology_entries SET body = $2 WHERE id = $1 RETURNING school_id, concern_id)
			UPDATE concerns c SET indicators = $3, childs_words = $4 FROM e WHERE c.school_id = e.school_id AND c.id = e.concern_id`,
			f.id, body, nonEmpty(indicators), words); err != nil {
			t.Fatal(err)
		}
	}
}

func nonEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// fileHolds says where a pupil's file holds text, "" if nowhere.
func fileHolds(f safeguarding.ChildFile, text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	for _, c := range f.Concerns {
		if strings.Contains(c.ChildsWords, text) || strings.Contains(c.WhatHappened, text) {
			return "concern " + strconv.FormatInt(c.ID, 10)
		}
		for _, p := range c.Parts {
			if strings.Contains(p.ChildsWords, text) {
				return "the part on concern " + strconv.FormatInt(c.ID, 10)
			}
		}
	}
	for _, e := range f.Chronology {
		b, _ := json.Marshal(e.Details)
		if strings.Contains(e.Body, text) || strings.Contains(string(b), text) {
			return "entry " + string(e.Kind)
		}
	}
	return ""
}

// migrateDownTo undoes the migrations of the database at connString down
// to version, as an upgrade from that version finds it.
func migrateDownTo(t *testing.T, connString string, version int64) {
	t.Helper()
	sqlDB, err := sql.Open("pgx", connString)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(t.Context(), version); err != nil {
		t.Fatalf("down to %05d: %v", version, err)
	}
}

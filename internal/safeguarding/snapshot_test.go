package safeguarding_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// snapshotCases are the concerns that testdata/snapshot holds, each stored
// in every version as v<version>-<case>.json. Their values are written out
// here, not decoded from a file, so a decoder that misreads a field fails.
var snapshotCases = map[string]safeguarding.ConcernSnapshot{
	"pupils": {SubmissionToken: "3f2b8c1e-6a4d-4e9b-9c7a-1d2e3f405162", SubjectKind: safeguarding.SubjectPupils,
		PupilIDs: []int64{101, 205, 3077}, Categories: []string{"cse", "online_safety"},
		Indicators:   []string{"secretive", "unexplained_gifts", "older_partner"},
		WhatHappened: "Ruby was collected at the gate by a man in a grey car.\nShe had a new phone & said <nothing> about it.",
		ChildsWords:  "  He said I'm \"his girl\" and not to tell Mum. It's fine, honestly… ✨\n",
		HappenedOn:   "2026-03-27", HappenedTime: "15:40", Location: "Front gate, Elm Road", OthersTold: "Mrs Patel (form tutor)",
		ActionsTaken: "Asked Ruby to stay with me until her aunt arrived."},
	"staff": {SubmissionToken: "9b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b", SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: 42, Categories: []string{"other"},
		WhatHappened: "Mr Hale gave a Year 9 pupil his personal phone number.",
		HappenedOn:   "2026-02-03", HappenedTime: "08:15", Location: "Science corridor"},
	"other-adult": {SubmissionToken: "0c9d8e7f-6a5b-4c3d-8e1f-a2b3c4d5e6f7", SubjectKind: safeguarding.SubjectOtherAdult,
		SubjectAdultName: "Dave O'Neill", SubjectAdultRole: "contractor", Categories: []string{"other", "physical_abuse"},
		WhatHappened: "A contractor grabbed a pupil's arm in the hall.", ChildsWords: "He hurt me.",
		HappenedOn: "2025-11-14", HappenedTime: "12:05", Location: "Main hall", OthersTold: "Site manager",
		ActionsTaken: "Asked the contractor to leave the site."},
	"urgent": {SubmissionToken: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", SubjectKind: safeguarding.SubjectPupils,
		PupilIDs: []int64{7}, Categories: []string{"physical_abuse"},
		WhatHappened: "Bruising to both wrists; he is afraid to go home tonight.", ChildsWords: "Dad will kill me if I go back.",
		HappenedOn: "2026-03-30", HappenedTime: "09:00", Location: "Classroom 4", Urgent: true},
	"unknown-time": {SubmissionToken: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", SubjectKind: safeguarding.SubjectPupils,
		PupilIDs: []int64{12, 13}, Categories: []string{"neglect"},
		WhatHappened: "Both brothers arrived hungry and in the same clothes as last week.", HappenedOn: "2026-01-09"},
	// Version 1 stored 2026-03-29T00:30:05.123456789+01:00: the day is the
	// one where it was written, not the day in UTC.
	"local-time": {SubmissionToken: "7a3e0c1e-95f4-4d7e-8d0f-3f1f3f9e2a10", SubjectKind: safeguarding.SubjectPupils,
		PupilIDs: []int64{3}, Categories: []string{"cse"},
		WhatHappened: "Seen getting into a car with an older man after school.", HappenedOn: "2026-03-29"},
	// Version 1 stored the zero time when no date was given.
	"no-date": {PupilIDs: []int64{9}},
	// Each pupil's own part, from version 3 (snapshotCaseSince).
	"parts": {SubmissionToken: "c0ffee00-1234-4abc-8def-0123456789ab", SubjectKind: safeguarding.SubjectPupils,
		PupilIDs: []int64{21, 22}, Categories: []string{"child_on_child"},
		WhatHappened: "Two pupils were seen pushing a third against the lockers.", HappenedOn: "2026-04-20",
		Pupils: []safeguarding.SnapshotPupil{
			{PupilID: 21, Part: safeguarding.PartHarmed, Indicators: []string{"withdrawn"}, ChildsWords: "They always do this."},
			{PupilID: 22, Part: safeguarding.PartHarmer}}},
}

// snapshotCaseSince is the first version that can hold a case, for cases
// no earlier version could; any other case is stored in every version.
var snapshotCaseSince = map[string]int{"parts": 3}

// snapshotFiles are the stored snapshots by version, then case.
func snapshotFiles(t *testing.T) map[int]map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/snapshot/v*-*.json")
	if err != nil {
		t.Fatal(err)
	}
	files := map[int]map[string][]byte{}
	for _, p := range paths {
		v, name, ok := strings.Cut(strings.TrimSuffix(filepath.Base(p), ".json"), "-")
		version, err := strconv.Atoi(strings.TrimPrefix(v, "v"))
		if !ok || err != nil {
			t.Fatalf("%s: name it v<version>-<case>.json", p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if files[version] == nil {
			files[version] = map[string][]byte{}
		}
		files[version][name] = b
	}
	return files
}

// snapshotDiff names every field in which got differs from want.
func snapshotDiff(got, want safeguarding.ConcernSnapshot) []string {
	var diffs []string
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			diffs = append(diffs, fmt.Sprintf("%s = %#v, want %#v", g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface()))
		}
	}
	return diffs
}

func TestConcernSnapshot(t *testing.T) {
	files := snapshotFiles(t)

	t.Run("OKEveryVersionIsStored", func(t *testing.T) {
		for v := 1; v <= safeguarding.ConcernSnapshotVersion; v++ {
			for name := range snapshotCases {
				if _, ok := files[v][name]; !ok && v >= snapshotCaseSince[name] {
					t.Errorf("no testdata/snapshot/v%d-%s.json: store every case in every version", v, name)
				}
			}
		}
		for v, byName := range files {
			for name := range byName {
				if _, ok := snapshotCases[name]; !ok {
					t.Errorf("v%d-%s.json: no such case in snapshotCases", v, name)
				}
			}
		}
	})

	t.Run("OKCasesSetEveryField", func(t *testing.T) {
		// A field no case sets is a field no stored version is tested on.
		typ := reflect.TypeFor[safeguarding.ConcernSnapshot]()
		for i := range typ.NumField() {
			set := false
			for _, c := range snapshotCases {
				set = set || !reflect.ValueOf(c).Field(i).IsZero()
			}
			if !set {
				t.Errorf("no case sets %s", typ.Field(i).Name)
			}
		}
	})

	t.Run("OKDecodesEveryVersion", func(t *testing.T) {
		for v, byName := range files {
			for name, b := range byName {
				got, err := safeguarding.DecodeConcernSnapshot(b)
				if err != nil {
					t.Errorf("v%d-%s: %v", v, name, err)
					continue
				}
				for _, d := range snapshotDiff(got, snapshotCases[name]) {
					t.Errorf("v%d-%s: %s", v, name, d)
				}
			}
		}
	})

	t.Run("OKAccountOfEveryVersion", func(t *testing.T) {
		for v, byName := range files {
			for name, b := range byName {
				got, err := safeguarding.DecodeConcernAccount(b)
				want := safeguarding.ConcernAccount{WhatHappened: snapshotCases[name].WhatHappened, ChildsWords: snapshotCases[name].ChildsWords}
				if err != nil || got != want {
					t.Errorf("v%d-%s: account %+v, %v; want %+v", v, name, got, err, want)
				}
			}
		}
	})

	t.Run("OKEncodesTheStoredBytes", func(t *testing.T) {
		// The current version's files are what Encode writes, byte for byte:
		// the entry's hash covers them.
		for name, c := range snapshotCases {
			if got, want := string(c.Encode()), string(files[safeguarding.ConcernSnapshotVersion][name]); got != want {
				t.Errorf("%s:\n got %s\nwant %s", name, got, want)
			}
		}
	})

	t.Run("OKKeysAreTheRecordsOwn", func(t *testing.T) {
		// These names are the stored format. Changing one is a new version
		// with a decoder of this one, never a rename.
		want := []string{"version", "submission_token", "subject_kind", "pupil_ids", "subject_person_id",
			"subject_adult_name", "subject_adult_role", "categories", "indicators", "what_happened", "childs_words",
			"happened_on", "happened_time", "location", "others_told", "actions_taken", "urgent", "pupils"}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(safeguarding.ConcernSnapshot{}.Encode(), &keys); err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(maps.Keys(keys))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("keys %q, want %q", got, want)
		}
		if v := string(keys["version"]); v != strconv.Itoa(safeguarding.ConcernSnapshotVersion) {
			t.Errorf("version %s, want %d", v, safeguarding.ConcernSnapshotVersion)
		}
	})

	t.Run("OKRoundTrip", func(t *testing.T) {
		cases := slices.Collect(maps.Values(snapshotCases))
		cases = append(cases, safeguarding.ConcernSnapshot{}, safeguarding.ConcernSnapshot{
			WhatHappened: "\u2028\x00\"\\</script>", ChildsWords: "\t\n ", HappenedOn: safeguarding.SnapshotDate(time.Date(2040, 2, 29, 0, 0, 0, 0, time.UTC))})
		for _, c := range cases {
			got, err := safeguarding.DecodeConcernSnapshot(c.Encode())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range snapshotDiff(got, c) {
				t.Errorf("%s: %s", c.SubmissionToken, d)
			}
			// Marshalled as part of something else, it is the same record.
			b, err := json.Marshal(map[string]any{"s": c})
			if err != nil {
				t.Fatal(err)
			}
			var wrapped struct{ S safeguarding.ConcernSnapshot }
			if err := json.Unmarshal(b, &wrapped); err != nil || len(snapshotDiff(wrapped.S, c)) > 0 {
				t.Errorf("%s: through json.Marshal: %+v, %v", c.SubmissionToken, wrapped.S, err)
			}
		}
	})

	t.Run("ErrNotAConcernSnapshot", func(t *testing.T) {
		for _, tc := range []struct{ body, says string }{
			{`{"version":4,"what_happened":"x"}`, "version 4 is newer than this Haven reads"},
			{`{"version":2,"pupils":[]}`, "unknown field"},
			{`{"version":3,"happened_on":"27/03/2026"}`, "not a date"},
			{`{"version":1,"WhatHappened":"x"}`, "no version 1 was ever written"},
			{`{"version":0}`, "no version 0"},
			{`{"version":"2"}`, "version"},
			{`null`, "not a JSON object"},
			{`"Seen getting into a car"`, "not a JSON object"},
			{``, "not a JSON object"},
			{`{"version":2,"what_happened":"x","WhatHappened":"y"}`, "unknown field"},
			{`{"WhatHappened":"x","what_happened":"y"}`, "unknown field"},
			{`{"version":2,"happened_on":"27/03/2026"}`, "not a date"},
			{`{"HappenedOn":"27/03/2026"}`, "version 1"},
			{`{"version":2} {}`, "after top-level value"},
		} {
			_, err := safeguarding.DecodeConcernSnapshot([]byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%s: error %v, want one that says %q", tc.body, err, tc.says)
			}
		}
		for _, body := range []string{`{"version":4}`, `[]`, `{"version":"2"}`} {
			if _, err := safeguarding.DecodeConcernAccount([]byte(body)); err == nil {
				t.Errorf("account of %s: no error", body)
			}
		}
	})
}

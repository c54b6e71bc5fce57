package safeguarding_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Every bundle version Haven has written is read as it was meant:
// testdata/transfer holds one of each, and a version Haven reads with no
// file here fails.
func TestTransferBundleVersionsRead(t *testing.T) {
	for _, v := range safeguarding.ReadableBundleVersions {
		data, err := os.ReadFile(filepath.Join("testdata", "transfer", "v"+strconv.Itoa(v)+".json"))
		if err != nil {
			t.Fatalf("version %d has no example bundle: %v", v, err)
		}
		var b safeguarding.TransferBundle
		if err := json.Unmarshal(data, &b); err != nil {
			t.Fatal(err)
		}
		c := b.Concerns[0]
		if b.Version != v || b.Pupil.UPN != "A123456789012" || b.Pupil.LeftOn != "2026-03-31" || c.ChildsWords != "He said he was my boyfriend." ||
			c.OtherPupils != 1 || c.Part != safeguarding.PartHarmed.Label() || c.Entries[0].Details[0].Value != "Several CSE indicators" ||
			b.Referrals[0].Reference != "MASH-1" || !c.LoggedAt.Equal(time.Date(2026, 3, 2, 15, 10, 0, 0, time.UTC)) {
			t.Errorf("version %d reads %+v", v, b)
		}
	}
}

// A bundle holds the pupil's own part, every other pupil counted and never
// named, and the concerns oldest first.
func TestNewTransferBundle(t *testing.T) {
	older := safeguarding.Concern{ID: 1, LoggedAt: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Categories: []string{"cse"},
		Pupils: []safeguarding.PupilRef{{}, {}}, Parts: []safeguarding.PupilPart{{PupilID: 7, Part: safeguarding.PartWitness, ChildsWords: "own"}}}
	newer := safeguarding.Concern{ID: 2, LoggedAt: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), Categories: []string{"unknown_code"}}
	f := safeguarding.ChildFile{Pupil: safeguarding.PupilRef{ID: 7, FirstName: "Ruby", LastName: "Okafor", YearGroup: 10},
		Concerns: []safeguarding.Concern{newer, older},
		Chronology: []safeguarding.Entry{{ConcernID: 1, Kind: safeguarding.EntryReferral, Details: safeguarding.EntryDetails{
			Agency: safeguarding.AgencyPolice, Reference: "P-1"}}}}
	b := safeguarding.NewTransferBundle(safeguarding.BundleSource{File: f, Categories: []safeguarding.Category{{Code: "cse", Label: "Child sexual exploitation"}}})
	if len(b.Concerns) != 2 || b.Concerns[0].Reference != "1" || b.Concerns[1].Reference != "2" {
		t.Fatalf("concerns %+v, want oldest first", b.Concerns)
	}
	first := b.Concerns[0]
	if first.OtherPupils != 2 || first.ChildsWords != "own" || first.Part != safeguarding.PartWitness.Label() ||
		!slices.Equal(first.Categories, []string{"Child sexual exploitation"}) || len(first.Entries) != 1 {
		t.Errorf("first concern %+v", first)
	}
	if got := b.Concerns[1].Categories; !slices.Equal(got, []string{"unknown_code"}) || b.Concerns[1].Entries == nil {
		t.Errorf("second concern %+v", b.Concerns[1])
	}
}

// The deadline is five working days on the school's calendar.
func TestTransferDue(t *testing.T) {
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), []safeguarding.Closure{
		{From: time.Date(2026, 5, 26, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 29, 0, 0, 0, 0, time.UTC), Reason: "Half term"}})
	for left, due := range map[string]string{
		"2026-03-31": "2026-04-09", // Good Friday and Easter Monday
		"2026-05-20": "2026-06-03", // the spring bank holiday and half term
		"2026-06-08": "2026-06-15", // a plain week
	} {
		day, _ := time.Parse(time.DateOnly, left)
		if got := safeguarding.TransferDue(cal, day).Format(time.DateOnly); got != due {
			t.Errorf("left %s: due %s, want %s", left, got, due)
		}
	}
}

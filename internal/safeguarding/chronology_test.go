package safeguarding

import (
	"encoding/hex"
	"testing"
	"time"
)

// An entry written before entries could name pupils or say when they
// happened keeps the hash it was written with; naming pupils or a time
// changes it, and so does changing either afterwards.
func TestChainHashCoversPupilsAndTimeOnlyWhenSet(t *testing.T) {
	at := time.Date(2026, 3, 27, 9, 30, 0, 0, time.UTC)
	e := Entry{SchoolID: 1, ConcernID: 7, Kind: EntryAction, AuthorID: 3, At: at, Body: "Phoned MASH"}
	// The hash as ChainHash computed it before entries had pupils or a time, pinned.
	const before = "da9662ea"
	got := hex.EncodeToString(ChainHash([]byte{}, e))
	if got[:8] != before {
		t.Fatalf("hash of an entry with no pupils and no time = %s…, want %s… (entries already written would no longer verify)", got[:8], before)
	}
	seen := map[string]string{got: "plain"}
	for name, changed := range map[string]Entry{
		"one pupil":       withPupils(e, 11),
		"another pupil":   withPupils(e, 12),
		"two pupils":      withPupils(e, 11, 12),
		"happened at":     withTime(e, at.Add(-time.Hour)),
		"happened sooner": withTime(e, at.Add(-2*time.Hour)),
	} {
		h := hex.EncodeToString(ChainHash([]byte{}, changed))
		if other, dup := seen[h]; dup {
			t.Errorf("%s hashes as %s does", name, other)
		}
		seen[h] = name
	}
}

func withPupils(e Entry, ids ...int64) Entry { e.PupilIDs = ids; return e }
func withTime(e Entry, t time.Time) Entry    { e.HappenedAt = t; return e }

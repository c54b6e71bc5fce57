package jobs

import (
	"testing"
	"time"
)

// The retention job runs at 2am in England, whatever the season.
func TestRetentionRunsAtTwo(t *testing.T) {
	for now, want := range map[string]string{
		"2026-12-03T01:59:00Z": "2026-12-03T02:00:00Z", // GMT
		"2026-12-03T02:00:00Z": "2026-12-04T02:00:00Z",
		"2026-07-03T00:30:00Z": "2026-07-03T01:00:00Z", // BST: 1:30am in England; 2am is 1am UTC
		"2026-07-03T01:00:00Z": "2026-07-04T01:00:00Z",
	} {
		n, _ := time.Parse(time.RFC3339, now)
		if got := retentionAt.Next(n).UTC().Format(time.RFC3339); got != want {
			t.Errorf("after %s: next %s, want %s", now, got, want)
		}
	}
}

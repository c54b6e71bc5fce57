package safeguarding_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// A notice is raised when the denied looks reach the threshold, and not
// again while an earlier one is within the window.
func TestDeniedLookWatchRaises(t *testing.T) {
	w := safeguarding.DefaultDeniedLookWatch
	if w.Times != 5 || w.Within != 24*time.Hour {
		t.Fatalf("default %+v, want 5 within 24h", w)
	}
	for _, tc := range []struct {
		name    string
		watch   safeguarding.DeniedLookWatch
		times   int
		noticed bool
		want    bool
	}{
		{"BelowThreshold", w, 4, false, false},
		{"AtThreshold", w, 5, false, true},
		{"AlreadyNoticed", w, 5, true, false},
		{"FurtherLooks", w, 9, true, false},
		{"AboveAfterTheNoticeExpired", w, 9, false, true},
		{"Off", safeguarding.DeniedLookWatch{}, 100, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.watch.Raises(tc.times, tc.noticed); got != tc.want {
				t.Errorf("Raises(%d, %v) = %v, want %v", tc.times, tc.noticed, got, tc.want)
			}
		})
	}
}

package jobs

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestDailyAtAcrossTheClockChanges(t *testing.T) {
	london := safeguarding.England()
	at := DailyAt{Hour: 2, Minute: 10}
	tests := map[string]struct{ from, want time.Time }{
		"BeforeToday":     {time.Date(2026, 12, 3, 1, 0, 0, 0, london), time.Date(2026, 12, 3, 2, 10, 0, 0, london)},
		"AfterToday":      {time.Date(2026, 12, 3, 2, 10, 0, 0, london), time.Date(2026, 12, 4, 2, 10, 0, 0, london)},
		"ClocksGoForward": {time.Date(2026, 3, 28, 12, 0, 0, 0, london), time.Date(2026, 3, 29, 1, 10, 0, 0, time.UTC)}, // 02:10 GMT does not exist that night: once, an hour early
		"ClocksGoBack":    {time.Date(2026, 10, 24, 12, 0, 0, 0, london), time.Date(2026, 10, 25, 2, 10, 0, 0, london)},
		"SummerTime":      {time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC), time.Date(2026, 7, 2, 1, 10, 0, 0, time.UTC)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := at.Next(tc.from); !got.Equal(tc.want) {
				t.Errorf("Next(%s) = %s, want %s", tc.from, got, tc.want)
			}
		})
	}
}

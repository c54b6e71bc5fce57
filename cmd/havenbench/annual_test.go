package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Measurement C meets its targets only when every school's report took
// under 200 ms, all of them together under 2 s, and none answered wrongly.
func TestReportVerdict(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, v := range n {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	fifty := func(each int) []time.Duration {
		out := make([]time.Duration, 50)
		for i := range out {
			out[i] = time.Duration(each) * time.Millisecond
		}
		return out
	}
	for _, tc := range []struct {
		name string
		run  reportRun
		ok   bool
	}{
		{"Fast", reportRun{each: fifty(30)}, true},
		{"OneSlowSchool", reportRun{each: append(fifty(30)[:49], 250*time.Millisecond)}, false},
		{"AllTooSlowTogether", reportRun{each: fifty(45)}, false},
		{"AnError", reportRun{each: ms(10, 10), errors: []string{"school 2: status 500"}}, false},
		{"NothingMeasured", reportRun{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, ok := tc.run.reportVerdict(); ok != tc.ok {
				t.Errorf("verdict %v, want %v", ok, tc.ok)
			}
			var buf bytes.Buffer
			(&report{reports: &tc.run}).printReports(&buf)
			if met := strings.Contains(buf.String(), "Target met"); met != tc.ok {
				t.Errorf("the results say target met %v, want %v:\n%s", met, tc.ok, buf.String())
			}
		})
	}
}

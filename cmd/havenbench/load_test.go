package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRouteNames(t *testing.T) {
	got := routeNames("GET /queue,GET /concerns/{id} (own, staff),POST /concerns")
	want := []string{"GET /queue", "GET /concerns/{id} (own, staff)", "POST /concerns"}
	if !slices.Equal(got, want) {
		t.Errorf("routeNames = %q, want %q", got, want)
	}
}

// A route is judged against the floor of its turns: their requests over
// their time, and their CPU over their requests.
func TestBesideFloor(t *testing.T) {
	turn := func(n int, seconds float64, haven, postgres time.Duration) *routeStats {
		return &routeStats{latencies: make([]time.Duration, n), seconds: seconds, cpu: cpuTimes{haven: haven, postgres: postgres}}
	}
	s := &routeStats{}
	if _, _, _, ok := s.besideFloor(); ok {
		t.Error("a route with no floor beside it has one")
	}
	// 4,000/s at 0.2 + 0.1 ms for 5 s, then 2,000/s at 0.4 + 0.3 ms for 5 s.
	s.beside = &routeStats{}
	s.beside.merge(turn(20000, 5, 4000*time.Millisecond, 2000*time.Millisecond))
	s.beside.merge(turn(10000, 5, 4000*time.Millisecond, 3000*time.Millisecond))
	rps, h, p, ok := s.besideFloor()
	if !ok || rps != 3000 || h != 8000*time.Millisecond/30000 || p != 5000*time.Millisecond/30000 {
		t.Errorf("besideFloor = %v/s, %v + %v, %v; want 3000/s, %v + %v", rps, h, p, ok, 8000*time.Millisecond/30000, 5000*time.Millisecond/30000)
	}
}

// A route is within the target when its p99 is at most 2.5 times the
// floor's and it answered as it should every time; sign-in is judged apart.
func TestFixedRateTarget(t *testing.T) {
	stats := func(p99 time.Duration, errors int) *routeStats {
		s := &routeStats{errors: errors}
		for range 98 {
			s.latencies = append(s.latencies, time.Millisecond)
		}
		s.latencies = append(s.latencies, p99, p99)
		return s
	}
	floor := stats(10*time.Millisecond, 0)
	for _, tc := range []struct {
		name   string
		s      *routeStats
		ratio  float64
		within bool
	}{
		{"Below", stats(20*time.Millisecond, 0), 2, true},
		{"AtTheLine", stats(25*time.Millisecond, 0), 2.5, true},
		{"Above", stats(26*time.Millisecond, 0), 2.6, false},
		{"FastButWrong", stats(5*time.Millisecond, 1), 0.5, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ratio, within := withinTarget(tc.s, floor)
			if ratio != tc.ratio || within != tc.within {
				t.Errorf("withinTarget = %.2f, %v; want %.2f, %v", ratio, within, tc.ratio, tc.within)
			}
		})
	}

	r := &report{o: Options{Rate: 300, Duration: time.Minute}, routes: []route{{name: floorRoute}, {name: "GET /queue"}, {name: signInRoute}, {name: "GET /pupils/{id}"}},
		fixed: map[int]*routeStats{0: floor, 1: stats(20*time.Millisecond, 0), 2: stats(120*time.Millisecond, 0), 3: stats(30*time.Millisecond, 0)}}
	var out strings.Builder
	r.printFixed(&out)
	for _, want := range []string{"| GET /queue | 25.0% | 100 | 1.0 | 1.0 | 20.0 | 20.0 | 0 | 2.00× | yes |", "| POST /sign-in |", "| 12.00× | apart |",
		"| 3.00× | **no** |", "**Target missed** by GET /pupils/{id}"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, out.String())
		}
	}
}

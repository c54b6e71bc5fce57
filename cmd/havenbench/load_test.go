package main

import (
	"slices"
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

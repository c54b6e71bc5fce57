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

// A route is judged against the floor measured on either side of it.
func TestBesideFloor(t *testing.T) {
	floor := func(n int, seconds float64, haven, postgres time.Duration) *routeStats {
		return &routeStats{latencies: make([]time.Duration, n), seconds: seconds, cpu: cpuTimes{haven: haven, postgres: postgres}}
	}
	s := &routeStats{}
	if _, _, _, ok := s.besideFloor(); ok {
		t.Error("a route with no floor beside it has one")
	}
	// 4,000/s at 0.2 + 0.1 ms, then 2,000/s at 0.4 + 0.3 ms.
	s.beside = [2]*routeStats{floor(4000, 1, 800*time.Millisecond, 400*time.Millisecond), floor(2000, 1, 800*time.Millisecond, 600*time.Millisecond)}
	rps, h, p, ok := s.besideFloor()
	if !ok || rps != 3000 || h != 300*time.Microsecond || p != 200*time.Microsecond {
		t.Errorf("besideFloor = %v/s, %v + %v, %v; want 3000/s, 300µs + 200µs", rps, h, p, ok)
	}
}

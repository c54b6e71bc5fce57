package main

import (
	"slices"
	"testing"
)

func TestRouteNames(t *testing.T) {
	got := routeNames("GET /queue,GET /concerns/{id} (own, staff),POST /concerns")
	want := []string{"GET /queue", "GET /concerns/{id} (own, staff)", "POST /concerns"}
	if !slices.Equal(got, want) {
		t.Errorf("routeNames = %q, want %q", got, want)
	}
}

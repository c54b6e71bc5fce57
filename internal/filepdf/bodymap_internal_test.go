package filepdf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestBodyMapDrawn: a body map entry draws both outlines' regions and each
// mark, red and numbered, where it was placed, and lists the marks in
// words by the same numbers.
func TestBodyMapDrawn(t *testing.T) {
	m := &BodyMap{Width: 200, Height: 440,
		Outlines: []Outline{
			{Side: "front", Label: "Front", Regions: []Shape{{Ellipse: true, X: 100, Y: 38, W: 52, H: 64}, {X: 66, Y: 86, W: 68, H: 64}}},
			{Side: "back", Label: "Back", Regions: []Shape{{X: 66, Y: 86, W: 68, H: 64}}}},
		Marks: []Mark{
			{Number: 1, Side: "front", X: 150, Y: 190, Where: "Front: left forearm", Description: "A bruise the size of a thumbprint."},
			{Number: 2, Side: "back", X: 100, Y: 120, Where: "Back: upper back", Description: "Two red lines."}}}
	draw := func(m *BodyMap) string {
		f := File{PupilName: "Amira Hussain", Printed: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
			Chronology: []Entry{{Heading: "Body map", Written: "2 May 2026 at 9:00am", Author: "Dana Lead", Concern: "Concern 1", BodyMap: m}}}
		var b bytes.Buffer
		if err := write(&b, f, false); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	with, without := draw(m), draw(nil)
	// Each mark is a circle filled in red (212, 53, 28).
	red := "0.831 0.208 0.110 rg"
	if n := strings.Count(with, red); n != len(m.Marks) {
		t.Errorf("%d red fills, want one for each of %d marks", n, len(m.Marks))
	}
	if strings.Contains(without, red) {
		t.Error("an entry without a body map has a red fill")
	}
	// Each region is a path of its own, stroked ("S" on a line of its
	// own): the entry's rule above it is a line closed on the same line.
	strokes := func(s string) int { return strings.Count(s, "\nS\n") }
	if got, want := strokes(with)-strokes(without), 3; got != want {
		t.Errorf("%d regions outlined, want %d", got, want)
	}
	pages, err := Text([]byte(draw(m)))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Front", "Back", "1. Front: left forearm", "A bruise the size of a thumbprint.", "2. Back: upper back", "Two red lines."} {
		if !strings.Contains(all, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

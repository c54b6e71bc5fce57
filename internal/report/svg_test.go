package report

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./internal/report -update and look at the file", name)
	}
}

// exampleTable is the Example report's table with the given ID.
func exampleTable(t *testing.T, id string) Table {
	t.Helper()
	for _, s := range Example().Sections {
		for _, tb := range s.Tables {
			if tb.ID == id {
				return tb
			}
		}
	}
	t.Fatalf("Example has no table %q", id)
	return Table{}
}

// mustParseSVG parses svg as XML and returns its elements in document
// order, each with its own text.
func mustParseSVG(t *testing.T, svg string) []svgElement {
	t.Helper()
	var els []svgElement
	var open []int // indexes into els of the elements not yet closed
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			el := svgElement{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				el.Attr[a.Name.Local] = a.Value
			}
			els = append(els, el)
			open = append(open, len(els)-1)
		case xml.CharData:
			if len(open) > 0 {
				els[open[len(open)-1]].Text += string(tok)
			}
		case xml.EndElement:
			open = open[:len(open)-1]
		}
	}
	if len(els) == 0 || els[0].Name != "svg" {
		t.Fatalf("the output is not an svg element:\n%s", svg)
	}
	return els
}

type svgElement struct {
	Name string
	Attr map[string]string
	Text string
}

func texts(els []svgElement) []string {
	var out []string
	for _, e := range els {
		if e.Name == "text" {
			out = append(out, e.Text)
		}
	}
	return out
}

func countRects(els []svgElement) int {
	n := 0
	for _, e := range els {
		if e.Name == "rect" {
			n++
		}
	}
	return n
}

func TestChartSVG(t *testing.T) {
	t.Run("Golden", func(t *testing.T) {
		for _, id := range []string{"concerns-by-category", "concerns-by-month", "cse-indicators", "training"} {
			golden(t, id+".svg", []byte(ChartSVG(exampleTable(t, id))+"\n"))
		}
	})

	t.Run("Accessible", func(t *testing.T) {
		tb := exampleTable(t, "concerns-by-category")
		els := mustParseSVG(t, ChartSVG(tb))
		root := els[0]
		if root.Attr["role"] != "img" {
			t.Errorf("role = %q, want img", root.Attr["role"])
		}
		if root.Attr["width"] != "100%" || root.Attr["height"] != "" || !strings.HasPrefix(root.Attr["viewBox"], "0 0 360 ") {
			t.Errorf("the chart must scale by its viewBox alone: width %q height %q viewBox %q",
				root.Attr["width"], root.Attr["height"], root.Attr["viewBox"])
		}
		if root.Attr["aria-hidden"] == "true" {
			t.Error("the chart is hidden from assistive technology")
		}
		ids := map[string]svgElement{}
		for _, e := range els {
			if e.Attr["id"] != "" {
				ids[e.Attr["id"]] = e
			}
		}
		labelledBy := strings.Fields(root.Attr["aria-labelledby"])
		if len(labelledBy) == 0 {
			t.Fatal("no aria-labelledby")
		}
		title, ok := ids[labelledBy[0]]
		if !ok || title.Name != "title" || title.Text != tb.Caption {
			t.Errorf("aria-labelledby's first id names %+v, want the title %q", title, tb.Caption)
		}
		if root.Attr["font-size"] != "16" {
			t.Errorf("font-size = %q, want 16", root.Attr["font-size"])
		}
	})

	t.Run("LabelsAreEscaped", func(t *testing.T) {
		label := `<script>alert("x")</script> & 'Co'` + "\x00"
		for _, kind := range []Chart{Bars, Columns} {
			tb := Table{ID: `x" onload="y`, Caption: "<b>Caption</b>", Columns: []string{"<i>2025</i>"}, Chart: kind,
				Rows: []Row{{Label: label, Figures: []Figure{{Value: 3}}}}}
			svg := ChartSVG(tb)
			if strings.Contains(svg, "<script") || strings.Contains(svg, "<b>") || strings.Contains(svg, "<i>") || strings.Contains(svg, `" onload`) {
				t.Fatalf("markup from a label got through:\n%s", svg)
			}
			els := mustParseSVG(t, svg)
			found := false
			for _, s := range texts(els) {
				found = found || strings.Contains(s, `<script>alert("x")</script> & 'Co'`)
			}
			if !found {
				t.Errorf("the label is not shown as text: %q", texts(els))
			}
		}
	})

	t.Run("AnyLabelIsWellFormed", func(t *testing.T) {
		for _, label := range []string{"\xff\xfe broken UTF-8", "]]><!--", "&amp; &#0;", "\u2028 \uFFFE \U0001F600", strings.Repeat("Unbroken", 20), ""} {
			for _, kind := range []Chart{Bars, Columns} {
				tb := Table{ID: label, Caption: label, Columns: []string{label, label}, Chart: kind,
					Rows: []Row{{Label: label, Figures: []Figure{{Value: 2}, {Value: 1}}}}}
				els := mustParseSVG(t, ChartSVG(tb))
				if kind == Bars {
					for _, e := range els {
						if e.Name == "text" && textWidth(e.Text) > chartWidth {
							t.Errorf("a line is wider than the chart: %q", e.Text)
						}
					}
				}
			}
		}
	})

	t.Run("SuppressedAndNotRecordedDrawNoBar", func(t *testing.T) {
		for _, kind := range []Chart{Bars, Columns} {
			tb := Table{ID: "t", Caption: "T", Columns: []string{"2025 to 2026", "2024 to 2025"}, Chart: kind, Rows: []Row{
				{Label: "Few", Figures: []Figure{{Suppressed: true}, {Suppressed: true}}},
				{Label: "Unknown", Figures: []Figure{{NotRecorded: true}, {NotRecorded: true}}},
			}}
			els := mustParseSVG(t, ChartSVG(tb))
			for _, e := range els {
				if e.Name == "rect" && e.Attr["height"] != "14" && e.Attr["height"] != "6" { // the legend's keys
					t.Errorf("%v: a bar was drawn for a figure with no value: %+v", kind, e)
				}
			}
			got := strings.Join(texts(els), "|")
			if strings.Count(got, "fewer than 5") != 2 || strings.Count(got, "not recorded") != 2 {
				t.Errorf("%v: want each figure's words beside where its bar would be, got %q", kind, got)
			}
			for _, s := range texts(els) {
				if s == "0" || s == "4" {
					t.Errorf("%v: a figure with no value was written as %q", kind, s)
				}
			}
		}
	})

	t.Run("OneBarPerFigureLeavingOutTotals", func(t *testing.T) {
		tb := exampleTable(t, "concerns-by-category")
		els := mustParseSVG(t, ChartSVG(tb))
		want := 2 // the legend's keys
		for _, r := range tb.Rows {
			for c := range 2 {
				if f := r.Figures[c]; !r.Total && drawn(f) && f.Value > 0 {
					want++
				}
			}
		}
		if got := countRects(els); got != want {
			t.Errorf("%d rects, want %d (one per drawn, non-zero figure outside the total, and two legend keys)", got, want)
		}
		for _, s := range texts(els) {
			if s == "Total" || s == "171" {
				t.Errorf("the total row is drawn: %q", s)
			}
		}
	})

	t.Run("BarsAreInProportion", func(t *testing.T) {
		tb := Table{ID: "t", Caption: "T", Columns: []string{"2025 to 2026"}, Chart: Bars, Rows: []Row{
			{Label: "A", Figures: []Figure{{Value: 40}}},
			{Label: "B", Figures: []Figure{{Value: 10}}},
		}}
		var widths []string
		for _, e := range mustParseSVG(t, ChartSVG(tb)) {
			if e.Name == "rect" {
				widths = append(widths, e.Attr["width"])
			}
		}
		if len(widths) != 2 {
			t.Fatalf("bars %q", widths)
		}
		var a, b float64
		if _, err := fmt.Sscan(widths[0], &a); err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Sscan(widths[1], &b); err != nil {
			t.Fatal(err)
		}
		if r := a / b; r < 3.9 || r > 4.1 {
			t.Errorf("bars for 40 and 10 are %v and %v long, not 4 to 1", a, b)
		}
	})

	t.Run("NothingToDraw", func(t *testing.T) {
		for name, tb := range map[string]Table{
			"NoChart":    {Caption: "T", Columns: []string{"2025 to 2026"}, Rows: []Row{{Label: "A", Figures: []Figure{{Value: 1}}}}},
			"NoRows":     {Caption: "T", Columns: []string{"2025 to 2026"}, Chart: Bars},
			"OnlyTotals": {Caption: "T", Columns: []string{"2025 to 2026"}, Chart: Columns, Rows: []Row{{Label: "Total", Total: true, Figures: []Figure{{Value: 1}}}}},
		} {
			if got := ChartSVG(tb); got != "" {
				t.Errorf("%s: got a chart:\n%s", name, got)
			}
		}
	})
}

package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// renderPDF writes r uncompressed, so that the text of its pages can be
// searched, and checks it is a PDF.
func renderPDF(t *testing.T, r Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := writePDF(&buf, r, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "%PDF-") || !strings.HasSuffix(strings.TrimSpace(out), "%%EOF") {
		t.Fatalf("not a PDF: %.40q … %.40q", out, out[max(0, len(out)-40):])
	}
	return out
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

func pageCount(pdf string) int { return len(pageObject.FindAllString(pdf, -1)) }

// shows reports whether the PDF's pages show s as one piece of text.
func shows(pdf, s string) bool {
	s = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
	return strings.Contains(pdf, "("+s+")")
}

func TestWritePDF(t *testing.T) {
	t.Run("Example", func(t *testing.T) {
		r := Example()
		pdf := renderPDF(t, r)
		if n := pageCount(pdf); n != 5 {
			t.Errorf("%d pages, want 5", n)
		}
		for _, s := range []string{
			"Oakfield Academy",
			"No child or member of staff is named in this report.",
			"Generated on 14 September 2026",
			"Page 1 of 5", "Page 5 of 5",
		} {
			if !shows(pdf, s) {
				t.Errorf("the PDF does not show %q", s)
			}
		}
		for _, s := range r.Sections {
			if !shows(pdf, s.Title) {
				t.Errorf("no section heading %q", s.Title)
			}
			for _, tb := range s.Tables {
				if !shows(pdf, tb.Caption) {
					t.Errorf("no caption %q", tb.Caption)
				}
			}
		}
		if !shows(pdf, "fewer than 5") || !shows(pdf, "not recorded") {
			t.Error("suppressed and not-recorded figures are not written as words")
		}
	})

	t.Run("Compressed", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WritePDF(&buf, Example()); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || pageCount(buf.String()) != 5 {
			t.Errorf("WritePDF's output is not the 5-page PDF")
		}
		if shows(buf.String(), "Concerns by category") {
			t.Error("the pages are not compressed")
		}
	})

	t.Run("CharactersOutsideASCII", func(t *testing.T) {
		r := Report{School: "St Mary’s – £ School", Year: AcademicYear{2025}, Sections: []Section{{Title: "Costs – £",
			Tables: []Table{{Caption: "Spend – £", Columns: []string{"2025 to 2026"}, Rows: []Row{{Label: "Café", Figures: []Figure{{Value: 1}}}, {Label: "Łódź 😀 \xff", Figures: []Figure{{Value: 2}}}}}}}}}
		pdf := renderPDF(t, r)
		// Windows-1252: en dash 0x96, pound 0xA3, é 0xE9.
		for _, s := range []string{"Costs \x96 \xa3", "Spend \x96 \xa3", "Caf\xe9"} {
			if !shows(pdf, s) {
				t.Errorf("the PDF does not show %q in Windows-1252", s)
			}
		}
	})

	t.Run("EmptySections", func(t *testing.T) {
		pdf := renderPDF(t, Report{School: "S", Year: AcademicYear{2025}, Sections: []Section{
			{Title: "Nothing here"},
			{Title: "An empty table", Tables: []Table{{Caption: "Empty", Chart: Bars}}},
			{Title: "A chart with no columns", Tables: []Table{{Caption: "No columns", Chart: Columns, Rows: []Row{{Label: "A"}}}}},
		}})
		if pageCount(pdf) != 1 {
			t.Errorf("%d pages, want 1", pageCount(pdf))
		}
		if !shows(pdf, "There are no figures in this section.") {
			t.Error("an empty section does not say so")
		}
		renderPDF(t, Report{})
	})

	t.Run("LongTableRepeatsItsHeader", func(t *testing.T) {
		var rows []Row
		for i := range 150 {
			rows = append(rows, Row{Label: "Row " + strconv.Itoa(i+1), Figures: []Figure{{Value: float64(i)}, {Suppressed: true}}})
		}
		r := Report{School: "S", Year: AcademicYear{2025}, Generated: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
			Sections: []Section{{Title: "Long", Tables: []Table{{Caption: "Many rows", Columns: []string{"This year", "Last year"}, Rows: rows}}}}}
		pdf := renderPDF(t, r)
		pages := pageCount(pdf)
		if pages < 3 {
			t.Fatalf("%d pages, want the table to spill over several", pages)
		}
		if got := strings.Count(pdf, "(This year)"); got != pages {
			t.Errorf("the header row is written %d times on %d pages", got, pages)
		}
		if got := strings.Count(pdf, "(Many rows \\(continued\\))"); got != pages-1 {
			t.Errorf("\"continued\" captions: %d, want %d", got, pages-1)
		}
		for _, row := range rows {
			if !shows(pdf, row.Label) {
				t.Errorf("row %q is missing", row.Label)
			}
		}
	})

	t.Run("ChartsAreNotSplit", func(t *testing.T) {
		// Tables with tall charts, more than fit one page, after a
		// header: some charts must move to a new page rather than run
		// over the footer.
		var tables []Table
		for i := range 7 {
			kind := Columns
			rows := exampleTable(t, "concerns-by-month").Rows
			if i%2 == 1 {
				kind, rows = Bars, exampleTable(t, "cse-indicators").Rows
			}
			tables = append(tables, Table{Caption: "Chart " + strconv.Itoa(i), Columns: []string{"2025 to 2026", "2024 to 2025"}, Chart: kind, Rows: rows})
		}
		// And a bar chart longer than a page, which goes on over pages a
		// row at a time.
		var long []Row
		for i := range 45 {
			long = append(long, Row{Label: "Indicator number " + strconv.Itoa(i+1) + " worded at some length, as the policy words it",
				Figures: []Figure{{Value: float64(i)}, {Suppressed: i%3 == 0, Value: 7}}})
		}
		tables = append(tables, Table{Caption: "Long chart", Columns: []string{"2025 to 2026", "2024 to 2025"}, Chart: Bars, Rows: long})
		r := Report{School: "S", Year: AcademicYear{2025}, Sections: []Section{{Title: "Charts", Tables: tables}}}
		d := layOutPDF(r, false)
		if len(d.charts) <= len(tables) {
			t.Fatalf("%d chart parts drawn, want %d charts and the long one in parts", len(d.charts), len(tables))
		}
		_, pageH := d.GetPageSize()
		moved := false
		for i, c := range d.charts {
			if c.page != c.endPage || c.top < pdfMargin || c.bottom > pageH-pdfBottom {
				t.Errorf("chart %d runs from %.0f mm on page %d to %.0f mm on page %d", i, c.top, c.page, c.bottom, c.endPage)
			}
			moved = moved || c.page > 1
		}
		if !moved {
			t.Error("every chart fitted on the first page; the test needs more")
		}
		var buf bytes.Buffer
		if err := d.Output(&buf); err != nil {
			t.Fatal(err)
		}
		pdf := buf.String()
		for _, row := range long {
			if !shows(pdf, row.Label) {
				t.Errorf("the long chart lost %q", row.Label)
			}
		}
		if !shows(pdf, "Long chart (continued)") {
			t.Error("the long chart's next page has no caption")
		}
	})
}

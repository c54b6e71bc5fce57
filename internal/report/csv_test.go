package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// readCSV checks the byte-order mark and CRLF line ends and reads the CSV
// back with encoding/csv.
func readCSV(t *testing.T, r Report) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	body, ok := strings.CutPrefix(out, "\uFEFF")
	if !ok {
		t.Fatal("no UTF-8 byte-order mark")
	}
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Errorf("line ends are not all CRLF: %q", body)
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read it back: %v", err)
	}
	return records
}

func TestWriteCSV(t *testing.T) {
	t.Run("Example", func(t *testing.T) {
		r := Example()
		records := readCSV(t, r)
		want := []string{"Section", "Table", "Row", "2025 to 2026", "2024 to 2025"}
		if strings.Join(records[0], "|") != strings.Join(want, "|") {
			t.Errorf("header %q, want %q", records[0], want)
		}
		var lines int
		for _, s := range r.Sections {
			for _, tb := range s.Tables {
				lines += len(tb.Rows)
			}
		}
		if len(records) != 1+lines {
			t.Errorf("%d lines, want a header and %d rows", len(records), lines)
		}
		find := func(table, row string) []string {
			for _, rec := range records {
				if rec[1] == table && rec[2] == row {
					return rec
				}
			}
			t.Fatalf("no line for %s / %s", table, row)
			return nil
		}
		for _, c := range []struct{ table, row, this, last string }{
			{"Concerns by category", "Emotional abuse", "41", "36"},
			{"Concerns by category", "Sharing nudes/semi-nudes", "fewer than 5", "5"},
			{"Concerns by category", "Total", "171", "148"},
			{"How quickly concerns were handled", "Agency response time", "not recorded", "not recorded"},
			{"How quickly concerns were handled", "Median time to DSL acknowledgement", "2.5 hours", "3.1 hours"},
			{"How quickly concerns were handled", "Referrals with feedback within one working day", "81%", "74%"},
		} {
			rec := find(c.table, c.row)
			if rec[3] != c.this || rec[4] != c.last {
				t.Errorf("%s / %s = %q, %q; want %q, %q", c.table, c.row, rec[3], rec[4], c.this, c.last)
			}
		}
	})

	t.Run("FormulasAreNeutralised", func(t *testing.T) {
		labels := []string{"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTab", "\rReturn", "\x00Nul"}
		var rows []Row
		for _, l := range labels {
			rows = append(rows, Row{Label: l, Figures: []Figure{{Value: 7}}})
		}
		r := Report{Sections: []Section{{Title: "=Section", Tables: []Table{{Caption: "@Table", Columns: []string{"-Heading"}, Rows: rows}}}}}
		records := readCSV(t, r)
		if records[0][3] != "'-Heading" {
			t.Errorf("heading %q not neutralised", records[0][3])
		}
		for i, l := range labels {
			rec := records[1+i]
			if rec[0] != "'=Section" || rec[1] != "'@Table" {
				t.Errorf("section and table %q, %q not neutralised", rec[0], rec[1])
			}
			// encoding/csv drops a carriage return as it reads, so compare
			// without them; the quote must still lead.
			want := "'" + l
			if got := rec[2]; !strings.HasPrefix(got, "'") || strings.ReplaceAll(got, "\r", "") != strings.ReplaceAll(want, "\r", "") {
				t.Errorf("row %q read back as %q, want %q", l, got, want)
			}
		}
	})

	t.Run("OrdinaryCellsAreKept", func(t *testing.T) {
		for _, s := range []string{"Year 7", "fewer than 5", "Children's social care", "", "a=b", "2.5 hours"} {
			if got := neutralise(s); got != s {
				t.Errorf("neutralise(%q) = %q", s, got)
			}
		}
	})

	t.Run("TablesWithOtherHeadings", func(t *testing.T) {
		r := Report{Sections: []Section{{Title: "S", Tables: []Table{
			{Caption: "A", Columns: []string{"2025 to 2026", "2024 to 2025"}, Rows: []Row{{Label: "a", Figures: []Figure{{Value: 5}, {Value: 6}}}}},
			{Caption: "B", Columns: []string{"Staff"}, Rows: []Row{{Label: "b", Figures: []Figure{{Value: 9}}}}},
		}}}}
		records := readCSV(t, r)
		if got := strings.Join(records[0], "|"); got != "Section|Table|Row|2025 to 2026|2024 to 2025|Staff" {
			t.Errorf("header %q", got)
		}
		if got := strings.Join(records[2], "|"); got != "S|B|b|||9" {
			t.Errorf("line %q", got)
		}
	})

	t.Run("Empty", func(t *testing.T) {
		records := readCSV(t, Report{Sections: []Section{{Title: "Nothing yet"}}})
		if len(records) != 1 {
			t.Errorf("%d lines, want the header alone", len(records))
		}
	})
}

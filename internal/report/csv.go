package report

import (
	"encoding/csv"
	"io"
	"strings"
)

// WriteCSV writes r as one CSV table for a spreadsheet: a line for every
// row of every table, in the report's order, under the columns Section,
// Table and Row, then one column for each figure column heading the report
// uses (usually this year and the previous year, side by side as on the
// page). A table without one of those headings leaves its cell empty, which
// is not the same as "not recorded". Figures are written as the report
// prints them ("12", "81%", "2.5 hours", "fewer than 5", "not recorded").
//
// It is UTF-8 with a byte-order mark and CRLF line ends, as Excel expects,
// and every cell that a spreadsheet would read as a formula is neutralised
// (see neutralise).
func WriteCSV(w io.Writer, r Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	headings := figureHeadings(r)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(neutraliseAll(append([]string{"Section", "Table", "Row"}, headings...))); err != nil {
		return err
	}
	for _, s := range r.Sections {
		for _, t := range s.Tables {
			for _, row := range t.Rows {
				if err := cw.Write(neutraliseAll(csvLine(s, t, row, headings))); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// figureHeadings are the report's figure column headings, each once, in the
// order they first appear.
func figureHeadings(r Report) []string {
	var headings []string
	seen := map[string]bool{}
	for _, s := range r.Sections {
		for _, t := range s.Tables {
			for _, h := range t.Columns {
				if !seen[h] {
					seen[h] = true
					headings = append(headings, h)
				}
			}
		}
	}
	return headings
}

// csvLine is one row of a table, its figures placed under their headings.
func csvLine(s Section, t Table, row Row, headings []string) []string {
	line := make([]string, 3+len(headings))
	line[0], line[1], line[2] = s.Title, t.Caption, row.Label
	for c, h := range t.Columns {
		for i, heading := range headings {
			if heading == h {
				line[3+i] = figureAt(row, c).String()
				break
			}
		}
	}
	return line
}

func neutraliseAll(cells []string) []string {
	for i, c := range cells {
		cells[i] = neutralise(c)
	}
	return cells
}

// neutralise stops a spreadsheet from running a cell as a formula (CSV
// injection, OWASP): a cell starting with = + - @, a tab, a carriage return
// or NUL gets a single quote before it, which Excel and LibreOffice show as
// text and do not evaluate.
func neutralise(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r\x00", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

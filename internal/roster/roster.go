// Package roster reads the pupil and staff lists a school exports from its
// management information system (SIMS, Arbor, Bromcom) as CSV, and works out
// what importing them would change. It does no I/O: internal/postgres applies
// what it plans. docs/roster-import.md describes the files it accepts.
package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFileBytes bounds a roster file: a school of several thousand pupils
// exports well under a megabyte.
const MaxFileBytes = 5 << 20

// Problem is one thing wrong with a file: where it is, what was found there
// and what is wrong with it.
type Problem struct {
	Line    int    // the file's line, counting from 1 (the header); 0 for the file as a whole
	Column  string // the column as the file names it; "" for a whole line or the file
	Value   string // what the file holds there
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d", p.Line)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %q", p.Column)
	}
	if p.Value != "" {
		fmt.Fprintf(&b, ", %q", shortValue(p.Value))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// shortValue is v cut to a length a message can show.
func shortValue(v string) string {
	if r := []rune(v); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return v
}

// Column is one thing a roster file may give, for the page and the
// documentation that tell a school what to export.
type Column struct {
	Label    string   // "date of birth"
	Names    []string // the header names read for it, most specific first
	Required bool
}

// PupilColumns and StaffColumns are the columns each file may have.
func PupilColumns() []Column { return columns(pupilFields) }
func StaffColumns() []Column { return columns(staffFields) }

func columns(fs []field) []Column {
	cs := make([]Column, len(fs))
	for i, f := range fs {
		cs[i] = Column{Label: f.label, Names: f.aliasNames(), Required: f.required}
	}
	return cs
}

// field is one thing a roster file may give, with the header names that
// give it, most specific first: when a file has two of them, the first wins
// (SIMS's "Legal Forename" over a plain "Forename").
type field struct {
	key      string
	label    string // how the documentation and messages name it
	aliases  []string
	required bool
}

// normaliseHeader folds a header to lower-case letters and digits, so that
// "Date of Birth", "date_of_birth" and "DATE-OF-BIRTH" are one name.
func normaliseHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// table is a CSV file read against a list of fields: the column of each
// field found, and the records with their line numbers.
type table struct {
	columns  map[string]int // field key → column index
	headers  []string       // the header row as the file spells it
	rows     [][]string     // data records, without blank lines
	lines    []int          // the line each record starts on
	problems []Problem
}

// readTable reads a CSV file whose first record names the columns. A
// missing required column is a problem of the header line; a record the
// CSV reader cannot read ends the reading with a problem at its line.
func readTable(data []byte, fields []field) table {
	var t table
	if len(data) > MaxFileBytes {
		t.problems = append(t.problems, Problem{Message: fmt.Sprintf("The file is larger than %d MB: split it, or export only the columns Haven reads", MaxFileBytes>>20)})
		return t
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		t.problems = append(t.problems, Problem{Message: "The file is not UTF-8 text: export it from the MIS as CSV (UTF-8)"})
		return t
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		t.problems = append(t.problems, Problem{Message: "The file is empty"})
		return t
	}
	if err != nil {
		t.problems = append(t.problems, csvProblem(err))
		return t
	}
	t.headers = header
	t.columns = make(map[string]int)
	at := make(map[string]int, len(header))
	for i, h := range header {
		if n := normaliseHeader(h); n != "" {
			if _, seen := at[n]; !seen {
				at[n] = i
			}
		}
	}
	for _, f := range fields {
		for _, a := range f.aliases {
			if i, ok := at[a]; ok {
				t.columns[f.key] = i
				break
			}
		}
		if _, ok := t.columns[f.key]; !ok && f.required {
			t.problems = append(t.problems, Problem{Line: 1, Message: fmt.Sprintf("No column for the %s: name one %s", f.label, quoteList(f.aliasNames()))})
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.problems = append(t.problems, csvProblem(err))
			break
		}
		line, _ := r.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t
}

// csvProblem reports where the CSV reader gave up.
func csvProblem(err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problem{Line: pe.Line, Message: "This line is not well-formed CSV (" + pe.Err.Error() + "): check its quotation marks"}
	}
	return Problem{Message: "The file could not be read as CSV"}
}

func blankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// value is the trimmed value of field key in record i, and the column's
// name as the file spells it; ok is false when the file has no such column.
func (t *table) value(i int, key string) (v, column string, ok bool) {
	c, ok := t.columns[key]
	if !ok {
		return "", "", false
	}
	column = t.headers[c]
	if c < len(t.rows[i]) {
		v = strings.TrimSpace(t.rows[i][c])
	}
	return v, column, true
}

// has reports whether the file has a column for field key.
func (t *table) has(key string) bool { _, ok := t.columns[key]; return ok }

// aliasNames are a field's header names as a reader would type them.
func (f field) aliasNames() []string {
	return headerNames[f.key]
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "“" + n + "”"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// makeFields builds fields from headerNames, in order.
func makeFields(spec []fieldSpec) []field {
	fs := make([]field, len(spec))
	for i, s := range spec {
		names := headerNames[s.key]
		aliases := make([]string, len(names))
		for j, n := range names {
			aliases[j] = normaliseHeader(n)
		}
		fs[i] = field{key: s.key, label: s.label, aliases: aliases, required: s.required}
	}
	return fs
}

type fieldSpec struct {
	key, label string
	required   bool
}

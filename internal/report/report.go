// Package report is the governors' annual oversight report as published:
// tables of figures, already suppressed, that the web page, the PDF and the
// CSV each draw (DESIGN.md, "Governors' annual oversight report"). It holds
// no names, no free text and no identifiers: only labels Haven itself
// writes (categories, months, agencies, year groups) and figures.
package report

import (
	"fmt"
	"time"
)

// AcademicYear is the school year that starts on 1 September of Start and
// ends on 31 August of Start+1.
type AcademicYear struct{ Start int }

// YearOf is the academic year that holds day d.
func YearOf(d time.Time) AcademicYear {
	if d.Month() >= time.September {
		return AcademicYear{d.Year()}
	}
	return AcademicYear{d.Year() - 1}
}

// First is 1 September, the year's first day.
func (y AcademicYear) First() time.Time {
	return time.Date(y.Start, time.September, 1, 0, 0, 0, 0, time.UTC)
}

// Last is 31 August, the year's last day.
func (y AcademicYear) Last() time.Time {
	return time.Date(y.Start+1, time.August, 31, 0, 0, 0, 0, time.UTC)
}

// Previous is the year before.
// FigureResponseInTime is the figure, worked out in Go with the school's
// working-day calendar, of the year's referrals whose agency response came
// within one working day (§11.9).
const FigureResponseInTime = "referral_response/within_working_day"

// FigureUrgentTotal and FigureUrgentInTarget are the year's urgent concerns,
// and those acknowledged within the school's target (its escalation time
// for an urgent concern), worked out in Go with the school's setting.
const (
	FigureUrgentTotal    = "urgent/total"
	FigureUrgentInTarget = "urgent/in_target"
)

func (y AcademicYear) Previous() AcademicYear { return AcademicYear{y.Start - 1} }

// String is the year as schools write it, e.g. "2025 to 2026".
func (y AcademicYear) String() string { return fmt.Sprintf("%d to %d", y.Start, y.Start+1) }

// Unit is what a figure counts or measures.
type Unit int

const (
	Count   Unit = iota // a number of concerns, pupils, people…
	Percent             // a share, 0 to 100
	Hours               // a duration
)

// Figure is one published number: a value, or "fewer than 5" when a count
// from 1 to 4 (or one that would reveal such a count) is suppressed, or
// "not recorded" when Haven does not record what it would need.
type Figure struct {
	Value       float64
	Unit        Unit
	Suppressed  bool
	NotRecorded bool
}

// String is the figure as the report prints it.
func (f Figure) String() string {
	switch {
	case f.NotRecorded:
		return "not recorded"
	case f.Suppressed:
		return "fewer than 5"
	case f.Unit == Percent:
		return fmt.Sprintf("%.0f%%", f.Value)
	case f.Unit == Hours:
		return fmt.Sprintf("%.1f hours", f.Value)
	default:
		return fmt.Sprintf("%.0f", f.Value)
	}
}

// Chart is how a table is drawn beside its numbers.
type Chart int

const (
	NoChart Chart = iota
	Bars          // horizontal bars, one a row, for the first column (categories, indicators, agencies)
	Columns       // vertical columns in row order, for the first column (months)
)

// Table is one table of the report: rows of labelled figures under its
// columns (typically this year and the previous year).
type Table struct {
	ID      string // stable, for anchors and CSV; e.g. "concerns-by-category"
	Caption string
	Columns []string // headings of the figure columns, e.g. "2025 to 2026", "2024 to 2025"
	Rows    []Row
	Chart   Chart
	Note    string // e.g. how a figure is worked out; never free text from a record
}

// Row is a label and one figure per column.
type Row struct {
	Label   string
	Figures []Figure
	Total   bool // a total row, drawn apart and left out of charts
}

// Section is a titled group of tables.
type Section struct {
	Title  string
	Tables []Table
}

// Report is one school's report for one academic year.
type Report struct {
	School    string
	Year      AcademicYear
	Generated time.Time
	Sections  []Section
}

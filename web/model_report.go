package web

import (
	"strconv"

	"github.com/a-h/templ"
)

// AnnualReportPath is the governors' annual oversight report; ?year=2025
// chooses the academic year that starts in September 2025.
const AnnualReportPath = "/reports/annual"

// The same report to download, for ?year=.
const (
	AnnualReportPDFPath = "/reports/annual.pdf"
	AnnualReportCSVPath = "/reports/annual.csv"
)

// AnnualReportDownload is the address of the report of the year starting
// in September of start, as one of the downloads.
func AnnualReportDownload(path string, start int) string {
	return path + "?year=" + strconv.Itoa(start)
}

// AnnualReportView is the annual oversight report, ready to show: labels
// and figures already suppressed, and nothing that names anyone.
type AnnualReportView struct {
	School    string
	Year      string // "2025 to 2026"
	Generated string // when the figures were read, in England's time
	Years     []YearOption
	Sections  []ReportSection
	Empty     bool   // no year has a concern yet
	PDF, CSV  string // the downloads' addresses
}

// YearOption is one academic year in the year chooser.
type YearOption struct {
	Value, Label string
	Selected     bool
}

// ReportSection is a titled group of tables.
type ReportSection struct {
	ID, Title string
	Tables    []ReportTable
}

// ReportTable is one table of figures. Chart, when set, is the table drawn
// as SVG and is shown beside it; the table stays for screen readers and
// for anyone who wants the numbers. HasChart marks the tables that are
// drawn (report.Table.Chart), so the page keeps their place.
type ReportTable struct {
	ID, Caption, Note string
	Columns           []string
	Rows              []ReportRow
	HasChart          bool
	Chart             templ.Component
}

// ReportRow is a label and one figure a column.
type ReportRow struct {
	Label   string
	Figures []string
	Total   bool
}

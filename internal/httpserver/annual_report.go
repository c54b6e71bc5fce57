package httpserver

// The governors' annual oversight report (DESIGN.md, "Governors' annual
// oversight report"): aggregate figures for one academic year, for the
// governors, the chair, the principal and the safeguarding leads.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/havenapp/haven/internal/report"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// annualReportStore reads the report's figures, already aggregated and
// suppressed, and the years it has figures for.
type annualReportStore interface {
	AnnualReport(ctx context.Context, v safeguarding.Viewer, year report.AcademicYear) (report.Report, error)
	AnnualReportYears(ctx context.Context, v safeguarding.Viewer) ([]report.AcademicYear, error)
}

// annualReport shows the report for ?year= (the academic year starting in
// that September), or the last complete year when none is asked for. To
// anyone else the page does not exist.
func (s *Server) annualReport(w http.ResponseWriter, r *http.Request) {
	rep, years, ok := s.readAnnualReport(w, r)
	if !ok {
		return
	}
	if len(years) == 0 {
		s.render(w, r, http.StatusOK, web.AnnualReportPage(page(r, "Annual safeguarding report"), web.AnnualReportView{School: rep.School, Empty: true}))
		return
	}
	s.render(w, r, http.StatusOK, web.AnnualReportPage(page(r, "Annual safeguarding report "+rep.Year.String()), reportView(rep, years)))
}

// annualReportPDF and annualReportCSV download the same report, as the
// page shows it, for ?year=.
func (s *Server) annualReportPDF(w http.ResponseWriter, r *http.Request) {
	s.downloadAnnualReport(w, r, "application/pdf", "pdf", report.WritePDF)
}

func (s *Server) annualReportCSV(w http.ResponseWriter, r *http.Request) {
	s.downloadAnnualReport(w, r, "text/csv; charset=utf-8", "csv", report.WriteCSV)
}

// downloadAnnualReport writes the report with write, as an attachment
// named by the school's year. It is drawn into memory first, so that a
// fault gives an error page rather than half a file.
func (s *Server) downloadAnnualReport(w http.ResponseWriter, r *http.Request, contentType, ext string, write func(io.Writer, report.Report) error) {
	rep, years, ok := s.readAnnualReport(w, r)
	if !ok {
		return
	}
	if len(years) == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	var b bytes.Buffer
	if err := write(&b, rep); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("annual-safeguarding-report-%d-%d.%s", rep.Year.Start, rep.Year.Start+1, ext)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b.Bytes())
}

// readAnnualReport reads the report for ?year= for whoever may read it,
// with the years that have figures; with none, the report holds only the
// school's name. It answers the request itself (404, or an error page)
// and returns false when there is nothing to show.
func (s *Server) readAnnualReport(w http.ResponseWriter, r *http.Request) (report.Report, []report.AcademicYear, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayReadAnnualReport(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return report.Report{}, nil, false
	}
	years, err := s.db.AnnualReportYears(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return report.Report{}, nil, false
	}
	if len(years) == 0 {
		return report.Report{School: v.SchoolName}, nil, true
	}
	year, ok := chosenYear(r.URL.Query().Get("year"), years, time.Now())
	if !ok {
		renderError(w, r, http.StatusNotFound)
		return report.Report{}, nil, false
	}
	rep, err := s.db.AnnualReport(r.Context(), v, year)
	if err != nil {
		s.fail(w, r, err)
		return report.Report{}, nil, false
	}
	return rep, years, true
}

// chosenYear is the year asked for, which must be one with figures; with
// none asked for, the last complete year (or, in a school's first year,
// the year so far).
func chosenYear(asked string, years []report.AcademicYear, now time.Time) (report.AcademicYear, bool) {
	if asked == "" {
		lastComplete := report.YearOf(now).Previous()
		for _, y := range years {
			if y.Start <= lastComplete.Start {
				return y, true
			}
		}
		return years[len(years)-1], true
	}
	start, err := strconv.Atoi(asked)
	if err != nil {
		return report.AcademicYear{}, false
	}
	for _, y := range years {
		if y.Start == start {
			return y, true
		}
	}
	return report.AcademicYear{}, false
}

// reportView is the report as the page shows it.
func reportView(rep report.Report, years []report.AcademicYear) web.AnnualReportView {
	out := web.AnnualReportView{School: rep.School, Year: rep.Year.String(), Generated: longDateTime(rep.Generated),
		PDF: web.AnnualReportDownload(web.AnnualReportPDFPath, rep.Year.Start), CSV: web.AnnualReportDownload(web.AnnualReportCSVPath, rep.Year.Start)}
	for _, y := range years {
		out.Years = append(out.Years, web.YearOption{Value: strconv.Itoa(y.Start), Label: y.String(), Selected: y == rep.Year})
	}
	for i, sec := range rep.Sections {
		vs := web.ReportSection{ID: "section-" + strconv.Itoa(i+1), Title: sec.Title}
		for _, t := range sec.Tables {
			vt := web.ReportTable{ID: t.ID, Caption: t.Caption, Note: t.Note, Columns: t.Columns, HasChart: t.Chart != report.NoChart}
			if svg := report.ChartSVG(t); svg != "" {
				vt.Chart = templ.Raw(svg) // drawn and escaped by report.ChartSVG
			}
			for _, row := range t.Rows {
				vr := web.ReportRow{Label: row.Label, Total: row.Total}
				for _, f := range row.Figures {
					vr.Figures = append(vr.Figures, f.String())
				}
				vt.Rows = append(vt.Rows, vr)
			}
			vs.Tables = append(vs.Tables, vt)
		}
		out.Sections = append(out.Sections, vs)
	}
	return out
}

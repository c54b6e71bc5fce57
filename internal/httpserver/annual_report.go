package httpserver

// The governors' annual oversight report (DESIGN.md, "Governors' annual
// oversight report"): aggregate figures for one academic year, for the
// governors, the chair, the principal and the safeguarding leads.

import (
	"context"
	"net/http"
	"strconv"
	"time"

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
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayReadAnnualReport(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	years, err := s.db.AnnualReportYears(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(years) == 0 {
		s.render(w, r, http.StatusOK, web.AnnualReportPage(page(r, "Annual safeguarding report"), web.AnnualReportView{School: v.SchoolName, Empty: true}))
		return
	}
	year, ok := chosenYear(r.URL.Query().Get("year"), years, time.Now())
	if !ok {
		renderError(w, r, http.StatusNotFound)
		return
	}
	rep, err := s.db.AnnualReport(r.Context(), v, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.AnnualReportPage(page(r, "Annual safeguarding report "+year.String()), reportView(rep, years)))
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
	out := web.AnnualReportView{School: rep.School, Year: rep.Year.String(), Generated: longDateTime(rep.Generated)}
	for _, y := range years {
		out.Years = append(out.Years, web.YearOption{Value: strconv.Itoa(y.Start), Label: y.String(), Selected: y == rep.Year})
	}
	for i, sec := range rep.Sections {
		vs := web.ReportSection{ID: "section-" + strconv.Itoa(i+1), Title: sec.Title}
		for _, t := range sec.Tables {
			vt := web.ReportTable{ID: t.ID, Caption: t.Caption, Note: t.Note, Columns: t.Columns, HasChart: t.Chart != report.NoChart}
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

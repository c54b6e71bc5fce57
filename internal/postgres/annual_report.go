package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/report"
	"github.com/havenapp/haven/internal/safeguarding"
)

// AnnualReport is v's school's annual oversight report for year, with the
// year before beside it, if v may read it (safeguarding.MayReadAnnualReport;
// haven_annual_report checks the same rule again). The database works out
// every figure (haven_annual_report in migrations/rules/access.sql); no
// row of a concern reaches Go.
func (db *DB) AnnualReport(ctx context.Context, v safeguarding.Viewer, year report.AcademicYear) (report.Report, error) {
	if !safeguarding.MayReadAnnualReport(v.Roles) {
		return report.Report{}, safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not read the annual report")
	}
	names, err := db.reportNames(ctx)
	if err != nil {
		return report.Report{}, err
	}
	// The two years are worked out at once, each in a transaction of its
	// own, so that the report takes the time of one.
	var prev report.Figures
	prevDone := make(chan error, 1)
	go func() {
		prevDone <- db.asViewer(ctx, v, func(tx pgx.Tx) error {
			var err error
			prev, err = db.annualFigures(ctx, tx, v.SchoolID, year.Previous())
			return err
		})
	}()
	var school string
	var this report.Figures
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT name FROM schools WHERE id = $1`, v.SchoolID).Scan(&school); err != nil {
			return fmt.Errorf("read the school's name: %w", err)
		}
		this, err = db.annualFigures(ctx, tx, v.SchoolID, year)
		return err
	})
	if prevErr := <-prevDone; err == nil {
		err = prevErr
	}
	if err != nil {
		return report.Report{}, forbiddenAsNotAllowed(err)
	}
	return report.Annual(school, year, time.Now(), this, prev, names), nil
}

// AnnualFigures are the unsuppressed figures of v's school's report for
// year, as AnnualReport works them out, if v may read the report: for
// tests that count them again from the rows.
func (db *DB) AnnualFigures(ctx context.Context, v safeguarding.Viewer, year report.AcademicYear) (report.Figures, error) {
	if !safeguarding.MayReadAnnualReport(v.Roles) {
		return nil, safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not read the annual report")
	}
	var f report.Figures
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		f, err = db.annualFigures(ctx, tx, v.SchoolID, year)
		return err
	})
	return f, forbiddenAsNotAllowed(err)
}

// AnnualReportYears lists the academic years v's school has a report for,
// newest first: from the year of its first concern to the present one.
func (db *DB) AnnualReportYears(ctx context.Context, v safeguarding.Viewer) ([]report.AcademicYear, error) {
	if !safeguarding.MayReadAnnualReport(v.Roles) {
		return nil, safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not read the annual report")
	}
	var years []report.AcademicYear
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT s FROM haven_annual_report_years($1) AS s ORDER BY s DESC`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("read the report's years: %w", err)
		}
		years, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.AcademicYear, error) {
			var y report.AcademicYear
			err := r.Scan(&y.Start)
			return y, err
		})
		return err
	})
	return years, forbiddenAsNotAllowed(err)
}

// annualFigures reads one school-year's aggregates. The database counts
// the referrals answered on each day after each referral's day; which of
// those answers came within one working day is the school calendar's to
// say (§11.9), as for every deadline in Haven.
func (db *DB) annualFigures(ctx context.Context, tx pgx.Tx, school int64, year report.AcademicYear) (report.Figures, error) {
	rows, err := tx.Query(ctx, `SELECT figure, label, value FROM haven_annual_report($1, $2)`, school, year.Start)
	if err != nil {
		return nil, fmt.Errorf("work out the report's figures for %s: %w", year, err)
	}
	f := report.Figures{}
	answered, waited := map[string]float64{}, map[string]float64{}
	var figure, label string
	var value float64
	_, err = pgx.ForEachRow(rows, []any{&figure, &label, &value}, func() error {
		switch figure {
		case "referral_answered":
			answered[label] = value
			return nil
		case "urgent_wait":
			waited[label] = value
			return nil
		}
		f[figure+"/"+label] = value
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("work out the report's figures for %s: %w", year, err)
	}
	cal, err := db.calendar(ctx, tx, school, year.First())
	if err != nil {
		return nil, err
	}
	within, err := answeredWithinAWorkingDay(cal, answered)
	if err != nil {
		return nil, fmt.Errorf("work out the report's figures for %s: %w", year, err)
	}
	f[report.FigureResponseInTime] = within
	target, err := scanEscalationSettings(tx.QueryRow(ctx, escalationSettingsSQL, school))
	if err != nil {
		return nil, err
	}
	f[report.FigureUrgentTotal], f[report.FigureUrgentInTarget] = urgentInTarget(waited, target.UrgentAfter)
	return f, nil
}

// urgentInTarget counts the urgent concerns, and those acknowledged within
// target, from counts of urgent concerns keyed by the minutes they waited
// ("never" for none yet).
func urgentInTarget(waited map[string]float64, target time.Duration) (total, inTarget float64) {
	for minutes, n := range waited {
		total += n
		if m, err := strconv.Atoi(minutes); err == nil && time.Duration(m)*time.Minute <= target {
			inTarget += n
		}
	}
	return total, inTarget
}

// answeredWithinAWorkingDay counts the referrals whose response was dated
// no later than a working day after the referral, from counts of
// referrals answered keyed "referred/responded" (dates).
func answeredWithinAWorkingDay(cal safeguarding.Calendar, answered map[string]float64) (float64, error) {
	var n float64
	for days, count := range answered {
		referred, responded, ok := strings.Cut(days, "/")
		from, err1 := time.Parse(time.DateOnly, referred)
		to, err2 := time.Parse(time.DateOnly, responded)
		if !ok || err1 != nil || err2 != nil {
			return 0, fmt.Errorf("a referral's days read %q", days)
		}
		if !to.After(cal.AddWorkingDays(from, 1)) {
			n += count
		}
	}
	return n, nil
}

// reportNames are the words the report prints for the codes it counts.
func (db *DB) reportNames(ctx context.Context) (report.Names, error) {
	var n report.Names
	cats, err := db.Categories(ctx)
	if err != nil {
		return n, err
	}
	for _, c := range cats {
		n.Categories = append(n.Categories, report.Labelled{Code: c.Code, Label: c.Label})
	}
	inds, err := db.Indicators(ctx)
	if err != nil {
		return n, err
	}
	for _, i := range inds {
		n.Indicators = append(n.Indicators, report.Labelled{Code: i.Code, Label: i.Label})
	}
	for _, a := range safeguarding.Agencies {
		n.Agencies = append(n.Agencies, report.Labelled{Code: string(a), Label: a.Label()})
	}
	return n, nil
}

// forbiddenAsNotAllowed turns the database's refusal (the viewer's roles
// changed since the Go check) into the error the pages answer 404 for.
func forbiddenAsNotAllowed(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not read the annual report")
	}
	return err
}

// KeepAnnualReports works out and keeps every school's completed academic
// years' report figures that are not kept or no longer stand, as Haven
// itself (the nightly job): it returns how many years it worked out.
func (db *DB) KeepAnnualReports(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT haven_keep_annual_reports()`).Scan(&n); err != nil {
		return 0, fmt.Errorf("keep the annual reports' figures: %w", err)
	}
	return n, nil
}

// AnalyzeAfterLoad brings the planner's statistics up to date after a bulk
// load (the demo school's history), as autovacuum would in time: the first
// report read after a load of thousands of rows is then planned for them,
// not for empty tables.
func (db *DB) AnalyzeAfterLoad(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, `SELECT haven_analyze_after_load()`); err != nil {
		return fmt.Errorf("analyse after the load: %w", err)
	}
	return nil
}

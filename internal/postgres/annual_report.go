package postgres

import (
	"context"
	"errors"
	"fmt"
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
			prev, err = annualFigures(ctx, tx, v.SchoolID, year.Previous())
			return err
		})
	}()
	var school string
	var this report.Figures
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT name FROM schools WHERE id = $1`, v.SchoolID).Scan(&school); err != nil {
			return fmt.Errorf("read the school's name: %w", err)
		}
		this, err = annualFigures(ctx, tx, v.SchoolID, year)
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

// annualFigures reads one school-year's aggregates.
func annualFigures(ctx context.Context, tx pgx.Tx, school int64, year report.AcademicYear) (report.Figures, error) {
	rows, err := tx.Query(ctx, `SELECT figure, label, value FROM haven_annual_report($1, $2)`, school, year.Start)
	if err != nil {
		return nil, fmt.Errorf("work out the report's figures for %s: %w", year, err)
	}
	f := report.Figures{}
	var figure, label string
	var value float64
	_, err = pgx.ForEachRow(rows, []any{&figure, &label, &value}, func() error {
		f[figure+"/"+label] = value
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("work out the report's figures for %s: %w", year, err)
	}
	return f, nil
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

package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// KeepReportsArgs is the nightly job that works out and keeps each
// completed academic year's annual report figures that are not kept or no
// longer stand, so that a governor opening last year's report reads figures
// kept overnight rather than waiting for them.
type KeepReportsArgs struct{}

// Kind is River's name for the job.
func (KeepReportsArgs) Kind() string { return "keep_annual_reports" }

// keepReportsAt is when the job runs: the night after 31 August closes a
// year, and every night after in case a late change moved a kept year.
var keepReportsAt = DailyAt{Hour: 2, Minute: 10}

// ReportKeeper keeps completed years' report figures.
type ReportKeeper interface {
	KeepAnnualReports(ctx context.Context) (int, error)
}

// KeepReportsWorker runs the job.
type KeepReportsWorker struct {
	river.WorkerDefaults[KeepReportsArgs]
	Keeper ReportKeeper
}

// Work keeps the figures.
func (w *KeepReportsWorker) Work(ctx context.Context, _ *river.Job[KeepReportsArgs]) error {
	_, err := w.Keeper.KeepAnnualReports(ctx)
	return err
}

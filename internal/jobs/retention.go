package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/havenapp/haven/internal/safeguarding"
)

// RetentionArgs is the nightly job that lists the child-protection files
// whose retention date (date of birth plus 25 years, IRMS) has come, for
// the DSL to review.
type RetentionArgs struct{}

// Kind is River's name for the job.
func (RetentionArgs) Kind() string { return "retention_review" }

// RetentionLister lists the files due for review on a day, in every school.
type RetentionLister interface {
	ListRetentionDue(ctx context.Context, today time.Time) (int, error)
}

// RetentionWorker runs the listing for today in England. Listing again the
// same day lists nothing twice.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	Lister RetentionLister
	Now    func() time.Time // the clock; nil is time.Now
}

// Work lists.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	_, err := w.Lister.ListRetentionDue(ctx, safeguarding.DateInEngland(now()))
	return err
}

// retentionAt is when the retention job runs: 2am in England, every night.
var retentionAt = DailyAt{Hour: 2}

package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/havenapp/haven/internal/safeguarding"
)

// PatternArgs is the job that runs the pattern rules over what is recorded
// for the pupils of a concern just logged, or whose parts were just
// recorded (safeguarding.EvaluatePatterns): ids only. Do not change its
// JSON names or Kind once such jobs may be queued.
type PatternArgs struct {
	SchoolID int64   `json:"school_id"`
	PupilIDs []int64 `json:"pupil_ids"`
}

// Kind is River's name for the job.
func (PatternArgs) Kind() string { return "pattern_rules" }

// PatternEnqueuer returns what the store calls to enqueue the pattern rules'
// run in the transaction that records the concern (postgres.PatternEnqueuer),
// so a flag is never missed because a process stopped.
func PatternEnqueuer(pool *pgxpool.Pool) (func(ctx context.Context, tx pgx.Tx, schoolID int64, pupilIDs []int64) error, error) {
	inserter, err := newInserter(pool)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, tx pgx.Tx, schoolID int64, pupilIDs []int64) error {
		_, err := inserter.InsertTx(ctx, tx, PatternArgs{SchoolID: schoolID, PupilIDs: pupilIDs}, nil)
		return err
	}, nil
}

// Patterns runs the rules for one pupil and raises the flags they find,
// with their notices, in one transaction (postgres.DB.RaisePatternFlags).
type Patterns interface {
	RaisePatternFlags(ctx context.Context, schoolID, pupilID int64) ([]safeguarding.PatternFlag, error)
}

// PatternWorker runs the pattern rules for each pupil of a job. Running
// them again for a pupil raises nothing new, so a retried job is harmless.
type PatternWorker struct {
	river.WorkerDefaults[PatternArgs]
	Patterns Patterns
}

// Work runs the rules.
func (w *PatternWorker) Work(ctx context.Context, job *river.Job[PatternArgs]) error {
	for _, pupil := range job.Args.PupilIDs {
		if _, err := w.Patterns.RaisePatternFlags(ctx, job.Args.SchoolID, pupil); err != nil {
			return fmt.Errorf("pattern rules: %w", err)
		}
	}
	return nil
}

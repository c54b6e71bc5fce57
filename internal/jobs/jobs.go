// Package jobs runs Haven's background work on River, a queue kept in
// PostgreSQL: a job is inserted in the same transaction as the write that
// causes it, so a committed concern always has its alert.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Config is what the working client needs.
type Config struct {
	Alerts *AlertWorker
	// DeniedLooks sends the notices of repeated denied looks; nil works
	// none (they wait in the queue).
	DeniedLooks *DeniedLookWorker
	// Unlocks e-mails the links that unlock locked accounts; nil leaves
	// such jobs queued.
	Unlocks *UnlockWorker
	// PasswordResets e-mails the password reset links people ask for; nil
	// leaves such jobs queued.
	PasswordResets *PasswordResetWorker
	// Invitations e-mails the links that invite people; nil leaves such
	// jobs queued.
	Invitations *InvitationWorker
	// Escalations escalates concerns nobody has acknowledged in time; nil
	// leaves such jobs queued.
	Escalations *EscalationWorker
	// Digest, when set, e-mails each school's DSL and deputies their daily
	// digest at 07:30 in England.
	Digest *DigestWorker
	// Patterns runs the pattern rules for the pupils of concerns as they
	// are recorded; nil leaves such jobs queued.
	Patterns *PatternWorker
	// Feedback e-mails the member of staff who logged a concern that
	// feedback on it is recorded; nil leaves such jobs queued.
	Feedback *FeedbackWorker
	// Sweep, when set, runs every sweepInterval (and at start).
	Sweep *SweepWorker
	// KeepReports, when set, runs each night (keepReportsAt).
	KeepReports *KeepReportsWorker
	// Retention, when set, lists the files due for review every night at
	// 2am (and at start).
	Retention *RetentionWorker
	Logger    *slog.Logger
	// FetchPollInterval bounds how long a job waits when a notification is
	// missed; zero keeps River's default. Tests shorten it.
	FetchPollInterval time.Duration
}

// NewClient returns a River client that works Haven's jobs once started.
// The pool's connections run as haven_app, which the migrations grant what
// River needs; River's periodic reindexing, which only a table's owner may
// do, is turned off.
func NewClient(pool *pgxpool.Pool, cfg Config) (*river.Client[pgx.Tx], error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, cfg.Alerts); err != nil {
		return nil, err
	}
	if cfg.Feedback != nil {
		if err := river.AddWorkerSafely(workers, cfg.Feedback); err != nil {
			return nil, err
		}
	}
	if cfg.DeniedLooks != nil {
		if err := river.AddWorkerSafely(workers, cfg.DeniedLooks); err != nil {
			return nil, err
		}
	}
	if cfg.Unlocks != nil {
		if err := river.AddWorkerSafely(workers, cfg.Unlocks); err != nil {
			return nil, err
		}
	}
	if cfg.PasswordResets != nil {
		if err := river.AddWorkerSafely(workers, cfg.PasswordResets); err != nil {
			return nil, err
		}
	}
	if cfg.Invitations != nil {
		if err := river.AddWorkerSafely(workers, cfg.Invitations); err != nil {
			return nil, err
		}
	}
	if cfg.Escalations != nil {
		if err := river.AddWorkerSafely(workers, cfg.Escalations); err != nil {
			return nil, err
		}
	}
	if cfg.Patterns != nil {
		if err := river.AddWorkerSafely(workers, cfg.Patterns); err != nil {
			return nil, err
		}
	}
	var periodic []*river.PeriodicJob
	if cfg.Digest != nil {
		if err := river.AddWorkerSafely(workers, cfg.Digest); err != nil {
			return nil, err
		}
		periodic = append(periodic, digestJob())
	}
	if cfg.Sweep != nil {
		if err := river.AddWorkerSafely(workers, cfg.Sweep); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(sweepInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if cfg.KeepReports != nil {
		if err := river.AddWorkerSafely(workers, cfg.KeepReports); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(keepReportsAt,
			func() (river.JobArgs, *river.InsertOpts) { return KeepReportsArgs{}, nil }, nil))
	}
	if cfg.Retention != nil {
		if err := river.AddWorkerSafely(workers, cfg.Retention); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(retentionAt,
			func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	return river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:              map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:             workers,
		PeriodicJobs:        periodic,
		Logger:              cfg.Logger,
		FetchPollInterval:   cfg.FetchPollInterval,
		ReindexerIndexNames: []string{},
	})
}

// Stop waits for running jobs to finish, up to ctx's deadline, and then
// cancels them; a cancelled job is retried later.
func Stop(ctx context.Context, c *river.Client[pgx.Tx]) error {
	if err := c.Stop(ctx); err != nil {
		cancelCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return c.StopAndCancel(cancelCtx)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
)

// database is an open, migrated store, the pool of connections it uses
// and, when Haven started it, the private cluster behind it.
type database struct {
	*postgres.DB
	pool       *pgxpool.Pool
	connString string
	cluster    *devdb.Cluster
}

// withDatabase opens DATABASE_URL, or starts the private cluster when it is
// unset, applies migrations, runs fn, and stops whatever it started.
func withDatabase(ctx context.Context, cfg Config, logger *slog.Logger, fn func(context.Context, *database) error) (err error) {
	watch, err := cfg.DeniedLookWatch()
	if err != nil {
		return err
	}
	connString := cfg.DatabaseURL
	var cluster *devdb.Cluster
	if connString == "" {
		cluster, err = devdb.Start(ctx, cfg.PostgresDir(), logger)
		if err != nil {
			return err
		}
		defer func() {
			if stopErr := cluster.Stop(); stopErr != nil && err == nil {
				err = fmt.Errorf("stop private PostgreSQL: %w", stopErr)
			}
		}()
		connString = cluster.ConnString(devdb.AppDatabase)
	}
	if err := postgres.Migrate(ctx, connString); err != nil {
		return err
	}
	pool, err := postgres.NewPool(ctx, connString)
	if err != nil {
		return err
	}
	defer pool.Close()
	// A concern's alert is enqueued in the transaction that files it, and
	// the notice of repeated denied looks in the one that records the look.
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		return err
	}
	notices, err := jobs.NoticeEnqueuer(pool)
	if err != nil {
		return err
	}
	// So is the e-mail with the link that unlocks an account sign-in locks.
	unlocks, err := jobs.UnlockEnqueuer(pool)
	if err != nil {
		return err
	}
	store := postgres.New(pool, alerts).WithDeniedLookNotices(watch, notices).WithUnlockLinks(unlocks)
	return fn(ctx, &database{DB: store, pool: pool, connString: connString, cluster: cluster})
}

package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/postgres"
)

// database is an open, migrated store and, when Haven started it, the
// private cluster behind it.
type database struct {
	*postgres.DB
	cluster *devdb.Cluster
}

// withDatabase opens DATABASE_URL, or starts the private cluster when it is
// unset, applies migrations, runs fn, and stops whatever it started.
func withDatabase(ctx context.Context, cfg Config, logger *slog.Logger, fn func(context.Context, *database) error) (err error) {
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
	db, err := postgres.Open(ctx, connString)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(ctx, &database{DB: db, cluster: cluster})
}

package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/postgres"
)

// verify checks every chronology's hash chain and fails if any stored
// entry was changed, removed or inserted after it was written. It reads
// every school's chronologies, so it connects as the owner.
func verify(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if err := cfg.CheckDatabases(); err != nil {
		return err
	}
	connString := cfg.DatabaseOwnerURL
	if cfg.PrivateCluster() {
		cluster, err := devdb.Start(ctx, cfg.PostgresDir(), logger)
		if err != nil {
			return err
		}
		defer cluster.Stop()
		connString = cluster.ConnString(devdb.AppDatabase)
	}
	checked, breaks, err := postgres.VerifyChronology(ctx, connString)
	if err != nil {
		return err
	}
	for _, b := range breaks {
		fmt.Printf("school %d, concern %d, entry %d: %s\n", b.SchoolID, b.ConcernID, b.EntryID, b.Problem)
	}
	if len(breaks) > 0 {
		return fmt.Errorf("%d of %d chronology entries failed verification", len(breaks), checked)
	}
	fmt.Printf("All %d chronology entries verified: no stored history has been changed.\n", checked)
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
)

// loadDemo loads the demo school into an empty database. On a database that
// already holds a school it does nothing, or fails when mustBeEmpty.
func loadDemo(ctx context.Context, cfg Config, logger *slog.Logger, db *database, mustBeEmpty bool) error {
	n, err := db.SchoolCount(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		if mustBeEmpty {
			return errors.New("the database already holds a school; the demo school is only loaded into an empty database")
		}
		return nil
	}
	logger.Info("loading the demo school")
	// Thousands of small transactions: waiting for the disk at each commit
	// would double the time, and a load cut short is started again anyway.
	pool, err := postgres.NewPool(ctx, db.connString, postgres.WithoutCommitWait())
	if err != nil {
		return err
	}
	defer pool.Close()
	bulk := postgres.New(pool, nil) // the demo school's past is not news: no alerts
	school, err := demo.Load(ctx, bulk, cfg.DemoPassword)
	if err != nil {
		return fmt.Errorf("load demo school: %w", err)
	}
	logger.Info("demo school loaded", "school", demo.SchoolName)
	start := time.Now()
	history := demo.PlanHistory(start)
	if err := history.Load(ctx, bulk, school); err != nil {
		return fmt.Errorf("load the demo school's past concerns: %w; the demo database is now half-loaded: %s", err, halfLoadedAdvice(cfg))
	}
	logger.Info("demo history loaded", "concerns", history.Concerns(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// halfLoadedAdvice says how to start again after the demo failed to load.
func halfLoadedAdvice(cfg Config) string {
	if !cfg.PrivateCluster() {
		return "drop and recreate the database at DATABASE_OWNER_URL, then run again"
	}
	return fmt.Sprintf("remove the data folder (%s/) and run again", cfg.DataDir)
}

func printDemoSignIns(w io.Writer, url, password string) {
	fmt.Fprintf(w, "\nHaven is ready at %s\n\nDemo sign-ins for %s (password: %s):\n", url, demo.SchoolName, password)
	for _, a := range demo.Accounts {
		fmt.Fprintf(w, "  %-22s %s\n", a.Email, a.Role.Label())
	}
	fmt.Fprintf(w, "\nand for %s, to receive a transferred file (docs/transfer.md):\n", demo.SecondSchoolName)
	for _, a := range demo.SecondAccounts {
		fmt.Fprintf(w, "  %-22s %s\n", a.Email, a.Role.Label())
	}
	fmt.Fprintln(w, "\nThe DSL, deputy, principal, chair and administrator set up two-factor sign-in with an\nauthenticator app the first time they sign in (see docs/two-factor.md).")
	fmt.Fprintln(w, "\nPress Ctrl-C to stop.")
}

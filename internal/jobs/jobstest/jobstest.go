// Package jobstest runs Haven's River workers in tests, against a real
// PostgreSQL, until what the test waits for has happened.
package jobstest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/jobs"
)

// Run starts a River client on pool with cfg's workers, polling every
// 200 ms, until done reports true, and stops it; the test fails if done
// is not true within 30 seconds. A cfg without a logger logs nowhere.
func Run(t testing.TB, pool *pgxpool.Pool, cfg jobs.Config, done func() bool) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg.FetchPollInterval = 200 * time.Millisecond
	client, err := jobs.NewClient(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := jobs.Stop(ctx, client); err != nil {
			t.Errorf("stop River: %v", err)
		}
	}()
	for deadline := time.Now().Add(30 * time.Second); !done(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the jobs did not get there within 30s")
		}
	}
}

package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
)

// DATABASE_URL and DATABASE_OWNER_URL come together or not at all, and are
// not the same login; each mistake names the fix.
func TestCheckDatabases(t *testing.T) {
	for _, tc := range []struct {
		app, owner string
		want       string // "" for no error
	}{
		{"", "", ""},
		{"postgres://haven_app@db/haven", "postgres://owner@db/haven", ""},
		{"postgres://haven_app@db/haven", "", "set DATABASE_OWNER_URL"},
		{"", "postgres://owner@db/haven", "set DATABASE_URL"},
		{"postgres://owner@db/haven", "postgres://owner@db/haven", "must not be the schema's owner"},
	} {
		t.Setenv("DATABASE_URL", tc.app)
		t.Setenv("DATABASE_OWNER_URL", tc.owner)
		cfg := loadConfig()
		err := cfg.CheckDatabases()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("DATABASE_URL=%q DATABASE_OWNER_URL=%q: %v", tc.app, tc.owner, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("DATABASE_URL=%q DATABASE_OWNER_URL=%q: %v; want an error saying %q", tc.app, tc.owner, err, tc.want)
		}
		if got, want := cfg.PrivateCluster(), tc.app == "" && tc.owner == ""; got != want {
			t.Errorf("DATABASE_URL=%q DATABASE_OWNER_URL=%q: private cluster %v, want %v", tc.app, tc.owner, got, want)
		}
	}
}

// `haven serve` migrates as DATABASE_OWNER_URL, then refuses to serve on a
// DATABASE_URL that logs in as a superuser, naming the fix; on haven_app's
// login it serves, and `haven verify` reads every chronology as the owner.
func TestServeRefusesAPrivilegedLogin(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	super := "haven_test_super_" + strings.ToLower(time.Now().Format("150405000"))
	if _, err := owner.Exec(ctx, "CREATE ROLE "+super+" LOGIN SUPERUSER PASSWORD '"+pgtest.AppPassword+"'"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Exec(context.Background(), "DROP ROLE IF EXISTS "+super) })

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	serveFor := func(appURL string) error {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		cfg := Config{DatabaseURL: appURL, DatabaseOwnerURL: connString, Addr: "127.0.0.1:0", CookieSecure: "false",
			BenchFloor: "false", PwnedPasswords: "false", LogLevel: "error", MailFrom: "haven@localhost"}
		return run(ctx, cfg, logger, []string{"serve"})
	}
	err = serveFor(pgtest.ConnStringAs(t, connString, super, pgtest.AppPassword))
	var problem *postgres.LoginProblem
	if !errors.As(err, &problem) || !strings.Contains(err.Error(), "is a superuser") || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("serve on a superuser's login: %v; want it refused, naming DATABASE_URL", err)
	}
	// Served until the context ended, then shut down cleanly.
	if err := serveFor(pgtest.AppConnString(t, connString)); err != nil {
		t.Fatalf("serve on haven_app's login: %v", err)
	}
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString}
	if err := run(ctx, cfg, logger, []string{"verify"}); err != nil {
		t.Fatalf("verify as the owner: %v", err)
	}
}

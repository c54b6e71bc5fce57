package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// `haven user unlock -email` lifts the lock sign-in puts on an account
// after HardLockFailures wrong passwords, and says so in the audit log.
func TestUserUnlock(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	db := postgres.New(pgtest.NewPool(t, connString), nil)
	const pass = "test-demo-password"
	if _, err := demo.Load(ctx, db, pass); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	if _, err := owner.Exec(ctx, `INSERT INTO sign_in_failures (email, address, failed_at)
		SELECT 'dsl@demo.test', '203.0.113.' || i, clock_timestamp() - i * interval '10 minutes' FROM generate_series(1, $1::int - 1) i`,
		safeguarding.HardLockFailures); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, "dsl@demo.test", "the last guess", "192.0.2.1"); err != safeguarding.ErrAccountLocked {
		t.Fatalf("the %dth failure: %v, want the account locked", safeguarding.HardLockFailures, err)
	}
	if _, err := db.SignIn(ctx, "dsl@demo.test", pass, "192.0.2.9"); err != safeguarding.ErrAccountLocked {
		t.Fatalf("the right password while locked: %v", err)
	}

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString, LogLevel: "error"}
	if err := run(ctx, cfg, logger, []string{"user", "unlock", "-email", " DSL@demo.test "}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, "dsl@demo.test", pass, "192.0.2.9"); err != nil {
		t.Fatalf("after haven user unlock: %v", err)
	}
	var n int
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'account_unlocked' AND detail = 'by an administrator (haven user unlock)'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d account_unlocked audit lines (%v), want 1", n, err)
	}
	if err := run(ctx, cfg, logger, []string{"user", "unlock", "-email", "nobody@demo.test"}); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("unlocking an account that does not exist: %v", err)
	}
}

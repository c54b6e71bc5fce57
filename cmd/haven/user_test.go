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

// `haven user invite` adds a person without a password to a school and
// queues their invitation e-mail, audited; a taken address is refused.
func TestUserInvite(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	db := postgres.New(pgtest.NewPool(t, connString), nil)
	if _, err := demo.Load(ctx, db, "test-demo-password"); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString, LogLevel: "error"}
	args := []string{"user", "invite", "-school", demo.SchoolName, "-email", "New.Head@demo.test", "-name", "Nell Head", "-roles", "principal,staff"}
	if err := run(ctx, cfg, logger, args); err != nil {
		t.Fatal(err)
	}
	var roles []string
	var hasPassword bool
	var invitations, jobs, audits int
	if err := owner.QueryRow(ctx, `SELECT p.password_hash <> '',
			(SELECT array_agg(role ORDER BY role) FROM person_roles r WHERE r.person_id = p.id),
			(SELECT count(*) FROM invitations i WHERE i.person_id = p.id AND i.invited_by IS NULL AND i.expires_at > now() + interval '71 hours'),
			(SELECT count(*) FROM river_job WHERE kind = 'invitation'),
			(SELECT count(*) FROM audit_log a WHERE a.object = 'person:' || p.id AND a.action = 'invited')
		FROM people p WHERE p.email = 'new.head@demo.test'`).Scan(&hasPassword, &roles, &invitations, &jobs, &audits); err != nil {
		t.Fatal(err)
	}
	if hasPassword || len(roles) != 2 || roles[0] != "principal" || roles[1] != "staff" || invitations != 1 || jobs != 1 || audits != 1 {
		t.Errorf("after haven user invite: password %v, roles %v, %d invitations, %d jobs, %d audit lines", hasPassword, roles, invitations, jobs, audits)
	}
	if err := run(ctx, cfg, logger, args); safeguarding.ErrorCode(err) != safeguarding.ECONFLICT {
		t.Errorf("the same address again: %v", err)
	}
	if err := run(ctx, cfg, logger, []string{"user", "invite", "-school", demo.SchoolName, "-email", "x@demo.test", "-name", "X", "-roles", "teacher"}); err == nil {
		t.Error("an unknown role is accepted")
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres/pgtest"
)

// `haven verify` fails on an audit row edited as the owner, naming it,
// and passes again once the row is put back.
func TestVerifyCatchesAnEditedAuditRow(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	var school, id int64
	if err := owner.QueryRow(ctx, `INSERT INTO schools (name) VALUES ('Riverside Academy') RETURNING id`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"sign_in", "view_queue", "sign_out"} {
		if err := owner.QueryRow(ctx, `INSERT INTO audit_log (school_id, action, address) VALUES ($1, $2, '192.0.2.1') RETURNING id`,
			school, action).Scan(&id); err != nil {
			t.Fatal(err)
		}
	}
	if err := owner.QueryRow(ctx, `SELECT id FROM audit_log WHERE action = 'view_queue'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString}
	verify := func() (string, error) {
		t.Helper()
		return captureStdout(t, func() error { return run(ctx, cfg, logger, []string{"verify"}) })
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "3 audit rows and 0 received files verified") {
		t.Fatalf("verify the untouched log: %v\n%s", err, out)
	}
	if _, err := owner.Exec(ctx, `UPDATE audit_log SET address = '198.51.100.7' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	out, err := verify()
	if err == nil || !strings.Contains(out, "audit row "+strconv.FormatInt(id, 10)+": its content was changed") {
		t.Fatalf("verify the edited log: %v\n%s", err, out)
	}
	if _, err := owner.Exec(ctx, `UPDATE audit_log SET address = '192.0.2.1' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if out, err := verify(); err != nil {
		t.Fatalf("verify the restored log: %v\n%s", err, out)
	}
}

// captureStdout runs fn and returns what it printed.
func captureStdout(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, r)
		done <- b.String()
	}()
	err = fn()
	os.Stdout = stdout
	w.Close()
	return <-done, err
}

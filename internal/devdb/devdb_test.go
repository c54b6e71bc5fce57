package devdb

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if errors.Is(err, ErrNoServer) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !isServerDir(dir) {
		t.Errorf("FindBinaries() = %s, which lacks initdb, pg_ctl or postgres", dir)
	}
}

func TestFindBinariesMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	root := t.TempDir()
	// A client-only install: the bin directory exists, the server does not.
	if err := os.MkdirAll(filepath.Join(root, "16", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := findBinaries(root)
	if !errors.Is(err, ErrNoServer) {
		t.Fatalf("err = %v, want ErrNoServer", err)
	}
	want := "PostgreSQL server binaries not found (initdb, pg_ctl); install them with: apt-get install postgresql"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		sign int
	}{{"9.6", "15", -1}, {"16", "15", 1}, {"15", "15", 0}, {"10", "9.6", 1}} {
		got := compareVersions(tc.a, tc.b)
		if (got > 0) != (tc.sign > 0) || (got < 0) != (tc.sign < 0) {
			t.Errorf("compareVersions(%s, %s) = %d, want sign %d", tc.a, tc.b, got, tc.sign)
		}
	}
}

// needServer skips the test when no server binaries are installed.
func needServer(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	if _, err := FindBinaries(); err != nil {
		t.Skip(err)
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// start starts a cluster and makes sure it is stopped when the test ends,
// before its temporary directory is removed.
func start(t *testing.T, dir string, opts Options) *Cluster {
	t.Helper()
	c, err := StartWithOptions(t.Context(), dir, testLogger(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}

func execSQL(t *testing.T, c *Cluster, dbname, sql string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), c.ConnString(dbname))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, c *Cluster, dbname, table string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), c.ConnString(dbname))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// assertStopped checks that no server process remains on the data directory.
func assertStopped(t *testing.T, c *Cluster) {
	t.Helper()
	if pids := c.processes(); len(pids) > 0 {
		t.Errorf("server processes %v remain on %s", pids, c.dir)
	}
	if _, err := pgx.Connect(t.Context(), c.ConnString("postgres")); err == nil {
		t.Errorf("server still accepts connections")
	}
}

// TestDataSurvivesRestart runs the `make run` kind of cluster (durable),
// stops it, and starts it again from the same data directory.
func TestDataSurvivesRestart(t *testing.T) {
	needServer(t)
	dir := filepath.Join(t.TempDir(), "postgres")
	c := start(t, dir, Options{})
	if pids := c.processes(); len(pids) < 2 {
		t.Errorf("processes() = %v, want the postmaster and its helpers", pids)
	}
	if !strings.Contains(c.ConnString("x"), "host="+c.dir+" ") {
		t.Errorf("socket not in the data directory: %s", c.ConnString("x"))
	}
	execSQL(t, c, AppDatabase, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)")

	// A second Start while the server runs (an app started twice) reuses it.
	again, err := Start(t.Context(), dir, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, again, AppDatabase, "kept"); got != 2 {
		t.Errorf("reused server: %d rows, want 2", got)
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after Stop: %v", err)
	}
	assertStopped(t, c)
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}

	c2 := start(t, dir, Options{})
	if got := count(t, c2, AppDatabase, "kept"); got != 2 {
		t.Errorf("after restart: %d rows, want 2", got)
	}
	if err := c2.Stop(); err != nil {
		t.Fatal(err)
	}
	assertStopped(t, c2)
}

// TestKillRestart crashes a Fast cluster whose data directory's path is too
// long for a socket, and starts it again, with Restart and with Start.
func TestKillRestart(t *testing.T) {
	needServer(t)
	dir := filepath.Join(t.TempDir(), strings.Repeat("long-directory-name-", 5), "postgres")
	c := start(t, dir, Options{Fast: true})
	if !strings.HasPrefix(c.socketDir, "/tmp/haven-pg-") {
		t.Errorf("socket directory %s, want a short one under /tmp", c.socketDir)
	}
	// synchronous_commit is off on a Fast cluster: a commit is only sure to
	// survive a crash of the server when it is turned on.
	execSQL(t, c, AppDatabase, "ALTER DATABASE haven SET synchronous_commit = on")
	execSQL(t, c, AppDatabase, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")

	if err := c.Kill(); err != nil {
		t.Fatal(err)
	}
	assertStopped(t, c)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if got := count(t, c, AppDatabase, "kept"); got != 1 {
		t.Errorf("after Kill and Restart: %d rows, want 1", got)
	}

	// A new process finding the killed server's postmaster.pid.
	if err := c.Kill(); err != nil {
		t.Fatal(err)
	}
	c2 := start(t, dir, Options{Fast: true})
	if got := count(t, c2, AppDatabase, "kept"); got != 1 {
		t.Errorf("after Kill and Start: %d rows, want 1", got)
	}
	if err := c2.Stop(); err != nil {
		t.Fatal(err)
	}
	assertStopped(t, c2)
	if err := c2.Restart(ctx); err != nil {
		t.Fatalf("Restart after Stop: %v", err)
	}
	if got := count(t, c2, AppDatabase, "kept"); got != 1 {
		t.Errorf("after Stop and Restart: %d rows, want 1", got)
	}
	if err := c2.Stop(); err != nil {
		t.Fatal(err)
	}
	assertStopped(t, c2)
	if _, err := os.Stat(c2.socketDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket directory %s left behind: %v", c2.socketDir, err)
	}
}

func TestNotADataDirectory(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := StartWithOptions(t.Context(), dir, testLogger(t), Options{Fast: true}); err == nil {
		t.Fatal("Start succeeded on a directory holding other files")
	}
}

func TestQuoteValue(t *testing.T) {
	for in, want := range map[string]string{
		"haven":      "haven",
		"":           "''",
		"a b":        "'a b'",
		`it's`:       `'it\'s'`,
		`back\slash`: `'back\\slash'`,
	} {
		if got := quoteValue(in); got != want {
			t.Errorf("quoteValue(%q) = %s, want %s", in, got, want)
		}
	}
}

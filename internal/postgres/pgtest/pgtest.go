// Package pgtest gives each test a fresh, migrated PostgreSQL database.
//
// A package that uses it runs its tests through Main:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// and a test calls NewDB for the connection string of its own database (as
// its owner, for setting up and looking behind the app's back), and NewPool
// for the application's connections to it, which log in as the app's own
// least-privileged role (postgres.AppRole), as `haven serve` does.
//
// With DATABASE_URL set, the databases are made on that server (its user
// must be allowed to CREATE DATABASE, and to let postgres.AppRole log in:
// pgtest gives that role the password AppPassword, so use a server of the
// tests' own); otherwise the first test that asks
// for a database starts a throwaway cluster (see internal/devdb) for the
// test binary, and Main stops it. Tests that need no database (form
// decoding, fuzz targets) therefore run without PostgreSQL. Each database is a copy
// of a template database migrated once: the template's name carries a hash of
// the migration files, so changed migrations get a new template, and its
// creation holds an advisory lock, so test binaries sharing a server do not
// build it twice. Templates of old migrations stay on a shared server until
// somebody drops them.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/migrations"
)

// AppPassword is the password pgtest gives postgres.AppRole, for servers
// that ask the app's login for one (a DATABASE_URL server; the throwaway
// cluster trusts its socket). It guards only test databases.
const AppPassword = "haven-pgtest-app-login"

// templateLockKey is the pg_advisory_lock key under which a template is
// built; an arbitrary constant shared by every test binary.
const templateLockKey int64 = 0x686176656e746d70 // "haventmp"

// server is the PostgreSQL server of this test binary: DATABASE_URL's,
// known when Main starts, or the throwaway cluster, started by the first
// test that needs it (startServer).
var server struct {
	once    sync.Once
	err     error          // why the server could not start
	cluster *devdb.Cluster // nil when DATABASE_URL is used
	admin   string         // connection string of the maintenance database
	tmpDir  string         // the throwaway cluster's directory
	reaper  *os.File       // see startReaper
	stop    sync.Once
	main    bool // Main is running the tests
}

// template is the migrated template database, built on first use.
var template struct {
	once sync.Once
	name string
	err  error
}

// Main runs the tests of a package and exits, stopping the throwaway
// cluster if a test started one.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	server.main = true
	if dsn := os.Getenv("DATABASE_URL"); dsn != "" {
		if _, err := pgx.ParseConfig(dsn); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: DATABASE_URL:", err)
			return 1
		}
		server.admin = dsn
		server.once.Do(func() {})
		return m.Run()
	}
	defer stopServer()
	return m.Run()
}

// startServer starts the throwaway cluster unless it is running, and
// fails the test if it cannot.
func startServer(t testing.TB) {
	t.Helper()
	if !server.main {
		t.Fatal("pgtest: no server; run the tests through pgtest.Main (func TestMain(m *testing.M) { pgtest.Main(m) })")
	}
	server.once.Do(func() { server.err = startCluster() })
	if server.err != nil {
		t.Fatalf("pgtest: %v", server.err)
	}
}

func startCluster() error {
	tmp, err := os.MkdirTemp("", "haven-pgtest-")
	if err != nil {
		return err
	}
	server.tmpDir = tmp
	dataDir := filepath.Join(tmp, "data")
	if err := startReaper(tmp, dataDir); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := devdb.StartWithOptions(ctx, dataDir, logger, devdb.Options{Fast: true})
	if err != nil {
		return err
	}
	server.cluster = c
	server.admin = c.ConnString("postgres")
	return nil
}

// stopServer stops the throwaway cluster and removes its directory.
func stopServer() {
	server.stop.Do(func() {
		if server.cluster != nil {
			if err := server.cluster.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, "pgtest: stop PostgreSQL:", err)
			}
		}
		if server.tmpDir != "" {
			os.RemoveAll(server.tmpDir)
		}
	})
}

// reaperScript stops the server on data directory $1 (SIGINT to the
// postmaster is a fast shutdown) and removes directory $2, once its standard
// input reaches end of file.
const reaperScript = `read -r _
pidfile="$1/postmaster.pid"
if [ -f "$pidfile" ]; then
	kill -INT "$(head -n 1 "$pidfile")" 2>/dev/null
	i=0
	while [ -f "$pidfile" ] && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
fi
rm -rf "$2"`

// startReaper makes sure the throwaway server is stopped and its directory
// removed when this process ends, however it ends: a panicking test, the
// -timeout alarm or a Ctrl-C exit without running deferred calls, and the
// server, in a session of its own, would outlive us. A shell waits on a pipe
// whose write end only this process holds; the kernel closes it when we
// exit. After a normal exit it finds nothing left to do.
func startReaper(tmp, dataDir string) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", reaperScript, "pgtest-reaper", dataDir, tmp)
	cmd.Stdin = r
	// Not in our process group, so a Ctrl-C does not take it with us; and
	// with no stdout or stderr, so `go test` does not wait for it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return fmt.Errorf("start reaper: %w", err)
	}
	go cmd.Wait()     // reap it should it die early
	server.reaper = w // kept open, never written, until we exit
	return nil
}

// Cluster returns the throwaway cluster, started if need be, for tests
// that crash and restart the server; nil when the tests use DATABASE_URL.
func Cluster(t testing.TB) *devdb.Cluster {
	t.Helper()
	startServer(t)
	return server.cluster
}

// AdminConnString returns a connection string for database dbname as the
// server's administrative user: the owner of the databases NewDB makes.
func AdminConnString(t testing.TB, dbname string) string {
	t.Helper()
	startServer(t)
	return adminConnString(t, dbname)
}

func adminConnString(t testing.TB, dbname string) string {
	t.Helper()
	s, err := connStringFor(dbname)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s
}

// connStringFor is AdminConnString once the server runs.
func connStringFor(dbname string) (string, error) {
	if server.cluster != nil {
		return server.cluster.ConnString(dbname), nil
	}
	return withDatabase(server.admin, dbname)
}

// withDatabase returns connString with its database replaced by dbname.
// Only the database changes: host, user, password, TLS and every other
// setting are kept as written, which rebuilding a string from a parsed
// pgx.ConnConfig could not promise (it keeps no sslmode, for one).
func withDatabase(connString, dbname string) (string, error) {
	return rewrite(connString, "database "+strconv.Quote(dbname),
		func(u *url.URL) { u.Path, u.RawPath = "/"+dbname, "" }, []string{"dbname", "database"},
		" dbname="+quoteValue(dbname),
		func(cfg *pgx.ConnConfig) string { return oddName(cfg.Database != dbname, "database", cfg.Database) })
}

// rewrite is connString with some of its settings changed and every other
// kept as written: in a URL by set, with the query parameters named by
// params removed (they would override it); in a keyword/value string by
// keywords appended (the last of a repeated keyword wins). check, given
// the result as pgx reads it, says what came out wrong, if anything; what
// names the change in errors.
func rewrite(connString, what string, set func(*url.URL), params []string, keywords string, check func(*pgx.ConnConfig) string) (string, error) {
	out := connString + keywords
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err != nil {
			return "", err
		}
		set(u)
		q := u.Query()
		if slices.ContainsFunc(params, q.Has) {
			for _, p := range params {
				q.Del(p)
			}
			u.RawQuery = q.Encode()
		}
		out = u.String()
	}
	cfg, err := pgx.ParseConfig(out)
	if err != nil {
		return "", fmt.Errorf("connection string for %s: %w", what, err)
	}
	if problem := check(cfg); problem != "" {
		return "", fmt.Errorf("connection string for %s names %s", what, problem)
	}
	return out, nil
}

// oddName is "kind name" when wrong, else "".
func oddName(wrong bool, kind, name string) string {
	if !wrong {
		return ""
	}
	return kind + " " + strconv.Quote(name)
}

// NewDB creates a new database with the migrated schema and returns its
// owner's connection string. The database is dropped when the test ends,
// after the test's own cleanups (which should close its connections; any
// left open are cut).
func NewDB(t testing.TB) string {
	t.Helper()
	startServer(t)
	template.once.Do(func() { template.name, template.err = buildTemplate() })
	if template.err != nil {
		t.Fatalf("pgtest: template database: %v", template.err)
	}

	name := "haven_test_" + strings.ToLower(rand.Text()[:16])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := adminExec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(template.name)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := adminExec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return adminConnString(t, name)
}

// NewPool opens the application's pool (postgres.NewPool) on the database
// at connString, a connection string NewDB returned, logged in as the app's
// role rather than connString's owner, and closes it when the test ends.
func NewPool(t testing.TB, connString string, opts ...postgres.PoolOption) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.NewPool(t.Context(), AppConnString(t, connString), opts...)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// AppConnString is connString, a connection string NewDB returned, logged
// in as postgres.AppRole instead of the owner.
func AppConnString(t testing.TB, connString string) string {
	t.Helper()
	return ConnStringAs(t, connString, postgres.AppRole, AppPassword)
}

// ConnStringAs is connString logged in as role user with password (which a
// trusting server does not ask for). Only the user and password change.
func ConnStringAs(t testing.TB, connString, user, password string) string {
	t.Helper()
	s, err := withUser(connString, user, password)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s
}

func withUser(connString, user, password string) (string, error) {
	return rewrite(connString, "user "+strconv.Quote(user),
		func(u *url.URL) { u.User = url.UserPassword(user, password) }, []string{"user", "password"},
		" user="+quoteValue(user)+" password="+quoteValue(password),
		func(cfg *pgx.ConnConfig) string { return oddName(cfg.User != user, "user", cfg.User) })
}

// buildTemplate returns the name of the template database for the current
// migrations, creating and migrating it unless it exists, and lets
// postgres.AppRole log in (the role is the server's, shared by every
// database; test binaries sharing a server take turns under the lock).
func buildTemplate() (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "haven_tmpl_" + sum[:16]

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server.admin)
	if err != nil {
		return "", err
	}
	// Closing the session also releases the advisory lock.
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, postgres.AllowAppLogin(ctx, server.admin, AppPassword)
	}

	// Migrate under another name and rename when done, so a test binary
	// that dies half way never leaves a half-migrated template behind.
	build := name + "_build"
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + ident(build) + " WITH (FORCE)",
		"CREATE DATABASE " + ident(build) + " TEMPLATE template0",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", err
		}
	}
	buildConn, err := connStringFor(build)
	if err != nil {
		return "", err
	}
	if err := postgres.Migrate(ctx, buildConn); err != nil {
		return "", err
	}
	// No connections to a template: CREATE DATABASE ... TEMPLATE fails
	// while anybody is connected to it.
	for _, sql := range []string{
		"ALTER DATABASE " + ident(build) + " RENAME TO " + ident(name),
		"ALTER DATABASE " + ident(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", err
		}
	}
	return name, postgres.AllowAppLogin(ctx, server.admin, AppPassword)
}

// migrationsHash hashes the migration files' names and contents, and the
// version of River's schema.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	fmt.Fprintf(h, "river\x00%d", postgres.RiverMigrationVersion())
	return hex.EncodeToString(h.Sum(nil)), nil
}

// adminExec runs one statement on the maintenance database.
func adminExec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, server.admin)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// quoteValue quotes a keyword/value connection string value.
func quoteValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

func connect(t *testing.T, connString string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func tableExists(t *testing.T, conn *pgx.Conn, table string) bool {
	t.Helper()
	var ok bool
	if err := conn.QueryRow(t.Context(), "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestNewDB(t *testing.T) {
	dsn1, dsn2 := NewDB(t), NewDB(t)
	if dsn1 == dsn2 {
		t.Fatalf("NewDB returned %q twice", dsn1)
	}
	db1, db2 := connect(t, dsn1), connect(t, dsn2)
	var name1, name2 string
	if err := db1.QueryRow(t.Context(), "SELECT current_database()").Scan(&name1); err != nil {
		t.Fatal(err)
	}
	if err := db2.QueryRow(t.Context(), "SELECT current_database()").Scan(&name2); err != nil {
		t.Fatal(err)
	}
	if name1 == name2 {
		t.Fatalf("both connect to database %s", name1)
	}

	for _, table := range []string{"schools", "people", "audit_log", "sessions"} {
		if !tableExists(t, db1, table) || !tableExists(t, db2, table) {
			t.Errorf("migrated table %s missing", table)
		}
	}
	if _, err := db1.Exec(t.Context(), "CREATE TABLE only_here (n int)"); err != nil {
		t.Fatal(err)
	}
	if !tableExists(t, db1, "only_here") {
		t.Error("only_here missing where it was created")
	}
	if tableExists(t, db2, "only_here") {
		t.Error("a table created in one test database shows in another")
	}
}

// TestDropped checks that a test's database is gone after the test.
func TestDropped(t *testing.T) {
	var name string
	outer := t
	t.Run("user", func(t *testing.T) {
		// The connection is left open: the drop must cut it.
		conn, err := pgx.Connect(context.Background(), NewDB(t))
		if err != nil {
			t.Fatal(err)
		}
		outer.Cleanup(func() { conn.Close(context.Background()) })
		if err := conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	admin := connect(t, AdminConnString(t, "postgres"))
	var exists bool
	if err := admin.QueryRow(t.Context(), "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test", name)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u:p%40ss@db.example:6543/postgres?sslmode=require", "postgres://u:p%40ss@db.example:6543/haven_x?sslmode=require"},
		{"postgresql://u@h/?dbname=postgres&sslmode=disable", "postgresql://u@h/haven_x?sslmode=disable"},
		{"host=/tmp user=u dbname=postgres sslmode=disable", "host=/tmp user=u dbname=postgres sslmode=disable dbname='haven_x'"},
	} {
		got, err := withDatabase(tc.in, "haven_x")
		if err != nil {
			t.Errorf("withDatabase(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tc.in, got, tc.want)
		}
		cfg, err := pgx.ParseConfig(got)
		if err != nil || cfg.Database != "haven_x" {
			t.Errorf("withDatabase(%q) = %q: parses to database %v (%v)", tc.in, got, cfg, err)
		}
	}
}

// The app's login replaces only the user and password of a connection
// string, in either form, and keeps everything else as written.
func TestWithUser(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://owner:s3cret@db.example:6543/haven_x?sslmode=require", "postgres://haven_app:p%27w@db.example:6543/haven_x?sslmode=require"},
		{"postgresql://h/haven_x?user=owner&password=x&sslmode=disable", "postgresql://haven_app:p%27w@h/haven_x?sslmode=disable"},
		{"host=/tmp user=owner dbname=haven_x sslmode=disable", `host=/tmp user=owner dbname=haven_x sslmode=disable user='haven_app' password='p\'w'`},
	} {
		got, err := withUser(tc.in, "haven_app", "p'w")
		if err != nil {
			t.Errorf("withUser(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("withUser(%q) = %q, want %q", tc.in, got, tc.want)
		}
		cfg, err := pgx.ParseConfig(got)
		if err != nil || cfg.User != "haven_app" || cfg.Password != "p'w" || cfg.Database != "haven_x" {
			t.Errorf("withUser(%q) = %q: parses to %v (%v)", tc.in, got, cfg, err)
		}
	}
}

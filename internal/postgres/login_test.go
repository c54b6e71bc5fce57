package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The app's connections log in as haven_app itself: RESET ROLE leaves them
// haven_app, they cannot become the owner, they can neither change nor
// remove the chronology or the audit log, and without a viewer they read no
// concern, however the statements are sent.
func TestAppLoginCannotBeTheOwner(t *testing.T) {
	ctx := t.Context()
	s := newSmallSchool(t)
	logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"other"}})
	var owner string
	var concerns, entries, audits int
	if err := s.owner.QueryRow(ctx, `SELECT current_user,
		(SELECT count(*) FROM concerns), (SELECT count(*) FROM chronology_entries), (SELECT count(*) FROM audit_log)`).
		Scan(&owner, &concerns, &entries, &audits); err != nil {
		t.Fatal(err)
	}
	if concerns == 0 || entries == 0 || audits == 0 {
		t.Fatalf("the fixture holds %d concerns, %d entries, %d audit rows; want some of each", concerns, entries, audits)
	}
	conn := appConn(t, pgtest.NewPool(t, s.connString))

	var session, current string
	mustExec(t, conn, `RESET ROLE`)
	if err := conn.QueryRow(ctx, `SELECT session_user, current_user`).Scan(&session, &current); err != nil {
		t.Fatal(err)
	}
	if session != postgres.AppRole || current != postgres.AppRole {
		t.Fatalf("after RESET ROLE: session_user %q, current_user %q; want both %s", session, current, postgres.AppRole)
	}
	var super, bypass bool
	if err := conn.QueryRow(ctx, `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&super, &bypass); err != nil {
		t.Fatal(err)
	}
	if super || bypass {
		t.Fatalf("after RESET ROLE: superuser %v, BYPASSRLS %v; want neither", super, bypass)
	}
	for _, sql := range []string{
		"SET ROLE " + pgx.Identifier{owner}.Sanitize(),
		"SET SESSION AUTHORIZATION " + pgx.Identifier{owner}.Sanitize(),
	} {
		_, err := conn.Exec(ctx, sql)
		wantDenied(t, sql, err)
	}
	for _, sql := range []string{
		`UPDATE chronology_entries SET body = body`,
		`DELETE FROM chronology_entries`,
		`UPDATE audit_log SET detail = 'changed'`,
		`DELETE FROM audit_log`,
		`TRUNCATE chronology_entries`,
		`TRUNCATE audit_log`,
		`SELECT * FROM audit_chain_heads`,
		`UPDATE audit_chain_heads SET seq = 0`,
		`DELETE FROM audit_chain_heads`,
		`ALTER TABLE concerns DISABLE ROW LEVEL SECURITY`,
	} {
		_, err := conn.Exec(ctx, sql)
		wantDenied(t, sql, err)
	}
	// No viewer set (haven.person_id and haven.school_id unset): nothing.
	var seen int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM concerns) + (SELECT count(*) FROM chronology_entries)`).Scan(&seen); err != nil {
		t.Fatal(err)
	}
	if seen != 0 {
		t.Fatalf("without a viewer the app's login reads %d concerns and entries; want none", seen)
	}
	var after int
	if err := s.owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM chronology_entries) + (SELECT count(*) FROM audit_log)`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != entries+audits {
		t.Fatalf("the chronology and audit log hold %d rows after the attempts, %d before", after, entries+audits)
	}
}

// A login that could act as more than haven_app is refused, each with a
// message that says what is wrong and names the fix; haven_app is not.
func TestCheckAppLogin(t *testing.T) {
	ctx := t.Context()
	s := newTestDB(t)
	if err := postgres.CheckAppLogin(ctx, pgtest.NewPool(t, s.connString)); err != nil {
		t.Fatalf("haven_app: %v", err)
	}
	var owner string
	if err := s.owner.QueryRow(ctx, `SELECT current_user`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	// A table owner that is not a superuser (the tests' owner is one).
	tableOwner := newRole(t, s, "NOLOGIN")
	mustExec(t, s.owner, "ALTER TABLE audit_log OWNER TO "+tableOwner)
	t.Cleanup(func() {
		s.owner.Exec(context.Background(), "ALTER TABLE audit_log OWNER TO "+pgx.Identifier{owner}.Sanitize())
	})
	// One that owns a function the policies call could change what it says.
	functionOwner := newRole(t, s, "NOLOGIN")
	mustExec(t, s.owner, "ALTER FUNCTION haven_viewer_id() OWNER TO "+functionOwner)
	t.Cleanup(func() {
		s.owner.Exec(context.Background(), "ALTER FUNCTION haven_viewer_id() OWNER TO "+pgx.Identifier{owner}.Sanitize())
	})

	for _, tc := range []struct {
		name, attributes, memberOf, want string
	}{
		{"superuser", "SUPERUSER", "", "is a superuser"},
		{"member of a superuser", "", owner, "is a superuser (or can become one)"},
		{"BYPASSRLS", "BYPASSRLS", postgres.AppRole, "has BYPASSRLS"},
		{"table owner", "", tableOwner, "owns some of Haven's tables or functions"},
		{"function owner", "", functionOwner, "owns some of Haven's tables or functions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			login := newRole(t, s, "LOGIN "+tc.attributes)
			if tc.memberOf != "" {
				mustExec(t, s.owner, "GRANT "+pgx.Identifier{tc.memberOf}.Sanitize()+" TO "+login)
			}
			if tc.memberOf != postgres.AppRole {
				mustExec(t, s.owner, "GRANT "+postgres.AppRole+" TO "+login)
			}
			pool := loginPool(t, s.connString, login)
			err := postgres.CheckAppLogin(ctx, pool)
			var problem *postgres.LoginProblem
			if !errors.As(err, &problem) {
				t.Fatalf("CheckAppLogin: %v; want a *LoginProblem", err)
			}
			msg := err.Error()
			for _, want := range []string{`"` + login + `"`, tc.want, "DATABASE_URL", "DATABASE_OWNER_URL", "Database logins"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the message %q does not say %q", msg, want)
				}
			}
		})
	}
}

// newRole creates a role of the server's with attributes, dropped when the
// test ends; its name is a plain identifier.
func newRole(t *testing.T, s *testDB, attributes string) string {
	t.Helper()
	name := "haven_test_" + strings.ToLower(newToken()[:8])
	mustExec(t, s.owner, "CREATE ROLE "+name+" "+attributes+" PASSWORD '"+pgtest.AppPassword+"'")
	t.Cleanup(func() { s.owner.Exec(context.Background(), "DROP ROLE IF EXISTS "+name) })
	return name
}

// loginPool is the app's pool (postgres.NewPool) logged in as login.
func loginPool(t *testing.T, connString, login string) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.NewPool(t.Context(), pgtest.ConnStringAs(t, connString, login, pgtest.AppPassword))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// appConn is one connection of pool, so that RESET ROLE lasts.
func appConn(t *testing.T, pool *pgxpool.Pool) *pgx.Conn {
	t.Helper()
	c, err := pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Release)
	return c.Conn()
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// wantDenied fails unless err is PostgreSQL's insufficient_privilege (or,
// for ALTER TABLE, must_be_owner, which has the same code).
func wantDenied(t *testing.T, sql string, err error) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("%s: %v; want permission denied (42501)", sql, err)
	}
}

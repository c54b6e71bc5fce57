package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the role every connection of the app acts as: row-level
// security binds it, and it holds only the grants the migrations give it.
const AppRole = "haven_app"

// AllowAppLogin lets AppRole log in, with password unless it is empty (a
// cluster whose Unix socket trusts its own users needs none). It runs on
// ownerConnString, the migrating user's connection, after Migrate has made
// the role. It is for clusters Haven runs itself and for tests; a school's
// own server has its administrator choose the login (see README.md).
func AllowAppLogin(ctx context.Context, ownerConnString, password string) error {
	conn, err := pgx.Connect(ctx, ownerConnString)
	if err != nil {
		return fmt.Errorf("connect as the owner: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Only LOGIN: the role was made NOSUPERUSER NOBYPASSRLS, and naming
	// those again would need a superuser. CheckAppLogin checks them.
	sql := "ALTER ROLE " + AppRole + " LOGIN"
	if password != "" {
		// ALTER ROLE takes no parameters; the literal is quoted here.
		sql += " PASSWORD '" + strings.ReplaceAll(password, "'", "''") + "'"
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("let %s log in: %w", AppRole, err)
	}
	return nil
}

// LoginProblem says what is wrong with a database login that the app
// should not serve on, and how to fix it.
type LoginProblem struct {
	Login  string // the role the connections log in as (session_user)
	Reason string // what it may do that the app must not
}

func (p *LoginProblem) Error() string {
	return fmt.Sprintf("the database login %q %s, so row-level security would be one statement away from "+
		"being bypassed: set DATABASE_URL to a login that is not a superuser, does not own Haven's tables, "+
		"has no BYPASSRLS and is a member of %s only (such as %s itself), and DATABASE_OWNER_URL to the owner's "+
		"(see \"Database logins\" in README.md)", p.Login, p.Reason, AppRole, AppRole)
}

// CheckAppLogin refuses the login of pool's connections, with a
// *LoginProblem, when it, or a role it can become with SET ROLE, is a
// superuser, bypasses row-level security or owns Haven's tables or functions:
// any of those and a statement that ran RESET ROLE or SET ROLE would read
// every school's concerns, and could change the append-only history.
func CheckAppLogin(ctx context.Context, pool *pgxpool.Pool) error {
	var login string
	var super, bypass, owns bool
	// pg_has_role's MEMBER is true for the role itself and for every role
	// it can become, directly or through others. Haven's tables (and their
	// sequences, indexes and functions) are those of chronology_entries's
	// schema, found as the app finds them.
	err := pool.QueryRow(ctx, `
		SELECT session_user,
			EXISTS (SELECT FROM pg_roles r WHERE r.rolsuper AND pg_has_role(session_user, r.oid, 'MEMBER')),
			EXISTS (SELECT FROM pg_roles r WHERE r.rolbypassrls AND pg_has_role(session_user, r.oid, 'MEMBER')),
			EXISTS (SELECT FROM pg_class c
				WHERE c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'chronology_entries'::regclass)
				AND pg_has_role(session_user, c.relowner, 'MEMBER'))
			OR EXISTS (SELECT FROM pg_proc p
				WHERE p.pronamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'chronology_entries'::regclass)
				AND pg_has_role(session_user, p.proowner, 'MEMBER'))`).
		Scan(&login, &super, &bypass, &owns)
	if err != nil {
		return fmt.Errorf("check the database login: %w", err)
	}
	switch {
	case super:
		return &LoginProblem{Login: login, Reason: "is a superuser (or can become one)"}
	case bypass:
		return &LoginProblem{Login: login, Reason: "has BYPASSRLS (or can become a role that has)"}
	case owns:
		return &LoginProblem{Login: login, Reason: "owns some of Haven's tables or functions (or can become a role that does)"}
	}
	return nil
}

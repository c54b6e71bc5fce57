package postgres_test

import (
	"slices"
	"strings"
	"testing"
)

// The sweep forgets failed sign-ins once throttling no longer needs them,
// those for e-mail addresses that no account has soonest; addresses not
// signed in from for long, expired unlock links and day-old password reset
// requests.
func TestSweepSignIns(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	var dsl int64
	if err := s.owner.QueryRow(ctx, `SELECT id FROM people WHERE email = 'dsl@demo.test'`).Scan(&dsl); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO sign_in_failures (email, address, failed_at) VALUES
			('dsl@demo.test', 'account-day-old', clock_timestamp() - interval '25 hours'),
			('dsl@demo.test', 'account-hours-old', clock_timestamp() - interval '23 hours'),
			('nobody@demo.test', 'unknown-20-minutes-old', clock_timestamp() - interval '20 minutes'),
			('nobody@demo.test', 'unknown-5-minutes-old', clock_timestamp() - interval '5 minutes')`,
		`INSERT INTO sign_in_addresses (school_id, person_id, address, last_at) VALUES
			($1, $2, 'address-stale', clock_timestamp() - interval '91 days'),
			($1, $2, 'address-recent', clock_timestamp() - interval '89 days')`,
		`INSERT INTO account_unlock_tokens (token_hash, school_id, person_id, expires_at) VALUES
			('\x01', $1, $2, clock_timestamp() - interval '1 second'),
			('\x02', $1, $2, clock_timestamp() + interval '1 hour')`,
		`INSERT INTO password_resets (school_id, person_id, requested_at, token_hash) VALUES
			($1, $2, clock_timestamp() - interval '25 hours', '\x03'),
			($1, $2, clock_timestamp() - interval '2 hours', '\x04')`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = []any{s.schoolID, dsl}
		}
		if _, err := s.owner.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.db.SweepSignIns(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{`SELECT address FROM sign_in_failures ORDER BY address`, []string{"account-hours-old", "unknown-5-minutes-old"}},
		{`SELECT address FROM sign_in_addresses ORDER BY address`, []string{"address-recent"}},
		{`SELECT encode(token_hash, 'hex') FROM account_unlock_tokens`, []string{"02"}},
		{`SELECT encode(token_hash, 'hex') FROM password_resets`, []string{"04"}},
	} {
		rows, err := s.owner.Query(ctx, c.query)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: after the sweep %v, want %v", c.query, got, c.want)
		}
	}
}

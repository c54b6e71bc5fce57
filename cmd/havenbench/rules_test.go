package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The build's dataset, one school of it written as the build writes it
// (COPY with triggers off), follows the app's rules; each way of breaking
// one is found, counted and shown by an example.
func TestCheckRules(t *testing.T) {
	ctx := context.Background()
	conn, err := loader(ctx, pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	if err := explicitIDs(ctx, conn, true); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Hour)
	g, err := newGenerator(ctx, conn, now)
	if err != nil {
		t.Fatal(err)
	}
	schools := roster(now)[:1]
	if err := copyRoster(ctx, conn, schools, "not-a-hash"); err != nil {
		t.Fatal(err)
	}
	if err := copyHistory(ctx, conn, g.history(schools[0])); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		if err := checkRules(ctx, conn); err != nil {
			t.Fatalf("the build's dataset breaks the rules: %v", err)
		}
	})

	t.Run("DeadlinesOfTheHistory", func(t *testing.T) {
		if _, err := conn.Exec(ctx, deadlinesSQL); err != nil {
			t.Fatal(err)
		}
		var feedback, responses int
		if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = 'feedback'), count(*) FILTER (WHERE kind = 'referral_response')
			FROM deadlines`).Scan(&feedback, &responses); err != nil {
			t.Fatal(err)
		}
		var open int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM concerns WHERE status <> 'closed' AND NOT feedback_given`).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if feedback == 0 || feedback > open {
			t.Errorf("%d feedback deadlines for %d open concerns without feedback", feedback, open)
		}
		if _, err := conn.Exec(ctx, `TRUNCATE deadlines`); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("EachMismatchFound", func(t *testing.T) {
		id := func(q string) int64 {
			t.Helper()
			var v int64
			if err := conn.QueryRow(ctx, q).Scan(&v); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return v
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := conn.Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		type link struct{ Concern, Pupil int64 }
		rows, _ := conn.Query(ctx, `SELECT concern_id, pupil_id FROM concern_pupils ORDER BY concern_id, pupil_id LIMIT 2`)
		links, err := pgx.CollectRows(rows, pgx.RowToStructByPos[link])
		if err != nil || len(links) != 2 {
			t.Fatalf("two links: %v (%d)", err, len(links))
		}
		entry := id(`SELECT min(id) FROM chronology_entries`)
		staffCase := id(`SELECT min(id) FROM concerns WHERE subject_kind = 'staff' AND route = 'adult'`)
		governed := id(`SELECT max(id) FROM concerns WHERE route = 'child'`)
		chair := id(`SELECT person_id FROM person_roles WHERE role = 'chair'`)

		// A link's copy of its concern's route.
		exec(`UPDATE concern_pupils SET concern_route = 'principal' WHERE concern_id = $1 AND pupil_id = $2`, links[0].Concern, links[0].Pupil)
		// An entry's copy of its concern's logger.
		exec(`UPDATE chronology_entries SET concern_logged_by = concern_logged_by + 1000000 WHERE id = $1`, entry)
		// A link's copy of its pupil's year group.
		exec(`UPDATE concern_pupils SET pupil_year_group = pupil_year_group % 13 + 1 WHERE concern_id = $1 AND pupil_id = $2`, links[1].Concern, links[1].Pupil)
		// A concern about an ordinary member of staff on the principal's
		// route, its copies following it.
		exec(`UPDATE concerns SET route = 'principal' WHERE id = $1`, staffCase)
		exec(`UPDATE chronology_entries SET concern_route = 'principal' WHERE concern_id = $1`, staffCase)
		// A concern logged by the chair of governors, its copies following it.
		exec(`UPDATE concerns SET logged_by = $2 WHERE id = $1`, governed, chair)
		exec(`UPDATE concern_pupils SET concern_logged_by = $2 WHERE concern_id = $1`, governed, chair)
		exec(`UPDATE chronology_entries SET concern_logged_by = $2 WHERE concern_id = $1`, governed, chair)

		err = checkRules(ctx, conn)
		if err == nil {
			t.Fatal("checkRules found nothing")
		}
		want := []string{
			fmt.Sprintf("pupil links whose concern_route, concern_subject_id or concern_logged_by is not their concern's: 1, e.g. concern %d", links[0].Concern),
			fmt.Sprintf("chronology entries whose concern_route, concern_subject_id or concern_logged_by is not their concern's: 1, e.g. entry %d", entry),
			fmt.Sprintf("pupil links whose pupil_year_group is not their pupil's year_group: 1, e.g. pupil %d", links[1].Pupil),
			fmt.Sprintf("concerns whose route is not the one haven_route_of gives their subject: 1, e.g. concern %d", staffCase),
			fmt.Sprintf("concerns logged by someone without a role that may log a concern (haven_may_log): 1, e.g. concern %d", governed),
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), "\n  - "+w+"\n") && !strings.HasSuffix(err.Error(), "\n  - "+w) {
				t.Errorf("checkRules does not report %q", w)
			}
		}
		if n := strings.Count(err.Error(), "\n  - "); n != len(want) {
			t.Errorf("checkRules reports %d kinds of mismatch, want %d:\n%v", n, len(want), err)
		}
	})
}

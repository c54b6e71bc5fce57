package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// demoStore opens a fresh database holding the demo school, and an owner
// connection to it for what the app role may not do.
func demoStore(t *testing.T) (*postgres.DB, *pgx.Conn, string) {
	t.Helper()
	ctx := context.Background()
	connString := pgtest.NewDB(t)
	db, err := postgres.Open(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := demo.Load(ctx, db, "test-demo-password"); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	return db, owner, connString
}

// viewerByEmail loads the demo person with that e-mail address.
func viewerByEmail(t *testing.T, db *postgres.DB, owner *pgx.Conn, email string) safeguarding.Viewer {
	t.Helper()
	var id int64
	if err := owner.QueryRow(context.Background(), `SELECT id FROM people WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	v, err := db.Viewer(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// loggedConcernWithEntries makes a chronology of four entries by two
// authors, the staff member's last entry written after the DSL's.
func loggedConcernWithEntries(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db, owner, connString := demoStore(t)
	staff := viewerByEmail(t, db, owner, "staff@demo.test")
	dsl := viewerByEmail(t, db, owner, "dsl@demo.test")
	var pupil int64
	if err := owner.QueryRow(ctx, `SELECT min(id) FROM pupils`).Scan(&pupil); err != nil {
		t.Fatal(err)
	}
	id, _, err := db.LogConcern(ctx, staff, postgres.ConcernInput{SubmissionToken: "7a3e0c1e-95f4-4d7e-8d0f-3f1f3f9e2a10",
		SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{pupil}, Categories: []string{"cse"},
		WhatHappened: "Seen getting into a car with an older man after school.", HappenedOn: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []safeguarding.EntryInput{
		{Kind: safeguarding.EntryAcknowledged},
		{Kind: safeguarding.EntryDecision, Body: "Refer to children's social care", Details: safeguarding.EntryDetails{Reason: "Indicators of CSE"}},
	} {
		if err := db.AddEntry(ctx, dsl, id, in); err != nil {
			t.Fatal(err)
		}
	}
	// The staff member cannot read the DSL's entries, yet links to them.
	if err := db.AddEntry(ctx, staff, id, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "She said he is called Jay."}); err != nil {
		t.Fatal(err)
	}
	return connString
}

func TestVerifyChronology(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, tamper, problem string
		breaks                int
	}{
		{"OK", ``, "", 0},
		{"ErrChangedContent", `UPDATE chronology_entries SET details = jsonb_set(details, '{reason}', '"none"') WHERE kind = 'decision'`, "changed", 1},
		{"ErrChangedTime", `UPDATE chronology_entries SET at = at - interval '1 day' WHERE kind = 'further_information'`, "changed", 1},
		{"ErrRemovedEntry", `DELETE FROM chronology_entries WHERE kind = 'acknowledged'`, "removed", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			connString := loggedConcernWithEntries(t)
			if tc.tamper != "" {
				conn, err := pgx.Connect(ctx, connString)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close(ctx)
				if _, err := conn.Exec(ctx, tc.tamper); err != nil {
					t.Fatal(err)
				}
			}
			checked, breaks, err := postgres.VerifyChronology(ctx, connString)
			if err != nil {
				t.Fatal(err)
			}
			if checked < 3 || len(breaks) != tc.breaks {
				t.Fatalf("checked %d entries, breaks %v; want %d break(s)", checked, breaks, tc.breaks)
			}
			if tc.breaks > 0 && !strings.Contains(breaks[0].Problem, tc.problem) {
				t.Errorf("problem %q does not say %q", breaks[0].Problem, tc.problem)
			}
		})
	}
}

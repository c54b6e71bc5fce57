package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
)

// `haven import pupils|staff` prints every problem with its line and
// imports nothing, or imports the whole file; -dry-run only says what it
// would change; importing again changes nothing.
func TestImportRoster(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	db := postgres.New(pgtest.NewPool(t, connString), nil)
	if _, err := db.CreateSchool(ctx, "Northgate School"); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	count := func(query string) int {
		t.Helper()
		var n int
		if err := owner.QueryRow(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString, LogLevel: "error"}
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	importing := func(kind string, args ...string) (string, error) {
		var out bytes.Buffer
		err := importRoster(ctx, cfg, logger, kind, args, &out)
		return out.String(), err
	}

	bad := file("bad.csv", "Forename,Surname,DOB,Year\nAmy,Khan,31/02/2012,8\nBen,Lee,2012-01-01,8\nCal,,2012-01-01,Reception\n")
	out, err := importing("pupils", "-school", "Northgate School", bad)
	if err == nil || !strings.Contains(out, `line 2, column "DOB", "31/02/2012"`) || !strings.Contains(out, `line 4, column "Surname"`) ||
		!strings.Contains(out, `line 4, column "Year", "Reception"`) {
		t.Errorf("err %v, output:\n%s", err, out)
	}
	if n := count(`SELECT count(*) FROM pupils`); n != 0 {
		t.Fatalf("a file with problems imported %d pupils", n)
	}

	good := file("good.csv", "Forename,Surname,DOB,Year\nAmy,Khan,29/02/2012,8\nBen,Lee,2012-01-01,8\n")
	out, err = importing("pupils", "-school", "Northgate School", good, "-dry-run")
	if err != nil || !strings.Contains(out, "nothing has changed") || !strings.Contains(out, "New pupils:            2") {
		t.Errorf("dry run: err %v, output:\n%s", err, out)
	}
	if n := count(`SELECT count(*) FROM pupils`); n != 0 {
		t.Fatalf("a dry run imported %d pupils", n)
	}
	for i, want := range []string{"New pupils:            2", "Unchanged:             2"} {
		out, err = importing("pupils", "-school", "Northgate School", good)
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("import %d: err %v, output:\n%s", i+1, err, out)
		}
	}
	if n := count(`SELECT count(*) FROM pupils WHERE active`); n != 2 {
		t.Errorf("%d pupils on the roster, want 2", n)
	}

	staff := file("staff.csv", "Email,Name,Job Title,Roles\ndsl@northgate.test,Dee Lead,Deputy head,DSL; Staff\n")
	out, err = importing("staff", "-school", "Northgate School", staff)
	if err != nil || !strings.Contains(out, "1 new person needs an invitation from the People page") {
		t.Errorf("staff: err %v, output:\n%s", err, out)
	}
	if n := count(`SELECT count(*) FROM people p JOIN person_roles r ON r.person_id = p.id WHERE p.email = 'dsl@northgate.test' AND p.password_hash = ''`); n != 2 {
		t.Errorf("the new DSL has %d roles, want dsl and staff", n)
	}
	if _, err := importing("staff", "-school", "Nowhere School", staff); err == nil {
		t.Error("an import into a school that does not exist succeeded")
	}

	// Training, for the person the staff file added: a line for nobody is
	// a problem and nothing is imported; the file imported twice adds its
	// records once.
	badTraining := file("bad-training.csv", "Email,Type,Date\ndsl@northgate.test,DSL training,2025-06-01\nnobody@northgate.test,induction,2025-06-01\ndsl@northgate.test,first aid,2025-06-01\n")
	out, err = importing("training", "-school", "Northgate School", badTraining)
	if err == nil || !strings.Contains(out, "line 3") || !strings.Contains(out, "line 4") || count(`SELECT count(*) FROM training_records`) != 0 {
		t.Errorf("training with a problem: err %v, output:\n%s", err, out)
	}
	training := file("training.csv", "Email,Type,Date,Provider\ndsl@northgate.test,DSL training,2025-06-01,LA\ndsl@northgate.test,Induction,01/09/2019,\n")
	for i, want := range []string{"Records added: 2 Already on the register: 0", "Records added: 0 Already on the register: 2"} {
		out, err = importing("training", "-school", "Northgate School", training)
		if err != nil || !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("training import %d: err %v, output:\n%s", i+1, err, out)
		}
	}
	if n := count(`SELECT count(*) FROM training_records WHERE recorded_by IS NULL`); n != 2 {
		t.Errorf("%d training records, want 2", n)
	}
}

package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// testDB is a fresh, migrated database of the test's own: the app's store
// on it, and an owner connection that bypasses row-level security, to set up
// and to look behind the app's back.
type testDB struct {
	db         *postgres.DB
	owner      *pgx.Conn
	connString string
	schoolID   int64 // the school the fixture made: the demo school, for demoStore
}

func newTestDB(t *testing.T) *testDB {
	t.Helper()
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	pool := pgtest.NewPool(t, connString)
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.New(pool, alerts)
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	return &testDB{db: db, owner: owner, connString: connString}
}

// demoStore is a fresh database holding the demo school.
func demoStore(t *testing.T) *testDB {
	t.Helper()
	s := newTestDB(t)
	if _, err := demo.Load(t.Context(), s.db, "test-demo-password"); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.schoolID, err = s.db.SchoolByName(t.Context(), demo.SchoolName); err != nil {
		t.Fatal(err)
	}
	return s
}

// person adds a person and returns them as the app sees them.
func (s *testDB) person(t *testing.T, in postgres.PersonInput) safeguarding.Viewer {
	t.Helper()
	id, err := s.db.CreatePerson(t.Context(), in)
	if err != nil {
		t.Fatalf("add %s: %v", in.Email, err)
	}
	v, err := s.db.Viewer(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// viewerByEmail is the person with that e-mail address.
func (s *testDB) viewerByEmail(t *testing.T, email string) safeguarding.Viewer {
	t.Helper()
	var id int64
	if err := s.owner.QueryRow(t.Context(), `SELECT id FROM people WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	v, err := s.db.Viewer(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// firstPupil is the pupil with the lowest id.
func (s *testDB) firstPupil(t *testing.T) int64 {
	t.Helper()
	var id int64
	if err := s.owner.QueryRow(t.Context(), `SELECT min(id) FROM pupils`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// smallSchool is a school of its own on a fresh database: one person in
// each role, two members of staff, and two pupils, Ruby Okafor in year 10
// and Tom Hughes in year 8.
type smallSchool struct {
	*testDB

	staff1, staff2, dsl, deputy, principal, chair, governor, admin safeguarding.Viewer
	ruby, tom                                                      int64
}

func newSmallSchool(t *testing.T) *smallSchool {
	t.Helper()
	ctx := t.Context()
	s := &smallSchool{testDB: newTestDB(t)}
	var err error
	if s.schoolID, err = s.db.CreateSchool(ctx, "Riverside Academy"); err != nil {
		t.Fatal(err)
	}
	person := func(name string, roles ...safeguarding.Role) safeguarding.Viewer {
		t.Helper()
		return s.person(t, postgres.PersonInput{SchoolID: s.schoolID, Email: name + "@riverside.test", FullName: name, Roles: roles})
	}
	s.staff1 = person("staff1", safeguarding.RoleStaff)
	s.staff2 = person("staff2", safeguarding.RoleStaff)
	s.dsl = person("dsl", safeguarding.RoleDSL, safeguarding.RoleStaff)
	s.deputy = person("deputy", safeguarding.RoleDeputyDSL, safeguarding.RoleStaff)
	s.principal = person("principal", safeguarding.RolePrincipal, safeguarding.RoleStaff)
	s.chair = person("chair", safeguarding.RoleChair)
	s.governor = person("governor", safeguarding.RoleGovernor)
	s.admin = person("admin", safeguarding.RoleAdmin)

	ids, err := s.db.AddPupils(ctx, s.schoolID, []postgres.PupilInput{
		{FirstName: "Ruby", LastName: "Okafor", YearGroup: 10, DateOfBirth: time.Date(2010, 5, 14, 0, 0, 0, 0, time.UTC), RegistrationGroup: "10RO"},
		{FirstName: "Tom", LastName: "Hughes", YearGroup: 8, DateOfBirth: time.Date(2012, 11, 2, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.ruby, s.tom = ids[0], ids[1]
	return s
}

// pupilOfAnotherSchool adds a school beside s with one pupil, and returns
// that pupil's id: someone none of s's people may see or name.
func (s *smallSchool) pupilOfAnotherSchool(t *testing.T) int64 {
	t.Helper()
	ctx := t.Context()
	other, err := s.db.CreateSchool(ctx, "Hilltop School")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.db.AddPupils(ctx, other, []postgres.PupilInput{{FirstName: "Ada", LastName: "Hill", YearGroup: 7,
		DateOfBirth: time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

// newToken is a fresh one-time form token (a random UUID).
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// logConcern files a concern by v, failing the test otherwise. Left blank,
// the submission token is a fresh one, the subject is the pupils named, and
// what happened is a car after school on 2 March 2026.
func logConcern(t *testing.T, db *postgres.DB, v safeguarding.Viewer, in safeguarding.ConcernInput) int64 {
	t.Helper()
	if in.SubmissionToken == "" {
		in.SubmissionToken = newToken()
	}
	if in.SubjectKind == "" && len(in.PupilIDs) > 0 {
		in.SubjectKind = safeguarding.SubjectPupils
	}
	if in.WhatHappened == "" {
		in.WhatHappened = "Seen getting into a car after school with an older man."
	}
	if in.HappenedOn.IsZero() {
		in.HappenedOn = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	}
	id, _, err := db.LogConcern(t.Context(), v, in)
	if err != nil {
		t.Fatalf("log concern %q: %v", in.WhatHappened, err)
	}
	return id
}

// addEntry adds an entry by v to a concern, failing the test otherwise.
func addEntry(t *testing.T, db *postgres.DB, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) {
	t.Helper()
	if err := db.AddEntry(t.Context(), v, concernID, in); err != nil {
		t.Fatalf("add %s to concern %d: %v", in.Kind, concernID, err)
	}
}

// concernIDs are the ids of cs, in order.
func concernIDs(cs []safeguarding.Concern) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

// asViewerTx runs fn in a transaction on the app's pool whose row-level
// security sees v, as the store's own transactions do, and rolls it back.
// It lets a test ask PostgreSQL directly, without the Go check.
func asViewerTx(t *testing.T, db *postgres.DB, v safeguarding.Viewer, fn func(pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT haven_set_viewer($1, $2)`, v.SchoolID, v.PersonID); err != nil {
		t.Fatal(err)
	}
	return fn(tx)
}

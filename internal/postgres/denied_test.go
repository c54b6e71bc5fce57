package postgres_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// deniedLooks is the demo school with a store that raises notices of
// repeated denied looks, and a concern about the principal that only the
// chair may see.
type deniedLooks struct {
	*testDB
	db        *postgres.DB // with notices
	principal safeguarding.Viewer
	about     int64 // the concern about the principal
}

func newDeniedLooks(t *testing.T) *deniedLooks {
	t.Helper()
	s := demoStore(t)
	notices, err := jobs.NoticeEnqueuer(s.db.Pool())
	if err != nil {
		t.Fatal(err)
	}
	d := &deniedLooks{testDB: s, db: s.db.WithDeniedLookNotices(safeguarding.DefaultDeniedLookWatch, notices),
		principal: s.viewerByEmail(t, "principal@demo.test")}
	d.about = logConcern(t, s.db, s.viewerByEmail(t, "staff@demo.test"), safeguarding.ConcernInput{
		SubjectKind: safeguarding.SubjectStaff, SubjectPersonID: d.principal.PersonID, Categories: []string{"physical_abuse"}})
	return d
}

// look records a denied look by v at a concern.
func (d *deniedLooks) look(t *testing.T, v safeguarding.Viewer, concernID int64) {
	t.Helper()
	err := d.db.RecordDeniedLook(t.Context(), v, safeguarding.DeniedLook{Record: safeguarding.LookedForConcern, ID: concernID,
		Request: "GET /concerns/{id}", Address: "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
}

// notices are the queued notice jobs about a concern, oldest first.
func (d *deniedLooks) notices(t *testing.T, concernID int64) []jobs.DeniedLookArgs {
	t.Helper()
	rows, err := d.owner.Query(t.Context(), `SELECT args FROM river_job WHERE kind = 'denied_look_notice'
		AND (args->>'concern_id')::bigint = $1 ORDER BY id`, concernID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []jobs.DeniedLookArgs
	for rows.Next() {
		var raw []byte
		var a jobs.DeniedLookArgs
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A denied look is written to the audit log, in a transaction of its own:
// who, which id, what they asked and from where, whether or not the id is
// a concern at all, and for a child's file as for a concern.
func TestRecordDeniedLook(t *testing.T) {
	d := newDeniedLooks(t)
	staff := d.viewerByEmail(t, "staff@demo.test")
	const missing = 999999999
	d.look(t, d.principal, d.about)
	d.look(t, d.principal, missing)
	if err := d.db.RecordDeniedLook(t.Context(), staff, safeguarding.DeniedLook{Record: safeguarding.LookedForChildFile,
		ID: d.firstPupil(t), Request: "GET /pupils/{id}", Address: "192.0.2.8"}); err != nil {
		t.Fatal(err)
	}
	log, err := postgres.AuditLog(t.Context(), d.owner, d.schoolID, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []safeguarding.AuditEvent{
		{SchoolID: d.schoolID, ActorID: staff.PersonID, Action: "denied_child_file", Object: "pupil:" + strconv.FormatInt(d.firstPupil(t), 10),
			Address: "192.0.2.8", Detail: "GET /pupils/{id}"},
		{SchoolID: d.schoolID, ActorID: d.principal.PersonID, Action: "denied_concern", Object: "concern:" + strconv.Itoa(missing),
			Address: "192.0.2.7", Detail: "GET /concerns/{id}"},
		{SchoolID: d.schoolID, ActorID: d.principal.PersonID, Action: "denied_concern", Object: "concern:" + strconv.FormatInt(d.about, 10),
			Address: "192.0.2.7", Detail: "GET /concerns/{id}"},
	}
	if len(log) != len(want) {
		t.Fatalf("audit log %v, want %v", log, want)
	}
	for i := range want {
		if log[i].AuditEvent != want[i] || time.Since(log[i].At) > time.Minute {
			t.Errorf("audit row %d: %+v at %v, want %+v", i, log[i].AuditEvent, log[i].At, want[i])
		}
	}
}

// The fifth denied look at one concern by one person within a day queues one
// notice to its case handlers, in the transaction that records the look; the
// looks after it queue no other; a day later, five more queue the next.
func TestDeniedLooksNotice(t *testing.T) {
	d := newDeniedLooks(t)
	for i := 1; i <= 4; i++ {
		d.look(t, d.principal, d.about)
	}
	if n := d.notices(t, d.about); len(n) != 0 {
		t.Fatalf("%d notices after 4 denied looks, want none", len(n))
	}
	d.look(t, d.principal, d.about)
	got := d.notices(t, d.about)
	want := jobs.DeniedLookArgs{SchoolID: d.schoolID, ConcernID: d.about, Route: safeguarding.RoutePrincipal,
		SubjectPersonID: d.principal.PersonID, PersonID: d.principal.PersonID, Times: 5, WithinSeconds: 24 * 60 * 60}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("notices after the 5th denied look: %+v, want one: %+v", got, want)
	}
	for range 3 {
		d.look(t, d.principal, d.about)
	}
	if n := d.notices(t, d.about); len(n) != 1 {
		t.Fatalf("%d notices after 8 denied looks, want still 1", len(n))
	}
	var noticed int
	if err := d.owner.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'denied_looks_noticed' AND actor_id = $1 AND object = $2`,
		d.principal.PersonID, "concern:"+strconv.FormatInt(d.about, 10)).Scan(&noticed); err != nil || noticed != 1 {
		t.Fatalf("%d notices in the audit log (err %v), want 1", noticed, err)
	}

	// A day passes: the looks and the notice fall out of the window.
	if _, err := d.owner.Exec(t.Context(), `UPDATE audit_log SET at = at - interval '25 hours'`); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		d.look(t, d.principal, d.about)
	}
	if n := d.notices(t, d.about); len(n) != 1 {
		t.Fatalf("%d notices after 4 looks the next day, want still 1", len(n))
	}
	d.look(t, d.principal, d.about)
	if n := d.notices(t, d.about); len(n) != 2 {
		t.Fatalf("%d notices after 5 looks the next day, want 2", len(n))
	}
}

// No notice for an id that is no concern (no one handles it), for a concern
// the person may see (refused only what they asked to do with it), or for
// a child's file; and another person's looks are counted apart.
func TestDeniedLooksNoNotice(t *testing.T) {
	d := newDeniedLooks(t)
	dsl := d.viewerByEmail(t, "dsl@demo.test")
	aboutChild := logConcern(t, d.testDB.db, d.viewerByEmail(t, "staff@demo.test"), safeguarding.ConcernInput{PupilIDs: []int64{d.firstPupil(t)},
		Categories: []string{"neglect"}})
	for range 6 {
		d.look(t, d.principal, 999999999)
		d.look(t, d.principal, aboutChild) // the principal reads concerns about children
		if err := d.db.RecordDeniedLook(t.Context(), d.principal, safeguarding.DeniedLook{Record: safeguarding.LookedForChildFile,
			ID: d.about, Request: "GET /pupils/{id}"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 4 {
		d.look(t, d.principal, d.about)
		d.look(t, dsl, d.about)
	}
	var n int
	if err := d.owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'denied_look_notice'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d notices (err %v), want none", n, err)
	}
	d.look(t, dsl, d.about)
	if got := d.notices(t, d.about); len(got) != 1 || got[0].PersonID != dsl.PersonID || got[0].Times != 5 {
		t.Fatalf("after the DSL's 5th look: %+v, want one notice about the DSL", got)
	}
}

// Looks at the threshold at the same moment raise one notice, not two.
func TestDeniedLooksNoticeOnceAtOnce(t *testing.T) {
	d := newDeniedLooks(t)
	for range 3 {
		d.look(t, d.principal, d.about)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			errs <- d.db.RecordDeniedLook(context.Background(), d.principal, safeguarding.DeniedLook{Record: safeguarding.LookedForConcern, ID: d.about})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := d.notices(t, d.about); len(n) != 1 {
		t.Fatalf("%d notices after 7 looks, 4 of them at once, want 1", len(n))
	}
}

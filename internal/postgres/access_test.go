package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// The access matrix against the real database: the store's reads and
// writes, and row-level security on its own. The expectations are
// accesstest's, the same table the rule in Go and the HTTP tests check.

// The matrix is accesstest's, written out by hand once and not computed
// from safeguarding.Can: its viewers and subjects are people of the demo
// school.
var (
	accessSubjects = accesstest.Subjects
	accessExpected = accesstest.Expected
	accessLetters  = accesstest.Letters
)

// accessViewerEmails are the matrix's viewers by name.
var accessViewerEmails = accesstest.Emails()

// missingConcernID is an id no concern has.
const missingConcernID = 999999999

// accessWorld is the demo school with the matrix's viewers and subjects.
type accessWorld struct {
	*testDB
	viewers map[string]safeguarding.Viewer
	people  map[string]int64 // subject name → person id (0 for the pupil)
	pupilID int64
	// pupils are the pupils linked to the concerns of the subjects that
	// have one, by subject: each a pupil of their own, so that each child's
	// file is checked for every viewer.
	pupils map[string]int64
}

func newAccessWorld(t *testing.T) *accessWorld {
	t.Helper()
	w := &accessWorld{testDB: demoStore(t), viewers: map[string]safeguarding.Viewer{}, people: map[string]int64{}}
	for name, email := range accessViewerEmails {
		w.viewers[name] = w.viewerByEmail(t, email)
	}
	for _, s := range accessSubjects {
		if s.Email != "" {
			w.people[s.Name] = w.viewerByEmail(t, s.Email).PersonID
		}
	}
	w.pupilID = w.firstPupil(t)
	w.pupils = map[string]int64{}
	rows, err := w.owner.Query(t.Context(), `SELECT id FROM pupils ORDER BY id LIMIT $1`, len(accessSubjects))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) < len(accessSubjects) {
		t.Fatalf("pupils for the matrix: %v (%d found)", err, len(ids))
	}
	for i, s := range accessSubjects {
		if s.Pupil {
			w.pupils[s.Name] = ids[i]
		}
	}
	w.pupils["pupil"] = w.pupilID
	return w
}

// logConcern files a new concern about the named subject as the referrer,
// and checks the route the store gave it.
func (w *accessWorld) logConcern(t *testing.T, subject string) int64 {
	t.Helper()
	in := safeguarding.ConcernInput{Categories: []string{"cse"},
		WhatHappened: "Access matrix: a concern about the " + subject + ".", HappenedOn: time.Now()}
	s := accesstest.SubjectNamed(subject)
	if s.Person == "" {
		in.SubjectKind = safeguarding.SubjectPupils
	} else {
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, w.people[subject]
	}
	if s.Pupil {
		in.PupilIDs = []int64{w.pupils[subject]}
	}
	id := logConcern(t, w.db, w.viewers["referrer"], in)
	for _, s := range accessSubjects {
		if s.Name == subject {
			if got := w.access(t, id).Route; got != s.Route {
				t.Fatalf("a concern about the %s was given route %s, want %s", subject, got, s.Route)
			}
		}
	}
	return id
}

// access reads what the access rule needs about a concern, as the owner.
func (w *accessWorld) access(t *testing.T, id int64) safeguarding.ConcernAccess {
	t.Helper()
	var c safeguarding.ConcernAccess
	err := w.owner.QueryRow(context.Background(), `SELECT school_id, route, coalesce(subject_person_id, 0), logged_by FROM concerns WHERE id = $1`, id).
		Scan(&c.SchoolID, &c.Route, &c.SubjectPersonID, &c.LoggedBy)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// entries reads a concern's chronology as the owner: its kinds, oldest first.
func (w *accessWorld) entries(t *testing.T, id int64) []string {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT kind FROM chronology_entries WHERE concern_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	kinds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

func (w *accessWorld) status(t *testing.T, id int64) string {
	t.Helper()
	var s string
	if err := w.owner.QueryRow(context.Background(), `SELECT status FROM concerns WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// rlsIDs runs a query of one bigint column under v's row-level security.
func rlsIDs(t *testing.T, db *postgres.DB, v safeguarding.Viewer, query string, args ...any) []int64 {
	t.Helper()
	var ids []int64
	err := asViewerTx(t, db, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), query, args...)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return ids
}

// rlsCount runs a count(*) query under v's row-level security.
func rlsCount(t *testing.T, db *postgres.DB, v safeguarding.Viewer, query string, args ...any) int64 {
	t.Helper()
	var n int64
	err := asViewerTx(t, db, v, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), query, args...).Scan(&n) })
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// checkLooksMissing fails unless err is what a missing concern gives:
// a not-found (or forbidden, which the web shows alike) error with the same
// message as missing's.
func checkLooksMissing(t *testing.T, what string, err, missing error) {
	t.Helper()
	code := safeguarding.ErrorCode(err)
	if code != safeguarding.ENOTFOUND && code != safeguarding.EFORBIDDEN {
		t.Errorf("%s: error %v (code %q), want not found", what, err, code)
		return
	}
	if got, want := safeguarding.ErrorMessage(err), safeguarding.ErrorMessage(missing); got != want {
		t.Errorf("%s: message %q, but a concern that does not exist gives %q", what, got, want)
	}
}

func TestAccessMatrixDatabase(t *testing.T) {
	ctx := context.Background()
	for viewer := range accessViewerEmails {
		for _, s := range accessSubjects {
			if _, ok := accessExpected[[2]string{viewer, s.Name}]; !ok {
				t.Fatalf("the matrix has no row for the %s and a concern about the %s", viewer, s.Name)
			}
		}
	}
	if len(accessLetters) != len(safeguarding.AllActions) {
		t.Fatalf("the matrix spells %d actions; safeguarding.AllActions has %d", len(accessLetters), len(safeguarding.AllActions))
	}
	w := newAccessWorld(t)

	// What each viewer could count before the matrix's concerns existed.
	baseline := map[string]int64{}
	for name, v := range w.viewers {
		baseline[name] = rlsCount(t, w.db, v, `SELECT count(*) FROM concerns`)
	}

	concerns := map[string]int64{}
	for _, s := range accessSubjects {
		concerns[s.Name] = w.logConcern(t, s.Name)
	}
	// A case handler records a decision and a referral on each concern
	// with a child, so that the whole record is more than the member of
	// staff may see of it, and the child's file has a referral to show.
	for _, s := range accessSubjects {
		if !s.Pupil {
			continue
		}
		addEntry(t, w.db, w.viewers[s.Closer], concerns[s.Name], safeguarding.EntryInput{Kind: safeguarding.EntryDecision,
			Body: "Refer on", Details: safeguarding.EntryDetails{Reason: "Several CSE indicators"}})
		addEntry(t, w.db, w.viewers[s.Closer], concerns[s.Name], safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
			Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyLADO, Reference: "M-1", ReferredOn: "2026-03-10"}})
	}

	_, missingView := w.db.Concern(ctx, w.viewers["DSL"], missingConcernID)
	if safeguarding.ErrorCode(missingView) != safeguarding.ENOTFOUND {
		t.Fatalf("a concern that does not exist: %v, want not found", missingView)
	}

	t.Run("read", func(t *testing.T) {
		for viewer, v := range w.viewers {
			listed := rlsIDs(t, w.db, v, `SELECT id FROM concerns`)
			counted := rlsCount(t, w.db, v, `SELECT count(*) FROM concerns`)
			wantCount := baseline[viewer]
			for _, s := range accessSubjects {
				allowed := accessExpected[[2]string{viewer, s.Name}]
				id := concerns[s.Name]
				may := func(a safeguarding.Action) bool { return strings.Contains(allowed, accessLetters[a]) }
				name := fmt.Sprintf("%s, concern about the %s", viewer, s.Name)

				// The Go rule over the stored concern.
				access := w.access(t, id)
				for _, a := range safeguarding.AllActions {
					if got := safeguarding.Can(v, access, a); got != may(a) {
						t.Errorf("%s, %s: Can = %v, want %v", name, a, got, may(a))
					}
				}

				// List: row-level security alone, and the count with it.
				if got := slices.Contains(listed, id); got != may(safeguarding.ActionList) {
					t.Errorf("%s, list: among SELECT id FROM concerns = %v, want %v", name, got, may(safeguarding.ActionList))
				}
				if may(safeguarding.ActionList) {
					wantCount++
				}

				// View: the concern, or exactly what a missing one gives.
				c, err := w.db.Concern(ctx, v, id)
				switch {
				case may(safeguarding.ActionView) && err != nil:
					t.Errorf("%s, view: %v", name, err)
				case may(safeguarding.ActionView) && c.ID != id:
					t.Errorf("%s, view: got concern %d", name, c.ID)
				case !may(safeguarding.ActionView):
					checkLooksMissing(t, name+", view", err, missingView)
					if err != nil && err.Error() != missingView.Error() {
						t.Errorf("%s, view: error %q differs from a missing concern's %q", name, err, missingView)
					}
				}

				// The child's file: a concern about a pupil, or about an
				// adult with a child involved, is on that child's file for
				// those who read it in full, and for anyone else the file
				// shows nothing of it, or does not exist at all.
				if !s.Pupil {
					continue
				}
				pupil := w.pupils[s.Name]
				entries := int64(len(w.entries(t, id)))
				links := rlsIDs(t, w.db, v, `SELECT concern_id FROM concern_pupils WHERE pupil_id = $1`, pupil)
				if got := slices.Contains(links, id); got != may(safeguarding.ActionList) {
					t.Errorf("%s: concern_pupils shows the link = %v, want %v", name, got, may(safeguarding.ActionList))
				}
				seen := rlsCount(t, w.db, v, `SELECT count(*) FROM chronology_entries WHERE concern_id = $1`, id)
				if whole := seen == entries; whole != may(safeguarding.ActionViewChildFile) {
					t.Errorf("%s: row-level security shows %d of the %d entries; whole record = %v, want %v",
						name, seen, entries, whole, may(safeguarding.ActionViewChildFile))
				}
				f, err := w.db.ChildFile(ctx, v, pupil, 0)
				if err != nil && safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
					t.Fatalf("%s, child file: %v", name, err)
				}
				// The file opens for those who open every child's file (the
				// DSL, deputies and principal: the matrix's readers of a
				// concern about a pupil) and for those who see a concern on
				// it; to anyone else it does not exist.
				opens := may(safeguarding.ActionViewChildFile) || strings.Contains(accessExpected[[2]string{viewer, "pupil"}], accessLetters[safeguarding.ActionViewChildFile])
				if opened := err == nil; opened != opens {
					t.Errorf("%s, the child's file opens = %v (error %v), want %v", name, opened, err, opens)
				}
				inFile := slices.ContainsFunc(f.Concerns, func(c safeguarding.Concern) bool { return c.ID == id })
				var fileEntries int64
				for _, e := range f.Chronology {
					if e.ConcernID == id {
						fileEntries++
					}
				}
				if inFile != may(safeguarding.ActionViewChildFile) {
					t.Errorf("%s, view child file: the concern is on the child's file = %v (error %v), want %v", name, inFile, err, may(safeguarding.ActionViewChildFile))
				}
				if want := map[bool]int64{true: entries, false: 0}[may(safeguarding.ActionViewChildFile)]; fileEntries != want {
					t.Errorf("%s, view child file: %d of its entries on the child's file, want %d", name, fileEntries, want)
				}
				if !may(safeguarding.ActionViewChildFile) {
					// Not even a trace: no indicator tally, no referral, no
					// concern on the file that this one alone could explain.
					for _, c := range f.Concerns {
						if c.ID == id {
							t.Errorf("%s: the child's file lists it", name)
						}
					}
					for _, r := range f.OpenReferrals {
						if r.ConcernID == id {
							t.Errorf("%s: the child's file lists its referral", name)
						}
					}
				}
				if err == nil && !safeguarding.OpensChildFiles(v.Roles) && !f.DateOfBirth.IsZero() {
					t.Errorf("%s: the child's file shows the date of birth to a viewer who sees it only for a concern about an adult", name)
				}
			}
			if counted != wantCount || int64(len(listed)) != counted {
				t.Errorf("%s: count(*) FROM concerns = %d and %d rows listed, want %d (%d before the matrix's concerns)",
					viewer, counted, len(listed), wantCount, baseline[viewer])
			}
		}
	})

	t.Run("write", func(t *testing.T) {
		for viewer, v := range w.viewers {
			for _, s := range accessSubjects {
				allowed := accessExpected[[2]string{viewer, s.Name}]
				name := fmt.Sprintf("%s, concern about the %s", viewer, s.Name)

				addKind := safeguarding.EntryAction
				if viewer == "referrer" {
					addKind = safeguarding.EntryFurtherInformation
				}
				cases := []struct {
					letter string
					action safeguarding.Action
					in     safeguarding.EntryInput
					closed bool // closed by a handler first
				}{
					{"A", safeguarding.ActionAddEntry, safeguarding.EntryInput{Kind: addKind, Body: "More from " + viewer}, false},
					{"T", safeguarding.ActionTriage, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged}, false},
					{"C", safeguarding.ActionClose, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "No further action"}, false},
					{"R", safeguarding.ActionReopen, safeguarding.EntryInput{Kind: safeguarding.EntryReopened, Body: "New information"}, true},
				}
				for _, tc := range cases {
					id := w.logConcern(t, s.Name)
					if tc.closed {
						if err := w.db.AddEntry(ctx, w.viewers[s.Closer], id,
							safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "Closed for the matrix"}); err != nil {
							t.Fatalf("%s closes the concern about the %s: %v", s.Closer, s.Name, err)
						}
					}
					before, status := w.entries(t, id), w.status(t, id)
					err := w.db.AddEntry(ctx, v, id, tc.in)
					after := w.entries(t, id)
					if strings.Contains(allowed, tc.letter) {
						if err != nil {
							t.Errorf("%s, %s (%s entry): %v", name, tc.action, tc.in.Kind, err)
						} else if len(after) != len(before)+1 || after[len(after)-1] != string(tc.in.Kind) {
							t.Errorf("%s, %s: entries %v after, %v before", name, tc.action, after, before)
						}
						continue
					}
					missing := w.db.AddEntry(ctx, v, missingConcernID, tc.in)
					checkLooksMissing(t, fmt.Sprintf("%s, %s (%s entry)", name, tc.action, tc.in.Kind), err, missing)
					if len(after) != len(before) || w.status(t, id) != status {
						t.Errorf("%s, %s refused, yet the concern changed: entries %v → %v, status %s → %s",
							name, tc.action, before, after, status, w.status(t, id))
					}
				}

				// Move: to another adult, as the case handler may.
				{
					id := w.logConcern(t, s.Name)
					in := safeguarding.MoveInput{SubjectKind: safeguarding.SubjectOtherAdult, SubjectAdultName: "Someone else", Reason: "Misnamed"}
					before, route := w.entries(t, id), w.access(t, id).Route
					_, err := w.db.MoveConcern(ctx, v, id, in)
					if strings.Contains(allowed, accessLetters[safeguarding.ActionMove]) {
						if err != nil {
							t.Errorf("%s, move: %v", name, err)
						} else if got := w.access(t, id).Route; got != safeguarding.RouteAdult {
							t.Errorf("%s, move: route %s after, want adult", name, got)
						}
					} else {
						_, missing := w.db.MoveConcern(ctx, v, missingConcernID, in)
						checkLooksMissing(t, name+", move", err, missing)
						if after := w.entries(t, id); len(after) != len(before) || w.access(t, id).Route != route {
							t.Errorf("%s, move refused, yet the concern changed", name)
						}
					}
				}

				// Further information is the referrer's alone: for anyone
				// else who may not add to the concern it is no back door.
				if viewer != "referrer" && !strings.Contains(allowed, "A") {
					id := w.logConcern(t, s.Name)
					in := safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "I know something"}
					err := w.db.AddEntry(ctx, v, id, in)
					checkLooksMissing(t, name+", further information", err, w.db.AddEntry(ctx, v, missingConcernID, in))
					if got := w.entries(t, id); len(got) != 1 {
						t.Errorf("%s, further information refused, yet entries are %v", name, got)
					}
				}
			}
		}
	})

	t.Run("another school", func(t *testing.T) {
		other, err := w.db.CreateSchool(ctx, "Another School")
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range []safeguarding.Role{safeguarding.RoleDSL, safeguarding.RolePrincipal, safeguarding.RoleChair, safeguarding.RoleStaff} {
			v := w.person(t, postgres.PersonInput{SchoolID: other, Email: string(role) + "@another.test",
				FullName: "Another " + role.Label(), Roles: []safeguarding.Role{role}})
			for _, table := range []string{"concerns", "concern_pupils", "chronology_entries"} {
				if n := rlsCount(t, w.db, v, `SELECT count(*) FROM `+table); n != 0 {
					t.Errorf("the %s of another school counts %d rows of %s", role, n, table)
				}
			}
			// Even naming the demo school does not help.
			if n := rlsCount(t, w.db, v, `SELECT count(*) FROM concerns WHERE school_id = $1`, w.viewers["DSL"].SchoolID); n != 0 {
				t.Errorf("the %s of another school counts %d concerns of the demo school", role, n)
			}
			for subject, id := range concerns {
				_, err := w.db.Concern(ctx, v, id)
				checkLooksMissing(t, fmt.Sprintf("the %s of another school views the concern about the %s", role, subject), err, missingView)
				err = w.db.AddEntry(ctx, v, id, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "x"})
				checkLooksMissing(t, fmt.Sprintf("the %s of another school adds to the concern about the %s", role, subject), err, missingView)
			}
			if _, err := w.db.ChildFile(ctx, v, w.pupilID, 0); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("the %s of another school opens a demo pupil's file: %v, want not found", role, err)
			}
		}
	})
}

// Row-level security alone, without the Go check: nothing the principal's
// queries could count includes a concern about the principal.
func TestAccessRLSHidesConcernAboutPrincipal(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	tables := []string{"concerns", "chronology_entries", "concern_pupils"}
	blind := []string{"principal", "DSL", "deputy"}
	before := map[string]int64{}
	for _, viewer := range blind {
		for _, table := range tables {
			before[viewer+" "+table] = rlsCount(t, w.db, w.viewers[viewer], `SELECT count(*) FROM `+table)
		}
	}

	id := w.logConcern(t, "principal")
	// The chair works the case: entries of every kind the chair may write.
	chair := w.viewers["chair"]
	for _, in := range []safeguarding.EntryInput{
		{Kind: safeguarding.EntryAcknowledged},
		{Kind: safeguarding.EntryDecision, Body: "Refer to the LADO", Details: safeguarding.EntryDetails{Reason: "Allegation meets the harm threshold"}},
		{Kind: safeguarding.EntryFeedback, Body: "Thank you; this is being dealt with"},
	} {
		addEntry(t, w.db, chair, id, in)
	}
	// The store never links pupils to a concern about an adult; link one as
	// the owner all the same, so the policy on concern_pupils is tried too.
	if _, err := w.owner.Exec(ctx, `INSERT INTO concern_pupils (school_id, concern_id, pupil_id) SELECT school_id, id, $2 FROM concerns WHERE id = $1`,
		id, w.pupilID); err != nil {
		t.Fatal(err)
	}

	for _, viewer := range blind {
		v := w.viewers[viewer]
		for _, table := range tables {
			if got := rlsCount(t, w.db, v, `SELECT count(*) FROM `+table); got != before[viewer+" "+table] {
				t.Errorf("the %s counts %d rows of %s, %d before the concern about the principal", viewer, got, table, before[viewer+" "+table])
			}
		}
		if n := rlsCount(t, w.db, v, `SELECT count(*) FROM concerns WHERE id = $1`, id); n != 0 {
			t.Errorf("the %s sees the concern about the principal", viewer)
		}
		if n := rlsCount(t, w.db, v, `SELECT count(*) FROM chronology_entries WHERE concern_id = $1`, id); n != 0 {
			t.Errorf("the %s sees %d entries of the concern about the principal", viewer, n)
		}
		if n := rlsCount(t, w.db, v, `SELECT count(*) FROM concern_pupils WHERE concern_id = $1`, id); n != 0 {
			t.Errorf("the %s sees the concern about the principal on a pupil", viewer)
		}
	}
	// The rows are there: the chair sees them all.
	if n := rlsCount(t, w.db, chair, `SELECT count(*) FROM chronology_entries WHERE concern_id = $1`, id); n != 4 {
		t.Errorf("the chair sees %d entries of the concern about the principal, want 4", n)
	}
	if n := rlsCount(t, w.db, chair, `SELECT count(*) FROM concern_pupils WHERE concern_id = $1`, id); n != 1 {
		t.Errorf("the chair sees %d pupil links of the concern about the principal, want 1", n)
	}
}

// Row-level security alone: the member of staff who logged a concern sees
// what they wrote and the feedback given to them, never the DSL's record.
func TestAccessRLSReferrerSeesOwnEntriesAndFeedback(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	referrer, dsl := w.viewers["referrer"], w.viewers["DSL"]
	id := w.logConcern(t, "pupil")
	for _, in := range []safeguarding.EntryInput{
		{Kind: safeguarding.EntryAcknowledged},
		{Kind: safeguarding.EntryConversationChild, Body: "She said she does not want her mum told."},
		{Kind: safeguarding.EntryDecision, Body: "Refer to children's social care", Details: safeguarding.EntryDetails{Reason: "Several CSE indicators"}},
		{Kind: safeguarding.EntryFeedback, Body: "Thank you; a referral has been made"},
	} {
		addEntry(t, w.db, dsl, id, in)
	}
	addEntry(t, w.db, referrer, id, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "She was picked up again today."})

	var kinds []string
	err := asViewerTx(t, w.db, referrer, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT kind FROM chronology_entries WHERE concern_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		kinds, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"concern_logged", "feedback", "further_information"}
	if !slices.Equal(kinds, want) {
		t.Errorf("row-level security shows the referrer %v, want %v", kinds, want)
	}
	if n := rlsCount(t, w.db, referrer, `SELECT count(*) FROM chronology_entries WHERE author_id <> $1 AND kind <> 'feedback'`, referrer.PersonID); n != 0 {
		t.Errorf("row-level security shows the referrer %d entries by others that are not feedback", n)
	}
	if n := rlsCount(t, w.db, referrer, `SELECT count(*) FROM chronology_entries WHERE kind IN ('decision', 'conversation_with_child', 'acknowledged')`); n != 0 {
		t.Errorf("row-level security shows the referrer %d of the DSL's entries", n)
	}

	// The store shows them the same.
	entries, err := w.db.Chronology(ctx, referrer, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, string(e.Kind))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Chronology shows the referrer %v, want %v", got, want)
	}
	// And the DSL everything.
	if n := rlsCount(t, w.db, dsl, `SELECT count(*) FROM chronology_entries WHERE concern_id = $1`, id); n != 6 {
		t.Errorf("the DSL sees %d entries, want 6", n)
	}
}

// The app role may not rewrite history, whatever the policies would let it
// see: no UPDATE or DELETE on entries or the audit log, and no UPDATE of
// what a concern says.
func TestAccessAppRoleCannotRewriteHistory(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	id := w.logConcern(t, "pupil")
	dsl := w.viewers["DSL"]
	addEntry(t, w.db, dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})

	err := asViewerTx(t, w.db, dsl, func(tx pgx.Tx) error {
		var role string
		if err := tx.QueryRow(ctx, `SELECT current_user`).Scan(&role); err != nil {
			return err
		}
		if role != "haven_app" {
			t.Errorf("the store runs as %s, want haven_app", role)
		}
		// Where the concern stands may change: the grant this test relies on.
		_, err := tx.Exec(ctx, `UPDATE concerns SET status = status WHERE id = $1`, id)
		return err
	})
	if err != nil {
		t.Fatalf("the DSL cannot update a concern's status: %v", err)
	}

	for _, stmt := range []string{
		`UPDATE chronology_entries SET body = 'rewritten' WHERE concern_id = ` + strconv.FormatInt(id, 10),
		`DELETE FROM chronology_entries WHERE concern_id = ` + strconv.FormatInt(id, 10),
		`UPDATE audit_log SET detail = 'rewritten'`,
		`DELETE FROM audit_log`,
		`UPDATE concerns SET what_happened = 'rewritten' WHERE id = ` + strconv.FormatInt(id, 10),
		`UPDATE concerns SET logged_by = logged_by WHERE id = ` + strconv.FormatInt(id, 10),
		`UPDATE concerns SET route = 'adult' WHERE id = ` + strconv.FormatInt(id, 10),
		`DELETE FROM concerns WHERE id = ` + strconv.FormatInt(id, 10),
		`DELETE FROM concern_pupils`,
	} {
		err := asViewerTx(t, w.db, dsl, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, stmt)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s: error %v, want permission denied (42501)", stmt, err)
		}
	}
	if got := w.entries(t, id); len(got) != 2 {
		t.Errorf("entries after the attempts: %v", got)
	}
}

// Row-level security alone: only those who handle a concern may move it on.
// The member of staff who logged it may add further information, which
// touches its last activity, but may not close it, acknowledge it, assign it
// or mark feedback given (safeguarding.Can: triage and close are the
// handlers'); the principal reads concerns about children but does not
// handle them.
func TestAccessRLSOnlyHandlersMoveAConcernOn(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	cases := []struct {
		viewer, subject, set string
		want                 int64 // rows the UPDATE may change
	}{
		{"DSL", "pupil", "status = 'closed'", 1},
		{"principal", "staff", "status = 'closed'", 1},
		{"chair", "principal", "status = 'closed'", 1},
		{"principal", "pupil", "status = 'closed'", 0},
		{"other staff", "pupil", "status = 'closed'", 0},
		{"deputy", "deputy", "status = 'closed'", 0},
		{"DSL", "principal", "status = 'closed'", 0},
		{"referrer", "pupil", "status = 'closed'", 0},
		{"referrer", "staff", "status = 'closed'", 0},
		{"referrer", "pupil", "feedback_given = true", 0},
		{"referrer", "pupil", "acknowledged_at = now()", 0},
		{"referrer", "principal", "assigned_to = logged_by", 0},
	}
	for _, tc := range cases {
		id := w.logConcern(t, tc.subject)
		var changed int64
		err := asViewerTx(t, w.db, w.viewers[tc.viewer], func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `UPDATE concerns SET `+tc.set+` WHERE id = $1`, id)
			changed = tag.RowsAffected()
			return err
		})
		var pgErr *pgconn.PgError
		if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42501" && tc.want == 0) {
			t.Errorf("%s, concern about the %s, SET %s: %v", tc.viewer, tc.subject, tc.set, err)
			continue
		}
		if changed != tc.want {
			t.Errorf("%s, concern about the %s: row-level security lets UPDATE concerns SET %s change %d rows, want %d",
				tc.viewer, tc.subject, tc.set, changed, tc.want)
		}
	}
}

// Row-level security reads the route, subject and logger copied onto each
// pupil link and chronology entry (migrations/rules/access.sql). A writer cannot
// choose them: the trigger copies them from the concern whatever is sent,
// so an entry claiming another route is still hidden as its concern is.
func TestAccessCopiesFollowTheConcern(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	id := w.logConcern(t, "pupil")
	dsl := w.viewers["DSL"]
	addEntry(t, w.db, dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})

	err := asViewerTx(t, w.db, dsl, func(tx pgx.Tx) error {
		var prev []byte
		if err := tx.QueryRow(ctx, `SELECT haven_chain_head($1, $2)`, dsl.SchoolID, id).Scan(&prev); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO chronology_entries (school_id, concern_id, kind, author_id, at, body, details, prev_hash, hash,
				concern_route, concern_subject_id, concern_logged_by)
			VALUES ($1, $2, 'note', $3, now(), 'forged copies', '{}', $4, '\x00', 'principal', $3, $3)`,
			dsl.SchoolID, id, dsl.PersonID, prev)
		if err != nil {
			return err
		}
		var route string
		var subject *int64
		var loggedBy int64
		if err := tx.QueryRow(ctx, `SELECT concern_route, concern_subject_id, concern_logged_by FROM chronology_entries
			WHERE school_id = $1 AND concern_id = $2 AND body = 'forged copies'`, dsl.SchoolID, id).Scan(&route, &subject, &loggedBy); err != nil {
			return err
		}
		want := w.access(t, id)
		if route != string(want.Route) || subject != nil || loggedBy != want.LoggedBy {
			t.Errorf("stored copies = %s, %v, %d; want the concern's %s, nil, %d", route, subject, loggedBy, want.Route, want.LoggedBy)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Every stored link and entry carries its concern's values.
	var mismatched int
	if err := w.owner.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
			 WHERE (cp.concern_route, cp.concern_subject_id, cp.concern_logged_by) IS DISTINCT FROM (c.route, c.subject_person_id, c.logged_by))
			+ (SELECT count(*) FROM chronology_entries e JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
			 WHERE (e.concern_route, e.concern_subject_id, e.concern_logged_by) IS DISTINCT FROM (c.route, c.subject_person_id, c.logged_by))`).Scan(&mismatched); err != nil {
		t.Fatal(err)
	}
	if mismatched != 0 {
		t.Errorf("%d links or entries carry values other than their concern's", mismatched)
	}
}

// The viewer's roles are read once, when the transaction takes its viewer
// (haven_set_viewer, migrations/rules/access.sql), and are theirs only: ids set again
// without it leave the viewer with no roles, and a role granted or taken
// away shows in the next transaction.
func TestAccessRolesAreTheViewers(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	id := w.logConcern(t, "pupil")
	dsl, referrer, staff := w.viewers["DSL"], w.viewers["referrer"], w.viewers["other staff"]
	const seen = `SELECT id FROM concerns WHERE id = $1`

	if got := rlsIDs(t, w.db, dsl, seen, id); len(got) != 1 {
		t.Fatalf("the DSL sees %v of concern %d", got, id)
	}
	var roles, routes []string
	err := asViewerTx(t, w.db, dsl, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT haven_roles(), haven_read_routes()`).Scan(&roles, &routes)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(roles, "dsl") || !slices.Equal(routes, []string{"child", "adult"}) {
		t.Errorf("the DSL's roles = %v, routes read = %v; want dsl among them, and child and adult", roles, routes)
	}

	// A transaction that takes another viewer's id without haven_set_viewer
	// does not keep the DSL's roles for them.
	err = asViewerTx(t, w.db, dsl, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('haven.person_id', $1, true)`, strconv.FormatInt(staff.PersonID, 10)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM concerns WHERE id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT haven_roles(), haven_read_routes()`).Scan(&roles, &routes); err != nil {
			return err
		}
		if n != 0 || len(roles) != 0 || len(routes) != 0 {
			t.Errorf("after a bare set_config: %d rows of the concern, roles %v, routes %v; want none", n, roles, routes)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A role granted shows in the next transaction, and so does one taken.
	if got := rlsIDs(t, w.db, staff, seen, id); len(got) != 0 {
		t.Fatalf("staff who did not log it see concern %d", id)
	}
	grant := `INSERT INTO person_roles (school_id, person_id, role) VALUES ($1, $2, 'deputy_dsl')`
	if _, err := w.owner.Exec(ctx, grant, staff.SchoolID, staff.PersonID); err != nil {
		t.Fatal(err)
	}
	if got := rlsIDs(t, w.db, staff, seen, id); len(got) != 1 {
		t.Errorf("a new deputy does not see concern %d", id)
	}
	if _, err := w.owner.Exec(ctx, `DELETE FROM person_roles WHERE school_id = $1 AND person_id = $2 AND role = 'deputy_dsl'`,
		staff.SchoolID, staff.PersonID); err != nil {
		t.Fatal(err)
	}
	if got := rlsIDs(t, w.db, staff, seen, id); len(got) != 0 {
		t.Errorf("a former deputy still sees concern %d", id)
	}
	if got := rlsIDs(t, w.db, referrer, seen, id); len(got) != 1 {
		t.Errorf("the referrer does not see the concern they logged")
	}
}

package postgres_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// queueSchool is the small school with a clock the test moves, so that
// every concern and entry has the time the test gives it.
type queueSchool struct {
	*smallSchool
	db  *postgres.DB // the school's store on the clock below
	now time.Time
}

func newQueueSchool(t *testing.T) *queueSchool {
	t.Helper()
	s := &queueSchool{smallSchool: newSmallSchool(t)}
	s.at(0)
	s.db = s.smallSchool.db.WithClock(func() time.Time { return s.now })
	return s
}

// at moves the clock to d after the school's first morning.
func (s *queueSchool) at(d time.Duration) {
	s.now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(d)
}

// concernAbout logs a concern about a pupil by staff at the current time.
func (s *queueSchool) concernAbout(t *testing.T, pupil int64, category string, urgent bool) int64 {
	t.Helper()
	return logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{pupil}, Categories: []string{category},
		WhatHappened: "Something the member of staff saw.", HappenedOn: s.now, Urgent: urgent})
}

func TestQueue(t *testing.T) {
	s := newQueueSchool(t)
	ctx := t.Context()

	// Six open concerns and a closed one, made at known times, about Tom
	// (year 8) and Ruby (year 10).
	s.at(0)
	ackedOld := s.concernAbout(t, s.tom, "neglect", false)
	urgentAcked := s.concernAbout(t, s.ruby, "cse", true)
	s.at(1 * time.Hour)
	urgentNew := s.concernAbout(t, s.ruby, "cse", true)
	ackedRecent := s.concernAbout(t, s.tom, "online_safety", false)
	s.at(2 * time.Hour)
	newOlder := s.concernAbout(t, s.ruby, "self_harm", false)
	closed := s.concernAbout(t, s.tom, "neglect", false)
	s.at(3 * time.Hour)
	newNewer := s.concernAbout(t, s.tom, "cse", false)
	s.at(4 * time.Hour)
	addEntry(t, s.db, s.dsl, urgentAcked, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	s.at(5 * time.Hour)
	addEntry(t, s.db, s.dsl, ackedOld, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	s.at(5*time.Hour + 30*time.Minute)
	addEntry(t, s.db, s.dsl, closed, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "No further action."})
	s.at(6 * time.Hour)
	addEntry(t, s.db, s.deputy, ackedRecent, safeguarding.EntryInput{Kind: safeguarding.EntryAssigned, Details: safeguarding.EntryDetails{AssigneeID: s.deputy.PersonID}})

	t.Run("OrderUrgentThenUnacknowledgedOldestFirstThenByActivity", func(t *testing.T) {
		p, err := s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{urgentNew, urgentAcked, newOlder, newNewer, ackedRecent, ackedOld}
		if got := concernIDs(p.Concerns); !slices.Equal(got, want) {
			t.Errorf("queue order %v, want %v", got, want)
		}
		if !p.Next.IsZero() || !p.Prev.IsZero() {
			t.Errorf("one page has next %v, prev %v", p.Next, p.Prev)
		}
	})

	t.Run("Filters", func(t *testing.T) {
		for name, tc := range map[string]struct {
			f    safeguarding.QueueFilter
			want []int64
		}{
			// Assigning a concern is seeing it, but it stays "new" until acknowledged.
			"StatusNew":          {safeguarding.QueueFilter{Status: "new"}, []int64{urgentNew, newOlder, newNewer, ackedRecent}},
			"StatusAcknowledged": {safeguarding.QueueFilter{Status: "acknowledged"}, []int64{urgentAcked, ackedOld}},
			"StatusClosed":       {safeguarding.QueueFilter{Status: "closed"}, []int64{closed}},
			"StatusAll":          {safeguarding.QueueFilter{Status: safeguarding.QueueAll}, []int64{urgentNew, urgentAcked, newOlder, newNewer, ackedRecent, closed, ackedOld}},
			"Category":           {safeguarding.QueueFilter{Category: "cse"}, []int64{urgentNew, urgentAcked, newNewer}},
			"YearGroup":          {safeguarding.QueueFilter{YearGroup: 8}, []int64{newNewer, ackedRecent, ackedOld}},
			"Assignee":           {safeguarding.QueueFilter{AssignedTo: s.deputy.PersonID}, []int64{ackedRecent}},
			"Unassigned":         {safeguarding.QueueFilter{Unassigned: true}, []int64{urgentNew, urgentAcked, newOlder, newNewer, ackedOld}},
			"Together":           {safeguarding.QueueFilter{Category: "cse", YearGroup: 10, Status: "new"}, []int64{urgentNew}},
		} {
			t.Run(name, func(t *testing.T) {
				p, err := s.db.Queue(ctx, s.dsl, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := concernIDs(p.Concerns); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})

	// The filter reads the year group copied onto each link (migration
	// 00008); the copy follows the pupil when they move up a year.
	t.Run("YearGroupFollowsThePupil", func(t *testing.T) {
		move := func(year int) {
			t.Helper()
			if _, err := s.owner.Exec(ctx, `UPDATE pupils SET year_group = $3 WHERE school_id = $1 AND id = $2`, s.schoolID, s.tom, year); err != nil {
				t.Fatal(err)
			}
		}
		filter := func(year int) []int64 {
			t.Helper()
			p, err := s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{YearGroup: year})
			if err != nil {
				t.Fatal(err)
			}
			return concernIDs(p.Concerns)
		}
		move(9)
		defer move(8)
		if got, want := filter(9), []int64{newNewer, ackedRecent, ackedOld}; !slices.Equal(got, want) {
			t.Errorf("year 9 after Tom moved up: %v, want %v", got, want)
		}
		if got := filter(8); len(got) != 0 {
			t.Errorf("year 8 after Tom moved up: %v, want none", got)
		}
	})

	t.Run("WhoHasAQueue", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.governor, s.admin} {
			_, err := s.db.Queue(ctx, v, safeguarding.QueueFilter{})
			if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%s: err %v, want ENOTFOUND", v.Email, err)
			}
		}
		// The principal reads concerns about children; the chair handles
		// only concerns about the principal, of which there are none.
		p, err := s.db.Queue(ctx, s.principal, safeguarding.QueueFilter{})
		if err != nil || len(p.Concerns) != 6 {
			t.Errorf("principal: %d concerns, err %v; want 6", len(p.Concerns), err)
		}
		p, err = s.db.Queue(ctx, s.chair, safeguarding.QueueFilter{})
		if err != nil || len(p.Concerns) != 0 {
			t.Errorf("chair: %d concerns, err %v; want 0", len(p.Concerns), err)
		}
	})

	t.Run("NeverShowsTheSubjectTheirOwnConcern", func(t *testing.T) {
		// A concern about staff2, who later becomes a deputy: its route
		// follows them, from the DSL and deputies to the principal.
		about := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff,
			SubjectPersonID: s.staff2.PersonID, Categories: []string{"other"}, WhatHappened: "An allegation.", HappenedOn: s.now})
		if _, err := s.owner.Exec(ctx, `INSERT INTO person_roles (school_id, person_id, role) VALUES ($1, $2, 'deputy_dsl')`, s.schoolID, s.staff2.PersonID); err != nil {
			t.Fatal(err)
		}
		promoted, err := s.db.Viewer(ctx, s.staff2.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.db.Queue(ctx, promoted, safeguarding.QueueFilter{Status: safeguarding.QueueAll})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(concernIDs(p.Concerns), about) {
			t.Error("the subject sees the concern about them in their queue")
		}
		if len(p.Concerns) != 7 {
			t.Errorf("the new deputy sees %d concerns, want the 7 about children", len(p.Concerns))
		}
		p, err = s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{})
		if err != nil || slices.Contains(concernIDs(p.Concerns), about) {
			t.Errorf("the DSL still sees the allegation about a deputy (err %v)", err)
		}
		p, err = s.db.Queue(ctx, s.principal, safeguarding.QueueFilter{})
		if err != nil || !slices.Contains(concernIDs(p.Concerns), about) {
			t.Errorf("the principal does not see the allegation about a deputy (err %v)", err)
		}
	})

	t.Run("Audited", func(t *testing.T) {
		if _, err := s.db.Queue(ctx, s.deputy, safeguarding.QueueFilter{Category: "neglect"}); err != nil {
			t.Fatal(err)
		}
		log, err := postgres.AuditLog(ctx, s.owner, s.schoolID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) == 0 || log[0].Action != "view_queue" || log[0].ActorID != s.deputy.PersonID || !strings.Contains(log[0].Detail, "category=neglect") {
			t.Errorf("newest audit line %+v, want the deputy's view_queue", log[0])
		}
	})
}

func TestQueuePages(t *testing.T) {
	s := newQueueSchool(t)
	ctx := t.Context()
	// 120 concerns spread over every group of the order: some urgent, some
	// acknowledged, several logged in the same instant.
	for i := range 120 {
		s.at(time.Duration(i/3) * time.Minute)
		id := s.concernAbout(t, s.tom, "neglect", i%7 == 0)
		if i%2 == 0 {
			addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
		}
	}
	whole, err := s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	order := concernIDs(whole.Concerns)
	if len(order) != 120 {
		t.Fatalf("the whole queue has %d concerns, want 120", len(order))
	}

	var pages []safeguarding.QueuePage
	f := safeguarding.QueueFilter{}
	for {
		p, err := s.db.Queue(ctx, s.dsl, f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		if p.Next.IsZero() || len(pages) > 5 {
			break
		}
		f = safeguarding.QueueFilter{After: p.Next}
	}
	var seen []int64
	for i, p := range pages {
		seen = append(seen, concernIDs(p.Concerns)...)
		if wantPrev := i > 0; p.Prev.IsZero() == wantPrev {
			t.Errorf("page %d: has previous %v, want %v", i+1, !p.Prev.IsZero(), wantPrev)
		}
	}
	var sizes []int
	for _, p := range pages {
		sizes = append(sizes, len(p.Concerns))
	}
	if !slices.Equal(sizes, []int{50, 50, 20}) {
		t.Fatalf("pages of %v concerns, want [50 50 20]", sizes)
	}
	if !slices.Equal(seen, order) {
		t.Errorf("paging forward gives\n%v\nwant\n%v", seen, order)
	}

	// Back from the last page, one page at a time.
	p := pages[2]
	for i := 1; i >= 0; i-- {
		var err error
		p, err = s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{Before: p.Prev})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(concernIDs(p.Concerns), concernIDs(pages[i].Concerns)) {
			t.Errorf("paging back to page %d gives %v, want %v", i+1, concernIDs(p.Concerns), concernIDs(pages[i].Concerns))
		}
		if p.Next != pages[i].Next {
			t.Errorf("page %d reached backwards: next %v, want %v", i+1, p.Next, pages[i].Next)
		}
	}
	if !p.Prev.IsZero() {
		t.Error("the first page, reached backwards, offers a previous page")
	}

	t.Run("PositionsRoundTrip", func(t *testing.T) {
		pos := pages[0].Next
		back, ok := safeguarding.ParseQueuePosition(pos.String())
		if !ok || back != pos {
			t.Errorf("%v → %q → %v, %v", pos, pos.String(), back, ok)
		}
		for _, bad := range []string{"", "x", "MS4y", "NS4xLjI", "!!"} {
			if _, ok := safeguarding.ParseQueuePosition(bad); ok {
				t.Errorf("%q parses as a position", bad)
			}
		}
	})
}

// TestQueueAt100000Concerns checks the plans of the queue's query on a
// school with 100,000 concerns, nearly all of them closed: every variant
// must walk a queue index (no sequential scan, no sort of the table).
func TestQueueAt100000Concerns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 100,000 concerns")
	}
	s := newQueueSchool(t)
	ctx := t.Context()
	_, err := s.owner.Exec(ctx, `INSERT INTO concerns (school_id, route, subject_kind, subject_adult_name, logged_by, logged_at, submission_token,
			categories, what_happened, happened_on, urgent, status, assigned_to, acknowledged_at, last_activity_at)
		SELECT $1, CASE WHEN g % 50 = 0 THEN 'adult' ELSE 'child' END, CASE WHEN g % 50 = 0 THEN 'other_adult' ELSE 'pupils' END,
			CASE WHEN g % 50 = 0 THEN 'A visitor' ELSE '' END, $2, now() - (100000 - g) * interval '50 minutes', gen_random_uuid(),
			ARRAY[(ARRAY['cse', 'cce', 'neglect', 'online_safety', 'self_harm', 'other'])[1 + g % 6]], 'What happened.', current_date, g % 20 = 0,
			CASE WHEN g > 99000 THEN (ARRAY['new', 'acknowledged', 'in_progress', 'reopened'])[1 + g % 4] ELSE 'closed' END,
			CASE WHEN g % 3 = 0 THEN $3::bigint END,
			CASE WHEN g > 99000 AND g % 4 = 0 THEN NULL ELSE now() - (100000 - g) * interval '50 minutes' + interval '1 hour' END,
			now() - (100000 - g) * interval '50 minutes' + interval '2 hours'
		FROM generate_series(1, 100000) g`, s.schoolID, s.staff1.PersonID, s.deputy.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.owner.Exec(ctx, `INSERT INTO concern_pupils (school_id, concern_id, pupil_id)
		SELECT school_id, id, CASE WHEN id % 2 = 0 THEN $2::bigint ELSE $3::bigint END FROM concerns WHERE school_id = $1 AND route = 'child'`,
		s.schoolID, s.tom, s.ruby); err != nil {
		t.Fatal(err)
	}
	if _, err := s.owner.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	deep := safeguarding.QueuePosition{Group: 3, Key: -time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro(), ID: 1}
	for name, tc := range map[string]struct {
		v     safeguarding.Viewer
		f     safeguarding.QueueFilter
		index string // the queue index the plan walks; several are named "a|b" when any of them reads no more
	}{
		"Open":               {s.dsl, safeguarding.QueueFilter{}, "concerns_queue_open_idx"},
		"OpenNextPage":       {s.dsl, safeguarding.QueueFilter{After: safeguarding.QueuePosition{Group: 2, Key: 0, ID: 1}}, "concerns_queue_open_idx"},
		"InProgress":         {s.deputy, safeguarding.QueueFilter{Status: "in_progress"}, "concerns_queue_open_idx"},
		"OpenPrincipal":      {s.principal, safeguarding.QueueFilter{}, "concerns_queue_open_idx"},
		"OpenChair":          {s.chair, safeguarding.QueueFilter{}, "concerns_queue_open_idx"},
		"OpenFiltered":       {s.dsl, safeguarding.QueueFilter{Category: "cse", YearGroup: 8, Unassigned: true}, "concerns_queue_assignee_idx|concerns_queue_open_idx"}, // the unassigned open concerns, or all open ones: ANALYZE's sample picks
		"OpenYearGroup":      {s.dsl, safeguarding.QueueFilter{YearGroup: 8}, "concerns_queue_open_idx"},
		"OpenAssignedTo":     {s.dsl, safeguarding.QueueFilter{AssignedTo: s.deputy.PersonID}, "concerns_queue_assignee_idx"},
		"AllDeepPage":        {s.dsl, safeguarding.QueueFilter{Status: safeguarding.QueueAll, After: deep}, "concerns_queue_idx"},
		"ClosedPreviousPage": {s.dsl, safeguarding.QueueFilter{Status: "closed", Before: deep}, "concerns_queue_idx"},
		"AllMatchingNothing": {s.dsl, safeguarding.QueueFilter{Status: safeguarding.QueueAll, Category: "neglect", AssignedTo: s.deputy.PersonID}, "concerns_queue_idx"}, // walks the whole index
	} {
		t.Run(name, func(t *testing.T) {
			plan, took := explainQueue(t, s, tc.v, tc.f)
			if !slices.ContainsFunc(strings.Split(tc.index, "|"), func(index string) bool { return strings.Contains(plan, "using "+index+" on concerns") }) {
				t.Errorf("the plan does not walk %s:\n%s", tc.index, plan)
			}
			if strings.Contains(plan, "Seq Scan on concerns") || strings.Contains(plan, "Bitmap Heap Scan on concerns") {
				t.Errorf("the plan reads the concerns table whole:\n%s", plan)
			}
			if tc.f.YearGroup != 0 && !strings.Contains(plan, "hashed SubPlan") {
				t.Errorf("the year group's concerns are joined to the walk, which then reads every row, rather than filter it:\n%s", plan)
			}
			if !strings.Contains(plan, "(ROW(queue_group, queue_key, id)") && (!tc.f.After.IsZero() || !tc.f.Before.IsZero()) {
				t.Errorf("the page does not start from its position in the index:\n%s", plan)
			}
			t.Logf("%s: %v", name, took)
		})
	}

	// And the store's own answer is a full page.
	p, err := s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{Status: safeguarding.QueueAll, After: deep})
	if err != nil || len(p.Concerns) != safeguarding.QueuePageSize {
		t.Errorf("deep page: %d concerns, err %v", len(p.Concerns), err)
	}
}

// explainQueue runs the queue's query under EXPLAIN ANALYZE as v, through
// row-level security, and returns the plan and its execution time.
func explainQueue(t *testing.T, s *queueSchool, v safeguarding.Viewer, f safeguarding.QueueFilter) (string, time.Duration) {
	t.Helper()
	ctx := t.Context()
	q, args := postgres.QueueQuery(v, f)
	var lines []string
	err := asViewerTx(t, s.db, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, COSTS OFF) "+q, args...)
		if err != nil {
			return err
		}
		lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var took time.Duration
	for _, l := range lines {
		if ms, ok := strings.CutPrefix(strings.TrimSpace(l), "Execution Time: "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSuffix(ms, " ms"), 64)
			took = time.Duration(f * float64(time.Millisecond))
		}
	}
	return strings.Join(lines, "\n"), took
}

// TestChronologyEntriesAreAppendOnly: the role the app runs as cannot change
// or remove a chronology entry, whatever the code asks.
func TestChronologyEntriesAreAppendOnly(t *testing.T) {
	s := newQueueSchool(t)
	ctx := t.Context()
	id := s.concernAbout(t, s.tom, "neglect", false)
	addEntry(t, s.db, s.dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: "Monitor.", Details: safeguarding.EntryDetails{Reason: "First concern."}})
	for name, sql := range map[string]string{
		"Update": `UPDATE chronology_entries SET body = 'x'`,
		"Delete": `DELETE FROM chronology_entries`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.db.Pool().Exec(ctx, sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Fatalf("%s: err %v, want permission denied (42501)", sql, err)
			}
		})
	}
	var n int
	var body string
	if err := s.owner.QueryRow(ctx, `SELECT count(*), max(body) FILTER (WHERE kind = 'decision') FROM chronology_entries WHERE concern_id = $1`, id).Scan(&n, &body); err != nil {
		t.Fatal(err)
	}
	if n != 2 || body != "Monitor." {
		t.Errorf("after the attempts: %d entries, decision %q; want 2 and %q", n, body, "Monitor.")
	}
}

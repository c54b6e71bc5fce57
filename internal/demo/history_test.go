package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestLoadHistory loads the demo school and its past into a real database
// and reads the result back as the table owner, past row-level security.
func TestLoadHistory(t *testing.T) {
	ctx := context.Background()
	conn := pgtest.NewDB(t)
	// As `haven demo` loads it: on connections that do not wait for the disk.
	db := postgres.New(pgtest.NewPool(t, conn, postgres.WithoutCommitWait()), nil)
	school, err := demo.Load(ctx, db, "test-demo-password")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, time.March, 18, 14, 30, 0, 0, time.UTC) // a Wednesday in the spring term of 2025-26
	start := time.Now()
	if err := demo.PlanHistory(now).Load(ctx, db, school); err != nil {
		t.Fatal(err)
	}
	t.Logf("history loaded in %s", time.Since(start).Round(time.Millisecond))

	owner, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	count := func(t *testing.T, sql string, args ...any) int {
		t.Helper()
		var n int
		if err := owner.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	strs := func(t *testing.T, sql string) []string {
		t.Helper()
		rows, err := owner.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// viewer is the demo person with this e-mail, as the app loads them.
	viewer := func(t *testing.T, email string) safeguarding.Viewer {
		t.Helper()
		id := int64(count(t, `SELECT id FROM people WHERE email = $1`, email))
		v, err := db.Viewer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	t.Run("SeveralHundredConcerns", func(t *testing.T) {
		if n := count(t, `SELECT count(*) FROM concerns`); n < 600 || n > 750 {
			t.Errorf("%d concerns, want 600 to 750", n)
		}
		if n, want := count(t, `SELECT count(*) FROM concerns`), demo.PlanHistory(now).Concerns(); n != want {
			t.Errorf("%d concerns loaded, the plan has %d", n, want)
		}
		if n := count(t, `SELECT count(*) FROM chronology_entries`); n < 2500 {
			t.Errorf("%d chronology entries, want at least 2500", n)
		} else {
			t.Logf("%d chronology entries", n)
		}
	})

	t.Run("OneEscalatedConcern", func(t *testing.T) {
		// About a child, to the principal, who has its notice; and
		// acknowledged only after it was escalated.
		if n := count(t, `SELECT count(*) FROM concern_escalations e JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
			WHERE e.escalated_to = 'principal' AND e.with_access AND c.route = 'child' AND c.acknowledged_at > e.escalated_at`); n != 1 {
			t.Errorf("%d escalated concerns about a child acknowledged late, want 1", n)
		}
		if n := count(t, `SELECT count(*) FROM notices n JOIN people p ON p.id = n.person_id
			WHERE n.kind = 'escalation' AND p.email = 'principal@demo.test' AND n.concern_id IS NOT NULL`); n != 1 {
			t.Errorf("the principal has %d escalation notices, want 1", n)
		}
	})
	t.Run("APatternFlagOpenForReview", func(t *testing.T) {
		pupil := demo.PatternPupil(school)
		if n := count(t, `SELECT count(*) FROM pattern_flags WHERE pupil_id = $1 AND rule = 'cse_across_staff' AND reviewed_at IS NULL`, pupil.ID); n != 1 {
			t.Errorf("%d open CSE pattern flags for the pattern story's child, want 1", n)
		}
		if n := count(t, `SELECT count(*) FROM notices WHERE kind = 'pattern' AND pupil_id = $1`, pupil.ID); n != 2 {
			t.Errorf("%d notices of the flag, want 2 (the DSL and the deputy)", n)
		}
	})

	t.Run("EveryCategory", func(t *testing.T) {
		if missing := strs(t, `SELECT code FROM categories EXCEPT SELECT DISTINCT unnest(categories) FROM concerns`); len(missing) > 0 {
			t.Errorf("no concern in categories %v", missing)
		}
	})

	t.Run("OnlyKnownIndicators", func(t *testing.T) {
		if unknown := strs(t, `SELECT DISTINCT unnest(indicators) FROM concerns EXCEPT SELECT code FROM cse_indicators`); len(unknown) > 0 {
			t.Errorf("indicators %v are not in cse_indicators", unknown)
		}
		if n := count(t, `SELECT count(*) FROM concerns WHERE 'cse' = ANY(categories) AND cardinality(indicators) >= 2`); n < 20 {
			t.Errorf("%d CSE concerns with two or more indicators, want at least 20", n)
		}
	})

	t.Run("ThreeAcademicYears", func(t *testing.T) {
		// The current year so far, last year and the year before it, for
		// the oversight report to compare.
		yearBefore := count(t, `SELECT count(*) FROM concerns WHERE logged_at >= '2023-09-01' AND logged_at < '2024-09-01'`)
		lastYear := count(t, `SELECT count(*) FROM concerns WHERE logged_at >= '2024-09-01' AND logged_at < '2025-09-01'`)
		thisYear := count(t, `SELECT count(*) FROM concerns WHERE logged_at >= '2025-09-01' AND logged_at < $1`, now)
		if yearBefore < 150 || lastYear < 200 || thisYear < 150 {
			t.Errorf("%d concerns in 2023-24, %d in 2024-25 and %d in 2025-26, want at least 150, 200 and 150", yearBefore, lastYear, thisYear)
		}
		// Besides the former pupil's two, from her last years in the sixth
		// form, whose file is past its retention date.
		const former = `SELECT cp.concern_id FROM concern_pupils cp JOIN pupils p ON p.school_id = cp.school_id AND p.id = cp.pupil_id
			WHERE p.first_name || ' ' || p.last_name = '` + demo.FormerPupilName + `'`
		if n := count(t, `SELECT count(*) FROM concerns WHERE (logged_at < '2023-09-01' OR logged_at >= $1) AND id NOT IN (`+former+`)`, now); n > 0 {
			t.Errorf("%d concerns logged outside the three years or in the future", n)
		}
		if n := count(t, `SELECT count(*) FROM concerns WHERE logged_at >= '2016-09-01' AND logged_at < '2018-07-20' AND id IN (`+former+`)`); n != 2 {
			t.Errorf("%d concerns about the former pupil in 2016-18, when she was in the sixth form; want 2", n)
		}
		if n := count(t, `SELECT count(*) FROM chronology_entries WHERE at >= $1`, now); n > 0 {
			t.Errorf("%d entries in the future", n)
		}
		if n := count(t, `SELECT count(*) FROM concerns c JOIN concern_pupils cp ON cp.school_id = c.school_id AND cp.concern_id = c.id
			JOIN pupils p ON p.school_id = cp.school_id AND p.id = cp.pupil_id
			WHERE c.logged_at < '2024-09-01' AND p.year_group < 9`); n > 0 {
			t.Errorf("%d concerns in 2023-24 about pupils who were at primary school then", n)
		}
		august := count(t, `SELECT count(*) FROM concerns WHERE extract(month FROM logged_at AT TIME ZONE 'Europe/London') = 8`)
		october := count(t, `SELECT count(*) FROM concerns WHERE extract(month FROM logged_at AT TIME ZONE 'Europe/London') = 10`)
		if august*5 > october {
			t.Errorf("%d concerns in August and %d in October: the holidays should be quiet", august, october)
		}
	})

	t.Run("EachFullYearHasTheReportsFigures", func(t *testing.T) {
		// Last year and the year before each hold what the oversight
		// report counts, most of it more than 4 so that it is shown rather
		// than suppressed: every category at least once, several of the
		// common ones and the CSE indicators more than 4 times, referrals
		// to several agencies with outcomes, urgent concerns and
		// allegations about adults, and acknowledgements that took from
		// minutes to days.
		for _, y := range []struct{ from, to string }{{"2023-09-01", "2024-09-01"}, {"2024-09-01", "2025-09-01"}} {
			in := fmt.Sprintf(`c.logged_at >= '%s' AND c.logged_at < '%s'`, y.from, y.to)
			if n := count(t, `SELECT count(DISTINCT cat) FROM concerns c, unnest(c.categories) cat WHERE `+in); n < 12 {
				t.Errorf("%s: %d categories, want at least 12", y.from, n)
			}
			if n := count(t, `SELECT count(*) FROM (SELECT cat FROM concerns c, unnest(c.categories) cat WHERE `+in+` GROUP BY cat HAVING count(*) > 4) x`); n < 8 {
				t.Errorf("%s: %d categories with more than 4 concerns, want at least 8", y.from, n)
			}
			if n := count(t, `SELECT count(*) FROM (SELECT i FROM concerns c, unnest(c.indicators) i WHERE `+in+` GROUP BY i HAVING count(*) > 4) x`); n < 3 {
				t.Errorf("%s: %d CSE indicators recorded more than 4 times, want at least 3", y.from, n)
			}
			if n := count(t, `SELECT count(DISTINCT e.details->>'agency') FROM chronology_entries e JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
				WHERE e.kind = 'referral' AND `+in); n < 4 {
				t.Errorf("%s: referrals to %d agencies, want at least 4", y.from, n)
			}
			if n := count(t, `SELECT count(*) FROM concerns c WHERE urgent AND `+in); n < 5 {
				t.Errorf("%s: %d urgent concerns, want at least 5", y.from, n)
			}
			if n := count(t, `SELECT count(*) FROM concerns c WHERE subject_kind <> 'pupils' AND `+in); n < 5 {
				t.Errorf("%s: %d concerns about adults, want at least 5", y.from, n)
			}
			var fastest, slowest float64
			if err := owner.QueryRow(ctx, `SELECT min(extract(epoch FROM e.at - c.logged_at)), max(extract(epoch FROM e.at - c.logged_at))
				FROM chronology_entries e JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
				WHERE e.kind = 'acknowledged' AND `+in).Scan(&fastest, &slowest); err != nil {
				t.Fatal(err)
			}
			if fastest > 20*60 || slowest < 36*3600 {
				t.Errorf("%s: acknowledgements took from %.0fs to %.0fs, want some within 20 minutes and some over a day and a half", y.from, fastest, slowest)
			}
		}
	})

	t.Run("InTheOrderTheyHappened", func(t *testing.T) {
		// Ids follow time, as in a real school, so "newest first" by id is
		// newest first by date; and each chronology runs forwards.
		if n := count(t, `SELECT count(*) FROM (SELECT logged_at < lag(logged_at) OVER (ORDER BY id) AS earlier FROM concerns) x WHERE earlier`); n > 0 {
			t.Errorf("%d concerns were logged before the concern with the id below theirs", n)
		}
		if n := count(t, `SELECT count(*) FROM (SELECT at < lag(at) OVER (PARTITION BY concern_id ORDER BY id) AS earlier FROM chronology_entries) x WHERE earlier`); n > 0 {
			t.Errorf("%d entries are dated before the entry before them", n)
		}
		if n := count(t, `SELECT count(*) FROM chronology_entries e JOIN concerns c ON c.id = e.concern_id WHERE e.at < c.logged_at`); n > 0 {
			t.Errorf("%d entries are dated before their concern was logged", n)
		}
	})

	t.Run("OpenAndClosed", func(t *testing.T) {
		for _, s := range safeguarding.AllStatuses {
			if n := count(t, `SELECT count(*) FROM concerns WHERE status = $1`, s); n == 0 {
				t.Errorf("no concern is %s", s)
			}
		}
		open := count(t, `SELECT count(*) FROM concerns WHERE logged_at < '2025-09-01' AND status <> 'closed'`)
		if open > 10 {
			t.Errorf("%d of last year's concerns are still open", open)
		}
		if n := count(t, `SELECT count(*) FROM concerns WHERE urgent`); n < 3 {
			t.Errorf("%d urgent concerns, want a few", n)
		}
		if n := count(t, `SELECT count(*) FROM concerns c WHERE status = 'closed'
			AND EXISTS (SELECT 1 FROM chronology_entries e WHERE e.concern_id = c.id AND e.kind = 'referral')
			AND NOT EXISTS (SELECT 1 FROM chronology_entries e WHERE e.concern_id = c.id AND e.kind = 'outcome')`); n > 0 {
			t.Errorf("%d closed concerns were referred on but record no outcome of the referral", n)
		}
	})

	t.Run("EveryRoute", func(t *testing.T) {
		for _, r := range []safeguarding.Route{safeguarding.RouteChild, safeguarding.RouteAdult, safeguarding.RouteSafeguardingLead, safeguarding.RoutePrincipal} {
			if n := count(t, `SELECT count(*) FROM concerns WHERE route = $1`, r); n == 0 {
				t.Errorf("no concern on route %s", r)
			}
		}
	})

	t.Run("EveryAgency", func(t *testing.T) {
		got := strs(t, `SELECT DISTINCT details->>'agency' FROM chronology_entries WHERE kind = 'referral'`)
		for _, a := range safeguarding.Agencies {
			if !contains(got, string(a)) {
				t.Errorf("no referral to %s", a)
			}
		}
	})

	t.Run("FeedbackMostlyOnTime", func(t *testing.T) {
		// On time: by the end of the next weekday after the concern was logged.
		const late = `SELECT count(*) FROM concerns c JOIN LATERAL (SELECT min(at) AS at FROM chronology_entries e
				WHERE e.concern_id = c.id AND e.kind = 'feedback') f ON f.at IS NOT NULL
			WHERE f.at > (date_trunc('day', c.logged_at AT TIME ZONE 'Europe/London')
				+ CASE extract(isodow FROM c.logged_at AT TIME ZONE 'Europe/London') WHEN 5 THEN 4 WHEN 6 THEN 3 ELSE 2 END * interval '1 day') AT TIME ZONE 'Europe/London'`
		given := count(t, `SELECT count(DISTINCT concern_id) FROM chronology_entries WHERE kind = 'feedback'`)
		lateN := count(t, late)
		if lateN == 0 || lateN*4 > given {
			t.Errorf("%d of %d referrers had feedback late; want some, but fewer than a quarter", lateN, given)
		}
	})

	t.Run("PatternsAcrossConcerns", func(t *testing.T) {
		// A child with three or more distinct CSE indicators from two or
		// more members of staff within 30 days of now.
		n := count(t, `SELECT count(*) FROM (SELECT cp.pupil_id FROM concerns c
				JOIN concern_pupils cp ON cp.concern_id = c.id, unnest(c.indicators) AS i
				WHERE c.logged_at > $1::timestamptz - interval '30 days'
				GROUP BY cp.pupil_id HAVING count(DISTINCT i) >= 3 AND count(DISTINCT c.logged_by) >= 2) x`, now)
		if n == 0 {
			t.Error("no child has CSE indicators from two or more staff in the last 30 days")
		}
		long := count(t, `SELECT coalesce(max(n), 0) FROM (SELECT cp.pupil_id, count(*) AS n FROM concern_pupils cp
				JOIN chronology_entries e ON e.concern_id = cp.concern_id GROUP BY cp.pupil_id) x`)
		if long < 40 {
			t.Errorf("the longest child's chronology has %d entries, want dozens", long)
		}
	})

	t.Run("PrincipalCannotSeeConcernAboutThemselves", func(t *testing.T) {
		principal, chair, dsl := viewer(t, "principal@demo.test"), viewer(t, "chair@demo.test"), viewer(t, "dsl@demo.test")
		rows, err := owner.Query(ctx, `SELECT id FROM concerns WHERE route = 'principal' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(ids) == 0 {
			t.Fatalf("concerns about the principal: %v, %v", ids, err)
		}
		for _, id := range ids {
			for _, v := range []safeguarding.Viewer{principal, dsl} {
				if _, err := db.Concern(ctx, v, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
					t.Errorf("concern %d as %s: err = %v, want not found", id, v.Email, err)
				}
			}
			if _, err := db.Concern(ctx, chair, id); err != nil {
				t.Errorf("concern %d as the chair: %v", id, err)
			}
		}
	})

	t.Run("ChronologiesVerify", func(t *testing.T) {
		rows, err := owner.Query(ctx, `SELECT school_id, id, concern_id, kind, author_id, at, body, details,
				coalesce(corrects_id, 0), pupil_ids, coalesce(happened_at, at), prev_hash, hash FROM chronology_entries ORDER BY concern_id, id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		heads := map[int64][]byte{}
		checked := 0
		for rows.Next() {
			var e safeguarding.Entry
			var details []byte
			if err := rows.Scan(&e.SchoolID, &e.ID, &e.ConcernID, &e.Kind, &e.AuthorID, &e.At, &e.Body, &details,
				&e.CorrectsID, &e.PupilIDs, &e.HappenedAt, &e.PrevHash, &e.Hash); err != nil {
				t.Fatal(err)
			}
			if e.HappenedAt.Equal(e.At) { // not given: hashed only when set
				e.HappenedAt = time.Time{}
			}
			if err := json.Unmarshal(details, &e.Details); err != nil {
				t.Fatal(err)
			}
			prev := heads[e.ConcernID]
			if prev == nil {
				prev = []byte{}
			}
			if !bytes.Equal(e.PrevHash, prev) {
				t.Errorf("entry %d of concern %d does not link to the entry before it", e.ID, e.ConcernID)
			}
			if !bytes.Equal(e.Hash, safeguarding.ChainHash(e.PrevHash, e)) {
				t.Errorf("entry %d of concern %d: stored hash does not match its content", e.ID, e.ConcernID)
			}
			heads[e.ConcernID] = e.Hash
			checked++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n := count(t, `SELECT count(*) FROM concerns`); len(heads) != n {
			t.Errorf("%d concerns have a chronology, want all %d", len(heads), n)
		}
		t.Logf("%d entries verified", checked)
	})

	t.Run("SnapshotsInTheRecordsFormat", func(t *testing.T) {
		// Each concern's first entry holds it in the current snapshot
		// version, and says what the concern's row says.
		rows, err := owner.Query(ctx, `SELECT e.body, c.submission_token::text, c.what_happened, c.childs_words, c.happened_on::text, c.urgent
			FROM chronology_entries e JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
			WHERE e.kind = 'concern_logged'`)
		if err != nil {
			t.Fatal(err)
		}
		type logged struct {
			Body, Token, What, Words, On string
			Urgent                       bool
		}
		all, err := pgx.CollectRows(rows, pgx.RowToStructByPos[logged])
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range all {
			var head struct{ Version int }
			s, err := safeguarding.DecodeConcernSnapshot([]byte(l.Body))
			if err == nil {
				err = json.Unmarshal([]byte(l.Body), &head)
			}
			switch {
			case err != nil:
				t.Errorf("concern %s: %v", l.Token, err)
			case head.Version != safeguarding.ConcernSnapshotVersion:
				t.Errorf("concern %s: snapshot version %d, want %d", l.Token, head.Version, safeguarding.ConcernSnapshotVersion)
			case s.SubmissionToken != l.Token || s.WhatHappened != l.What || s.ChildsWords != l.Words || s.HappenedOn != l.On || s.Urgent != l.Urgent:
				t.Errorf("concern %s: snapshot %+v does not match its row %+v", l.Token, s, l)
			}
		}
		if len(all) == 0 || len(all) != count(t, `SELECT count(*) FROM concerns`) {
			t.Errorf("%d snapshots, want one per concern", len(all))
		}
	})
	t.Run("EachPupilsOwnPart", func(t *testing.T) {
		// Concerns about two children record each child's own part and
		// words: the child harmed, and the child who harmed with theirs.
		if n := count(t, `SELECT count(*) FROM (SELECT concern_id FROM concern_pupils GROUP BY concern_id
				HAVING count(DISTINCT part) > 1 AND count(*) FILTER (WHERE part = 'harmed_others' AND childs_words <> '') = 1
				   AND count(*) FILTER (WHERE part = 'harmed' AND childs_words <> '') = 1) x`); n < 3 {
			t.Errorf("%d concerns about two children with each child's own part and words, want several", n)
		}
		if n := count(t, `SELECT count(*) FROM concern_pupils WHERE part = 'not_recorded'`); n != 0 {
			t.Errorf("%d pupils of demo concerns have no part", n)
		}
		// A conversation with a child of a concern about two is about that child.
		if n := count(t, `SELECT count(*) FROM chronology_entries e WHERE e.kind = 'conversation_with_child' AND cardinality(e.pupil_ids) <> 1`); n != 0 {
			t.Errorf("%d conversations with a child name no child, or several", n)
		}
	})

	// Last, as it destroys a file.
	t.Run("LaterLife", func(t *testing.T) {
		dsl, principal := viewer(t, "dsl@demo.test"), viewer(t, "principal@demo.test")
		laterLife(t, ctx, db, owner, dsl, principal, now)
		// The leaving, the listing and the destruction leave every hash
		// chain whole, as `haven verify` checks it.
		if n, breaks, err := postgres.VerifyChronology(ctx, conn); err != nil || len(breaks) > 0 || n == 0 {
			t.Errorf("haven verify: %d chronology entries checked, breaks %v, %v", n, breaks, err)
		}
		if n, breaks, err := postgres.VerifyAuditLog(ctx, conn); err != nil || len(breaks) > 0 || n == 0 {
			t.Errorf("haven verify: %d audit lines checked, breaks %v, %v", n, breaks, err)
		}
	})
}

// laterLife checks, in a freshly loaded demo as of now (Wednesday 18 March
// 2026), the leavers whose files the DSL must transfer and the former
// pupil's file past its retention date, then destroys that file as the
// DSL and the principal would.
func laterLife(t *testing.T, ctx context.Context, db *postgres.DB, owner *pgx.Conn, dsl, principal safeguarding.Viewer, now time.Time) {
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Marked left as "Mark as left" does: off the roll, on the day, audited.
	for _, l := range []struct{ name, leftOn string }{
		{demo.MovedAwayName, "2026-03-09"}, {demo.MovedToRefugeName, "2026-03-16"}, {demo.FormerPupilName, "2018-07-19"}} {
		var active bool
		var leftOn time.Time
		var audited int
		if err := owner.QueryRow(ctx, `SELECT p.active, p.left_on,
				(SELECT count(*) FROM audit_log a WHERE a.action = 'pupil_marked_left' AND a.object = 'pupil:' || p.id AND a.detail = p.left_on::text)
			FROM pupils p WHERE p.first_name || ' ' || p.last_name = $1`, l.name).Scan(&active, &leftOn, &audited); err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if active || !leftOn.Equal(date(l.leftOn)) || audited != 1 {
			t.Errorf("%s: active %v, left on %s, %d audit lines; want left on %s, audited once", l.name, active, leftOn.Format(time.DateOnly), audited, l.leftOn)
		}
	}

	// The DSL's home page section lists what TransfersToDo returns: the two
	// recent leavers, soonest due first, the one who left first overdue.
	todo, err := db.TransfersToDo(ctx, dsl)
	if err != nil {
		t.Fatal(err)
	}
	type due struct {
		name, due string
		overdue   bool
	}
	var got []due
	for _, d := range todo {
		got = append(got, due{d.Pupil.Name(), d.Due.Format(time.DateOnly), safeguarding.Overdue(d.Due, now)})
	}
	want := []due{{demo.MovedAwayName, "2026-03-16", true}, {demo.MovedToRefugeName, "2026-03-23", false}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("transfers to do %v, want %v", got, want)
	}

	// The retention review lists the former pupil's file, listed by the
	// load as the nightly job lists it, and only hers.
	if n, err := db.RetentionDueCount(ctx, dsl); err != nil || n != 1 {
		t.Errorf("%d files due for review (%v), want 1", n, err)
	}
	ret, err := db.Retention(ctx, principal)
	if err != nil {
		t.Fatal(err)
	}
	if len(ret.Due) != 1 || ret.Due[0].Pupil.Name() != demo.FormerPupilName || !ret.Due[0].RetainUntil.Equal(date("2024-11-14")) ||
		!ret.Due[0].ListedOn.Equal(date("2026-03-18")) {
		t.Fatalf("files due for review %+v, want %s's, kept until 2024-11-14, listed on 2026-03-18", ret.Due, demo.FormerPupilName)
	}
	pupil := ret.Due[0].Pupil.ID

	// Destroyed by two people: the DSL proposes, the principal confirms.
	if id, err := db.AgreeToDestroy(ctx, dsl, pupil, "Past its retention date; no open matter or request to keep it."); err != nil || id != 0 {
		t.Fatalf("the DSL's proposal: destroyed %d, %v; want nothing destroyed yet", id, err)
	}
	if n := ownerCount(t, ctx, owner, `SELECT count(*) FROM concern_pupils WHERE pupil_id = $1`, pupil); n != 2 {
		t.Errorf("after the proposal alone the file has %d concerns, want both", n)
	}
	id, err := db.AgreeToDestroy(ctx, principal, pupil, "Agreed: reviewed the file, nothing requires keeping it.")
	if err != nil || id == 0 {
		t.Fatalf("the principal's confirmation: destroyed %d, %v", id, err)
	}
	if n := ownerCount(t, ctx, owner, `SELECT count(*) FROM concern_pupils WHERE pupil_id = $1`, pupil); n != 0 {
		t.Errorf("after destruction the pupil is on %d concerns, want none", n)
	}
	ret, err = db.Retention(ctx, dsl)
	if err != nil {
		t.Fatal(err)
	}
	if len(ret.Due) != 0 || len(ret.Destroyed) != 1 || ret.Destroyed[0].ID != id ||
		ret.Destroyed[0].ProposedBy != "Dana Lead" || ret.Destroyed[0].ConfirmedBy != "Pat Principal" {
		t.Errorf("after destruction: due %+v, destroyed %+v; want none due and file %d, proposed by Dana Lead, confirmed by Pat Principal",
			ret.Due, ret.Destroyed, id)
	}
}

func ownerCount(t *testing.T, ctx context.Context, owner *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := owner.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

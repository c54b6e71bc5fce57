package postgres_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/report"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The annual report's figures are worked out by the database; these tests
// write a known history for a school as the owner, count every figure
// again in Go from what they wrote, and compare.

// reportConcern is one concern of the written history, as the test keeps it.
type reportConcern struct {
	id           int64
	route        string
	urgent       bool
	loggedAt     time.Time
	ackAt        *time.Time
	categories   []string
	indicators   []string
	pupils       []int64
	statusEvents []reportEvent // closings and reopenings, oldest first
}

type reportEvent struct {
	at     time.Time
	closed bool
}

type reportReferral struct {
	id          int64
	at          time.Time
	agency      string
	referredOn  time.Time
	respondedOn *time.Time // the earliest response's date, if any
}

type reportPupil struct {
	id                          int64
	yearGroup                   int
	send, looked, previouslyLAC bool
}

type reportTraining struct {
	person    int64
	kind      string
	completed time.Time
}

type reportStaff struct {
	id      int64
	lead    bool
	started *time.Time
}

type reportPolicy struct {
	created time.Time
	retired *time.Time
	reviews [][2]time.Time // approved, next review
}

// reportHistory is the history written, from which the test counts.
type reportHistory struct {
	concerns  []reportConcern
	referrals []reportReferral
	pupils    map[int64]reportPupil
	staff     []reportStaff
	training  []reportTraining
	policies  []reportPolicy
}

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// writeReportHistory writes a random but seeded history of about three
// academic years into s's school, as the owner.
func writeReportHistory(t *testing.T, s *smallSchool) *reportHistory {
	t.Helper()
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(15, 31))
	h := &reportHistory{pupils: map[int64]reportPupil{}}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.owner.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// Pupils, with their year groups and needs.
	for i := range 30 {
		p := reportPupil{yearGroup: 7 + rng.IntN(7), send: rng.IntN(3) == 0, looked: rng.IntN(5) == 0, previouslyLAC: rng.IntN(6) == 0}
		if err := s.owner.QueryRow(ctx, `INSERT INTO pupils (school_id, first_name, last_name, year_group, date_of_birth, send, looked_after, previously_looked_after)
			VALUES ($1, 'Pupil', $2, $3, '2010-01-01', $4, $5, $6) RETURNING id`, s.schoolID, fmt.Sprint(i), p.yearGroup, p.send, p.looked, p.previouslyLAC).Scan(&p.id); err != nil {
			t.Fatal(err)
		}
		h.pupils[p.id] = p
	}
	var pupilIDs []int64
	for id := range h.pupils {
		pupilIDs = append(pupilIDs, id)
	}
	slices.Sort(pupilIDs)
	for _, id := range []int64{s.ruby, s.tom} {
		var p reportPupil
		if err := s.owner.QueryRow(ctx, `SELECT id, year_group, send, looked_after, previously_looked_after FROM pupils WHERE id = $1`, id).
			Scan(&p.id, &p.yearGroup, &p.send, &p.looked, &p.previouslyLAC); err != nil {
			t.Fatal(err)
		}
		h.pupils[id] = p
	}

	categories := []string{"cse", "cce", "neglect", "online_safety", "self_harm", "other"}
	indicators := []string{"secretive", "withdrawn", "unexplained_gifts", "absences", "missing", "gangs", "older_partner"}
	agencies := []string{"cscs", "police", "lado", "early_help", "ceop", "nrm", "prevent", "other"}
	start := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	span := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC).Sub(start)
	entry := func(concern int64, kind string, at time.Time, details string) int64 {
		t.Helper()
		var id int64
		if err := s.owner.QueryRow(ctx, `INSERT INTO chronology_entries (school_id, concern_id, kind, author_id, at, details, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, '\x00', '\x00') RETURNING id`, s.schoolID, concern, kind, s.dsl.PersonID, at, details).Scan(&id); err != nil {
			t.Fatalf("entry %s: %v", kind, err)
		}
		return id
	}
	for range 400 {
		c := reportConcern{loggedAt: start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Second)}
		c.categories = pickN(rng, categories, 1+rng.IntN(2))
		c.indicators = pickN(rng, indicators, rng.IntN(4))
		subjectKind, subjectName, route := "pupils", "", "child"
		if rng.IntN(6) == 0 {
			subjectKind, subjectName, route = "other_adult", "A visitor", "adult"
		}
		c.route = route
		status := "new"
		if rng.IntN(10) < 8 {
			a := c.loggedAt.Add(time.Duration(rng.Int64N(int64(72 * time.Hour)))).Truncate(time.Second)
			c.ackAt, status = &a, "acknowledged"
		}
		// Urgent, and often acknowledged within the half hour: either side
		// of the school's 15 minutes.
		if c.urgent = rng.IntN(4) == 0; c.urgent && c.ackAt != nil && rng.IntN(2) == 0 {
			a := c.loggedAt.Add(time.Duration(rng.Int64N(int64(30 * time.Minute)))).Truncate(time.Second)
			c.ackAt = &a
		}
		// Closed, and sometimes reopened and closed again, at times that
		// straddle a year's end.
		at := c.loggedAt
		for closed := true; rng.IntN(3) > 0; closed = !closed {
			at = at.Add(time.Duration(rng.Int64N(int64(120 * 24 * time.Hour)))).Truncate(time.Second)
			c.statusEvents = append(c.statusEvents, reportEvent{at: at, closed: closed})
			status = map[bool]string{true: "closed", false: "reopened"}[closed]
		}
		if err := s.owner.QueryRow(ctx, `INSERT INTO concerns (school_id, route, subject_kind, subject_adult_name, logged_by, logged_at, submission_token,
				categories, indicators, what_happened, happened_on, status, acknowledged_at, last_activity_at, urgent)
			VALUES ($1, $2, $3, $4, $5, $6, gen_random_uuid(), $7, $8, 'Something happened.', $9, $10, $11, $6, $12) RETURNING id`,
			s.schoolID, route, subjectKind, subjectName, s.staff1.PersonID, c.loggedAt, c.categories, c.indicators,
			c.loggedAt, status, c.ackAt, c.urgent).Scan(&c.id); err != nil {
			t.Fatal(err)
		}
		entry(c.id, "concern_logged", c.loggedAt, "{}")
		if route == "child" {
			c.pupils = pickN(rng, pupilIDs, 1+rng.IntN(2))
			for _, p := range c.pupils {
				exec(`INSERT INTO concern_pupils (school_id, concern_id, pupil_id) VALUES ($1, $2, $3)`, s.schoolID, c.id, p)
			}
		}
		for _, e := range c.statusEvents {
			entry(c.id, map[bool]string{true: "closed", false: "reopened"}[e.closed], e.at, "{}")
		}
		// Referrals, some answered, some on a Friday or at a weekend.
		for range rng.IntN(3) {
			r := reportReferral{at: c.loggedAt.Add(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour)))).Truncate(time.Second),
				agency: agencies[rng.IntN(len(agencies))]}
			r.referredOn = dateIn(r.at.Add(-time.Duration(rng.IntN(2)) * 24 * time.Hour))
			r.id = entry(c.id, "referral", r.at, fmt.Sprintf(`{"agency": %q, "referred_on": %q, "reference": "R1"}`, r.agency, r.referredOn.Format(time.DateOnly)))
			for i := range rng.IntN(3) {
				on := r.referredOn.AddDate(0, 0, rng.IntN(5)-i)
				entry(c.id, "referral_response", r.at.Add(time.Hour), fmt.Sprintf(`{"referral_id": %d, "responded_on": %q, "agency_action": "Visit"}`,
					r.id, on.Format(time.DateOnly)))
				if r.respondedOn == nil || on.Before(*r.respondedOn) {
					r.respondedOn = &on
				}
			}
			h.referrals = append(h.referrals, r)
		}
		h.concerns = append(h.concerns, c)
	}

	// Training: staff with and without a recorded start, some in date.
	people := []struct {
		v    safeguarding.Viewer
		lead bool
	}{{s.staff1, false}, {s.staff2, false}, {s.dsl, true}, {s.deputy, true}, {s.principal, false}}
	for i, p := range people {
		st := reportStaff{id: p.v.PersonID, lead: p.lead}
		if i%2 == 0 {
			d := time.Date(2022+i%3, 9, 1, 0, 0, 0, 0, time.UTC)
			st.started = &d
			exec(`UPDATE people SET started_on = $2 WHERE id = $1`, p.v.PersonID, d)
		}
		h.staff = append(h.staff, st)
		for range 2 + rng.IntN(5) {
			tr := reportTraining{person: p.v.PersonID, kind: []string{"induction", "annual_update", "dsl_training", "online_safety", "other"}[rng.IntN(5)],
				completed: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(1500))}
			exec(`INSERT INTO training_records (school_id, person_id, kind, completed_on) VALUES ($1, $2, $3, $4)`, s.schoolID, tr.person, tr.kind, tr.completed)
			h.training = append(h.training, tr)
		}
	}

	// Policies: one reviewed each year, one that lapsed, one retired, one
	// never approved, one added after the years reported.
	policy := func(created time.Time, retired *time.Time, reviews ...[2]time.Time) {
		t.Helper()
		var id int64
		if err := s.owner.QueryRow(ctx, `INSERT INTO policies (school_id, title, created_at, retired_on) VALUES ($1, 'A policy', $2, $3) RETURNING id`,
			s.schoolID, created, retired).Scan(&id); err != nil {
			t.Fatal(err)
		}
		for _, r := range reviews {
			exec(`INSERT INTO policy_reviews (school_id, policy_id, approved_on, next_review_on) VALUES ($1, $2, $3, $4)`, s.schoolID, id, r[0], r[1])
		}
		h.policies = append(h.policies, reportPolicy{created: created, retired: retired, reviews: reviews})
	}
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	retired := d(2025, 3, 1)
	policy(d(2023, 1, 1), nil, [2]time.Time{d(2023, 2, 1), d(2024, 2, 1)}, [2]time.Time{d(2024, 1, 20), d(2025, 1, 20)}, [2]time.Time{d(2025, 1, 10), d(2026, 1, 10)})
	policy(d(2023, 1, 1), nil, [2]time.Time{d(2023, 9, 1), d(2024, 9, 1)})
	policy(d(2023, 1, 1), &retired, [2]time.Time{d(2024, 3, 1), d(2025, 3, 1)})
	policy(d(2024, 5, 1), nil)
	policy(d(2026, 10, 1), nil, [2]time.Time{d(2024, 10, 1), d(2025, 10, 1)})
	// A school's tables are analysed as they grow (autovacuum); a history
	// written in one go is analysed before it is read, as it would be.
	exec(`ANALYZE`)
	return h
}

func pickN[T any](rng *rand.Rand, from []T, n int) []T {
	idx := rng.Perm(len(from))[:n]
	slices.Sort(idx)
	out := make([]T, 0, n)
	for _, i := range idx {
		out = append(out, from[i])
	}
	return out
}

// dateIn is the London date of t, as a UTC midnight.
func dateIn(t time.Time) time.Time {
	y, m, d := t.In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// expect counts a year's figures from the history, in Go.
func (h *reportHistory) expect(y report.AcademicYear) report.Figures {
	f := report.Figures{}
	add := func(figure, label string, n float64) { f[figure+"/"+label] += n }
	from := time.Date(y.Start, 9, 1, 0, 0, 0, 0, london)
	to := time.Date(y.Start+1, 9, 1, 0, 0, 0, 0, london)
	last := time.Date(y.Start+1, 8, 31, 0, 0, 0, 0, time.UTC)
	in := func(at time.Time) bool { return !at.Before(from) && at.Before(to) }

	var waits []float64
	for _, c := range h.concerns {
		if !in(c.loggedAt) {
			continue
		}
		add("concerns", "total", 1)
		add("route", map[bool]string{true: "child", false: "adult"}[c.route == "child"], 1)
		add("month", fmt.Sprint(int(c.loggedAt.In(london).Month())), 1)
		for _, cat := range c.categories {
			add("category", cat, 1)
		}
		for _, i := range c.indicators {
			add("indicator", i, 1)
		}
		if c.route == "child" && c.ackAt != nil {
			waits = append(waits, c.ackAt.Sub(c.loggedAt).Hours())
		}
		if c.urgent {
			add("urgent", "total", 1)
			if c.ackAt != nil && c.ackAt.Sub(c.loggedAt) <= 15*time.Minute {
				add("urgent", "in_target", 1)
			}
			add("urgent", "in_target", 0)
		}
	}
	add("acknowledgement", "count", float64(len(waits)))
	if len(waits) > 0 {
		f["acknowledgement/median"] = percentile(waits, 0.5)
		f["acknowledgement/p90"] = percentile(waits, 0.9)
	}

	for _, r := range h.referrals {
		if !in(r.at) {
			continue
		}
		add("referrals", "total", 1)
		add("referral_agency", r.agency, 1)
		if r.respondedOn == nil {
			add("referral_response", "none", 1)
			continue
		}
		add("referral_response", "recorded", 1)
		if !r.respondedOn.After(workingDays.AddWorkingDays(r.referredOn, 1)) {
			add("referral_response", "within_working_day", 1)
		}
	}

	open := map[int64]bool{}
	for _, c := range h.concerns {
		if c.route != "child" || !c.loggedAt.Before(to) {
			continue
		}
		closed := false
		for _, e := range c.statusEvents {
			if e.at.Before(to) {
				closed = e.closed
			}
		}
		if !closed {
			for _, p := range c.pupils {
				open[p] = true
			}
		}
	}
	for id := range open {
		p := h.pupils[id]
		add("open_pupils", "total", 1)
		add("open_year_group", fmt.Sprint(p.yearGroup), 1)
		for flag, set := range map[string]bool{"send": p.send, "looked_after": p.looked, "previously_looked_after": p.previouslyLAC} {
			if set {
				add("open_flag", flag, 1)
			}
		}
	}

	for _, tr := range h.training {
		if !tr.completed.After(last) {
			add("training", "records", 1)
		}
	}
	// In date as the training register says it (safeguarding.TrainingStatus):
	// not late on the year's last day, by the records made by then.
	for _, st := range h.staff {
		if st.started != nil && st.started.After(last) {
			continue
		}
		add("training", "staff", 1)
		if st.lead {
			add("training", "leads", 1)
		}
		var records []safeguarding.TrainingRecord
		for _, tr := range h.training {
			if tr.person == st.id && !tr.completed.After(last) {
				records = append(records, safeguarding.TrainingRecord{Kind: safeguarding.TrainingKind(tr.kind), CompletedOn: tr.completed})
			}
		}
		var started time.Time
		if st.started != nil {
			started = *st.started
		}
		inDate := func(roles ...safeguarding.Role) bool {
			state, _ := safeguarding.WorstTraining(safeguarding.TrainingStatus(roles, started, records, last))
			return !state.Late()
		}
		// Everyone's safeguarding training; and a lead's as a lead.
		if inDate(safeguarding.RoleStaff) {
			add("training", "staff_in_date", 1)
		}
		if st.lead && inDate(safeguarding.RoleStaff, safeguarding.RoleDSL) {
			add("training", "leads_in_date", 1)
		}
	}
	for _, k := range []string{"staff_in_date", "leads", "leads_in_date", "records"} {
		add("training", k, 0)
	}

	for _, p := range h.policies {
		if p.retired != nil && !p.retired.After(last) {
			continue
		}
		var latest *[2]time.Time
		for i, r := range p.reviews {
			if !r[0].After(last) && (latest == nil || r[0].After(latest[0])) {
				latest = &p.reviews[i]
			}
		}
		if !p.created.Before(to) && latest == nil {
			continue
		}
		add("policies", "total", 1)
		switch {
		case latest == nil:
			add("policies", "never", 1)
		case latest[1].Before(last):
			add("policies", "overdue", 1)
		default:
			add("policies", "in_date", 1)
		}
	}
	for _, k := range []string{"total", "in_date", "overdue", "never"} {
		add("policies", k, 0)
	}
	return f
}

// percentile is PostgreSQL's percentile_cont: linear between the two
// nearest of the sorted values.
// workingDays is the test school's calendar: no closure days.
var workingDays = safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)

func percentile(vs []float64, p float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	pos := p * float64(len(s)-1)
	lo := int(math.Floor(pos))
	if lo+1 >= len(s) {
		return s[lo]
	}
	return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
}

// sqlFigures asks the store for a year's figures as v.
func sqlFigures(t *testing.T, s *smallSchool, v safeguarding.Viewer, y report.AcademicYear) (report.Figures, error) {
	t.Helper()
	return s.db.AnnualFigures(t.Context(), v, y)
}

func TestAnnualReportFigures(t *testing.T) {
	s := newSmallSchool(t)
	h := writeReportHistory(t, s)
	for _, y := range []report.AcademicYear{{Start: 2023}, {Start: 2024}, {Start: 2025}} {
		t.Run(y.String(), func(t *testing.T) {
			got, err := sqlFigures(t, s, s.governor, y)
			if err != nil {
				t.Fatal(err)
			}
			want := h.expect(y)
			if want["concerns/total"] < 50 || want["referrals/total"] < 20 || want["open_pupils/total"] < 1 ||
				want["urgent/in_target"] < 1 || want["urgent/in_target"] == want["urgent/total"] {
				t.Fatalf("the history is too thin to test %s: %v", y, want)
			}
			for k, w := range want {
				if math.Abs(got[k]-w) > 1e-6 {
					t.Errorf("%s: database says %v, the rows say %v", k, got[k], w)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok && g != 0 {
					t.Errorf("%s: database says %v, the rows say 0", k, g)
				}
			}
		})
	}

	t.Run("TheReportIsTheFiguresSuppressed", func(t *testing.T) {
		y := report.AcademicYear{Start: 2025}
		r, err := s.db.AnnualReport(t.Context(), s.governor, y)
		if err != nil {
			t.Fatal(err)
		}
		cats, _ := s.db.Categories(t.Context())
		inds, _ := s.db.Indicators(t.Context())
		var n report.Names
		for _, c := range cats {
			n.Categories = append(n.Categories, report.Labelled{Code: c.Code, Label: c.Label})
		}
		for _, i := range inds {
			n.Indicators = append(n.Indicators, report.Labelled{Code: i.Code, Label: i.Label})
		}
		for _, a := range safeguarding.Agencies {
			n.Agencies = append(n.Agencies, report.Labelled{Code: string(a), Label: a.Label()})
		}
		want := report.Annual("Riverside Academy", y, r.Generated, h.expect(y), h.expect(y.Previous()), n)
		if len(r.Sections) != len(want.Sections) {
			t.Fatalf("%d sections, want %d", len(r.Sections), len(want.Sections))
		}
		for i, sec := range want.Sections {
			for j, tab := range sec.Tables {
				gotTab := r.Sections[i].Tables[j]
				for k, row := range tab.Rows {
					for c, fig := range row.Figures {
						if g := gotTab.Rows[k].Figures[c]; g.String() != fig.String() {
							t.Errorf("%s, %q, %s: %q, want %q", tab.ID, row.Label, tab.Columns[c], g, fig)
						}
					}
				}
			}
		}
		if r.School != "Riverside Academy" {
			t.Errorf("school %q", r.School)
		}
	})
}

func TestAnnualReportReaders(t *testing.T) {
	s := newSmallSchool(t)
	y := report.AcademicYear{Start: 2025}
	for _, v := range []safeguarding.Viewer{s.staff1, s.staff2, s.dsl, s.deputy, s.principal, s.chair, s.governor, s.admin} {
		may := safeguarding.MayReadAnnualReport(v.Roles)
		_, storeErr := s.db.AnnualReport(t.Context(), v, y)
		if may != (storeErr == nil) || (!may && safeguarding.ErrorCode(storeErr) != safeguarding.EFORBIDDEN) {
			t.Errorf("roles %v: may read %v, the store says %v", v.Roles, may, storeErr)
		}
		// The database's own check, without the Go one in the way.
		_, sqlErr := sqlFigures(t, s, v, y)
		if may != (sqlErr == nil) {
			t.Errorf("roles %v: may read %v, the database says %v", v.Roles, may, sqlErr)
		}
	}
	t.Run("NotAnotherSchool", func(t *testing.T) {
		other, err := s.db.CreateSchool(t.Context(), "Hilltop School")
		if err != nil {
			t.Fatal(err)
		}
		err = asViewerTx(t, s.db, s.governor, func(tx pgx.Tx) error {
			_, err := tx.Exec(t.Context(), `SELECT * FROM haven_annual_report($1, 2025)`, other)
			return err
		})
		if err == nil {
			t.Error("a governor read another school's figures")
		}
	})
	t.Run("NoViewer", func(t *testing.T) {
		_, err := s.db.Pool().Exec(t.Context(), `SELECT * FROM haven_annual_report($1, 2025)`, s.schoolID)
		if err == nil {
			t.Error("the figures were read with no viewer set")
		}
	})
}

// A completed year's figures are kept once worked out, and worked out again
// whenever something they count changes: the kept figures never differ
// from a fresh count.
func TestAnnualReportKeepsACompletedYear(t *testing.T) {
	s := newSmallSchool(t)
	writeReportHistory(t, s)
	ctx := t.Context()
	y := report.AcademicYear{Start: 2024}
	fresh := func() report.Figures {
		t.Helper()
		f := report.Figures{}
		rows, err := s.owner.Query(ctx, `SELECT figure, label, value FROM haven_annual_report_compute($1, $2)`, s.schoolID, y.Start)
		if err != nil {
			t.Fatal(err)
		}
		var figure, label string
		var value float64
		if _, err := pgx.ForEachRow(rows, []any{&figure, &label, &value}, func() error {
			if figure != "referral_answered" && figure != "urgent_wait" {
				f[figure+"/"+label] = value
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return f
	}
	read := func() report.Figures {
		t.Helper()
		f, err := s.db.AnnualFigures(ctx, s.governor, y)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	read()
	// Marks the kept figures, so that reading them shows whether they were
	// kept (the mark) or worked out again (the true count).
	mark := func() {
		t.Helper()
		tag, err := s.owner.Exec(ctx, `UPDATE report_figures SET figures = '[["concerns", "total", 12345]]' WHERE school_id = $1 AND start_year = $2`,
			s.schoolID, y.Start)
		if err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("mark the kept figures: %v, %d rows", err, tag.RowsAffected())
		}
	}
	mark()
	if got := read()["concerns/total"]; got != 12345 {
		t.Fatalf("concerns/total = %v: the kept figures were not read", got)
	}
	// Neither a concern logged today nor a sign-in moves last year's figures.
	logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{s.ruby},
		Categories: []string{"neglect"}, WhatHappened: "Arrived hungry again.", SubmissionToken: newToken()})
	if _, err := s.owner.Exec(ctx, `UPDATE people SET last_sign_in_at = now() WHERE id = $1`, s.dsl.PersonID); err != nil {
		t.Fatal(err)
	}
	if got := read()["concerns/total"]; got != 12345 {
		t.Fatalf("concerns/total = %v: today's work threw the kept figures away", got)
	}

	changes := map[string]string{
		"PupilYearGroup":   `UPDATE pupils SET year_group = year_group + 1 WHERE school_id = $1 AND id = (SELECT min(id) FROM pupils WHERE school_id = $1)`,
		"PupilFlag":        `UPDATE pupils SET looked_after = NOT looked_after WHERE school_id = $1 AND id = (SELECT max(id) FROM pupils WHERE school_id = $1)`,
		"PersonLeft":       `UPDATE people SET active = false WHERE school_id = $1 AND email = 'staff2@riverside.test'`,
		"RoleTaken":        `DELETE FROM person_roles WHERE school_id = $1 AND role = 'deputy_dsl'`,
		"TrainingRecorded": `INSERT INTO training_records (school_id, person_id, kind, completed_on) SELECT $1, id, 'annual_update', '2025-03-01' FROM people WHERE school_id = $1 AND email = 'staff1@riverside.test'`,
		"PolicyRetired":    `UPDATE policies SET retired_on = '2025-01-01' WHERE school_id = $1`,
		"OldConcernMoved":  `UPDATE concerns SET route = 'adult' WHERE school_id = $1 AND id = (SELECT min(id) FROM concerns WHERE school_id = $1 AND route = 'child' AND logged_at < '2025-09-01')`,
	}
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		t.Run(name, func(t *testing.T) {
			mark()
			tag, err := s.owner.Exec(ctx, changes[name], s.schoolID)
			if err != nil {
				t.Fatal(err)
			}
			if tag.RowsAffected() == 0 && name != "PolicyRetired" {
				t.Fatalf("the change touched no row")
			}
			got, want := read(), fresh()
			if got["concerns/total"] == 12345 {
				t.Fatal("the kept figures stood after the change")
			}
			for k, w := range want {
				if math.Abs(got[k]-w) > 1e-6 {
					t.Errorf("%s: kept %v, fresh %v", k, got[k], w)
				}
			}
		})
	}
}

// The nightly job keeps every completed year of every school, and nothing
// of the year under way; run again, it has nothing left to do.
func TestKeepAnnualReports(t *testing.T) {
	s := newSmallSchool(t)
	writeReportHistory(t, s)
	ctx := t.Context()
	n, err := s.db.KeepAnnualReports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var years []int
	rows, err := s.owner.Query(ctx, `SELECT start_year FROM report_figures WHERE school_id = $1 ORDER BY 1`, s.schoolID)
	if err != nil {
		t.Fatal(err)
	}
	if years, err = pgx.CollectRows(rows, pgx.RowTo[int]); err != nil {
		t.Fatal(err)
	}
	current := report.YearOf(time.Now()).Start
	if len(years) == 0 || n != len(years) || years[len(years)-1] != current-1 {
		t.Fatalf("kept years %v (%d worked out), want every year to %d", years, n, current-1)
	}
	if n, err := s.db.KeepAnnualReports(ctx); err != nil || n != 0 {
		t.Fatalf("a second run worked out %d years (%v), want 0", n, err)
	}
}

// Training is in date on its due day, as the training register says, and
// overdue the day after.
func TestAnnualReportTrainingDueDay(t *testing.T) {
	ctx := t.Context()
	y := report.AcademicYear{Start: 2024}
	for _, tc := range []struct {
		completed string
		inDate    float64
	}{{"2024-08-31", 1}, {"2024-08-30", 0}} {
		t.Run(tc.completed, func(t *testing.T) {
			s := newSmallSchool(t)
			if _, err := s.owner.Exec(ctx, `DELETE FROM person_roles WHERE school_id = $1 AND person_id <> $2 AND role IN ('staff', 'dsl', 'deputy_dsl', 'principal')`,
				s.schoolID, s.staff1.PersonID); err != nil {
				t.Fatal(err)
			}
			completed, _ := time.Parse(time.DateOnly, tc.completed)
			inducted := time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)
			if _, err := s.owner.Exec(ctx, `INSERT INTO training_records (school_id, person_id, kind, completed_on)
				VALUES ($1, $2, 'induction', $4), ($1, $2, 'annual_update', $3)`, s.schoolID, s.staff1.PersonID, completed, inducted); err != nil {
				t.Fatal(err)
			}
			register := safeguarding.TrainingStatus(s.staff1.Roles, time.Time{}, []safeguarding.TrainingRecord{
				{Kind: safeguarding.TrainingInduction, CompletedOn: inducted},
				{Kind: safeguarding.TrainingAnnualUpdate, CompletedOn: completed}}, y.Last())
			state, _ := safeguarding.WorstTraining(register)
			f, err := s.db.AnnualFigures(ctx, s.governor, y)
			if err != nil {
				t.Fatal(err)
			}
			if got := f["training/staff_in_date"]; got != tc.inDate || (state.Late()) != (tc.inDate == 0) {
				t.Errorf("in date on 31 August 2025: report %v, register %s; want %v", got, state.Label(), tc.inDate)
			}
		})
	}
}

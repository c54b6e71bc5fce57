package jobs_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/mail/smtptest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestDigestOverdueDeadlines: the digest counts exactly the open deadlines
// past their day on the school's calendar (a weekend and an INSET day):
// agency responses, feedback and leavers' files to transfer; not those due
// today, met, recorded as not needed, or of a concern the DSL and deputies
// may not know of.
func TestDigestOverdueDeadlines(t *testing.T) {
	s := newSchool(t)
	ctx := t.Context()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.owner.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(sql string, args ...any) []int64 {
		t.Helper()
		rows, err := s.owner.Query(ctx, sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	// Five concerns about children, each about a pupil of their own, and
	// one about the principal, all logged by a member of staff; then the
	// deadlines they opened are cleared, so the test's are all there are.
	staff := s.viewer(t, "staff@demo.test")
	pupils := ids(`SELECT id FROM pupils WHERE school_id = $1 AND active ORDER BY id LIMIT 5`, s.schoolID)
	var child []int64
	for _, p := range pupils {
		id, _, err := s.db.LogConcern(ctx, staff, concern(t, "due-marker", false, func(in *safeguarding.ConcernInput) {
			in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{p}
		}))
		if err != nil {
			t.Fatal(err)
		}
		child = append(child, id)
	}
	hidden, _, err := s.db.LogConcern(ctx, staff, concern(t, "due-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, s.viewer(t, "principal@demo.test").PersonID
	}))
	if err != nil {
		t.Fatal(err)
	}
	leavers := pupils[:3]
	exec(`DELETE FROM deadlines WHERE school_id = $1`, s.schoolID)
	exec(`INSERT INTO school_closures (school_id, first_day, last_day, reason, created_at, created_by)
		SELECT $1, '2026-11-11', '2026-11-11', 'INSET day', now(), id FROM people WHERE school_id = $1 AND email = 'dsl@demo.test'`, s.schoolID)

	dsl := s.viewer(t, "dsl@demo.test")
	deadline := func(concern int64, kind, from string, met bool) {
		t.Helper()
		if kind == "referral_response" { // opened by the referral, as the DSL records it
			err := s.db.AddEntry(ctx, dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
				Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-" + from, ReferredOn: from}})
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		exec(`INSERT INTO deadlines (school_id, kind, concern_id, starts_on, working_days, met_at)
			VALUES ($1, 'feedback', $2, $3, 2, CASE WHEN $4 THEN now() END)`, s.schoolID, concern, from, met)
	}
	deadline(child[0], "referral_response", "2026-11-12", false) // due Friday: overdue
	deadline(child[1], "referral_response", "2026-11-13", false) // due today
	deadline(child[2], "feedback", "2026-11-10", false)          // due Friday, past the INSET day: overdue
	deadline(child[3], "feedback", "2026-11-02", true)           // met
	deadline(child[4], "feedback", "2026-11-12", false)          // due today
	deadline(hidden, "feedback", "2026-11-02", false)            // overdue, but not the DSL's to know of
	leave := func(pupil int64, on string) {
		t.Helper()
		exec(`UPDATE pupils SET active = false, left_on = $2 WHERE id = $1`, pupil, on)
	}
	leave(leavers[0], "2026-11-05") // due Friday 13: overdue
	leave(leavers[1], "2026-11-06") // due today, past the weekend and the INSET day
	leave(leavers[2], "2026-11-02") // overdue, but recorded as not needed
	exec(`INSERT INTO file_transfers (school_id, pupil_id, outcome, reason, recorded_at, recorded_by)
		SELECT $1, $2, 'not_needed', 'Moved abroad', now(), id FROM people WHERE school_id = $1 AND email = 'dsl@demo.test'`, s.schoolID, leavers[2])

	monday := time.Date(2026, 11, 16, 7, 30, 0, 0, time.UTC)
	db := s.db.WithClock(func() time.Time { return monday })
	counts, err := db.DigestCounts(ctx, s.schoolID, monday.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if counts.OverdueDeadlines != 3 {
		t.Errorf("overdue deadlines %d, want 3 (a response, feedback and a transfer)", counts.OverdueDeadlines)
	}
	tuesday := monday.Add(24 * time.Hour)
	if counts, err := s.db.WithClock(func() time.Time { return tuesday }).DigestCounts(ctx, s.schoolID, monday); err != nil || counts.OverdueDeadlines != 6 {
		t.Errorf("overdue deadlines on Tuesday %d (%v), want 6, those due on Monday too", counts.OverdueDeadlines, err)
	}

	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	w := &jobs.DigestWorker{Store: db, Mail: sender, BaseURL: baseURL}
	if err := w.Send(ctx, monday.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var ours int
	for _, m := range box.Messages() {
		if !slices.Contains(m.To, "dsl@demo.test") && !slices.Contains(m.To, "deputy@demo.test") {
			continue
		}
		ours++
		for _, want := range []string{"- 3 deadlines overdue (agency responses, feedback to staff, leavers' files to transfer)", baseURL + "/due"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("digest lacks %q:\n%s", want, m.Body)
			}
		}
		s.namesNoOne(t, m)
	}
	if ours != 2 {
		t.Errorf("%d digests to the DSL and deputy, want 2", ours)
	}
}

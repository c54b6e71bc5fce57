package jobs_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/mail/smtptest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestEscalation: a concern nobody it is routed to has acknowledged goes
// to the next person up, exactly: never its subject, never its author, and
// with a link only for a person who may read it.
func TestEscalation(t *testing.T) {
	s := newSchool(t)
	id := func(email string) int64 { return s.viewer(t, email).PersonID }
	pupilSubject := func(in *safeguarding.ConcernInput) {
		pupil, _ := s.pupil(t)
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}
	about := func(email string) func(*safeguarding.ConcernInput) {
		return func(in *safeguarding.ConcernInput) {
			in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, id(email)
		}
	}
	cases := []struct {
		name       string
		logger     string
		subject    func(*safeguarding.ConcernInput)
		viceChair  string
		to         safeguarding.EscalatedTo
		want       []string
		withAccess bool
	}{
		{"Child", "staff@demo.test", pupilSubject, "", safeguarding.EscalatedToPrincipal, []string{"principal@demo.test"}, true},
		{"ChildLoggedByPrincipal", "principal@demo.test", pupilSubject, "", safeguarding.EscalatedToNobody, nil, false},
		{"Staff", "staff@demo.test", about("staff01@demo.test"), "", safeguarding.EscalatedToChair, []string{"chair@demo.test"}, false},
		{"DSL", "staff@demo.test", about("dsl@demo.test"), "", safeguarding.EscalatedToChair, []string{"chair@demo.test"}, false},
		{"Deputy", "staff@demo.test", about("deputy@demo.test"), "", safeguarding.EscalatedToChair, []string{"chair@demo.test"}, false},
		{"PrincipalNoViceChair", "staff@demo.test", about("principal@demo.test"), "", safeguarding.EscalatedToNobody, nil, false},
		{"PrincipalViceChair", "staff@demo.test", about("principal@demo.test"), "governor@demo.test", safeguarding.EscalatedToViceChair, []string{"governor@demo.test"}, false},
	}
	dsl := s.viewer(t, "dsl@demo.test")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			settings := safeguarding.DefaultEscalation
			if c.viceChair != "" {
				settings.ViceChairID = id(c.viceChair)
			}
			if err := s.db.SetEscalationSettings(t.Context(), dsl, settings, "192.0.2.1"); err != nil {
				t.Fatal(err)
			}
			concernID, _, err := s.db.LogConcern(t.Context(), s.viewer(t, c.logger), concern(t, "escalation-marker", true, c.subject))
			if err != nil {
				t.Fatal(err)
			}
			var lastNotice int64
			if err := s.owner.QueryRow(t.Context(), `SELECT coalesce(max(id), 0) FROM notices`).Scan(&lastNotice); err != nil {
				t.Fatal(err)
			}
			msgs := s.escalate(t, concernID)
			if got := smtptest.Recipients(msgs); !slices.Equal(got, c.want) {
				t.Fatalf("escalated to %v, want %v", got, c.want)
			}
			link := fmt.Sprintf("%s/concerns/%d", baseURL, concernID)
			for _, m := range msgs {
				if strings.Contains(m.Body, link) != c.withAccess {
					t.Errorf("link to the concern shown: %v, want %v:\n%s", !c.withAccess, c.withAccess, m.Body)
				}
				s.namesNoOne(t, m)
			}
			var to string
			var withAccess bool
			if err := s.owner.QueryRow(t.Context(), `SELECT escalated_to, with_access FROM concern_escalations WHERE concern_id = $1`, concernID).
				Scan(&to, &withAccess); err != nil {
				t.Fatalf("no escalation recorded: %v", err)
			}
			if safeguarding.EscalatedTo(to) != c.to || withAccess != c.withAccess {
				t.Errorf("recorded escalation to %q (access %v), want %q (%v)", to, withAccess, c.to, c.withAccess)
			}
			// The notices: one to each person escalated to, linking to
			// the concern only for those who may read it.
			rows, err := s.owner.Query(t.Context(), `SELECT p.email, coalesce(n.concern_id, 0) FROM notices n JOIN people p ON p.id = n.person_id
				WHERE n.kind = 'escalation' AND n.id > $1`, lastNotice)
			if err != nil {
				t.Fatal(err)
			}
			var noticed []string
			for rows.Next() {
				var email string
				var linked int64
				if err := rows.Scan(&email, &linked); err != nil {
					t.Fatal(err)
				}
				noticed = append(noticed, email)
				if (linked == concernID) != c.withAccess || (linked != 0 && linked != concernID) {
					t.Errorf("%s's notice links to concern %d", email, linked)
				}
			}
			slices.Sort(noticed)
			if !slices.Equal(noticed, c.want) {
				t.Errorf("notices to %v, want %v", noticed, c.want)
			}
		})
	}
}

// TestEscalationAcknowledged: a concern the DSL acknowledged before its
// time is not escalated.
func TestEscalationAcknowledged(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	concernID, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "seen-marker", true, func(in *safeguarding.ConcernInput) {
		pupil, _ := s.pupil(t)
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.AddEntry(t.Context(), s.viewer(t, "dsl@demo.test"), concernID, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged}); err != nil {
		t.Fatal(err)
	}
	if msgs := s.escalate(t, concernID); len(msgs) != 0 {
		t.Fatalf("an acknowledged concern was escalated to %v", smtptest.Recipients(msgs))
	}
	var n int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM concern_escalations WHERE concern_id = $1`, concernID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d escalations recorded (err %v), want none", n, err)
	}
}

// TestEscalationScheduled: the job is filed with the concern, at the
// school's time: 15 minutes after an urgent one; 09:00 the next working
// day for any other.
func TestEscalationScheduled(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	for _, urgent := range []bool{true, false} {
		before := time.Now()
		concernID, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "when-marker", urgent, func(in *safeguarding.ConcernInput) {
			pupil, _ := s.pupil(t)
			in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
		}))
		if err != nil {
			t.Fatal(err)
		}
		var at time.Time
		if err := s.owner.QueryRow(t.Context(), `SELECT scheduled_at FROM river_job WHERE kind = 'concern_escalation'
			AND (args->>'escalate_concern_id')::bigint = $1`, concernID).Scan(&at); err != nil {
			t.Fatalf("no escalation job: %v", err)
		}
		if urgent {
			if d := at.Sub(before); d < 15*time.Minute || d > 16*time.Minute {
				t.Errorf("urgent escalation %v after logging, want 15 minutes", d)
			}
			continue
		}
		local := at.In(safeguarding.England())
		if local.Hour() != 9 || local.Minute() != 0 || !local.After(before) || local.Weekday() == time.Saturday || local.Weekday() == time.Sunday {
			t.Errorf("escalation at %v, want 09:00 on a working day after logging", local)
		}
	}
}

// TestDigestSchedule: the digest goes at 07:30 in England, whether the
// clocks say GMT or BST, and counts from the one before, across a change.
func TestDigestSchedule(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct{ after, next, since string }{
		{"2026-01-14T12:00:00Z", "2026-01-15T07:30:00Z", "2026-01-14T07:30:00Z"}, // winter: GMT
		{"2026-07-14T12:00:00Z", "2026-07-15T06:30:00Z", "2026-07-14T06:30:00Z"}, // summer: BST
		{"2026-03-28T12:00:00Z", "2026-03-29T06:30:00Z", "2026-03-28T07:30:00Z"}, // the clocks go forward on 29 March: 23 hours
		{"2026-10-24T12:00:00Z", "2026-10-25T07:30:00Z", "2026-10-24T06:30:00Z"}, // back on 25 October: 25 hours
		{"2026-10-25T07:29:59Z", "2026-10-25T07:30:00Z", "2026-10-24T06:30:00Z"},
		{"2026-10-25T07:30:00Z", "2026-10-26T07:30:00Z", "2026-10-25T07:30:00Z"},
	}
	for _, c := range cases {
		next := jobs.DigestSchedule.Next(utc(c.after))
		if !next.Equal(utc(c.next)) {
			t.Errorf("after %s: next digest %v, want %s", c.after, next.UTC(), c.next)
		}
		if since := jobs.DigestSince(next); !since.Equal(utc(c.since)) {
			t.Errorf("digest at %v counts from %v, want %s", next.UTC(), since.UTC(), c.since)
		}
		if prev := jobs.DigestSchedule.Previous(next.Add(30 * time.Second)); !prev.Equal(next) {
			t.Errorf("the digest just after %v is counted from %v", next.UTC(), prev.UTC())
		}
	}
}

// TestDigest: the DSL and deputies get counts of new, overdue and
// escalated concerns, and no names; concerns about the principal, which
// they may not know of, are not counted.
func TestDigest(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	since := time.Now().Add(-time.Minute)
	child, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "digest-marker", true, func(in *safeguarding.ConcernInput) {
		pupil, _ := s.pupil(t)
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}))
	if err != nil {
		t.Fatal(err)
	}
	aboutPrincipal, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "digest-marker", true, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, s.viewer(t, "principal@demo.test").PersonID
	}))
	if err != nil {
		t.Fatal(err)
	}
	s.escalate(t, child)
	s.escalate(t, aboutPrincipal)
	counts, err := s.db.DigestCounts(t.Context(), s.schoolID, since)
	if err != nil {
		t.Fatal(err)
	}
	if want := (safeguarding.DigestCounts{NewConcerns: 1, Overdue: 1, Escalated: 1}); counts != want {
		t.Fatalf("digest counts %+v, want %+v", counts, want)
	}
	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	w := &jobs.DigestWorker{Store: s.db, Mail: sender, BaseURL: baseURL}
	if err := w.Send(t.Context(), since); err != nil {
		t.Fatal(err)
	}
	msgs := box.Messages()
	// Each school's safeguarding leads have their own school's digest: the
	// demo's second school has one too, with its own (zero) counts.
	if got := smtptest.Recipients(msgs); !slices.Equal(got, []string{"deputy@demo.test", "dsl@demo.test", "dsl@second.demo.test"}) {
		t.Fatalf("digest sent to %v", got)
	}
	for _, m := range msgs {
		if slices.Contains(m.To, "dsl@second.demo.test") {
			continue
		}
		for _, want := range []string{"- 1 new concerns", "- 1 concerns not yet acknowledged", "- 1 concerns escalated", baseURL + "/queue"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("digest lacks %q:\n%s", want, m.Body)
			}
		}
		s.namesNoOne(t, m)
	}
}

// escalate runs concernID's escalation job now, as if its time had come,
// and returns the escalation e-mails it sent.
func (s *school) escalate(t *testing.T, concernID int64) []smtptest.Message {
	t.Helper()
	if _, err := s.owner.Exec(t.Context(), `UPDATE river_job SET scheduled_at = now()
		WHERE kind = 'concern_escalation' AND (args->>'escalate_concern_id')::bigint = $1`, concernID); err != nil {
		t.Fatal(err)
	}
	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: s.db, Mail: sender, BaseURL: baseURL},
		Escalations: &jobs.EscalationWorker{Escalator: s.db, Mail: sender, BaseURL: baseURL}}, func() bool {
		var state string
		err := s.owner.QueryRow(t.Context(), `SELECT state FROM river_job WHERE kind = 'concern_escalation'
			AND (args->>'escalate_concern_id')::bigint = $1`, concernID).Scan(&state)
		if err != nil {
			t.Fatal(err)
		}
		return state == "completed"
	})
	var out []smtptest.Message
	for _, m := range box.Messages() {
		if strings.HasPrefix(m.Subject, "A concern has not been acknowledged") {
			out = append(out, m)
		}
	}
	return out
}

// namesNoOne fails the test if m names anyone on the school's roster: any
// pupil or any person, by full name or by the name they go by.
func (s *school) namesNoOne(t *testing.T, m smtptest.Message) {
	t.Helper()
	rows, err := s.owner.Query(t.Context(), `SELECT first_name || ' ' || last_name FROM pupils
		UNION SELECT full_name FROM people
		UNION SELECT known_as || ' ' || split_part(full_name, ' ', 2) FROM people WHERE known_as <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		n++
		if strings.Contains(m.Body, name) || strings.Contains(m.Subject, name) {
			t.Errorf("the e-mail to %v names %q:\n%s", m.To, name, m.Body)
		}
	}
	if n < 100 {
		t.Fatalf("only %d names on the roster: the check proves little", n)
	}
}

package jobs_test

import (
	"context"
	"fmt"
	"github.com/havenapp/haven/internal/mail/smtptest"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const baseURL = "https://haven.test"

func TestAlert(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")

	t.Run("UrgentAboutPupil", func(t *testing.T) {
		pupil, name := s.pupil(t)
		id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "pupil-detail-marker", true, func(in *safeguarding.ConcernInput) {
			in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
		}))
		if err != nil {
			t.Fatal(err)
		}
		box := smtptest.Start(t, "127.0.0.1:0")
		s.work(t, box.Addr(), func() bool { return s.jobState(t, id) == "completed" })

		msgs := box.Messages()
		if got, want := smtptest.Recipients(msgs), []string{"deputy@demo.test", "dsl@demo.test"}; !slices.Equal(got, want) {
			t.Fatalf("alerted %v, want %v", got, want)
		}
		// Each e-mail has its in-app notice, linking to the concern.
		var noticed []string
		if err := s.owner.QueryRow(t.Context(), `SELECT coalesce(array_agg(p.email ORDER BY p.email), '{}') FROM notices n
			JOIN people p ON p.id = n.person_id WHERE n.kind = 'new_concern' AND n.concern_id = $1`, id).Scan(&noticed); err != nil {
			t.Fatal(err)
		}
		if want := []string{"deputy@demo.test", "dsl@demo.test"}; !slices.Equal(noticed, want) {
			t.Errorf("notices to %v, want %v", noticed, want)
		}
		for _, m := range msgs {
			if m.Subject != "Urgent: a concern needs your attention now" {
				t.Errorf("subject %q", m.Subject)
			}
			if want := fmt.Sprintf("%s/concerns/%d", baseURL, id); !strings.Contains(m.Body, want) {
				t.Errorf("body lacks the link %s:\n%s", want, m.Body)
			}
			for _, secret := range append(strings.Fields(name), "pupil-detail-marker") {
				if strings.Contains(m.Body, secret) || strings.Contains(m.Subject, secret) {
					t.Errorf("the e-mail gives away %q:\n%s", secret, m.Body)
				}
			}
			if !strings.Contains(m.Body, demo.SchoolName) {
				t.Errorf("body does not name the school:\n%s", m.Body)
			}
		}
	})

	t.Run("AboutPrincipalOnlyChair", func(t *testing.T) {
		principal := s.viewer(t, "principal@demo.test")
		id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "principal-marker", false, func(in *safeguarding.ConcernInput) {
			in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, principal.PersonID
		}))
		if err != nil {
			t.Fatal(err)
		}
		box := smtptest.Start(t, "127.0.0.1:0")
		s.work(t, box.Addr(), func() bool { return s.jobState(t, id) == "completed" })
		msgs := box.Messages()
		if got := smtptest.Recipients(msgs); !slices.Equal(got, []string{"chair@demo.test"}) {
			t.Fatalf("alerted %v, want only chair@demo.test", got)
		}
		if msgs[0].Subject != "A concern needs your attention" {
			t.Errorf("subject %q", msgs[0].Subject)
		}
	})

	t.Run("SMTPDownRetried", func(t *testing.T) {
		pupil, _ := s.pupil(t)
		id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "retry-marker", false, func(in *safeguarding.ConcernInput) {
			in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
		}))
		if err != nil {
			t.Fatal(err)
		}
		// A port nobody listens on: the server is down.
		box := smtptest.Start(t, "127.0.0.1:0")
		addr := box.Addr()
		box.Stop()
		s.work(t, addr, func() bool { return s.jobState(t, id) == "retryable" })
		var attempt int
		var errs []string
		if err := s.owner.QueryRow(t.Context(), `SELECT attempt, errors::text[] FROM river_job WHERE (args->>'concern_id')::bigint = $1`, id).Scan(&attempt, &errs); err != nil {
			t.Fatal(err)
		}
		if attempt < 1 || len(errs) != attempt || !strings.Contains(errs[0], "send e-mail") || !strings.Contains(errs[0], "connection refused") {
			t.Fatalf("after failed attempts: attempt %d, errors %q", attempt, errs)
		}

		// The server comes back and the retry's back-off passes (moved
		// forward here rather than waited for): River tries again.
		box = smtptest.Start(t, addr)
		if _, err := s.owner.Exec(t.Context(), `UPDATE river_job SET scheduled_at = now() WHERE (args->>'concern_id')::bigint = $1`, id); err != nil {
			t.Fatal(err)
		}
		s.work(t, addr, func() bool { return s.jobState(t, id) == "completed" })
		if got := smtptest.Recipients(box.Messages()); !slices.Equal(got, []string{"deputy@demo.test", "dsl@demo.test"}) {
			t.Fatalf("after the retry alerted %v", got)
		}
	})
}

// TestAlertJobInConcernTransaction: the job is filed with the concern, once.
func TestAlertJobInConcernTransaction(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	pupil, _ := s.pupil(t)
	in := concern(t, "once-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	})
	id, _, err := s.db.LogConcern(t.Context(), staff, in)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.alertJobs(t, id); n != 1 {
		t.Fatalf("%d alert jobs after logging, want 1", n)
	}
	again, dup, err := s.db.LogConcern(t.Context(), staff, in)
	if err != nil || !dup || again != id {
		t.Fatalf("resent form: id %d duplicate %v err %v", again, dup, err)
	}
	if n := s.alertJobs(t, id); n != 1 {
		t.Fatalf("%d alert jobs after the form was resent, want 1", n)
	}
	var keys []string
	if err := s.owner.QueryRow(t.Context(), `SELECT array_agg(k ORDER BY k) FROM river_job, jsonb_object_keys(args) k WHERE kind = 'concern_alert'`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if want := []string{"concern_id", "logged_by", "route", "school_id", "urgent"}; !slices.Equal(keys, want) {
		t.Errorf("the job holds %v, want ids only: %v", keys, want)
	}

	// A concern that is not filed leaves no job behind.
	bad := concern(t, "bad-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{-1}
	})
	if _, _, err := s.db.LogConcern(t.Context(), staff, bad); err == nil {
		t.Fatal("a concern about no such pupil was filed")
	}
	var total int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job`).Scan(&total); err != nil || total != 2 {
		t.Fatalf("%d jobs in all, want 2: the alert and the escalation (err %v)", total, err)
	}
}

// TestAlertRecipients is the routing of alerts, one case per route.
func TestAlertRecipients(t *testing.T) {
	s := newSchool(t)
	id := func(email string) int64 { return s.viewer(t, email).PersonID }
	cases := []struct {
		name   string
		route  safeguarding.Route
		except []int64
		want   []string
	}{
		{"Child", safeguarding.RouteChild, []int64{id("staff@demo.test")}, []string{"deputy@demo.test", "dsl@demo.test"}},
		{"ChildLoggedByDSL", safeguarding.RouteChild, []int64{id("dsl@demo.test")}, []string{"deputy@demo.test"}},
		{"Adult", safeguarding.RouteAdult, []int64{id("staff01@demo.test"), id("staff@demo.test")}, []string{"deputy@demo.test", "dsl@demo.test", "principal@demo.test"}},
		{"Principal", safeguarding.RoutePrincipal, []int64{id("principal@demo.test")}, []string{"chair@demo.test"}},
		{"SafeguardingLead", safeguarding.RouteSafeguardingLead, []int64{id("dsl@demo.test")}, []string{"principal@demo.test"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			school, got, err := s.db.AlertRecipients(t.Context(), s.schoolID, c.route, c.except...)
			if err != nil {
				t.Fatal(err)
			}
			if school != demo.SchoolName || !slices.Equal(got, c.want) {
				t.Errorf("got %q %v, want %v", school, got, c.want)
			}
		})
	}
}

// TestLogSender: without SMTP_URL an alert is one log line. At the info
// level it names neither its recipient nor its concern, which together say
// who was told about which concern (an allegation about the principal,
// told to the chair); only at the debug level does it name both.
func TestLogSender(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		t.Run(level.String(), func(t *testing.T) {
			var out strings.Builder
			sender, err := mail.NewSender("", mail.DefaultFrom, slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: level})), nil)
			if err != nil {
				t.Fatal(err)
			}
			m := jobs.AlertMessage(jobs.AlertArgs{ConcernID: 97531, Urgent: true}, "Riverside Academy", baseURL)
			m.To = "chair@school.test"
			if err := sender.Send(t.Context(), m); err != nil {
				t.Fatal(err)
			}
			line := out.String()
			if strings.Count(line, "\n") != 1 || !strings.Contains(line, "not sent") || strings.Contains(line, "Riverside") || strings.Contains(line, "Urgent") {
				t.Errorf("log line %q", line)
			}
			names := strings.Contains(line, "chair@school.test") || strings.Contains(line, "97531")
			if level == slog.LevelInfo && names {
				t.Errorf("at the info level the line names the recipient or the concern: %q", line)
			}
			if level == slog.LevelDebug && !(strings.Contains(line, "chair@school.test") && strings.Contains(line, "concern:97531")) {
				t.Errorf("at the debug level the line does not name the recipient and the concern: %q", line)
			}
		})
	}
}

// A send refused for one recipient fails the job, and River logs the error
// at the info level: no line of that log names the recipient, nor the
// concern. (The chair alone told of a concern says there is an allegation
// about the principal.)
func TestAlertErrorLogNamesNoOne(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	principal := s.viewer(t, "principal@demo.test")
	id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "refused-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, principal.PersonID
	}))
	if err != nil {
		t.Fatal(err)
	}
	box := smtptest.Start(t, "127.0.0.1:0")
	box.Reject("chair@demo.test")
	var out syncBuffer
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s.workLogged(t, box.Addr(), logger, func() bool { return s.jobState(t, id) == "retryable" })
	log := out.String()
	if !strings.Contains(log, "Job errored") || !strings.Contains(log, "550") {
		t.Fatalf("River did not log the refused send (the test proves nothing):\n%s", log)
	}
	ref := strconv.FormatInt(id, 10)
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "chair@demo.test") || strings.Contains(line, "concern:"+ref) || strings.Contains(line, "/concerns/"+ref) {
			t.Errorf("a log line names the recipient or the concern: %s", line)
		}
	}
}

// syncBuffer is a buffer that River's goroutines may log to at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDeniedLookNotice: the fifth denied look within a day at a concern about
// the principal, by the principal, reaches the chair alone by e-mail, once,
// naming who tried and how often and nothing of the concern.
func TestDeniedLookNotice(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	principal := s.viewer(t, "principal@demo.test")
	id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "notice-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, principal.PersonID
	}))
	if err != nil {
		t.Fatal(err)
	}
	look := func() {
		t.Helper()
		if err := s.db.RecordDeniedLook(t.Context(), principal, safeguarding.DeniedLook{Record: safeguarding.LookedForConcern, ID: id,
			Request: "GET /concerns/{id}", Address: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
	}
	// The concern's alert goes first, and is not what this test counts.
	box := smtptest.Start(t, "127.0.0.1:0")
	s.work(t, box.Addr(), func() bool { return s.jobState(t, id) == "completed" })
	alerts := len(box.Messages())

	for range 7 {
		look()
	}
	allSent := func() bool {
		st := s.noticeStates(t, id)
		return st != "" && strings.Trim(strings.ReplaceAll(st, "completed", ""), ",") == ""
	}
	s.work(t, box.Addr(), allSent)
	if st := s.noticeStates(t, id); st != "completed" {
		t.Fatalf("notice jobs %q after 7 denied looks, want one", st)
	}
	msgs := box.Messages()[alerts:]
	if got := smtptest.Recipients(msgs); !slices.Equal(got, []string{"chair@demo.test"}) {
		t.Fatalf("noticed %v, want only chair@demo.test", got)
	}
	m := msgs[0]
	if m.Subject != "Someone has repeatedly tried to open a concern" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"Pat Principal has tried 5 times in 24 hours to open a concern at " + demo.SchoolName,
		fmt.Sprintf("%s/concerns/%d", baseURL, id)} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	for _, secret := range []string{"notice-marker", "Sam Teacher", "physical", "neglect", "192.0.2.1"} {
		if strings.Contains(m.Body, secret) {
			t.Errorf("the notice gives away %q:\n%s", secret, m.Body)
		}
	}
}

// noticeStates are the states of a concern's notice jobs, joined.
func (s *school) noticeStates(t *testing.T, concernID int64) string {
	t.Helper()
	var states string
	err := s.owner.QueryRow(t.Context(), `SELECT coalesce(string_agg(state::text, ',' ORDER BY id), '') FROM river_job
		WHERE kind = 'denied_look_notice' AND (args->>'concern_id')::bigint = $1`, concernID).Scan(&states)
	if err != nil {
		t.Fatal(err)
	}
	return states
}

// school is the demo school on a fresh database.
type school struct {
	db       *postgres.DB
	pool     *pgxpool.Pool // the app's connections
	owner    *pgx.Conn
	schoolID int64
}

func newSchool(t *testing.T) *school {
	t.Helper()
	ctx := t.Context()
	conn := pgtest.NewDB(t)
	pool := pgtest.NewPool(t, conn)
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	notices, err := jobs.NoticeEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.New(pool, alerts).WithDeniedLookNotices(safeguarding.DefaultDeniedLookWatch, notices)
	if _, err := demo.Load(ctx, db, "test-demo-password"); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	s := &school{db: db, pool: pool, owner: owner}
	if s.schoolID, err = db.SchoolByName(ctx, demo.SchoolName); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *school) viewer(t *testing.T, email string) safeguarding.Viewer {
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

// pupil is a pupil of the demo school and their full name.
func (s *school) pupil(t *testing.T) (int64, string) {
	t.Helper()
	var id int64
	var name string
	if err := s.owner.QueryRow(t.Context(), `SELECT id, first_name || ' ' || last_name FROM pupils ORDER BY id LIMIT 1`).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	return id, name
}

func (s *school) jobState(t *testing.T, concernID int64) string {
	t.Helper()
	var state string
	err := s.owner.QueryRow(t.Context(), `SELECT state FROM river_job WHERE kind = 'concern_alert' AND (args->>'concern_id')::bigint = $1`, concernID).Scan(&state)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func (s *school) alertJobs(t *testing.T, concernID int64) int {
	t.Helper()
	var n int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'concern_alert' AND (args->>'concern_id')::bigint = $1`, concernID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// work runs River's client as the app does, sending through the SMTP
// server at addr, until done (polled), for at most 30 seconds.
func (s *school) work(t *testing.T, addr string, done func() bool) {
	t.Helper()
	s.workLogged(t, addr, slog.New(slog.NewTextHandler(io.Discard, nil)), done)
}

// workLogged is work with River logging to logger.
func (s *school) workLogged(t *testing.T, addr string, logger *slog.Logger, done func() bool) {
	t.Helper()
	sender, err := mail.NewSMTP("smtp://"+addr, mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Logger: logger,
		Alerts:      &jobs.AlertWorker{Directory: s.db, Mail: sender, BaseURL: baseURL},
		DeniedLooks: &jobs.DeniedLookWorker{Directory: s.db, Mail: sender, BaseURL: baseURL}}, done)
}

func concern(t *testing.T, marker string, urgent bool, subject func(*safeguarding.ConcernInput)) safeguarding.ConcernInput {
	t.Helper()
	in := safeguarding.ConcernInput{
		SubmissionToken: fmt.Sprintf("00000000-0000-4000-8000-%012d", time.Now().UnixNano()%1e12),
		Categories:      []string{"neglect"},
		WhatHappened:    "Came to school hungry. " + marker,
		ChildsWords:     "There was nothing in the cupboard.",
		HappenedOn:      time.Now().AddDate(0, 0, -1).Truncate(24 * time.Hour),
		Urgent:          urgent,
	}
	subject(&in)
	return in
}

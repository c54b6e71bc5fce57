package jobs_test

import (
	"github.com/havenapp/haven/internal/mail/smtptest"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/jobs/jobstest"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The sign-in that locks an account queues, in its own transaction, the
// e-mail to the account's owner with a link that unlocks it: the link and
// nothing more, sent over SMTP; the link works once.
func TestUnlockLink(t *testing.T) {
	s := newSchool(t)
	ctx := t.Context()
	enqueue, err := jobs.UnlockEnqueuer(s.pool)
	if err != nil {
		t.Fatal(err)
	}
	db := s.db.WithUnlockLinks(enqueue)
	if _, err := s.owner.Exec(ctx, `INSERT INTO sign_in_failures (email, address, failed_at)
		SELECT 'dsl@demo.test', '203.0.113.' || i, clock_timestamp() - i * interval '10 minutes' FROM generate_series(1, $1::int - 2) i`,
		safeguarding.HardLockFailures); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, "dsl@demo.test", "guess from 192.0.2.1", "192.0.2.1"); err == nil || err == safeguarding.ErrAccountLocked {
		t.Fatalf("one failure short of the lock: %v", err)
	}
	if n := s.unlockJobs(t); n != 0 {
		t.Fatalf("%d unlock jobs before the lock", n)
	}
	if _, err := db.SignIn(ctx, "dsl@demo.test", "guess from 192.0.2.1", "192.0.2.1"); err != safeguarding.ErrAccountLocked {
		t.Fatalf("the failure that locks: %v", err)
	}
	var keys []string
	if err := s.owner.QueryRow(ctx, `SELECT array_agg(k ORDER BY k) FROM river_job, jsonb_object_keys(args) k WHERE kind = 'account_unlock_link'`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if want := []string{"person_id", "school_id"}; !slices.Equal(keys, want) {
		t.Fatalf("the job holds %v, want ids only: %v", keys, want)
	}

	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: db, Mail: sender, BaseURL: baseURL},
		Unlocks: &jobs.UnlockWorker{Links: db, Mail: sender, BaseURL: baseURL}}, func() bool { return len(box.Messages()) > 0 })
	msgs := box.Messages()
	if got := smtptest.Recipients(msgs); !slices.Equal(got, []string{"dsl@demo.test"}) {
		t.Fatalf("e-mailed %v, want the account's owner only", got)
	}
	m := msgs[0]
	link := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/unlock/([A-Za-z0-9]+)`).FindStringSubmatch(m.Body)
	if link == nil {
		t.Fatalf("no unlock link in the e-mail:\n%s", m.Body)
	}
	for _, secret := range []string{"192.0.2.1", "guess", "dsl@", demo.SchoolName} {
		if strings.Contains(m.Body, secret) || strings.Contains(m.Subject, secret) {
			t.Errorf("the e-mail gives away %q:\n%s", secret, m.Body)
		}
	}

	if err := db.UnlockWithLink(ctx, link[1], "198.51.100.7"); err != nil {
		t.Fatalf("the e-mailed link: %v", err)
	}
	if _, err := db.SignIn(ctx, "dsl@demo.test", "test-demo-password", "198.51.100.7"); err != nil {
		t.Fatalf("sign in after unlocking: %v", err)
	}
	if err := db.UnlockWithLink(ctx, link[1], "198.51.100.7"); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("the link used again: %v", err)
	}
}

// The job queue sweeps away old failed sign-ins as it starts, and
// periodically after that.
func TestSweepRunsOnTheQueue(t *testing.T) {
	s := newSchool(t)
	if _, err := s.owner.Exec(t.Context(), `INSERT INTO sign_in_failures (email, address, failed_at) VALUES
		('dsl@demo.test', '203.0.113.1', clock_timestamp() - interval '25 hours'),
		('nobody@demo.test', '203.0.113.1', clock_timestamp() - interval '20 minutes')`); err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: s.db, Mail: mail.LogSender{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}},
		Sweep: &jobs.SweepWorker{Sweeper: s.db}}, func() bool {
		var n int
		if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM sign_in_failures`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
}

func (s *school) unlockJobs(t *testing.T) int {
	t.Helper()
	var n int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'account_unlock_link'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// runJobs runs the school's workers in cfg until done (jobstest.Run).
func runJobs(t *testing.T, s *school, cfg jobs.Config, done func() bool) {
	t.Helper()
	jobstest.Run(t, s.pool, cfg, done)
}

package jobs_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/mail/smtptest"
)

// A request on the "Forgotten your password?" page queues, in its own
// transaction, the e-mail with the reset link; sent over SMTP to the
// account's owner, it holds the link and nothing about who asked, and the
// link sets the password once.
func TestPasswordResetLink(t *testing.T) {
	s := newSchool(t)
	ctx := t.Context()
	enqueue, err := jobs.PasswordResetEnqueuer(s.pool)
	if err != nil {
		t.Fatal(err)
	}
	db := s.db.WithPasswordResets(enqueue)
	if err := db.RequestPasswordReset(ctx, "staff@demo.test", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := s.owner.QueryRow(ctx, `SELECT array_agg(k ORDER BY k) FROM river_job, jsonb_object_keys(args) k WHERE kind = 'password_reset_link'`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if want := []string{"person_id", "reset_id", "school_id"}; !slices.Equal(keys, want) {
		t.Fatalf("the job holds %v, want ids only: %v", keys, want)
	}

	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: db, Mail: sender, BaseURL: baseURL},
		PasswordResets: &jobs.PasswordResetWorker{Links: db, Mail: sender, BaseURL: baseURL}}, func() bool { return len(box.Messages()) > 0 })
	msgs := box.Messages()
	if got := smtptest.Recipients(msgs); !slices.Equal(got, []string{"staff@demo.test"}) {
		t.Fatalf("e-mailed %v, want the account's owner only", got)
	}
	m := msgs[0]
	if m.Subject != "Reset your Haven password" {
		t.Errorf("subject %q", m.Subject)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/password/reset/([A-Za-z0-9]+)`).FindStringSubmatch(m.Body)
	if link == nil {
		t.Fatalf("no reset link in the e-mail:\n%s", m.Body)
	}
	for _, secret := range []string{"192.0.2.1", "staff@", demo.SchoolName} {
		if strings.Contains(m.Body, secret) || strings.Contains(m.Subject, secret) {
			t.Errorf("the e-mail gives away %q:\n%s", secret, m.Body)
		}
	}

	if err := db.ResetPassword(ctx, link[1], "a kettle of fish at dawn", "198.51.100.7"); err != nil {
		t.Fatalf("the e-mailed link: %v", err)
	}
	if _, err := db.SignIn(ctx, "staff@demo.test", "a kettle of fish at dawn", "198.51.100.7"); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
	if err := db.ResetPassword(ctx, link[1], "another kettle of fish", "198.51.100.7"); err == nil {
		t.Error("the link worked twice")
	}
}

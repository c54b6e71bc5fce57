package jobs_test

import (
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/mail/smtptest"
	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The administrator's invitation queues, in its own transaction, the
// e-mail with the link that sets the invited person's password: the job
// holds ids only, and the e-mail goes over SMTP to the invited person alone
// with a link that works once. A resent invitation's e-mail carries a new
// link; the old one no longer works.
func TestInvitationEmail(t *testing.T) {
	s := newSchool(t)
	ctx := t.Context()
	enqueue, err := jobs.InvitationEnqueuer(s.pool)
	if err != nil {
		t.Fatal(err)
	}
	db := s.db.WithInvitations(enqueue)
	admin := s.viewer(t, "admin@demo.test")
	id, err := db.InvitePerson(ctx, admin, safeguarding.InviteInput{Email: "nia.newcomer@demo.test", Name: "Nia Newcomer",
		Roles: safeguarding.Roles{safeguarding.RoleStaff}}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := s.owner.QueryRow(ctx, `SELECT array_agg(k ORDER BY k) FROM river_job, jsonb_object_keys(args) k WHERE kind = 'invitation'`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if want := []string{"invitation_id", "school_id"}; !slices.Equal(keys, want) {
		t.Fatalf("the job holds %v, want ids only: %v", keys, want)
	}

	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	cfg := jobs.Config{Alerts: &jobs.AlertWorker{Directory: db, Mail: sender, BaseURL: baseURL},
		Invitations: &jobs.InvitationWorker{Links: db, Mail: sender, BaseURL: baseURL}}
	runJobs(t, s, cfg, func() bool { return len(box.Messages()) > 0 })
	link := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/invitation/([A-Za-z0-9]+)`)
	msgs := box.Messages()
	if got := smtptest.Recipients(msgs); !slices.Equal(got, []string{"nia.newcomer@demo.test"}) {
		t.Fatalf("e-mailed %v, want the invited person only", got)
	}
	first := link.FindStringSubmatch(msgs[0].Body)
	if first == nil {
		t.Fatalf("no invitation link in the e-mail:\n%s", msgs[0].Body)
	}
	for _, want := range []string{"Nia Newcomer", demo.SchoolName, "72 hours"} {
		if !strings.Contains(msgs[0].Body, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, msgs[0].Body)
		}
	}
	if _, err := db.CheckInvitation(ctx, first[1]); err != nil {
		t.Fatalf("the e-mailed link: %v", err)
	}

	if err := db.ResendInvitation(ctx, admin, id, ""); err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, cfg, func() bool { return len(box.Messages()) > 1 })
	second := link.FindStringSubmatch(box.Messages()[1].Body)
	if second == nil || second[1] == first[1] {
		t.Fatalf("the resent e-mail's link %v, the first %s", second, first[1])
	}
	if _, err := db.CheckInvitation(ctx, first[1]); err != safeguarding.ErrInvitationInvalid {
		t.Errorf("the first link after resending: %v", err)
	}
	hash, err := password.Hash("a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AcceptInvitation(ctx, second[1], hash, ""); err != nil {
		t.Fatalf("the resent link: %v", err)
	}
	if _, err := db.AcceptInvitation(ctx, second[1], hash, ""); err != safeguarding.ErrInvitationInvalid {
		t.Errorf("the link used again: %v", err)
	}
}

// Without SMTP the invitation is kept in the outbox, link and all, for the
// administrator to read.
func TestInvitationKeptInOutbox(t *testing.T) {
	s := newSchool(t)
	ctx := t.Context()
	enqueue, err := jobs.InvitationEnqueuer(s.pool)
	if err != nil {
		t.Fatal(err)
	}
	db := s.db.WithInvitations(enqueue)
	admin := s.viewer(t, "admin@demo.test")
	if _, err := db.InvitePerson(ctx, admin, safeguarding.InviteInput{Email: "kept@demo.test", Name: "Kit Kept",
		Roles: safeguarding.Roles{safeguarding.RoleGovernor}}, ""); err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSender("", mail.DefaultFrom, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: db, Mail: sender, BaseURL: baseURL},
		Invitations: &jobs.InvitationWorker{Links: db, Mail: sender, BaseURL: baseURL}}, func() bool {
		msgs, err := db.Outbox(ctx, admin)
		return err == nil && len(msgs) > 0
	})
	msgs, _ := db.Outbox(ctx, admin)
	if len(msgs) != 1 || msgs[0].To != "kept@demo.test" || !strings.Contains(msgs[0].Body, baseURL+"/invitation/") {
		t.Fatalf("the outbox holds %+v", msgs)
	}
}

package jobs_test

import (
	"fmt"
	"github.com/havenapp/haven/internal/mail/smtptest"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestOutboxKeepsAlertWithoutSMTP: with SMTP_URL unset, the alert worker's
// e-mails are kept in the school's outbox, whole, where the administrator
// reads them, newest first, and nobody else does.
func TestOutboxKeepsAlertWithoutSMTP(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	admin := s.viewer(t, "admin@demo.test")
	pupil, _ := s.pupil(t)
	id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "outbox-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}))
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSender("", mail.DefaultFrom, slog.New(slog.NewTextHandler(io.Discard, nil)), s.db)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: s.db, Mail: sender, BaseURL: baseURL}},
		func() bool { return s.jobState(t, id) == "completed" })

	msgs, err := s.db.Outbox(t.Context(), admin)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range msgs {
		to = append(to, m.To)
		if m.Subject != "A concern needs your attention" || m.SentAt.IsZero() {
			t.Errorf("kept %+v", m)
		}
		if link := fmt.Sprintf("%s/concerns/%d", baseURL, id); !strings.Contains(m.Body, link) {
			t.Errorf("the kept body lacks the link %s:\n%s", link, m.Body)
		}
	}
	slices.Sort(to)
	if want := []string{"deputy@demo.test", "dsl@demo.test"}; !slices.Equal(to, want) {
		t.Fatalf("the outbox holds e-mails to %v, want %v", to, want)
	}
	for _, who := range []string{"dsl@demo.test", "staff@demo.test", "principal@demo.test"} {
		if _, err := s.db.Outbox(t.Context(), s.viewer(t, who)); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
			t.Errorf("%s reads the outbox: %v", who, err)
		}
	}
}

// TestOutboxEmptyWithSMTP: with SMTP_URL set, the alert is sent and
// nothing is kept, though the server hands the sender its outbox.
func TestOutboxEmptyWithSMTP(t *testing.T) {
	s := newSchool(t)
	staff := s.viewer(t, "staff@demo.test")
	pupil, _ := s.pupil(t)
	id, _, err := s.db.LogConcern(t.Context(), staff, concern(t, "smtp-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}))
	if err != nil {
		t.Fatal(err)
	}
	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSender("smtp://"+box.Addr(), mail.DefaultFrom, slog.New(slog.NewTextHandler(io.Discard, nil)), s.db)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: s.db, Mail: sender, BaseURL: baseURL}},
		func() bool { return s.jobState(t, id) == "completed" })
	if n := len(box.Messages()); n != 2 {
		t.Errorf("%d e-mails sent, want 2", n)
	}
	var kept int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM outbox`).Scan(&kept); err != nil || kept != 0 {
		t.Errorf("the outbox keeps %d e-mails (err %v), want none", kept, err)
	}
}

package jobs_test

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/mail/smtptest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// Feedback recorded for the member of staff who logged a concern is
// e-mailed to them, with a link and no name or detail (§11.8); the job is
// enqueued with the entry, and none when the DSL gives feedback on a
// concern they logged themselves.
func TestFeedbackEmail(t *testing.T) {
	s := newSchool(t)
	ctx := t.Context()
	enqueue, err := jobs.FeedbackEnqueuer(s.pool)
	if err != nil {
		t.Fatal(err)
	}
	db := s.db.WithFeedbackMail(enqueue)
	staff, dsl := s.viewer(t, "staff@demo.test"), s.viewer(t, "dsl@demo.test")
	pupil, name := s.pupil(t)
	id, _, err := db.LogConcern(ctx, staff, concern(t, "feedback-detail-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddEntry(ctx, dsl, id, safeguarding.EntryInput{Kind: safeguarding.EntryFeedback, Body: "Thank you: feedback-body-marker"}); err != nil {
		t.Fatal(err)
	}
	own, _, err := db.LogConcern(ctx, dsl, concern(t, "own-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddEntry(ctx, dsl, own, safeguarding.EntryInput{Kind: safeguarding.EntryFeedback, Body: "Noted."}); err != nil {
		t.Fatal(err)
	}
	if n := s.feedbackJobs(t, own); n != 0 {
		t.Errorf("%d feedback e-mails for feedback the DSL gave themselves", n)
	}

	box := smtptest.Start(t, "127.0.0.1:0")
	sender, err := mail.NewSMTP("smtp://"+box.Addr(), mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Alerts: &jobs.AlertWorker{Directory: s.db, Mail: sender, BaseURL: baseURL},
		Feedback: &jobs.FeedbackWorker{Directory: s.db, Mail: sender, BaseURL: baseURL}},
		func() bool { return slices.Contains(smtptest.Recipients(box.Messages()), "staff@demo.test") })
	var found bool
	for _, m := range box.Messages() {
		if m.Subject != "Feedback on a concern you logged" {
			continue
		}
		found = true
		if got := smtptest.Recipients([]smtptest.Message{m}); !slices.Equal(got, []string{"staff@demo.test"}) {
			t.Errorf("feedback e-mailed to %v", got)
		}
		if want := fmt.Sprintf("%s/concerns/%d", baseURL, id); !strings.Contains(m.Body, want) || !strings.Contains(m.Body, "My concerns") {
			t.Errorf("body lacks the link %s to My concerns:\n%s", want, m.Body)
		}
		for _, secret := range append(strings.Fields(name), "feedback-detail-marker", "feedback-body-marker", dsl.Name, staff.Name) {
			if strings.Contains(m.Body, secret) || strings.Contains(m.Subject, secret) {
				t.Errorf("the e-mail gives away %q:\n%s", secret, m.Body)
			}
		}
	}
	if !found {
		t.Fatal("no feedback e-mail")
	}
}

func (s *school) feedbackJobs(t *testing.T, concernID int64) int {
	t.Helper()
	var n int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'feedback_notice' AND (args->>'concern_id')::bigint = $1`, concernID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

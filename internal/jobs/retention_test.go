package jobs_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The job queue lists the files due for review as it starts (and nightly
// after that): a pupil with a concern, born 26 years ago, and no one else.
func TestRetentionRunsOnTheQueue(t *testing.T) {
	s := newSchool(t)
	pupil, _ := s.pupil(t)
	if _, _, err := s.db.LogConcern(t.Context(), s.viewer(t, "staff@demo.test"), concern(t, "retention-marker", false, func(in *safeguarding.ConcernInput) {
		in.SubjectKind, in.PupilIDs = safeguarding.SubjectPupils, []int64{pupil}
	})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.owner.Exec(t.Context(), `UPDATE pupils SET date_of_birth = current_date - interval '26 years' WHERE id = $1`, pupil); err != nil {
		t.Fatal(err)
	}
	runJobs(t, s, jobs.Config{Alerts: &jobs.AlertWorker{Directory: s.db, Mail: mail.LogSender{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}},
		Retention: &jobs.RetentionWorker{Lister: s.db}}, func() bool {
		var n int
		if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM retention_reviews`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	})
	var listed []int64
	if err := s.owner.QueryRow(t.Context(), `SELECT array_agg(pupil_id) FROM retention_reviews`).Scan(&listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0] != pupil {
		t.Errorf("listed %v, want the pupil %d alone", listed, pupil)
	}
}

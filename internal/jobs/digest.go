package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// DigestArgs is the daily digest job, enqueued by River's periodic
// scheduler at 07:30 in England. It holds nothing: the time it was
// scheduled for says which day it is.
type DigestArgs struct{}

// Kind is River's name for the job.
func (DigestArgs) Kind() string { return "daily_digest" }

// digestHour and digestMinute are when the digest goes, in England.
const (
	digestHour   = 7
	digestMinute = 30
)

// DigestSchedule is when the digest goes: every day, weekends and closure
// days too. Concerns are logged on any day (trips, holiday clubs, a child
// who tells a coach on a Saturday), and the DSL on call then needs the
// counts; a digest for every day also keeps "since the last digest"
// exactly one day, so nothing is counted twice or missed.
var DigestSchedule = DailyAt{Hour: digestHour, Minute: digestMinute}

// digestJob is the digest's periodic job.
func digestJob() *river.PeriodicJob {
	return river.NewPeriodicJob(DigestSchedule,
		func() (river.JobArgs, *river.InsertOpts) { return DigestArgs{}, nil }, nil)
}

// DigestStore finds each school's digest and its readers.
type DigestStore interface {
	// SchoolIDs lists every school.
	SchoolIDs(ctx context.Context) ([]int64, error)
	// DigestCounts are a school's digest figures since a time.
	DigestCounts(ctx context.Context, schoolID int64, since time.Time) (safeguarding.DigestCounts, error)
	// AlertRecipientPeople: the DSL and deputies are those who handle
	// concerns about children.
	AlertRecipientPeople(ctx context.Context, schoolID int64, route safeguarding.Route, except ...int64) (string, []safeguarding.Recipient, error)
}

// DigestWorker e-mails each school's DSL and deputies the day's counts. A
// failed send fails the job, and the retry sends every school's again:
// better twice than never.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	Store   DigestStore
	Mail    mail.Sender
	BaseURL string
}

// Work sends the digests for the day the job was scheduled on, counting
// from the digest before it.
func (w *DigestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	// A job runs a moment after its time; one started late still counts
	// from the digest before its own.
	at := DigestSchedule.Previous(job.ScheduledAt.Add(time.Minute))
	return w.Send(ctx, DigestSince(at))
}

// DigestSince is when the digest sent at at counts from: the digest before
// it, the same time of day one day earlier in England (23 or 25 hours
// across a clock change).
func DigestSince(at time.Time) time.Time {
	local := at.In(safeguarding.England())
	return time.Date(local.Year(), local.Month(), local.Day()-1, local.Hour(), local.Minute(), 0, 0, safeguarding.England())
}

// Send e-mails every school's digest, counting from since.
func (w *DigestWorker) Send(ctx context.Context, since time.Time) error {
	schools, err := w.Store.SchoolIDs(ctx)
	if err != nil {
		return fmt.Errorf("list schools: %w", err)
	}
	for _, id := range schools {
		counts, err := w.Store.DigestCounts(ctx, id, since)
		if err != nil {
			return fmt.Errorf("count digest: %w", err)
		}
		school, to, err := w.Store.AlertRecipientPeople(ctx, id, safeguarding.RouteChild)
		if err != nil {
			return fmt.Errorf("find digest recipients: %w", err)
		}
		for _, r := range to {
			m := DigestMessage(counts, school, w.BaseURL)
			m.To, m.SchoolID = r.Email, id
			if err := w.Mail.Send(ctx, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// DigestMessage is the digest's e-mail, without its recipient: counts, and
// a link to Haven; no names and no details.
func DigestMessage(c safeguarding.DigestCounts, school, baseURL string) mail.Message {
	line := func(n int, what string) string { return "- " + strconv.Itoa(n) + " " + what + "\n" }
	body := "Haven's daily summary for " + school + ".\n\n" +
		line(c.NewConcerns, "new concerns since yesterday's summary") +
		line(c.Overdue, "concerns not yet acknowledged, past their escalation time") +
		line(c.Escalated, "concerns escalated since yesterday's summary") +
		line(c.OverdueDeadlines, "deadlines overdue (agency responses, feedback to staff, leavers' files to transfer)") +
		"\nThe concerns in Haven (sign in first):\n" + strings.TrimRight(baseURL, "/") + "/queue\n" +
		"What is due:\n" + strings.TrimRight(baseURL, "/") + "/due\n\n" +
		"For the safety of the people involved, this e-mail holds no names and no details. Do not forward it.\n"
	return mail.Message{Subject: "Haven: today's safeguarding summary", Ref: "digest", Body: body}
}

package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// AlertArgs is the job that e-mails a new concern's case handlers: a
// safeguarding.ConcernAlert as River stores it. It holds ids only: no
// child's name and no detail ever reach the queue or an e-mail. Its JSON
// names and Kind are those of the jobs already queued: do not change them.
type AlertArgs struct {
	SchoolID        int64              `json:"school_id"`
	ConcernID       int64              `json:"concern_id"`
	Urgent          bool               `json:"urgent"`
	Route           safeguarding.Route `json:"route"`
	SubjectPersonID int64              `json:"subject_person_id,omitempty"`
	// LoggedBy is not alerted: they know.
	LoggedBy int64 `json:"logged_by"`
}

// Kind is River's name for the job.
func (AlertArgs) Kind() string { return "concern_alert" }

// AlertEnqueuer returns what the store calls to enqueue a new concern's
// alert in the transaction that files it (postgres.AlertEnqueuer), and its
// escalation, scheduled at a.EscalateAt when set: it inserts the jobs
// through a River client of its own, which works none.
func AlertEnqueuer(pool *pgxpool.Pool) (func(ctx context.Context, tx pgx.Tx, a safeguarding.ConcernAlert) error, error) {
	inserter, err := newInserter(pool)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, tx pgx.Tx, a safeguarding.ConcernAlert) error {
		_, err := inserter.InsertTx(ctx, tx, AlertArgs{SchoolID: a.SchoolID, ConcernID: a.ConcernID, Urgent: a.Urgent, Route: a.Route,
			SubjectPersonID: a.SubjectPersonID, LoggedBy: a.LoggedBy}, nil)
		if err != nil || a.EscalateAt.IsZero() {
			return err
		}
		// The escalation waits in the queue until its time, and then does
		// nothing if the concern has been acknowledged.
		_, err = inserter.InsertTx(ctx, tx, EscalationArgs{SchoolID: a.SchoolID, ConcernID: a.ConcernID},
			&river.InsertOpts{ScheduledAt: a.EscalateAt})
		return err
	}, nil
}

// newInserter is a River client that inserts jobs and works none.
func newInserter(pool *pgxpool.Pool) (*river.Client[pgx.Tx], error) {
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return inserter, nil
}

// Directory finds who is alerted.
type Directory interface {
	// AlertRecipients returns the school's name and the e-mail addresses of
	// its active people who handle concerns on route, except the people
	// listed.
	AlertRecipients(ctx context.Context, schoolID int64, route safeguarding.Route, except ...int64) (school string, emails []string, err error)
	// AlertRecipientPeople is AlertRecipients with each person's id.
	AlertRecipientPeople(ctx context.Context, schoolID int64, route safeguarding.Route, except ...int64) (string, []safeguarding.Recipient, error)
	// AddNotices adds in-app notices, as Haven itself.
	AddNotices(ctx context.Context, notices ...safeguarding.Notice) error
}

// AlertWorker e-mails each case handler of a new concern. A failed send
// fails the job and River retries it, so a recipient sent to before the
// failure may be sent to twice: better twice than never.
type AlertWorker struct {
	river.WorkerDefaults[AlertArgs]
	Directory Directory
	Mail      mail.Sender
	BaseURL   string // Haven's address as people reach it, e.g. https://haven.example.sch.uk
}

// Work sends the alert.
func (w *AlertWorker) Work(ctx context.Context, job *river.Job[AlertArgs]) error {
	a := job.Args
	school, to, err := w.Directory.AlertRecipientPeople(ctx, a.SchoolID, a.Route, a.SubjectPersonID, a.LoggedBy)
	if err != nil {
		return fmt.Errorf("find alert recipients: %w", err)
	}
	// The notices mirror the e-mails, written first and once: a retry
	// after a failed send does not write them again.
	if job.Attempt <= 1 {
		if err := w.Directory.AddNotices(ctx, AlertNotices(a, to)...); err != nil {
			return fmt.Errorf("add alert notices: %w", err)
		}
	}
	for _, r := range to {
		m := AlertMessage(a, school, w.BaseURL)
		m.To, m.SchoolID = r.Email, a.SchoolID
		if err := w.Mail.Send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// AlertMessage is the e-mail for alert a, without its recipient. It says
// that a concern was logged and where to read it, and nothing more.
func AlertMessage(a AlertArgs, school, baseURL string) mail.Message {
	id := strconv.FormatInt(a.ConcernID, 10)
	link := strings.TrimRight(baseURL, "/") + "/concerns/" + id
	m := mail.Message{Subject: "A concern needs your attention", Ref: "concern:" + id}
	kind := "A concern"
	if a.Urgent {
		m.Subject = "Urgent: a concern needs your attention now"
		kind = "An urgent concern"
	}
	m.Body = kind + " has been logged at " + school + " and needs your attention.\n\n" +
		"Read it in Haven (sign in first):\n" + link + "\n\n" +
		"For the safety of the people involved, this e-mail holds no names and no details. Do not forward it.\n"
	if a.Urgent {
		m.Body = kind + " has been logged at " + school + ": the member of staff who logged it believes a child is in immediate danger or at risk of immediate serious harm.\n\n" +
			"Read it in Haven now (sign in first):\n" + link + "\n\n" +
			"For the safety of the people involved, this e-mail holds no names and no details. Do not forward it.\n"
	}
	return m
}

// AlertNotices are the in-app notices mirroring alert a's e-mails, one for
// each recipient: each handles the concern, so each links to it.
func AlertNotices(a AlertArgs, to []safeguarding.Recipient) []safeguarding.Notice {
	msg := "A concern has been logged and needs your attention."
	if a.Urgent {
		msg = "An urgent concern has been logged: a child may be in immediate danger. It needs your attention now."
	}
	out := make([]safeguarding.Notice, 0, len(to))
	for _, r := range to {
		out = append(out, safeguarding.Notice{SchoolID: a.SchoolID, PersonID: r.PersonID, Kind: safeguarding.NoticeNewConcern,
			ConcernID: a.ConcernID, Message: msg})
	}
	return out
}

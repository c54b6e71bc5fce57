package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// DeniedLookArgs is the job that e-mails a concern's case handlers that one
// person has asked for it, and been refused, again and again: a
// safeguarding.DeniedLookNotice as River stores it, ids and counts only. Do
// not change its JSON names or Kind once such jobs may be queued.
type DeniedLookArgs struct {
	SchoolID        int64              `json:"school_id"`
	ConcernID       int64              `json:"concern_id"`
	Route           safeguarding.Route `json:"route"`
	SubjectPersonID int64              `json:"subject_person_id,omitempty"`
	PersonID        int64              `json:"person_id"`
	Times           int                `json:"times"`
	WithinSeconds   int64              `json:"within_seconds"`
}

// Kind is River's name for the job.
func (DeniedLookArgs) Kind() string { return "denied_look_notice" }

// NoticeEnqueuer returns what the store calls to enqueue the notice of
// repeated denied looks in the transaction that records the denial that
// raised it (postgres.NoticeEnqueuer).
func NoticeEnqueuer(pool *pgxpool.Pool) (func(ctx context.Context, tx pgx.Tx, n safeguarding.DeniedLookNotice) error, error) {
	inserter, err := newInserter(pool)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, tx pgx.Tx, n safeguarding.DeniedLookNotice) error {
		_, err := inserter.InsertTx(ctx, tx, DeniedLookArgs{SchoolID: n.SchoolID, ConcernID: n.ConcernID, Route: n.Route,
			SubjectPersonID: n.SubjectPersonID, PersonID: n.PersonID, Times: n.Times, WithinSeconds: int64(n.Within / time.Second)}, nil)
		return err
	}, nil
}

// NoticeDirectory finds who is told, and the name of the person the notice
// is about.
type NoticeDirectory interface {
	Directory
	PersonName(ctx context.Context, schoolID, personID int64) (string, error)
}

// DeniedLookWorker e-mails each case handler of a concern that someone has
// repeatedly asked for it and been refused: never its subject, nor the
// person who asked. Retried as AlertWorker is.
type DeniedLookWorker struct {
	river.WorkerDefaults[DeniedLookArgs]
	Directory NoticeDirectory
	Mail      mail.Sender
	BaseURL   string
}

// Work sends the notice.
func (w *DeniedLookWorker) Work(ctx context.Context, job *river.Job[DeniedLookArgs]) error {
	a := job.Args
	school, to, err := w.Directory.AlertRecipients(ctx, a.SchoolID, a.Route, a.SubjectPersonID, a.PersonID)
	if err != nil {
		return fmt.Errorf("find notice recipients: %w", err)
	}
	name, err := w.Directory.PersonName(ctx, a.SchoolID, a.PersonID)
	if err != nil {
		return fmt.Errorf("find who asked: %w", err)
	}
	for _, addr := range to {
		m := DeniedLookMessage(a, name, school, w.BaseURL)
		m.To, m.SchoolID = addr, a.SchoolID
		if err := w.Mail.Send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// DeniedLookMessage is the notice's e-mail, without its recipient: who asked,
// how often, and where the concern is; nothing about the concern itself.
func DeniedLookMessage(a DeniedLookArgs, name, school, baseURL string) mail.Message {
	id := strconv.FormatInt(a.ConcernID, 10)
	link := strings.TrimRight(baseURL, "/") + "/concerns/" + id
	return mail.Message{
		Subject: "Someone has repeatedly tried to open a concern",
		Ref:     "concern:" + id,
		Body: name + " has tried " + strconv.Itoa(a.Times) + " times in " + spanWords(time.Duration(a.WithinSeconds)*time.Second) +
			" to open a concern at " + school + " that they may not see. Haven did not show it to them, nor tell them that it exists.\n\n" +
			"The concern (sign in first):\n" + link + "\n\n" +
			"For the safety of the people involved, this e-mail holds no other detail. Do not forward it.\n",
	}
}

// spanWords is a span of time as a person would say it: "24 hours",
// "30 minutes".
func spanWords(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "an hour"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	case d == time.Minute:
		return "a minute"
	}
	return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + " minutes"
}

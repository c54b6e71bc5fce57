package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// EscalationArgs is the job that escalates a concern nobody it is routed
// to has acknowledged: enqueued with the concern's alert, in the
// transaction that files it, and scheduled at its escalation time
// (safeguarding.EscalationSettings.EscalateAt). Ids only. Do not change
// its JSON names or Kind once such jobs may be queued.
type EscalationArgs struct {
	SchoolID  int64 `json:"school_id"`
	ConcernID int64 `json:"escalate_concern_id"`
}

// Kind is River's name for the job.
func (EscalationArgs) Kind() string { return "concern_escalation" }

// Escalator records a concern's escalation and its notices, and says whom
// to e-mail (postgres.DB.EscalateConcern).
type Escalator interface {
	EscalateConcern(ctx context.Context, schoolID, concernID int64) (postgres.Escalated, error)
}

// EscalationWorker escalates a concern if it is still unacknowledged: the
// store records it on the concern and writes the notices in one
// transaction, then each person escalated to is e-mailed. A failed send
// fails the job; the retry records nothing twice and sends again.
type EscalationWorker struct {
	river.WorkerDefaults[EscalationArgs]
	Escalator Escalator
	Mail      mail.Sender
	BaseURL   string
}

// Work escalates the concern, or does nothing if it has been acknowledged.
func (w *EscalationWorker) Work(ctx context.Context, job *river.Job[EscalationArgs]) error {
	a := job.Args
	e, err := w.Escalator.EscalateConcern(ctx, a.SchoolID, a.ConcernID)
	if err != nil {
		return fmt.Errorf("escalate concern: %w", err)
	}
	for _, p := range e.People {
		m := EscalationMessage(a.ConcernID, e, w.BaseURL)
		m.To, m.SchoolID = p.Email, a.SchoolID
		if err := w.Mail.Send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// EscalationMessage is the escalation's e-mail, without its recipient: the
// concern's link when they may read it, otherwise whom to speak to and a
// link to their notices. It names no child and no adult.
func EscalationMessage(concernID int64, e postgres.Escalated, baseURL string) mail.Message {
	id := strconv.FormatInt(concernID, 10)
	base := strings.TrimRight(baseURL, "/")
	m := mail.Message{Subject: "A concern has not been acknowledged in time", Ref: "escalation:" + id}
	m.Body = safeguarding.EscalationNotice(e.Route, e.WithAccess) + "\n\nSchool: " + e.School + "\n\n"
	if e.WithAccess {
		m.Body += "Read it in Haven (sign in first):\n" + base + "/concerns/" + id + "\n\n"
	} else {
		m.Body += "Your notices in Haven (sign in first):\n" + base + "/notices\n\n"
	}
	m.Body += "For the safety of the people involved, this e-mail holds no names and no details. Do not forward it.\n"
	return m
}

package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// FeedbackArgs is the job that tells the member of staff who logged a
// concern that feedback on it has been recorded (§11.8): ids only, so no
// name and no detail reach the queue or the e-mail.
type FeedbackArgs struct {
	SchoolID  int64 `json:"school_id"`
	ConcernID int64 `json:"concern_id"`
	PersonID  int64 `json:"person_id"` // who logged the concern
}

// Kind is River's name for the job.
func (FeedbackArgs) Kind() string { return "feedback_notice" }

// FeedbackEnqueuer returns what the store calls to enqueue the e-mail in
// the transaction that records the feedback (postgres.FeedbackEnqueuer).
func FeedbackEnqueuer(pool *pgxpool.Pool) (func(ctx context.Context, tx pgx.Tx, n safeguarding.FeedbackNotice) error, error) {
	inserter, err := newInserter(pool)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, tx pgx.Tx, n safeguarding.FeedbackNotice) error {
		_, err := inserter.InsertTx(ctx, tx, FeedbackArgs{SchoolID: n.SchoolID, ConcernID: n.ConcernID, PersonID: n.LoggedBy}, nil)
		return err
	}, nil
}

// FeedbackDirectory finds whom feedback is e-mailed to.
type FeedbackDirectory interface {
	// FeedbackRecipient returns the school's name and the e-mail address
	// of the person, or "" when they are no longer active.
	FeedbackRecipient(ctx context.Context, schoolID, personID int64) (school, email string, err error)
}

// FeedbackWorker e-mails the member of staff who logged a concern that
// feedback on it is in Haven.
type FeedbackWorker struct {
	river.WorkerDefaults[FeedbackArgs]
	Directory FeedbackDirectory
	Mail      mail.Sender
	BaseURL   string // Haven's address as people reach it
}

// Work sends the e-mail.
func (w *FeedbackWorker) Work(ctx context.Context, job *river.Job[FeedbackArgs]) error {
	a := job.Args
	school, to, err := w.Directory.FeedbackRecipient(ctx, a.SchoolID, a.PersonID)
	if err != nil {
		return fmt.Errorf("find feedback recipient: %w", err)
	}
	if to == "" {
		return nil // left the school meanwhile
	}
	m := FeedbackMessage(a, school, w.BaseURL)
	m.To, m.SchoolID = to, a.SchoolID
	return w.Mail.Send(ctx, m)
}

// FeedbackMessage is the e-mail for a, without its recipient: that
// feedback was recorded and where to read it, and nothing more.
func FeedbackMessage(a FeedbackArgs, school, baseURL string) mail.Message {
	id := strconv.FormatInt(a.ConcernID, 10)
	link := strings.TrimRight(baseURL, "/") + "/concerns/" + id
	return mail.Message{Subject: "Feedback on a concern you logged", Ref: "concern:" + id,
		Body: "The safeguarding lead at " + school + " has recorded feedback for you on a concern you logged.\n\n" +
			"Read it in Haven, under My concerns (sign in first):\n" + link + "\n\n" +
			"For the safety of the people involved, this e-mail holds no names and no details. Do not forward it.\n"}
}

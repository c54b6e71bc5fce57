package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/havenapp/haven/internal/mail"
)

// PasswordResetArgs is the job that e-mails the link someone asked for on
// the "Forgotten your password?" page. It holds ids only: the token is made
// when the e-mail is sent, and only its hash is stored.
type PasswordResetArgs struct {
	SchoolID int64 `json:"school_id"`
	PersonID int64 `json:"person_id"`
	ResetID  int64 `json:"reset_id"`
}

// Kind is River's name for the job.
func (PasswordResetArgs) Kind() string { return "password_reset_link" }

// PasswordResetEnqueuer returns what the store calls to enqueue the reset
// e-mail in the transaction that records the request
// (postgres.PasswordResetEnqueuer).
func PasswordResetEnqueuer(pool *pgxpool.Pool) (func(ctx context.Context, tx pgx.Tx, schoolID, personID, resetID int64) error, error) {
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return func(ctx context.Context, tx pgx.Tx, schoolID, personID, resetID int64) error {
		_, err := inserter.InsertTx(ctx, tx, PasswordResetArgs{SchoolID: schoolID, PersonID: personID, ResetID: resetID}, nil)
		return err
	}, nil
}

// PasswordResetLinks makes password reset links.
type PasswordResetLinks interface {
	// IssuePasswordResetLink returns the account's e-mail address and a new
	// token for the request's link, or "" when the request no longer
	// stands (a newer one replaced it, or the account cannot have one).
	IssuePasswordResetLink(ctx context.Context, schoolID, personID, resetID int64) (email, token string, err error)
}

// PasswordResetWorker e-mails the link that sets a new password. A retried
// send makes a new token, which replaces the one before.
type PasswordResetWorker struct {
	river.WorkerDefaults[PasswordResetArgs]
	Links   PasswordResetLinks
	Mail    mail.Sender
	BaseURL string // Haven's address as people reach it
}

// Work sends the link.
func (w *PasswordResetWorker) Work(ctx context.Context, job *river.Job[PasswordResetArgs]) error {
	to, token, err := w.Links.IssuePasswordResetLink(ctx, job.Args.SchoolID, job.Args.PersonID, job.Args.ResetID)
	if err != nil {
		return err
	}
	if to == "" {
		return nil // replaced by a newer request, or the account has gone
	}
	m := PasswordResetMessage(token, w.BaseURL)
	m.To, m.SchoolID = to, job.Args.SchoolID
	return w.Mail.Send(ctx, m)
}

// PasswordResetMessage is the e-mail with the link that sets a new
// password, without its recipient: the link, and nothing about who asked
// or from where.
func PasswordResetMessage(token, baseURL string) mail.Message {
	link := strings.TrimRight(baseURL, "/") + "/password/reset/" + token
	return mail.Message{
		Subject: "Reset your Haven password",
		Ref:     "password-reset",
		Body: "Someone asked to reset the password of your Haven account.\n\n" +
			"To choose a new password, open this link. It works once, within 1 hour:\n" + link + "\n\n" +
			"If you did not ask, you can ignore this e-mail: your password has not changed. Do not forward this e-mail.\n",
	}
}

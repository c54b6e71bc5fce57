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
	"github.com/havenapp/haven/internal/postgres"
)

// InvitationArgs is the job that e-mails a person the link that invites
// them to Haven. It holds ids only: the token is made when the e-mail is
// sent, and only its hash is stored.
type InvitationArgs struct {
	SchoolID     int64 `json:"school_id"`
	InvitationID int64 `json:"invitation_id"`
}

// Kind is River's name for the job.
func (InvitationArgs) Kind() string { return "invitation" }

// InvitationEnqueuer returns what the store calls to enqueue an
// invitation's e-mail in the transaction that makes it
// (postgres.InvitationEnqueuer).
func InvitationEnqueuer(pool *pgxpool.Pool) (postgres.InvitationEnqueuer, error) {
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return func(ctx context.Context, tx pgx.Tx, schoolID, invitationID int64) error {
		_, err := inserter.InsertTx(ctx, tx, InvitationArgs{SchoolID: schoolID, InvitationID: invitationID}, nil)
		return err
	}, nil
}

// InvitationLinks makes invitation links.
type InvitationLinks interface {
	// IssueInvitationLink returns whom an invitation invites and a new
	// token for its link, or "" for an invitation no longer usable.
	IssueInvitationLink(ctx context.Context, schoolID, invitationID int64) (postgres.Invitation, string, error)
}

// InvitationWorker e-mails an invited person their link. A retried send
// makes a new link, which replaces the one before.
type InvitationWorker struct {
	river.WorkerDefaults[InvitationArgs]
	Links   InvitationLinks
	Mail    mail.Sender
	BaseURL string // Haven's address as people reach it
}

// Work sends the link.
func (w *InvitationWorker) Work(ctx context.Context, job *river.Job[InvitationArgs]) error {
	inv, token, err := w.Links.IssueInvitationLink(ctx, job.Args.SchoolID, job.Args.InvitationID)
	if err != nil {
		return err
	}
	if token == "" {
		return nil // withdrawn, resent or out of date meanwhile
	}
	m := InvitationMessage(inv, token, w.BaseURL)
	m.To, m.SchoolID = inv.Email, job.Args.SchoolID
	return w.Mail.Send(ctx, m)
}

// InvitationMessage is the e-mail that invites a person, without its
// recipient: who invites them, the link, and how long it works.
func InvitationMessage(inv postgres.Invitation, token, baseURL string) mail.Message {
	link := strings.TrimRight(baseURL, "/") + "/invitation/" + token
	return mail.Message{
		Subject: "You have been invited to Haven",
		Ref:     "invitation",
		Body: "Dear " + inv.Name + ",\n\n" +
			inv.SchoolName + " has invited you to Haven, where the school records and acts on safeguarding concerns.\n\n" +
			"To set your password and sign in, open this link. It works once, within 72 hours:\n" + link + "\n\n" +
			"If the link has expired, ask your school's Haven administrator for a new invitation. Do not forward this e-mail.\n",
	}
}

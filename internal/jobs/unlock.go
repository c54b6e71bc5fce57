package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/havenapp/haven/internal/mail"
)

// UnlockArgs is the job that e-mails the owner of an account that sign-in
// locked a link to unlock it. It holds ids only: the token is made when the
// e-mail is sent, and only its hash is stored.
type UnlockArgs struct {
	SchoolID int64 `json:"school_id"`
	PersonID int64 `json:"person_id"`
}

// Kind is River's name for the job.
func (UnlockArgs) Kind() string { return "account_unlock_link" }

// UnlockEnqueuer returns what the store calls to enqueue the unlock e-mail
// in the transaction that locks the account (postgres.UnlockEnqueuer).
func UnlockEnqueuer(pool *pgxpool.Pool) (func(ctx context.Context, tx pgx.Tx, schoolID, personID int64) error, error) {
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return func(ctx context.Context, tx pgx.Tx, schoolID, personID int64) error {
		_, err := inserter.InsertTx(ctx, tx, UnlockArgs{SchoolID: schoolID, PersonID: personID}, nil)
		return err
	}, nil
}

// UnlockLinks makes unlock links.
type UnlockLinks interface {
	// IssueUnlockLink returns a locked account's e-mail address and a new
	// token for its unlock link, or "" for an account no longer locked.
	IssueUnlockLink(ctx context.Context, schoolID, personID int64) (email, token string, err error)
}

// UnlockWorker e-mails a locked account's owner the link that unlocks it.
// A retried send makes a new link, which replaces the one before.
type UnlockWorker struct {
	river.WorkerDefaults[UnlockArgs]
	Links   UnlockLinks
	Mail    mail.Sender
	BaseURL string // Haven's address as people reach it
}

// Work sends the link.
func (w *UnlockWorker) Work(ctx context.Context, job *river.Job[UnlockArgs]) error {
	to, token, err := w.Links.IssueUnlockLink(ctx, job.Args.SchoolID, job.Args.PersonID)
	if err != nil {
		return err
	}
	if to == "" {
		return nil // unlocked meanwhile
	}
	m := UnlockMessage(token, w.BaseURL)
	m.To, m.SchoolID = to, job.Args.SchoolID
	return w.Mail.Send(ctx, m)
}

// UnlockMessage is the e-mail with the link that unlocks an account,
// without its recipient: the link, and nothing about who tried or from where.
func UnlockMessage(token, baseURL string) mail.Message {
	link := strings.TrimRight(baseURL, "/") + "/unlock/" + token
	return mail.Message{
		Subject: "Your Haven account is locked",
		Ref:     "unlock",
		Body: "Your Haven account has been locked because of too many attempts to sign in with a wrong password.\n\n" +
			"To unlock it, open this link. It works once, within 24 hours:\n" + link + "\n\n" +
			"If you did not try to sign in, tell your administrator. Do not forward this e-mail.\n",
	}
}

// SweepArgs is the periodic job that forgets old sign-in failures.
type SweepArgs struct{}

// Kind is River's name for the job.
func (SweepArgs) Kind() string { return "sign_in_sweep" }

// sweepInterval is how often the sweep runs.
const sweepInterval = 10 * time.Minute

// Sweeper forgets what sign-in throttling no longer needs.
type Sweeper interface {
	SweepSignIns(ctx context.Context) error
}

// SweepWorker runs the sweep.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Sweeper Sweeper
}

// Work sweeps.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	return w.Sweeper.SweepSignIns(ctx)
}

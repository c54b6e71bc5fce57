// Package postgres stores Haven's data in PostgreSQL with pgx. Every
// connection runs as the haven_app role, which row-level security binds and
// which holds no UPDATE or DELETE privilege on append-only tables. The app
// logs in as a role that can be nothing more (CheckAppLogin); only the
// migrations connect as the schema's owner.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/safeguarding"
)

// DB is Haven's store.
type DB struct {
	pool *pgxpool.Pool
	now  func() time.Time
	// alerts enqueues a new concern's alert in the store's own transaction;
	// nil files no alerts (see WithoutAlerts).
	alerts AlertEnqueuer
	// watch says when repeated denied looks at a concern raise a notice,
	// which notices enqueues; nil raises none (see WithDeniedLookNotices).
	watch   safeguarding.DeniedLookWatch
	notices NoticeEnqueuer
	// patterns enqueues the run of the pattern rules for the pupils of a
	// concern; nil runs none (see WithPatternRules).
	patterns PatternEnqueuer
	// unlocks enqueues the e-mail with the link that unlocks an account
	// sign-in has locked; nil sends none (see WithUnlockLinks).
	unlocks UnlockEnqueuer
	// resets enqueues the e-mail with a password reset link; nil sends
	// none (see WithPasswordResets).
	resets PasswordResetEnqueuer
	// invitations enqueues the e-mail of each invitation the administrator
	// makes; nil sends none (see WithInvitations).
	invitations InvitationEnqueuer
	// feedback enqueues the e-mail telling the member of staff who logged a
	// concern that feedback on it is recorded; nil sends none (see
	// WithFeedbackMail).
	feedback FeedbackEnqueuer
	// holidays are the bank holidays deadlines skip; nil means those
	// shipped with Haven (see WithBankHolidays).
	holidays safeguarding.BankHolidays
	// ref is the reference data, read once and shared by the copies that
	// WithClock and WithoutAlerts make.
	ref *reference
}

// AlertEnqueuer adds a new concern's alert to tx, the transaction that
// files the concern, so that the concern and its alert commit or roll back
// together. internal/jobs makes one (jobs.AlertEnqueuer).
type AlertEnqueuer func(ctx context.Context, tx pgx.Tx, a safeguarding.ConcernAlert) error

// New returns the store on pool, a pool NewPool opened. alerts enqueues
// the alert of every concern filed; nil files none. The caller closes the
// pool when done.
func New(pool *pgxpool.Pool, alerts AlertEnqueuer) *DB {
	return &DB{pool: pool, now: time.Now, alerts: alerts, watch: safeguarding.DefaultDeniedLookWatch, ref: &reference{}}
}

// PoolOption changes how NewPool sets up each connection.
type PoolOption func(*pgxpool.Config)

// WithoutCommitWait makes the pool's commits return without waiting for the
// write-ahead log to reach the disk (synchronous_commit off); everything
// else, row-level security included, is as usual. It is for bulk loads
// that are thrown away if interrupted, such as the demo school's past: a
// crash can lose the last moment's commits, never consistency.
func WithoutCommitWait() PoolOption {
	return func(cfg *pgxpool.Config) {
		afterConnect := cfg.AfterConnect
		cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
			if err := afterConnect(ctx, conn); err != nil {
				return err
			}
			_, err := conn.Exec(ctx, "SET synchronous_commit = off")
			return err
		}
	}
}

// NewPool connects to the database at connString as the application, for
// New and for the job queue. It does not migrate. connString logs in as
// haven_app or as a role that is a member of it and of nothing more; see
// CheckAppLogin.
func NewPool(ctx context.Context, connString string, opts ...PoolOption) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	// The app never acts as the owner: row-level security and the narrow
	// grants of the migrations apply to every query it makes. SET ROLE
	// makes a login that is a member of haven_app act as haven_app itself,
	// and is a no-op when the login is haven_app; RESET ROLE can only undo
	// it, back to a login that is no more (CheckAppLogin).
	//
	// Every statement is prepared once per connection (pgx's statement
	// cache) and planned once: the app's queries are the same for every
	// school, so the generic plan serves. PostgreSQL's default would plan
	// the queue again on every call, and its plan is costly to make.
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, "SET ROLE haven_app; SET plan_cache_mode = force_generic_plan")
		return err
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 5 * time.Second
	for _, opt := range opts {
		opt(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return pool, nil
}

// WithClock returns a store that takes "now" from clock: the demo school's
// history and deadline tests record entries at times of their choosing.
func (db *DB) WithClock(clock func() time.Time) *DB {
	c := *db
	c.now = clock
	return &c
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	return db.pool.QueryRow(ctx, "SELECT 1").Scan(&one)
}

// inTx runs fn in a transaction that commits when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// asViewer runs fn in a transaction whose row-level security sees v:
// haven_set_viewer sets the viewer's ids for this transaction only, with
// the roles it reads for them, and the policies read those settings. The
// transaction commits when fn returns nil, and rolls back otherwise.
//
// BEGIN and the viewer travel with fn's first statement, in one round trip
// (viewerTx), and fn may send COMMIT with its last (sendLast).
func (db *DB) asViewer(ctx context.Context, v safeguarding.Viewer, fn func(pgx.Tx) error) error {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// A connection still in a transaction (a panic, a cancelled context) is
	// closed rather than returned to the pool, which ends the transaction.
	defer c.Release()
	tx := &viewerTx{conn: c, v: v}
	if err := fn(tx); err != nil {
		if c.Conn().PgConn().TxStatus() != 'I' && !c.Conn().IsClosed() {
			tx.Rollback(ctx)
		}
		return err
	}
	switch c.Conn().PgConn().TxStatus() {
	case 'I': // nothing sent, or sendLast committed
		return nil
	case 'T':
		_, err := c.Exec(ctx, "COMMIT")
		return err
	default: // a failed transaction that fn did not report
		tx.Rollback(ctx)
		return errors.New("the transaction failed")
	}
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return safeguarding.Errorf(safeguarding.ENOTFOUND, format, args...)
	}
	return err
}

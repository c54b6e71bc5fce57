package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
)

// database is an open, migrated store, the pool of connections it uses
// and, when Haven started it, the private cluster behind it.
type database struct {
	*postgres.DB
	pool *pgxpool.Pool
	// connString is the app's login, which pool uses.
	connString string
	cluster    *devdb.Cluster
}

// withDatabase opens DATABASE_URL, or starts the private cluster when it is
// unset, applies migrations as the owner, runs fn, and stops whatever it
// started. It refuses an app login that could act as more than haven_app.
func withDatabase(ctx context.Context, cfg Config, logger *slog.Logger, fn func(context.Context, *database) error) (err error) {
	watch, err := cfg.DeniedLookWatch()
	if err != nil {
		return err
	}
	holidays, err := cfg.Holidays()
	if err != nil {
		return err
	}
	if err := cfg.CheckDatabases(); err != nil {
		return err
	}
	ownerString, connString := cfg.DatabaseOwnerURL, cfg.DatabaseURL
	var cluster *devdb.Cluster
	if cfg.PrivateCluster() {
		cluster, err = devdb.Start(ctx, cfg.PostgresDir(), logger)
		if err != nil {
			return err
		}
		defer func() {
			if stopErr := cluster.Stop(); stopErr != nil && err == nil {
				err = fmt.Errorf("stop private PostgreSQL: %w", stopErr)
			}
		}()
		ownerString = cluster.ConnString(devdb.AppDatabase)
		connString = cluster.ConnStringAs(postgres.AppRole, devdb.AppDatabase)
	}
	if err := postgres.Migrate(ctx, ownerString); err != nil {
		return err
	}
	if cluster != nil {
		// The cluster's socket trusts its users: haven_app needs no password.
		if err := postgres.AllowAppLogin(ctx, ownerString, ""); err != nil {
			return err
		}
	}
	pool, err := postgres.NewPool(ctx, connString)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.CheckAppLogin(ctx, pool); err != nil {
		return err
	}
	// A concern's alert is enqueued in the transaction that files it, and
	// the notice of repeated denied looks in the one that records the look.
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		return err
	}
	notices, err := jobs.NoticeEnqueuer(pool)
	if err != nil {
		return err
	}
	// So is the e-mail with the link that unlocks an account sign-in locks.
	unlocks, err := jobs.UnlockEnqueuer(pool)
	if err != nil {
		return err
	}
	// And the e-mail with a password reset link someone asked for.
	resets, err := jobs.PasswordResetEnqueuer(pool)
	if err != nil {
		return err
	}
	// And the e-mail of each invitation the administrator makes.
	invitations, err := jobs.InvitationEnqueuer(pool)
	if err != nil {
		return err
	}
	// And the run of the pattern rules for the pupils of a concern.
	patterns, err := jobs.PatternEnqueuer(pool)
	if err != nil {
		return err
	}
	// And the e-mail telling a member of staff that feedback on their
	// concern is recorded, in the transaction that records it.
	feedback, err := jobs.FeedbackEnqueuer(pool)
	if err != nil {
		return err
	}
	store := postgres.New(pool, alerts).WithDeniedLookNotices(watch, notices).WithUnlockLinks(unlocks).WithInvitations(invitations).
		WithPasswordResets(resets).WithPatternRules(patterns).WithFeedbackMail(feedback)
	if holidays != nil {
		store = store.WithBankHolidays(holidays)
	}
	return fn(ctx, &database{DB: store, pool: pool, connString: connString, cluster: cluster})
}

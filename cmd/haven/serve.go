package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/password"
)

func serve(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo school if the database is empty, and print its sign-ins")
	if err := fs.Parse(args); err != nil {
		return err
	}
	secure, err := cfg.SecureCookies()
	if err != nil {
		return err
	}
	benchFloor, err := cfg.ServeBenchFloor()
	if err != nil {
		return err
	}
	proxies, err := cfg.Proxies()
	if err != nil {
		return err
	}
	checkPassword, err := passwordCheck(cfg, logger)
	if err != nil {
		return err
	}
	tuneGarbageCollector(logger)
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		if *demo {
			if err := loadDemo(ctx, cfg, logger, db, false); err != nil {
				return err
			}
		}
		sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom, logger, db.DB)
		if err != nil {
			return err
		}
		worker, err := jobs.NewClient(db.pool, jobs.Config{Logger: logger,
			Alerts:         &jobs.AlertWorker{Directory: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			DeniedLooks:    &jobs.DeniedLookWorker{Directory: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			Unlocks:        &jobs.UnlockWorker{Links: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			PasswordResets: &jobs.PasswordResetWorker{Links: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			Invitations:    &jobs.InvitationWorker{Links: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			Escalations:    &jobs.EscalationWorker{Escalator: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			Digest:         &jobs.DigestWorker{Store: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			Patterns:       &jobs.PatternWorker{Patterns: db.DB},
			Feedback:       &jobs.FeedbackWorker{Directory: db.DB, Mail: sender, BaseURL: cfg.LinkBase()},
			Sweep:          &jobs.SweepWorker{Sweeper: db.DB},
			KeepReports:    &jobs.KeepReportsWorker{Keeper: db.DB},
			Retention:      &jobs.RetentionWorker{Lister: db.DB}})
		if err != nil {
			return fmt.Errorf("job queue: %w", err)
		}
		if err := worker.Start(context.WithoutCancel(ctx)); err != nil { // stopped below, gracefully
			return fmt.Errorf("start job queue: %w", err)
		}
		// Stopped before the pool closes, on every way out.
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := jobs.Stop(stopCtx, worker); err != nil {
				logger.Warn("stop job queue", "err", err)
			}
		}()
		handler := httpserver.New(httpserver.Config{SecureCookies: secure, TLS: cfg.TLS(), EmailAlerts: cfg.SMTPURL != "", BenchFloor: benchFloor,
			TrustedProxies: proxies, CheckPassword: checkPassword},
			db.DB, db.SessionStore(sessionCleanupInterval), logger)
		srv := &http.Server{
			Addr:              cfg.Addr,
			Handler:           handler,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		scheme := "http"
		if cfg.TLS() {
			scheme = "https"
		}
		logger.Info("serving", "url", fmt.Sprintf("%s://%s/", scheme, ln.Addr()))
		if *demo {
			printDemoSignIns(os.Stdout, fmt.Sprintf("%s://%s/", scheme, ln.Addr()), cfg.DemoPassword)
		}

		errc := make(chan error, 1)
		go func() {
			if cfg.TLS() {
				errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
			} else {
				errc <- srv.Serve(ln)
			}
		}()
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
		}
		logger.Info("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("shut down: %w", err)
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
}

// sessionCleanupInterval is how often expired sessions are deleted.
const sessionCleanupInterval = 10 * time.Minute

// The server's heap is small and mostly short-lived page data, so Go's
// default (collect when the heap doubles) collects very often. Unless GOGC
// or GOMEMLIMIT say otherwise, the heap may grow to five times the live
// data, within a soft limit (memoryLimit) that the collector keeps to by
// collecting sooner.
const (
	gcPercent   = 400
	memoryLimit = 192 << 20
)

func tuneGarbageCollector(logger *slog.Logger) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
		logger.Debug("garbage collector", "gc_percent", gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
		logger.Debug("garbage collector", "memory_limit", memoryLimit)
	}
}

// passwordCheck is how the web pages judge a new password: the shipped list,
// and Pwned Passwords too when HAVEN_PWNED_PASSWORDS says so.
func passwordCheck(cfg Config, logger *slog.Logger) (func(ctx context.Context, plain string) string, error) {
	pwned, err := cfg.CheckPwnedPasswords()
	if err != nil || !pwned {
		return nil, err
	}
	return password.NewPwnedPasswords(logger).Check, nil
}

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
	"time"

	"github.com/havenapp/haven/internal/httpserver"
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
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		if *demo {
			if err := loadDemo(ctx, cfg, logger, db, false); err != nil {
				return err
			}
		}
		handler := httpserver.New(httpserver.Config{SecureCookies: secure, TLS: cfg.TLS()}, db.DB, logger)
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

// Command haven serves Haven, the safeguarding record for schools, and
// manages its database.
//
//	haven serve [-demo]   serve; -demo loads the demo school into an empty database
//	haven migrate         apply pending migrations
//	haven demo            load the demo school into an empty database
//	haven verify          check every chronology's hash chain
//	haven user add ...    create an account (the first administrator of a real school)
//	haven user invite ... invite a person by e-mail to set their own password
//	haven user unlock ... unlock an account that sign-in locked
//	haven import pupils|staff -school NAME FILE.csv   import the roster from the school's MIS
//	haven import training -school NAME FILE.csv       import training records (docs/training.md)
//	haven user reset-two-factor ... clear an account's second factor
//
// With no DATABASE_URL, each command runs on a private PostgreSQL cluster
// under $HAVEN_DATA_DIR/postgres, started and stopped around it. With it,
// DATABASE_URL is the app's own login and DATABASE_OWNER_URL the schema's
// owner, which migrates (see README.md, "Database logins").
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: haven <command> [flags]

commands:
  serve [-demo]   serve Haven on HAVEN_ADDR; -demo loads the demo school if the database is empty
  migrate         apply pending database migrations
  demo            load the demo school into an empty database
  verify          check that no chronology entry was changed, removed or inserted after it was written
  user add        create an account: -school NAME -email E -name N -role R [-role R...]
                  (the password is read from HAVEN_NEW_PASSWORD or standard input)
  user invite     invite a person to an existing school: -school NAME -email E -name N -roles staff,dsl
                  [-title T]; the e-mail with the link goes when haven serve runs (or to its Outbox)
  user unlock     unlock an account locked after too many failed sign-ins: -email E
  import pupils   import the pupil roster from a CSV file exported from the MIS: -school NAME [-dry-run] FILE.csv
  import staff    import staff (new people need an invitation; nobody is deactivated): -school NAME [-dry-run] FILE.csv
  import training import training records (e-mail, type, date, provider, notes): -school NAME [-dry-run] FILE.csv
                  (all or nothing: any problem is printed with its line and nothing is imported; see docs/roster-import.md)
  user reset-two-factor
                  clear an account's two-factor sign-in, to be set up again: -email E
`

func main() {
	cfg := loadConfig()
	logger := newLogger(cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, cfg, logger, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "haven:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, logger, args[1:])
	case "migrate":
		return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error { return nil })
	case "demo":
		return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
			return loadDemo(ctx, cfg, logger, db, true)
		})
	case "verify":
		return verify(ctx, cfg, logger)
	case "user":
		switch {
		case len(args) >= 2 && args[1] == "add":
			return userAdd(ctx, cfg, logger, args[2:])
		case len(args) >= 2 && args[1] == "invite":
			return userInvite(ctx, cfg, logger, args[2:])
		case len(args) >= 2 && args[1] == "unlock":
			return userUnlock(ctx, cfg, logger, args[2:])
		case len(args) >= 2 && args[1] == "reset-two-factor":
			return userResetTwoFactor(ctx, cfg, logger, args[2:])
		}
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	case "import":
		if len(args) >= 2 && (args[1] == "pupils" || args[1] == "staff" || args[1] == "training") {
			return importRoster(ctx, cfg, logger, args[1], args[2:], os.Stdout)
		}
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return flag.ErrHelp
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

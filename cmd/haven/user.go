package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

type roleFlags []safeguarding.Role

func (r *roleFlags) String() string { return fmt.Sprint(*r) }
func (r *roleFlags) Set(s string) error {
	role, ok := safeguarding.ParseRole(s)
	if !ok {
		return fmt.Errorf("unknown role %q (one of %v)", s, safeguarding.AllRoles)
	}
	*r = append(*r, role)
	return nil
}

// userAdd creates an account, creating its school if no school of that name
// exists yet (the first administrator of a real school).
func userAdd(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	school := fs.String("school", "", "the school's name (created if it does not exist)")
	email := fs.String("email", "", "the person's e-mail address, used to sign in")
	name := fs.String("name", "", "the person's full name")
	title := fs.String("title", "", "job title")
	var roles roleFlags
	fs.Var(&roles, "role", "a role: staff, dsl, deputy_dsl, principal, chair, governor or admin (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *school == "" || *email == "" || *name == "" || len(roles) == 0 {
		fs.Usage()
		return errors.New("-school, -email, -name and at least one -role are required")
	}
	plain := os.Getenv("HAVEN_NEW_PASSWORD")
	if plain == "" {
		fmt.Fprint(os.Stderr, "Password (12 characters or more): ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password: %w", err)
		}
		plain = strings.TrimRight(line, "\r\n")
	}
	pwned, err := cfg.CheckPwnedPasswords()
	if err != nil {
		return err
	}
	msg := password.Check(plain)
	if pwned {
		msg = password.NewPwnedPasswords(logger).Check(ctx, plain)
	}
	if msg != "" {
		return errors.New(msg)
	}
	hash, err := password.Hash(plain)
	if err != nil {
		return err
	}
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		schoolID, err := db.SchoolByName(ctx, *school)
		if safeguarding.ErrorCode(err) == safeguarding.ENOTFOUND {
			schoolID, err = db.CreateSchool(ctx, *school)
		}
		if err != nil {
			return err
		}
		id, err := db.CreatePerson(ctx, postgres.PersonInput{SchoolID: schoolID, Email: *email, FullName: *name, JobTitle: *title,
			PasswordHash: hash, Roles: roles})
		if err != nil {
			return err
		}
		fmt.Printf("Created account %d for %s (%s) at %s\n", id, *name, postgres.NormaliseEmail(*email), *school)
		return nil
	})
}

// userInvite adds a person to an existing school without a password and
// queues the e-mail that invites them to set one, as the administrator's
// People page does.
func userInvite(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("user invite", flag.ContinueOnError)
	school := fs.String("school", "", "the school's name")
	email := fs.String("email", "", "the person's e-mail address: the invitation goes there, and they sign in with it")
	name := fs.String("name", "", "the person's full name")
	title := fs.String("title", "", "job title")
	roleList := fs.String("roles", "", "their roles, separated by commas: staff, dsl, deputy_dsl, principal, chair, governor, admin")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *school == "" || *email == "" || *name == "" || *roleList == "" {
		fs.Usage()
		return errors.New("-school, -email, -name and -roles are required")
	}
	roles, ok := safeguarding.RolesNamed(strings.Split(*roleList, ","))
	if !ok {
		return fmt.Errorf("unknown role in %q (roles are %v)", *roleList, safeguarding.AllRoles)
	}
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		schoolID, err := db.SchoolByName(ctx, *school)
		if err != nil {
			return err
		}
		id, err := db.InviteByCommand(ctx, schoolID, safeguarding.InviteInput{Email: *email, Name: *name, JobTitle: *title, Roles: roles})
		if err != nil {
			return err
		}
		fmt.Printf("Invited %s (%s) to %s as person %d; the invitation e-mail goes when haven serve runs\n",
			*name, postgres.NormaliseEmail(*email), *school, id)
		return nil
	})
}

// userUnlock lifts the lock that too many failed sign-ins put on an
// account, and forgets its failed sign-ins, for an administrator.
func userUnlock(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("user unlock", flag.ContinueOnError)
	email := fs.String("email", "", "the e-mail address of the account to unlock")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errors.New("-email is required")
	}
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		wasLocked, err := db.UnlockAccount(ctx, *email)
		if err != nil {
			return err
		}
		if wasLocked {
			fmt.Printf("Unlocked %s: they can sign in again\n", postgres.NormaliseEmail(*email))
		} else {
			fmt.Printf("%s was not locked; its failed sign-ins are forgotten\n", postgres.NormaliseEmail(*email))
		}
		return nil
	})
}

// userResetTwoFactor clears a person's second factor, for the operator of
// a school whose only administrator has lost their phone and recovery
// codes; in the web pages an administrator does it for anyone else.
func userResetTwoFactor(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("user reset-two-factor", flag.ContinueOnError)
	email := fs.String("email", "", "the e-mail address of the account whose two-factor sign-in to reset")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errors.New("-email is required")
	}
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		if err := db.ResetSecondFactorByEmail(ctx, *email); err != nil {
			return err
		}
		fmt.Printf("Reset the two-factor sign-in of %s: they sign in with their password and set it up again\n", postgres.NormaliseEmail(*email))
		return nil
	})
}

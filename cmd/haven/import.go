package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

// importRoster imports a pupil or staff roster file, or a training file
// (docs/training.md), into a school, all or nothing, as the import pages
// do (docs/roster-import.md):
// it prints every problem with its line and applies nothing when there is
// one, or what it changed. -dry-run prints what it would change.
func importRoster(ctx context.Context, cfg Config, logger *slog.Logger, kind string, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	school := fs.String("school", "", "the school's name")
	dryRun := fs.Bool("dry-run", false, "print what the import would change, and change nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Flags may come after the file's name too.
	path := fs.Arg(0)
	if err := fs.Parse(fs.Args()[min(1, fs.NArg()):]); err != nil {
		return err
	}
	if *school == "" || path == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-school and one file are required")
	}
	data, err := readRosterFile(path)
	if err != nil {
		return err
	}
	var (
		pupils   []roster.Pupil
		staff    []roster.StaffMember
		training []roster.TrainingRow
		problems []roster.Problem
	)
	switch kind {
	case "pupils":
		pupils, problems = roster.ParsePupils(data)
	case "training":
		training, problems = roster.ParseTraining(data, time.Now())
	default:
		staff, problems = roster.ParseStaff(data)
	}
	// A training file's lines that read well are matched to the school's
	// people even when others did not, so that every problem shows at once.
	if len(problems) > 0 && (kind != "training" || slices.ContainsFunc(problems, func(p roster.Problem) bool { return p.Line <= 1 })) {
		return reportProblems(out, path, problems)
	}
	return withDatabase(ctx, cfg, logger, func(ctx context.Context, db *database) error {
		schoolID, err := db.SchoolByName(ctx, *school)
		if err != nil {
			return err
		}
		// No person: Haven itself imports, for the school.
		v := safeguarding.Viewer{SchoolID: schoolID}
		var summary roster.Summary
		switch kind {
		case "pupils":
			plan, err := db.ImportPupils(ctx, v, pupils, !*dryRun, "")
			if err != nil {
				return err
			}
			summary = plan.Summary(!*dryRun)
		case "training":
			plan, more, err := db.ImportTraining(ctx, v, training, !*dryRun && len(problems) == 0, "")
			if err != nil {
				return err
			}
			if problems = append(problems, more...); len(problems) > 0 {
				slices.SortStableFunc(problems, func(a, b roster.Problem) int { return a.Line - b.Line })
				return reportProblems(out, path, problems)
			}
			summary = plan.Summary(!*dryRun)
		default:
			plan, problems, err := db.ImportStaff(ctx, v, staff, !*dryRun, "")
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				return reportProblems(out, path, problems)
			}
			summary = plan.Summary(!*dryRun)
		}
		if *dryRun {
			fmt.Fprintf(out, "What importing %s into %s would change (a dry run: nothing has changed):\n", path, *school)
		} else {
			fmt.Fprintf(out, "Imported %s into %s:\n", path, *school)
		}
		for _, c := range summary.Counts {
			fmt.Fprintf(out, "  %-22s %d\n", c.Label+":", c.N)
		}
		for _, n := range summary.Notes {
			fmt.Fprintln(out, n)
		}
		return nil
	})
}

// readRosterFile reads a roster file, refusing one larger than the import
// takes before reading it all.
func readRosterFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, roster.MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > roster.MaxFileBytes {
		return nil, fmt.Errorf("%s is larger than %d MB: split it, or export only the columns Haven reads", path, roster.MaxFileBytes>>20)
	}
	return data, nil
}

// reportProblems prints every problem and returns the error that makes
// the command exit non-zero.
func reportProblems(out io.Writer, path string, problems []roster.Problem) error {
	for _, p := range problems {
		fmt.Fprintf(out, "%s: %s\n", path, p)
	}
	return fmt.Errorf("%s has %d problem(s): nothing was imported", path, len(problems))
}

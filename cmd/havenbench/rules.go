package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// A ruleCheck finds the rows of the dataset that break one of the app's
// rules. Its query returns how many there are and one of them (an id), or
// NULL when there are none.
type ruleCheck struct {
	rows    string // the rows that break it, as the error names them
	example string // what the example id is: "concern", "entry", "pupil"
	sql     string
	args    []any
}

// ruleChecks are what the app's triggers and rules would have written or
// refused, had the loader not written with triggers off: the copies of a
// concern's route, subject and logger on its links and entries
// (migrations/rules/access.sql), the copy of a pupil's year group on their
// links (migrations/00008), the route the rule gives the concern's subject
// (haven_route_of) and a logger who may log (haven_may_log). A link or entry whose concern or pupil is
// missing breaks them too.
var ruleChecks = []ruleCheck{
	{rows: "pupil links whose concern_route, concern_subject_id or concern_logged_by is not their concern's", example: "concern",
		sql: `SELECT count(*), min(cp.concern_id) FROM concern_pupils cp
			LEFT JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
			WHERE c.id IS NULL
				OR (cp.concern_route, cp.concern_subject_id, cp.concern_logged_by) IS DISTINCT FROM (c.route, c.subject_person_id, c.logged_by)`},
	{rows: "chronology entries whose concern_route, concern_subject_id or concern_logged_by is not their concern's", example: "entry",
		sql: `SELECT count(*), min(e.id) FROM chronology_entries e
			LEFT JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
			WHERE c.id IS NULL
				OR (e.concern_route, e.concern_subject_id, e.concern_logged_by) IS DISTINCT FROM (c.route, c.subject_person_id, c.logged_by)`},
	{rows: "pupil links whose pupil_year_group is not their pupil's year_group", example: "pupil",
		sql: `SELECT count(*), min(cp.pupil_id) FROM concern_pupils cp
			LEFT JOIN pupils p ON p.school_id = cp.school_id AND p.id = cp.pupil_id
			WHERE p.id IS NULL OR cp.pupil_year_group IS DISTINCT FROM p.year_group`},
	{rows: "concerns whose route is not the one haven_route_of gives their subject", example: "concern",
		sql: `SELECT count(*), min(c.id) FROM concerns c
			WHERE c.route IS DISTINCT FROM haven_route_of(c.school_id, c.subject_kind, c.subject_person_id)`},
	{rows: "concerns logged by someone without a role that may log a concern (haven_may_log)", example: "concern",
		sql: `SELECT count(*), min(c.id) FROM concerns c
			WHERE NOT haven_may_log(haven_roles_of(c.school_id, c.logged_by))`},
}

// checkRules runs every rule check over the whole dataset, as the owner
// (who bypasses row-level security), and fails with each kind of row that
// breaks a rule: how many, and an example.
func checkRules(ctx context.Context, db queryRower) error {
	var broken []string
	for _, c := range ruleChecks {
		var n int64
		var example *int64
		if err := db.QueryRow(ctx, c.sql, c.args...).Scan(&n, &example); err != nil {
			return fmt.Errorf("check the dataset against the app's rules (%s): %w", c.rows, err)
		}
		if n > 0 {
			broken = append(broken, fmt.Sprintf("%s: %d, e.g. %s %d", c.rows, n, c.example, *example))
		}
	}
	if len(broken) > 0 {
		return errors.New("the dataset breaks the app's rules, so it would not measure what the app does; fix the generator and rebuild:\n  - " +
			strings.Join(broken, "\n  - "))
	}
	return nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// PatternEnqueuer adds the job that runs the pattern rules for the pupils
// of a concern to tx, the transaction that logs the concern or records a
// pupil's part, so that a committed concern always has its rules run.
// internal/jobs makes one (jobs.PatternEnqueuer).
type PatternEnqueuer func(ctx context.Context, tx pgx.Tx, schoolID int64, pupilIDs []int64) error

// WithPatternRules returns a store that runs the pattern rules, through
// enqueue, for the pupils of every concern about children it files and
// every pupil's part it records; nil runs none (as New's store does).
func (db *DB) WithPatternRules(enqueue PatternEnqueuer) *DB {
	c := *db
	c.patterns = enqueue
	return &c
}

// enqueuePatterns adds the rules' job for pupils to tx.
func (db *DB) enqueuePatterns(ctx context.Context, tx pgx.Tx, schoolID int64, pupilIDs []int64) error {
	if db.patterns == nil || len(pupilIDs) == 0 {
		return nil
	}
	if err := db.patterns(ctx, tx, schoolID, pupilIDs); err != nil {
		return fmt.Errorf("enqueue pattern rules: %w", err)
	}
	return nil
}

// patternSettingsSQL reads a school's ($1) thresholds; no row while it
// keeps the defaults.
const patternSettingsSQL = `SELECT s.cse_on, s.cse_indicators, s.cse_staff, s.cse_days, s.concerns_on, s.concerns_many, s.concerns_days,
		s.missing_on, s.missing_days, s.updated_at,
		coalesce((SELECT p.full_name FROM people p WHERE p.school_id = s.school_id AND p.id = s.updated_by), '')
	FROM pattern_settings s WHERE s.school_id = $1`

func scanPatternSettings(row pgx.Row) (safeguarding.PatternSettings, error) {
	var s safeguarding.PatternSettings
	err := row.Scan(&s.CSEOn, &s.CSEIndicators, &s.CSEStaff, &s.CSEDays, &s.ConcernsOn, &s.ConcernsMany, &s.ConcernsDays,
		&s.MissingOn, &s.MissingDays, &s.UpdatedAt, &s.UpdatedByName)
	if errors.Is(err, pgx.ErrNoRows) {
		return safeguarding.DefaultPatternSettings, nil
	}
	if err != nil {
		return s, fmt.Errorf("read pattern settings: %w", err)
	}
	return s, nil
}

// PatternSettings reads the pattern rules' thresholds of v's school for
// its settings page, which only those who set them open
// (safeguarding.MayManagePatterns).
func (db *DB) PatternSettings(ctx context.Context, v safeguarding.Viewer) (safeguarding.PatternSettings, error) {
	if !safeguarding.MayManagePatterns(v.Roles) {
		return safeguarding.PatternSettings{}, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such page")
	}
	var s safeguarding.PatternSettings
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		s, err = scanPatternSettings(tx.QueryRow(ctx, patternSettingsSQL, v.SchoolID))
		return err
	})
	return s, err
}

// SetPatternSettings sets the thresholds of v's school, if v may
// (safeguarding.MayManagePatterns; row-level security holds the same
// rule), and writes to the audit log what each changed setting was and
// became. The new thresholds apply from the next concern recorded.
func (db *DB) SetPatternSettings(ctx context.Context, v safeguarding.Viewer, s safeguarding.PatternSettings, address string) error {
	if !safeguarding.MayManagePatterns(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not change the pattern rules")
	}
	problems := s.Problems()
	for _, field := range slices.Sorted(maps.Keys(problems)) {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", problems[field])
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		// FOR UPDATE: two people saving at once each audit what they replaced.
		was, err := scanPatternSettings(tx.QueryRow(ctx, patternSettingsSQL+` FOR UPDATE OF s`, v.SchoolID))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO pattern_settings (school_id, cse_on, cse_indicators, cse_staff, cse_days,
				concerns_on, concerns_many, concerns_days, missing_on, missing_days, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (school_id) DO UPDATE SET cse_on = excluded.cse_on, cse_indicators = excluded.cse_indicators,
				cse_staff = excluded.cse_staff, cse_days = excluded.cse_days, concerns_on = excluded.concerns_on,
				concerns_many = excluded.concerns_many, concerns_days = excluded.concerns_days, missing_on = excluded.missing_on,
				missing_days = excluded.missing_days, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			v.SchoolID, s.CSEOn, s.CSEIndicators, s.CSEStaff, s.CSEDays, s.ConcernsOn, s.ConcernsMany, s.ConcernsDays,
			s.MissingOn, s.MissingDays, v.PersonID, now)
		if err != nil {
			return fmt.Errorf("set pattern settings: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "set_pattern_settings",
			Object: "pattern_settings", Address: address, Detail: patternSettingsChange(was, s)})
	})
}

// patternSettingsChange says what changed, setting by setting, before and
// after, for the audit log.
func patternSettingsChange(was, now safeguarding.PatternSettings) string {
	var parts []string
	for _, f := range []struct {
		name     string
		was, now any
	}{
		{"CSE rule on", was.CSEOn, now.CSEOn}, {"CSE indicators", was.CSEIndicators, now.CSEIndicators},
		{"CSE staff", was.CSEStaff, now.CSEStaff}, {"CSE days", was.CSEDays, now.CSEDays},
		{"concerns rule on", was.ConcernsOn, now.ConcernsOn}, {"concerns", was.ConcernsMany, now.ConcernsMany},
		{"concerns days", was.ConcernsDays, now.ConcernsDays},
		{"missing rule on", was.MissingOn, now.MissingOn}, {"missing days", was.MissingDays, now.MissingDays},
	} {
		if f.was != f.now {
			parts = append(parts, fmt.Sprintf("%s: %v → %v", f.name, f.was, f.now))
		}
	}
	if len(parts) == 0 {
		return "unchanged"
	}
	return strings.Join(parts, "; ")
}

// PatternNotice is what the DSL and deputies are told when a rule flags a
// child: no child is named; the notice's pupil is the link.
const PatternNotice = "A pattern rule flagged a child for review"

// RaisePatternFlags runs the school's pattern rules over what is recorded
// for a pupil (safeguarding.EvaluatePatterns) and raises a flag for each
// new finding (safeguarding.PatternsToRaise), telling each active DSL and
// deputy who may see it with a notice, in one transaction run by Haven
// itself: the rules read concerns the person who logged the one that set
// them off may not. It returns the flags raised. Two runs for one pupil at
// once take turns.
func (db *DB) RaisePatternFlags(ctx context.Context, schoolID, pupilID int64) ([]safeguarding.PatternFlag, error) {
	var raised []safeguarding.PatternFlag
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		raised = nil
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
			"pattern:"+strconv.FormatInt(schoolID, 10)+":"+strconv.FormatInt(pupilID, 10)); err != nil {
			return fmt.Errorf("lock pupil's patterns: %w", err)
		}
		settings, err := scanPatternSettings(tx.QueryRow(ctx, patternSettingsSQL, schoolID))
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT concern_id, logged_at, logged_by, categories, indicators FROM haven_pattern_facts($1, $2)`, schoolID, pupilID)
		if err != nil {
			return fmt.Errorf("read pattern facts: %w", err)
		}
		facts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.PatternFact, error) {
			var f safeguarding.PatternFact
			err := row.Scan(&f.ConcernID, &f.LoggedAt, &f.LoggedBy, &f.Categories, &f.Indicators)
			return f, err
		})
		if err != nil {
			return fmt.Errorf("read pattern facts: %w", err)
		}
		findings := safeguarding.EvaluatePatterns(settings, facts)
		if len(findings) == 0 {
			return nil
		}
		rows, err = tx.Query(ctx, `SELECT `+patternFlagColumns+` FROM pattern_flags f WHERE f.school_id = $1 AND f.pupil_id = $2`, schoolID, pupilID)
		if err != nil {
			return fmt.Errorf("read pupil's flags: %w", err)
		}
		flags, err := pgx.CollectRows(rows, scanPatternFlag)
		if err != nil {
			return fmt.Errorf("read pupil's flags: %w", err)
		}
		raise, grow := safeguarding.PatternsToRaise(findings, flags)
		for _, g := range grow {
			if _, err := tx.Exec(ctx, `UPDATE pattern_flags SET concern_ids = $3 WHERE school_id = $1 AND id = $2`, schoolID, g.ID, g.ConcernIDs); err != nil {
				return fmt.Errorf("add to pattern flag: %w", err)
			}
		}
		if len(raise) == 0 {
			return nil
		}
		leads, err := patternLeads(ctx, tx, schoolID)
		if err != nil {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		var notices []safeguarding.Notice
		for _, fd := range raise {
			f := safeguarding.PatternFlag{SchoolID: schoolID, PupilID: pupilID, Rule: fd.Rule, ConcernIDs: fd.ConcernIDs, RaisedAt: now}
			if err := tx.QueryRow(ctx, `INSERT INTO pattern_flags (school_id, pupil_id, rule, concern_ids, raised_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				schoolID, pupilID, fd.Rule, fd.ConcernIDs, now).Scan(&f.ID); err != nil {
				return fmt.Errorf("raise pattern flag: %w", err)
			}
			raised = append(raised, f)
			// The facts are all concerns about children, which have no
			// subject but the pupils: what each lead may see of them is
			// known without reading them again.
			access := make([]safeguarding.ConcernAccess, 0, len(fd.ConcernIDs))
			for _, fact := range facts {
				if slices.Contains(fd.ConcernIDs, fact.ConcernID) {
					access = append(access, safeguarding.ConcernAccess{SchoolID: schoolID, Route: safeguarding.RouteChild, LoggedBy: fact.LoggedBy})
				}
			}
			for _, lead := range leads {
				if safeguarding.MaySeePatternFlag(lead, access) && !slices.ContainsFunc(notices, func(n safeguarding.Notice) bool { return n.PersonID == lead.PersonID }) {
					notices = append(notices, safeguarding.Notice{SchoolID: schoolID, PersonID: lead.PersonID, Kind: safeguarding.NoticePattern,
						PupilID: pupilID, Message: PatternNotice})
				}
			}
		}
		if err := db.addNotices(ctx, tx, notices...); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: schoolID, Action: "raise_pattern_flag",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10), Detail: describeFlags(raised)})
	})
	return raised, err
}

func describeFlags(flags []safeguarding.PatternFlag) string {
	var parts []string
	for _, f := range flags {
		parts = append(parts, "flag:"+strconv.FormatInt(f.ID, 10)+" "+string(f.Rule))
	}
	return strings.Join(parts, "; ")
}

// patternLeads are the school's active people who are told of a pattern
// flag (safeguarding.MayManagePatterns), as the viewers they would be.
// People and roles have no row-level security.
func patternLeads(ctx context.Context, tx pgx.Tx, schoolID int64) ([]safeguarding.Viewer, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, array_agg(r.role) FROM people p
		JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id
		WHERE p.school_id = $1 AND p.active GROUP BY p.id ORDER BY p.id`, schoolID)
	if err != nil {
		return nil, fmt.Errorf("read safeguarding leads: %w", err)
	}
	people, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Viewer, error) {
		v := safeguarding.Viewer{SchoolID: schoolID}
		var names []string
		err := row.Scan(&v.PersonID, &names)
		for _, n := range names {
			v.Roles = append(v.Roles, safeguarding.Role(n))
		}
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("read safeguarding leads: %w", err)
	}
	return slices.DeleteFunc(people, func(v safeguarding.Viewer) bool { return !safeguarding.MayManagePatterns(v.Roles) }), nil
}

// patternFlagColumns are a flag's columns (f) for scanPatternFlag.
const patternFlagColumns = `f.id, f.school_id, f.pupil_id, f.rule, f.concern_ids, f.raised_at, f.reviewed_at, coalesce(f.reviewed_by, 0),
	coalesce((SELECT p.full_name FROM people p WHERE p.school_id = f.school_id AND p.id = f.reviewed_by), ''),
	coalesce(f.decision, ''), f.reason`

func scanPatternFlag(row pgx.CollectableRow) (safeguarding.PatternFlag, error) {
	var f safeguarding.PatternFlag
	err := row.Scan(&f.ID, &f.SchoolID, &f.PupilID, &f.Rule, &f.ConcernIDs, &f.RaisedAt, &f.ReviewedAt, &f.ReviewedBy, &f.ReviewedByName,
		&f.Decision, &f.Reason)
	return f, err
}

// flagAccessColumns are, for a flag (f), what the Go rule needs of each of
// its concerns the viewer may read, in three arrays of one order; a
// concern row-level security hides is missing from them (visibleFlag).
const flagAccessColumns = `coalesce(acc.routes, '{}'), coalesce(acc.subjects, '{}'), coalesce(acc.loggers, '{}')`

// flagAccessJoin reads flagAccessColumns: the flag's concerns, looked up
// once for all three arrays.
const flagAccessJoin = `LEFT JOIN LATERAL (SELECT array_agg(c.route ORDER BY c.id) AS routes,
		array_agg(coalesce(c.subject_person_id, 0) ORDER BY c.id) AS subjects, array_agg(c.logged_by ORDER BY c.id) AS loggers
	FROM concerns c WHERE c.school_id = f.school_id AND c.id = ANY (f.concern_ids)) acc ON true`

// visibleFlag is the Go rule over what flagAccessColumns read: v sees the
// flag only if every one of its concerns is read and may be seen
// (safeguarding.MaySeePatternFlag). Row-level security has already agreed.
func visibleFlag(v safeguarding.Viewer, f safeguarding.PatternFlag, routes []string, subjects, loggers []int64) bool {
	if len(routes) != len(f.ConcernIDs) || len(subjects) != len(routes) || len(loggers) != len(routes) {
		return false
	}
	access := make([]safeguarding.ConcernAccess, len(routes))
	for i := range routes {
		access[i] = safeguarding.ConcernAccess{SchoolID: f.SchoolID, Route: safeguarding.Route(routes[i]), SubjectPersonID: subjects[i], LoggedBy: loggers[i]}
	}
	return safeguarding.MaySeePatternFlag(v, access)
}

// openFlagsSQL reads the open flags of a school ($1) that the viewer may
// see, newest first, with their pupils and what visibleFlag reads: one walk
// of pattern_flags_open_idx.
const openFlagsSQL = `SELECT ` + patternFlagColumns + `, p.first_name, p.last_name, p.year_group, ` + flagAccessColumns + `
	FROM pattern_flags f JOIN pupils p ON p.school_id = f.school_id AND p.id = f.pupil_id ` + flagAccessJoin + `
	WHERE f.school_id = $1 AND f.reviewed_at IS NULL
	ORDER BY f.raised_at DESC, f.id DESC LIMIT 100`

// pupilFlagsSQL reads a pupil's ($2) flags, open and reviewed, newest first.
const pupilFlagsSQL = `SELECT ` + patternFlagColumns + `, p.first_name, p.last_name, p.year_group, ` + flagAccessColumns + `
	FROM pattern_flags f JOIN pupils p ON p.school_id = f.school_id AND p.id = f.pupil_id ` + flagAccessJoin + `
	WHERE f.school_id = $1 AND f.pupil_id = $2
	ORDER BY f.id DESC LIMIT 100`

// flagByIDSQL reads one flag ($2).
const flagByIDSQL = `SELECT ` + patternFlagColumns + `, p.first_name, p.last_name, p.year_group, ` + flagAccessColumns + `
	FROM pattern_flags f JOIN pupils p ON p.school_id = f.school_id AND p.id = f.pupil_id ` + flagAccessJoin + `
	WHERE f.school_id = $1 AND f.id = $2`

// scanVisibleFlags reads rows of openFlagsSQL, pupilFlagsSQL or
// flagByIDSQL, keeping the flags v may see.
func scanVisibleFlags(v safeguarding.Viewer, rows pgx.Rows) ([]safeguarding.PatternFlag, error) {
	defer rows.Close()
	var out []safeguarding.PatternFlag
	for rows.Next() {
		var f safeguarding.PatternFlag
		var routes []string
		var subjects, loggers []int64
		if err := rows.Scan(&f.ID, &f.SchoolID, &f.PupilID, &f.Rule, &f.ConcernIDs, &f.RaisedAt, &f.ReviewedAt, &f.ReviewedBy, &f.ReviewedByName,
			&f.Decision, &f.Reason, &f.Pupil.FirstName, &f.Pupil.LastName, &f.Pupil.YearGroup, &routes, &subjects, &loggers); err != nil {
			return nil, fmt.Errorf("read pattern flags: %w", err)
		}
		f.Pupil.ID = f.PupilID
		if visibleFlag(v, f, routes, subjects, loggers) {
			out = append(out, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read pattern flags: %w", err)
	}
	return out, nil
}

// batchOpenFlags adds to b the read of the open flags v may see, into
// *flags: the queue's, in its own round trip.
func batchOpenFlags(b *pgx.Batch, v safeguarding.Viewer, flags *[]safeguarding.PatternFlag) {
	b.Queue(openFlagsSQL, v.SchoolID).Query(func(rows pgx.Rows) error {
		var err error
		*flags, err = scanVisibleFlags(v, rows)
		return err
	})
}

// batchPupilFlags adds to b the read of a pupil's flags that v may see,
// into *flags: the child's page's.
func batchPupilFlags(b *pgx.Batch, v safeguarding.Viewer, pupilID int64, flags *[]safeguarding.PatternFlag) {
	b.Queue(pupilFlagsSQL, v.SchoolID, pupilID).Query(func(rows pgx.Rows) error {
		var err error
		*flags, err = scanVisibleFlags(v, rows)
		return err
	})
}

// PatternFlag reads one flag that v may see (ENOTFOUND otherwise), the
// school's thresholds and the concerns that raised it, and audits the view.
func (db *DB) PatternFlag(ctx context.Context, v safeguarding.Viewer, flagID int64) (safeguarding.PatternFlagRecord, error) {
	var r safeguarding.PatternFlagRecord
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, flagByIDSQL, v.SchoolID, flagID)
		if err != nil {
			return fmt.Errorf("read pattern flag: %w", err)
		}
		flags, err := scanVisibleFlags(v, rows)
		if err != nil {
			return err
		}
		if len(flags) == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such flag")
		}
		r.Flag = flags[0]
		if r.Settings, err = scanPatternSettings(tx.QueryRow(ctx, patternSettingsSQL, v.SchoolID)); err != nil {
			return err
		}
		if r.Concerns, err = flagConcerns(ctx, tx, v, r.Flag); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_pattern_flag",
			Object: "flag:" + strconv.FormatInt(flagID, 10)})
	})
	return r, err
}

// flagConcerns reads the concerns that raised f, as the viewer may see
// them: when and by whom each was logged, its categories and the flagged
// pupil's own indicators.
func flagConcerns(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, f safeguarding.PatternFlag) ([]safeguarding.Concern, error) {
	rows, err := tx.Query(ctx, `SELECT c.id, c.route, coalesce(c.subject_person_id, 0), c.logged_by,
			coalesce((SELECT p.full_name FROM people p WHERE p.school_id = c.school_id AND p.id = c.logged_by), ''),
			c.logged_at, c.categories, coalesce(cp.indicators, '{}'), c.status
		FROM concerns c LEFT JOIN concern_pupils cp ON cp.school_id = c.school_id AND cp.concern_id = c.id AND cp.pupil_id = $3
		WHERE c.school_id = $1 AND c.id = ANY ($2) ORDER BY c.logged_at, c.id`, v.SchoolID, f.ConcernIDs, f.PupilID)
	if err != nil {
		return nil, fmt.Errorf("read flag's concerns: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Concern, error) {
		c := safeguarding.Concern{SchoolID: v.SchoolID}
		err := row.Scan(&c.ID, &c.Route, &c.SubjectPersonID, &c.LoggedBy, &c.LoggedByName, &c.LoggedAt, &c.Categories, &c.Indicators, &c.Status)
		return c, err
	})
}

// ReviewPatternFlag records v's review of an open flag they may see
// (safeguarding.MayManagePatterns, MaySeePatternFlag; row-level security
// holds the same rule): the decision and its reason, and the flag is
// cleared. A flag already reviewed is ENOTFOUND, with a message that says
// so.
func (db *DB) ReviewPatternFlag(ctx context.Context, v safeguarding.Viewer, flagID int64, r safeguarding.PatternReview) error {
	if !safeguarding.MayManagePatterns(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not review pattern flags")
	}
	problems := r.Problems()
	for _, field := range slices.Sorted(maps.Keys(problems)) {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", problems[field])
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, flagByIDSQL+` FOR NO KEY UPDATE OF f`, v.SchoolID, flagID)
		if err != nil {
			return fmt.Errorf("read pattern flag: %w", err)
		}
		flags, err := scanVisibleFlags(v, rows)
		if err != nil {
			return err
		}
		if len(flags) == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such flag")
		}
		if !flags[0].Open() {
			return safeguarding.Errorf(safeguarding.ECONFLICT, "This flag has already been reviewed")
		}
		tag, err := tx.Exec(ctx, `UPDATE pattern_flags SET reviewed_at = $3, reviewed_by = $4, decision = $5, reason = $6
			WHERE school_id = $1 AND id = $2 AND reviewed_at IS NULL`, v.SchoolID, flagID, now, v.PersonID, r.Decision, r.Reason)
		if err != nil {
			return fmt.Errorf("review pattern flag: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such flag")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "review_pattern_flag",
			Object: "flag:" + strconv.FormatInt(flagID, 10), Detail: string(r.Decision)})
	})
}

package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// pupilFoundSQL is the header search's test of pupil p against the query
// in arg (docs/search.md): its UPN, its registration group, or every word
// of the query starting a word of its legal or preferred names, both
// folded by haven_fold (case, accents and apostrophes ignored) and the
// names kept folded in pupils.search_key (migration 00038). The query is
// folded into its patterns once, in a subquery of its own, not once for
// each pupil; a query that folds to nothing has no patterns (null), which
// matches no name.
func pupilFoundSQL(arg string) string {
	return `(p.upn = upper(btrim(` + arg + `))
		OR (p.registration_group <> '' AND lower(p.registration_group) = lower(btrim(` + arg + `)))
		OR p.search_key LIKE ALL ((SELECT array_agg('% ' || w || '%')
			FROM unnest(string_to_array(haven_fold(` + arg + `), ' ')) w)::text[]))`
}

// FindPupils finds the pupils of v's school, on the roster or left, that
// query names (pupilFoundSQL), at most safeguarding.PupilSearchLimit, those
// on the roster first, by name; more says there were others. Only those
// safeguarding.MayFindPupils admits search, and PostgreSQL checks the
// same rule; anyone else is told there is no such page.
func (db *DB) FindPupils(ctx context.Context, v safeguarding.Viewer, query string) (found []safeguarding.FoundPupil, more bool, err error) {
	if !safeguarding.MayFindPupils(v.Roles) {
		return nil, false, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such page")
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, false, nil
	}
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+pupilMatchColumns+`, coalesce(p.upn, ''), NOT p.active FROM pupils p
			WHERE p.school_id = $1 AND haven_may_find_pupils(haven_roles()) AND `+pupilFoundSQL("$2")+`
			ORDER BY NOT p.active, lower(`+pupilLastName+`), lower(`+pupilFirstName+`), p.year_group, p.id
			LIMIT $3`, v.SchoolID, query, safeguarding.PupilSearchLimit+1)
		if err != nil {
			return fmt.Errorf("find pupils: %w", err)
		}
		found, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.FoundPupil, error) {
			var p safeguarding.FoundPupil
			err := r.Scan(&p.ID, &p.FirstName, &p.LastName, &p.YearGroup, &p.RegistrationGroup, &p.DateOfBirth, &p.UPN, &p.Left)
			return p, err
		})
		return err
	})
	if len(found) > safeguarding.PupilSearchLimit {
		found, more = found[:safeguarding.PupilSearchLimit], true
	}
	return found, more, err
}

// ReadAuditLog reads a page of v's school's audit log: the kinds of row
// safeguarding.AuditKindsFor gives v, narrowed by f, newest first. Row-level
// security (audit_log_read) admits the same rows again, and hides those
// about a concern v may not see. Anyone who reads no kind is told there is
// no such page. The reading is itself recorded.
func (db *DB) ReadAuditLog(ctx context.Context, v safeguarding.Viewer, f safeguarding.AuditFilter) (safeguarding.AuditLog, error) {
	log := safeguarding.AuditLog{Kinds: safeguarding.AuditKindsFor(v.Roles)}
	if len(log.Kinds) == 0 {
		return log, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such page")
	}
	q, args := auditQuery(v, log.Kinds, f)
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(q, args...).Query(func(rows pgx.Rows) error {
			var err error
			log.Lines, err = pgx.CollectRows(rows, scanAuditLine)
			return err
		})
		b.Queue(`SELECT id, full_name FROM people WHERE school_id = $1 ORDER BY lower(full_name), id`, v.SchoolID).Query(func(rows pgx.Rows) error {
			var err error
			log.People, err = pgx.CollectRows(rows, pgx.RowToStructByPos[safeguarding.PersonName])
			return err
		})
		batchAudit(b, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_audit_log", Object: "audit_log",
			Detail: describeAuditFilter(f)})
		return sendLast(ctx, tx, b)
	})
	if err != nil {
		return log, fmt.Errorf("read audit log: %w", err)
	}
	if len(log.Lines) > safeguarding.AuditPageSize {
		log.Lines, log.More = log.Lines[:safeguarding.AuditPageSize], true
	}
	return log, nil
}

// FileViews lists the latest views of a pupil's file, at most limit, for
// those who read the audit log's rows about children (the DSL and
// deputies); nil for anyone else.
func (db *DB) FileViews(ctx context.Context, v safeguarding.Viewer, pupilID int64, limit int) ([]safeguarding.AuditLine, error) {
	if !safeguarding.MayReadAudit(v.Roles, safeguarding.AuditChildren) {
		return nil, nil
	}
	var lines []safeguarding.AuditLine
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+auditLineColumns+` FROM audit_log a `+auditLineJoins+`
			WHERE a.school_id = $1 AND a.object = $2 AND a.action = 'view_child_file'
			ORDER BY a.at DESC, a.id DESC LIMIT $3`, v.SchoolID, "pupil:"+strconv.FormatInt(pupilID, 10), limit)
		if err != nil {
			return err
		}
		lines, err = pgx.CollectRows(rows, scanAuditLine)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read views of a child's file: %w", err)
	}
	return lines, nil
}

const (
	auditLineColumns = `a.id, a.at, coalesce(a.actor_id, 0), coalesce(actor.full_name, ''), a.action, a.object, a.address, a.detail,
		coalesce(p.id, 0), coalesce(` + pupilFirstName + ` || ' ' || ` + pupilLastName + `, '')`
	// The row's actor, and the pupil a "pupil:N" row is about: each looked
	// up by its key for each row of the page (LIMIT 1 keeps PostgreSQL from
	// folding them into joins, which it planned as a scan of the school's
	// pupils matched against every row).
	auditLineJoins = `LEFT JOIN LATERAL (SELECT actor.full_name FROM people actor
			WHERE actor.school_id = a.school_id AND actor.id = a.actor_id LIMIT 1) actor ON true
		LEFT JOIN LATERAL (SELECT p.id, p.first_name, p.last_name, p.preferred_first_name, p.preferred_last_name FROM pupils p
			WHERE p.school_id = a.school_id
			AND p.id = CASE WHEN a.object ~ '^pupil:[0-9]{1,18}$' THEN substr(a.object, 7)::bigint END LIMIT 1) p ON true`
)

func scanAuditLine(r pgx.CollectableRow) (safeguarding.AuditLine, error) {
	var l safeguarding.AuditLine
	var object string
	err := r.Scan(&l.ID, &l.At, &l.ActorID, &l.Actor, &l.Action, &object, &l.Address, &l.Detail, &l.PupilID, &l.Pupil)
	l.Kind = safeguarding.AuditKindOf(object)
	if id, ok := strings.CutPrefix(object, "concern:"); ok {
		l.ConcernID, _ = strconv.ParseInt(id, 10, 64)
	}
	return l, err
}

// auditQuery is the SQL of a page of the audit log and its arguments.
func auditQuery(v safeguarding.Viewer, kinds []safeguarding.AuditKind, f safeguarding.AuditFilter) (string, []any) {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	args := []any{v.SchoolID, names}
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	where := []string{`a.school_id = $1`, `haven_audit_kind(a.object) = ANY($2)`}
	if f.PersonID != 0 {
		where = append(where, `a.actor_id = `+arg(f.PersonID))
	}
	if !f.From.IsZero() {
		where = append(where, `a.at >= `+arg(englandMidnight(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, `a.at < `+arg(englandMidnight(f.To.AddDate(0, 0, 1))))
	}
	var pupil string
	switch {
	case f.PupilID != 0:
		pupil = `p.id = ` + arg(f.PupilID)
	case strings.TrimSpace(f.Pupil) != "":
		pupil = pupilFoundSQL(arg(f.Pupil))
	}
	if pupil != "" {
		where = append(where, `a.object IN (SELECT 'pupil:' || p.id FROM pupils p WHERE p.school_id = $1 AND `+pupil+`
			UNION ALL SELECT 'concern:' || cp.concern_id FROM pupils p JOIN concern_pupils cp ON cp.school_id = p.school_id AND cp.pupil_id = p.id
			WHERE p.school_id = $1 AND `+pupil+`)`)
	}
	offset := f.Page * safeguarding.AuditPageSize
	return `SELECT ` + auditLineColumns + ` FROM audit_log a ` + auditLineJoins + `
		WHERE ` + strings.Join(where, " AND ") + `
		ORDER BY a.at DESC, a.id DESC LIMIT ` + arg(safeguarding.AuditPageSize+1) + ` OFFSET ` + arg(offset), args
}

// englandMidnight is the instant a day (midnight UTC, as dates are held)
// begins in England.
func englandMidnight(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, safeguarding.England())
}

// describeAuditFilter says, for the audit log, what the page was narrowed to.
func describeAuditFilter(f safeguarding.AuditFilter) string {
	var parts []string
	if f.PersonID != 0 {
		parts = append(parts, "person "+strconv.FormatInt(f.PersonID, 10))
	}
	if f.PupilID != 0 {
		parts = append(parts, "pupil "+strconv.FormatInt(f.PupilID, 10))
	}
	if s := strings.TrimSpace(f.Pupil); s != "" {
		parts = append(parts, "pupil \""+s+"\"")
	}
	if !f.From.IsZero() {
		parts = append(parts, "from "+f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		parts = append(parts, "to "+f.To.Format(time.DateOnly))
	}
	if f.Page > 0 {
		parts = append(parts, "page "+strconv.Itoa(f.Page+1))
	}
	return strings.Join(parts, ", ")
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// escalationSettingsSQL reads a school's ($1) escalation times, for
// scanEscalationSettings; no row when they have never been set.
const escalationSettingsSQL = `SELECT e.urgent_minutes, e.others_hour, coalesce(e.vice_chair_id, 0), e.updated_at,
		coalesce((SELECT p.full_name FROM people p WHERE p.school_id = e.school_id AND p.id = e.updated_by), '')
	FROM school_escalation e WHERE e.school_id = $1`

// scanEscalationSettings reads escalationSettingsSQL's row: the defaults
// when the school has set none.
func scanEscalationSettings(row pgx.Row) (safeguarding.EscalationSettings, error) {
	s := safeguarding.DefaultEscalation
	var minutes int
	err := row.Scan(&minutes, &s.OthersHour, &s.ViceChairID, &s.UpdatedAt, &s.UpdatedByName)
	if errors.Is(err, pgx.ErrNoRows) {
		return safeguarding.DefaultEscalation, nil
	}
	if err != nil {
		return s, fmt.Errorf("read escalation settings: %w", err)
	}
	s.UrgentAfter = time.Duration(minutes) * time.Minute
	return s, nil
}

// EscalationSettings reads the escalation times of v's school, which anyone
// of the school may read; the defaults when never set.
func (db *DB) EscalationSettings(ctx context.Context, v safeguarding.Viewer) (safeguarding.EscalationSettings, error) {
	var s safeguarding.EscalationSettings
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		s, err = scanEscalationSettings(tx.QueryRow(ctx, escalationSettingsSQL, v.SchoolID))
		return err
	})
	return s, err
}

// Governors are the school's active governors and chair, whom the settings
// page offers as its vice-chair.
func (db *DB) Governors(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Person, error) {
	var out []safeguarding.Person
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT p.id, p.full_name FROM people p
			WHERE p.school_id = $1 AND p.active AND EXISTS (SELECT 1 FROM person_roles r
				WHERE r.school_id = p.school_id AND r.person_id = p.id AND r.role = 'governor')
			ORDER BY p.full_name, p.id`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("read governors: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Person, error) {
			p := safeguarding.Person{SchoolID: v.SchoolID, Active: true}
			return p, row.Scan(&p.ID, &p.Name)
		})
		return err
	})
	return out, err
}

// SetEscalationSettings sets the escalation times of v's school, if v may
// (safeguarding.MayEditSchoolContacts; row-level security holds the same
// rule), and audits the change. The vice-chair must be an active governor
// of the school.
func (db *DB) SetEscalationSettings(ctx context.Context, v safeguarding.Viewer, s safeguarding.EscalationSettings, address string) error {
	if !safeguarding.MayEditSchoolContacts(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not change the school's settings")
	}
	for _, field := range slices.Sorted(maps.Keys(s.Problems())) {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", s.Problems()[field])
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if s.ViceChairID != 0 {
			var ok bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people p JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id
				WHERE p.school_id = $1 AND p.id = $2 AND p.active AND r.role = 'governor')`, v.SchoolID, s.ViceChairID).Scan(&ok)
			if err != nil {
				return fmt.Errorf("check vice-chair: %w", err)
			}
			if !ok {
				return safeguarding.Errorf(safeguarding.EINVALID, "Choose a governor of the school")
			}
		}
		was, err := scanEscalationSettings(tx.QueryRow(ctx, escalationSettingsSQL+` FOR UPDATE OF e`, v.SchoolID))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO school_escalation (school_id, urgent_minutes, others_hour, vice_chair_id, updated_at, updated_by)
			VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6)
			ON CONFLICT (school_id) DO UPDATE SET urgent_minutes = excluded.urgent_minutes, others_hour = excluded.others_hour,
				vice_chair_id = excluded.vice_chair_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			v.SchoolID, int(s.UrgentAfter/time.Minute), s.OthersHour, s.ViceChairID, now, v.PersonID)
		if err != nil {
			return fmt.Errorf("set escalation settings: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "set_escalation",
			Object: "school_escalation", Address: address, Detail: escalationChange(was, s)})
	})
}

// escalationChange says what changed, for the audit log (people by id).
func escalationChange(was, now safeguarding.EscalationSettings) string {
	return fmt.Sprintf("urgent after %d → %d minutes; others at %02d:00 → %02d:00; vice-chair person %d → %d",
		int(was.UrgentAfter/time.Minute), int(now.UrgentAfter/time.Minute), was.OthersHour, now.OthersHour, was.ViceChairID, now.ViceChairID)
}

// escalateAt is when a concern v logs at now is escalated if unacknowledged:
// the school's settings over its working-day calendar.
func (db *DB) escalateAt(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, now time.Time, urgent bool) (time.Time, error) {
	s, err := scanEscalationSettings(tx.QueryRow(ctx, escalationSettingsSQL, v.SchoolID))
	if err != nil {
		return time.Time{}, err
	}
	cal, err := db.calendar(ctx, tx, v.SchoolID, safeguarding.DateInEngland(now))
	if err != nil {
		return time.Time{}, err
	}
	return s.EscalateAt(now, urgent, cal), nil
}

// Escalated is what the escalation job did: to whom the concern went, and
// who they are. People is empty when the concern needed no escalation
// (Done false), or no one may be told.
type Escalated struct {
	Done       bool // false: acknowledged, closed or gone; nothing to do
	Route      safeguarding.Route
	To         safeguarding.EscalatedTo
	WithAccess bool
	School     string
	People     []safeguarding.Recipient
}

// EscalateConcern escalates concern concernID of school schoolID, as Haven
// itself (no viewer), if nobody it is routed to has acknowledged it and it
// is open: it records the escalation on the concern and writes each
// recipient's notice in one transaction, and returns whom to e-mail. Run
// again (a retried job), it writes nothing more and returns the same
// people, so their e-mail is sent again rather than never.
func (db *DB) EscalateConcern(ctx context.Context, schoolID, concernID int64) (Escalated, error) {
	var out Escalated
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		out = Escalated{}
		var route string
		var subject *int64
		var loggedBy, viceChair int64
		var urgent, waiting, already bool
		err := tx.QueryRow(ctx, `SELECT route, subject_person_id, logged_by, urgent, waiting, escalated, coalesce(vice_chair_id, 0)
			FROM haven_escalation_due($1, $2)`, schoolID, concernID).Scan(&route, &subject, &loggedBy, &urgent, &waiting, &already, &viceChair)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read concern to escalate: %w", err)
		}
		if !waiting && !already {
			return nil
		}
		out.Done, out.Route = true, safeguarding.Route(route)
		c := safeguarding.ConcernAccess{SchoolID: schoolID, Route: out.Route, LoggedBy: loggedBy}
		if subject != nil {
			c.SubjectPersonID = *subject
		}
		out.To, out.WithAccess = safeguarding.Escalation(out.Route)
		if out.School, out.People, err = db.escalationRecipients(ctx, tx, c, out.To, viceChair); err != nil {
			return err
		}
		if len(out.People) == 0 {
			out.To, out.WithAccess = safeguarding.EscalatedToNobody, false
		}
		if already {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO concern_escalations (school_id, concern_id, escalated_at, escalated_to, with_access)
			VALUES ($1, $2, $3, $4, $5)`, schoolID, concernID, db.now(), string(out.To), out.WithAccess)
		if err != nil {
			return fmt.Errorf("record escalation: %w", err)
		}
		notices := make([]safeguarding.Notice, 0, len(out.People))
		for _, p := range out.People {
			n := safeguarding.Notice{SchoolID: schoolID, PersonID: p.PersonID, Kind: safeguarding.NoticeEscalation,
				Message: safeguarding.EscalationNotice(out.Route, out.WithAccess)}
			if out.WithAccess {
				n.ConcernID = concernID
			}
			notices = append(notices, n)
		}
		return db.addNotices(ctx, tx, notices...)
	})
	return out, err
}

// escalationRecipients are the people of c's school told of its
// escalation to to (safeguarding.EscalationRecipient), and the school's
// name. People and roles have no row-level security.
func (db *DB) escalationRecipients(ctx context.Context, tx pgx.Tx, c safeguarding.ConcernAccess, to safeguarding.EscalatedTo, viceChair int64) (string, []safeguarding.Recipient, error) {
	return db.recipients(ctx, tx, c.SchoolID, func(id int64, roles safeguarding.Roles) bool {
		return safeguarding.EscalationRecipient(id, roles, c, to, viceChair)
	})
}

// recipients returns the school's name and its active people whom keep
// admits, by e-mail address.
func (db *DB) recipients(ctx context.Context, q querier, schoolID int64, keep func(id int64, roles safeguarding.Roles) bool) (string, []safeguarding.Recipient, error) {
	var school string
	if err := q.QueryRow(ctx, `SELECT name FROM schools WHERE id = $1`, schoolID).Scan(&school); err != nil {
		return "", nil, notFound(err, "No such school")
	}
	rows, err := q.Query(ctx, `SELECT p.id, p.email, array_agg(r.role) FROM people p
		JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id
		WHERE p.school_id = $1 AND p.active GROUP BY p.id, p.email ORDER BY p.email`, schoolID)
	if err != nil {
		return "", nil, fmt.Errorf("read recipients: %w", err)
	}
	defer rows.Close()
	var out []safeguarding.Recipient
	for rows.Next() {
		var r safeguarding.Recipient
		var names []string
		if err := rows.Scan(&r.PersonID, &r.Email, &names); err != nil {
			return "", nil, err
		}
		roles := make(safeguarding.Roles, 0, len(names))
		for _, n := range names {
			roles = append(roles, safeguarding.Role(n))
		}
		if keep(r.PersonID, roles) {
			out = append(out, r)
		}
	}
	return school, out, rows.Err()
}

// ConcernEscalation reads concern concernID's escalation as v may see it:
// nil when it has none or v does not read the concern in full.
func (db *DB) ConcernEscalation(ctx context.Context, v safeguarding.Viewer, concernID int64) (*safeguarding.ConcernEscalation, error) {
	var e *safeguarding.ConcernEscalation
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var got safeguarding.ConcernEscalation
		var to string
		err := tx.QueryRow(ctx, `SELECT escalated_at, escalated_to, with_access FROM concern_escalations
			WHERE school_id = $1 AND concern_id = $2`, v.SchoolID, concernID).Scan(&got.At, &to, &got.WithAccess)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read escalation: %w", err)
		}
		got.To = safeguarding.EscalatedTo(to)
		e = &got
		return nil
	})
	return e, err
}

// UnacknowledgedInTime counts the open concerns v handles that have been
// escalated and that nobody has acknowledged yet: the home page's warning
// to those the concerns are routed to.
func (db *DB) UnacknowledgedInTime(ctx context.Context, v safeguarding.Viewer) (int, error) {
	var routes []string
	for _, r := range safeguarding.VisibleRoutes(v.Roles) {
		if safeguarding.Handles(v.Roles, r) {
			routes = append(routes, string(r))
		}
	}
	if len(routes) == 0 {
		return 0, nil
	}
	var n int
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM concerns c JOIN concern_escalations e ON e.school_id = c.school_id AND e.concern_id = c.id
			WHERE c.school_id = $1 AND c.route = ANY($2) AND c.acknowledged_at IS NULL AND c.status <> 'closed'`,
			v.SchoolID, routes).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count unacknowledged concerns: %w", err)
	}
	return n, nil
}

// SchoolIDs lists every school, for the daily digest.
func (db *DB) SchoolIDs(ctx context.Context) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT id FROM schools ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list schools: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// DigestCounts are the daily digest's figures for a school's DSL and
// deputies since since, as Haven itself (haven_digest_counts): counts over
// the routes they read only.
func (db *DB) DigestCounts(ctx context.Context, schoolID int64, since time.Time) (safeguarding.DigestCounts, error) {
	var c safeguarding.DigestCounts
	err := db.pool.QueryRow(ctx, `SELECT new_concerns, overdue, escalated FROM haven_digest_counts($1, $2)`, schoolID, since).
		Scan(&c.NewConcerns, &c.Overdue, &c.Escalated)
	if err != nil {
		return c, fmt.Errorf("count digest: %w", err)
	}
	c.OverdueDeadlines, err = db.digestOverdue(ctx, schoolID)
	return c, err
}

// digestOverdue is how many of the school's open deadlines, leavers' files
// to transfer among them, are overdue now, worked out with the school's
// calendar, as Haven itself (haven_digest_deadlines, haven_digest_closures).
func (db *DB) digestOverdue(ctx context.Context, schoolID int64) (int, error) {
	rows, err := db.pool.Query(ctx, `SELECT kind, starts_on, n FROM haven_digest_deadlines($1)`, schoolID)
	if err != nil {
		return 0, fmt.Errorf("read the digest's deadlines: %w", err)
	}
	open, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.DeadlinesFrom, error) {
		var d safeguarding.DeadlinesFrom
		return d, row.Scan(&d.Kind, &d.From, &d.N)
	})
	if err != nil || len(open) == 0 {
		return 0, err
	}
	earliest := open[0].From
	for _, d := range open {
		if d.From.Before(earliest) {
			earliest = d.From
		}
	}
	rows, err = db.pool.Query(ctx, `SELECT id, first_day, last_day, reason FROM haven_digest_closures($1, $2)`, schoolID, earliest)
	cal, err := db.calendarOf(schoolID, rows, err)
	if err != nil {
		return 0, err
	}
	return cal.OverdueAmong(open, db.now()), nil
}

package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/havenapp/haven/internal/safeguarding"
)

// interval is p's key as the queue index holds it.
func interval(p safeguarding.QueuePosition) pgtype.Interval {
	return pgtype.Interval{Microseconds: p.Key, Valid: true}
}

// Queue returns a page of the open concerns v may see, in the queue's
// order, and audits the view. Someone who handles or reads no route at all
// (staff, governors, administrators) gets ENOTFOUND: they have no queue.
//
// Each route v may see is read by its own walk of the queue index, merged
// by the outer ORDER BY, so a page costs the same on the first page as on
// the thousandth and with a hundred concerns as with a hundred thousand.
// Row-level security still applies: it removes concerns of which v is the
// subject. The filter's choices, the school's year groups (yearGroupsSQL)
// and the leads a concern may be assigned to (assignableLeadsSQL), are read
// in the same transaction.
func (db *DB) Queue(ctx context.Context, v safeguarding.Viewer, f safeguarding.QueueFilter) (safeguarding.QueuePage, error) {
	routes := safeguarding.VisibleRoutes(v.Roles)
	if len(routes) == 0 {
		return safeguarding.QueuePage{}, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such page")
	}
	if f.Limit <= 0 {
		f.Limit = safeguarding.QueuePageSize
	}
	var page safeguarding.QueuePage
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		page, err = queuePage(ctx, tx, v, routes, f)
		if err != nil {
			return err
		}
		if !f.Before.IsZero() && len(page.Concerns) < f.Limit {
			// Paging back reached the start of the queue (concerns before
			// have gone, or it was a stale link): show the first page whole.
			f.Before = safeguarding.QueuePosition{}
			if page, err = queuePage(ctx, tx, v, routes, f); err != nil {
				return err
			}
		}
		if err := db.queueDeadlines(ctx, tx, v, &page); err != nil {
			return err
		}
		return readQueueExtras(ctx, tx, v, &page, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_queue", Object: "queue", Detail: describeFilter(f)})
	})
	if err != nil {
		return safeguarding.QueuePage{}, err
	}
	return page, nil
}

// queuePage reads one page: f.Limit rows, plus one to learn whether there
// are more in the direction of travel.
func queuePage(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, routes []safeguarding.Route, f safeguarding.QueueFilter) (safeguarding.QueuePage, error) {
	q, args := queueQuery(v, routes, f)
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return safeguarding.QueuePage{}, fmt.Errorf("read queue: %w", err)
	}
	type placed struct {
		concern safeguarding.Concern
		at      safeguarding.QueuePosition
	}
	// Sized for the page: a concern is a large struct, and growing the
	// slice by doubling copied the page's rows six times over.
	found, err := pgx.AppendRows(make([]placed, 0, f.Limit+1), rows, func(row pgx.CollectableRow) (placed, error) {
		var p placed
		var key pgtype.Interval
		err := row.Scan(append(concernFields(&p.concern), &p.at.Group, &key)...)
		p.at.ID = p.concern.ID
		p.at.Key = key.Microseconds + int64(key.Days)*86_400_000_000 + int64(key.Months)*30*86_400_000_000
		return p, err
	})
	if err != nil {
		return safeguarding.QueuePage{}, fmt.Errorf("read queue: %w", err)
	}
	backwards := !f.Before.IsZero()
	more := len(found) > f.Limit
	if more {
		found = found[:f.Limit]
	}
	if backwards {
		slices.Reverse(found)
	}
	page := safeguarding.QueuePage{Concerns: make([]safeguarding.Concern, 0, len(found))}
	for _, p := range found {
		// Row-level security has already agreed; the Go rule must too.
		if safeguarding.Can(v, p.concern.Access(), safeguarding.ActionList) {
			page.Concerns = append(page.Concerns, p.concern)
		}
	}
	if len(found) == 0 {
		return page, nil
	}
	first, last := found[0].at, found[len(found)-1].at
	switch {
	case backwards:
		page.Next = last
		if more {
			page.Prev = first
		}
	default:
		if more {
			page.Next = last
		}
		if !f.After.IsZero() {
			page.Prev = first
		}
	}
	return page, nil
}

// listColumns are concernColumns for a list, read from concerns c alone:
// batchListDetails adds the pupils and the three names (subject, logger,
// assignee) with a query each for the whole list, rather than a sub-select
// or a join per row. A list shows no account, so the five free-text fields
// (what happened, the child's words, where, who else knows, what was done)
// are left empty; the concern's page reads them, and the first entry of its
// chronology holds them as submitted.
const listColumns = `c.school_id, c.id, c.route, c.subject_kind, coalesce(c.subject_person_id, 0), '',
	c.subject_adult_name, c.subject_adult_role, c.logged_by, '', c.logged_at,
	c.categories, c.indicators, '', '', c.happened_on, c.happened_time, '',
	'', '', c.urgent, c.status, coalesce(c.assigned_to, 0), '',
	c.acknowledged_at, c.last_activity_at, c.feedback_given`

// batchListDetails adds to b the reads of the pupils and the names of the
// people of concerns read with listColumns. A list of one pupil's concerns
// (the child's page) names that pupil as exceptPupil, and gets only the
// other pupils each concern is about; 0 leaves nobody out.
func batchListDetails(b *pgx.Batch, schoolID int64, concerns []safeguarding.Concern, exceptPupil int64) {
	if len(concerns) == 0 {
		return
	}
	ids := make([]int64, len(concerns))
	var people []int64
	for i, c := range concerns {
		ids[i] = c.ID
		for _, id := range []int64{c.SubjectPersonID, c.LoggedBy, c.AssignedTo} {
			if id != 0 && !slices.Contains(people, id) {
				people = append(people, id)
			}
		}
	}
	b.Queue(concernsPupilsSQL, schoolID, ids, exceptPupil).Query(func(rows pgx.Rows) error {
		return scanConcernsPupils(rows, concerns)
	})
	b.Queue(`SELECT id, full_name FROM people WHERE school_id = $1 AND id = ANY($2)`, schoolID, people).Query(func(rows pgx.Rows) error {
		names := make(map[int64]string, len(people))
		var id int64
		var name string
		if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			names[id] = name
			return nil
		}); err != nil {
			return fmt.Errorf("read the concerns' people: %w", err)
		}
		for i := range concerns {
			c := &concerns[i]
			c.SubjectPersonName, c.LoggedByName, c.AssignedToName = names[c.SubjectPersonID], names[c.LoggedBy], names[c.AssignedTo]
		}
		return nil
	})
}

// assignableLeadsSQL lists the active DSLs and deputies of a school ($1), by
// name.
const assignableLeadsSQL = `SELECT p.id, p.full_name, CASE WHEN bool_or(r.role = 'dsl') THEN 'dsl' ELSE 'deputy_dsl' END FROM people p
	JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id AND r.role IN ('dsl', 'deputy_dsl')
	WHERE p.school_id = $1 AND p.active
	GROUP BY p.id, p.full_name ORDER BY lower(p.full_name), p.id`

// readQueueExtras reads, in one round trip, the pupils and names of the page's
// concerns (batchListDetails), the school's year groups and its assignable
// leads, and records the view; it ends the transaction.
func readQueueExtras(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, page *safeguarding.QueuePage, view safeguarding.AuditEvent) error {
	b := &pgx.Batch{}
	batchListDetails(b, v.SchoolID, page.Concerns, 0)
	batchOpenFlags(b, v, &page.PatternFlags)
	b.Queue(yearGroupsSQL, v.SchoolID).Query(func(rows pgx.Rows) error {
		var err error
		if page.YearGroups, err = pgx.CollectRows(rows, pgx.RowTo[int]); err != nil {
			return fmt.Errorf("read year groups: %w", err)
		}
		return nil
	})
	b.Queue(assignableLeadsSQL, v.SchoolID).Query(func(rows pgx.Rows) error {
		var err error
		if page.Leads, err = pgx.CollectRows(rows, scanAssignee); err != nil {
			return fmt.Errorf("read safeguarding leads: %w", err)
		}
		return nil
	})
	batchAudit(b, view)
	return sendLast(ctx, tx, b)
}

// concernsPupilsSQL reads the pupils of a school's ($1) concerns ($2) but
// one ($3, or 0), in the order concernColumns gives them;
// scanConcernsPupils files them.
const concernsPupilsSQL = `SELECT cp.concern_id, p.id, ` + pupilFirstName + `, ` + pupilLastName + `, p.year_group
	FROM concern_pupils cp JOIN pupils p ON p.school_id = cp.school_id AND p.id = cp.pupil_id
	WHERE cp.school_id = $1 AND cp.concern_id = ANY($2) AND cp.pupil_id <> $3 ORDER BY ` + pupilLastName + `, ` + pupilFirstName

// scanConcernsPupils adds the pupils that rows of concernsPupilsSQL read to
// their concerns.
func scanConcernsPupils(rows pgx.Rows, concerns []safeguarding.Concern) error {
	at := make(map[int64]int, len(concerns))
	for i, c := range concerns {
		at[c.ID] = i
	}
	var concernID int64
	var p safeguarding.PupilRef
	_, err := pgx.ForEachRow(rows, []any{&concernID, &p.ID, &p.FirstName, &p.LastName, &p.YearGroup}, func() error {
		if i, ok := at[concernID]; ok {
			concerns[i].Pupils = append(concerns[i].Pupils, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the concerns' pupils: %w", err)
	}
	return nil
}

// queueQuery builds the queue's SQL. The status condition is written into
// the text, not passed as a parameter, so that the planner can match the
// open concerns' partial index however the statement is planned.
func queueQuery(v safeguarding.Viewer, routes []safeguarding.Route, f safeguarding.QueueFilter) (string, []any) {
	names := make([]string, len(routes))
	for i, r := range routes {
		names[i] = string(r)
	}
	args := []any{v.SchoolID, names, f.Limit + 1}
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	var where []string
	switch f.Status {
	case "", safeguarding.QueueOpen:
		where = append(where, `c.status <> 'closed'`)
	case safeguarding.QueueAll:
	case string(safeguarding.StatusClosed):
		where = append(where, `c.status = 'closed'`)
	default:
		where = append(where, `c.status <> 'closed'`, `c.status = `+arg(f.Status))
	}
	if f.Category != "" {
		where = append(where, arg(f.Category)+` = ANY(c.categories)`)
	}
	if f.YearGroup != 0 {
		// The year group's links are read once, from one index range, and
		// hashed; a sub-select per concern would probe the links for each
		// of the thousands of open concerns the walk passes. "IS TRUE"
		// keeps the IN a filter of the walk (a hashed SubPlan): as a top-level
		// condition PostgreSQL turns it into a hash join, whose rows it must
		// then sort, so the walk read every open concern of the route
		// instead of stopping when the page is full.
		where = append(where, `(c.id IN (SELECT cp.concern_id FROM concern_pupils cp
			WHERE cp.school_id = $1 AND cp.pupil_year_group = `+arg(f.YearGroup)+`)) IS TRUE`)
	}
	switch {
	case f.Unassigned:
		where = append(where, `c.assigned_to IS NULL`)
	case f.AssignedTo != 0:
		where = append(where, `c.assigned_to = `+arg(f.AssignedTo))
	}
	order := "ASC"
	switch {
	case !f.Before.IsZero():
		order = "DESC"
		where = append(where, `(c.queue_group, c.queue_key, c.id) < (`+arg(f.Before.Group)+`, `+arg(interval(f.Before))+`, `+arg(f.Before.ID)+`)`)
	case !f.After.IsZero():
		where = append(where, `(c.queue_group, c.queue_key, c.id) > (`+arg(f.After.Group)+`, `+arg(interval(f.After))+`, `+arg(f.After.ID)+`)`)
	}
	cond := ""
	for _, w := range where {
		cond += "\n\t\t\tAND " + w
	}
	return `WITH page AS (
		SELECT q.id, q.queue_group, q.queue_key FROM unnest($2::text[]) AS r (route)
		CROSS JOIN LATERAL (
			SELECT c.id, c.queue_group, c.queue_key FROM concerns c
			WHERE c.school_id = $1 AND c.route = r.route` + cond + `
			ORDER BY c.queue_group ` + order + `, c.queue_key ` + order + `, c.id ` + order + `
			LIMIT $3) q
		ORDER BY q.queue_group ` + order + `, q.queue_key ` + order + `, q.id ` + order + `
		LIMIT $3)
	SELECT ` + listColumns + `, page.queue_group, page.queue_key
	FROM page JOIN concerns c ON c.school_id = $1 AND c.id = page.id
	ORDER BY page.queue_group ` + order + `, page.queue_key ` + order + `, page.id ` + order, args
}

// describeFilter is the filter as the audit log records it.
func describeFilter(f safeguarding.QueueFilter) string {
	var parts []string
	status := f.Status
	if status == "" {
		status = safeguarding.QueueOpen
	}
	parts = append(parts, "status="+status)
	if f.Category != "" {
		parts = append(parts, "category="+f.Category)
	}
	if f.YearGroup != 0 {
		parts = append(parts, "year="+strconv.Itoa(f.YearGroup))
	}
	if f.Unassigned {
		parts = append(parts, "assignee=none")
	} else if f.AssignedTo != 0 {
		parts = append(parts, "assignee="+strconv.FormatInt(f.AssignedTo, 10))
	}
	if !f.After.IsZero() {
		parts = append(parts, "after="+strconv.FormatInt(f.After.ID, 10))
	}
	if !f.Before.IsZero() {
		parts = append(parts, "before="+strconv.FormatInt(f.Before.ID, 10))
	}
	return strings.Join(parts, " ")
}

func scanAssignee(row pgx.CollectableRow) (safeguarding.Assignee, error) {
	var a safeguarding.Assignee
	err := row.Scan(&a.ID, &a.Name, &a.Role)
	return a, err
}

// queueDeadlines reads the open deadlines of the page's concerns, for the
// markers on their rows; row-level security leaves those who do not see
// deadlines none.
func (db *DB) queueDeadlines(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, page *safeguarding.QueuePage) error {
	ids := make([]int64, 0, len(page.Concerns))
	for _, c := range page.Concerns {
		if safeguarding.SeesDeadlines(v, c.Access()) {
			ids = append(ids, c.ID)
		}
	}
	ds, err := db.concernDeadlines(ctx, tx, v.SchoolID, ids)
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		page.Deadlines = map[int64][]safeguarding.Deadline{}
	}
	for _, d := range ds {
		page.Deadlines[d.ConcernID] = append(page.Deadlines[d.ConcernID], d)
	}
	return nil
}

package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// A deadline row keeps the day its count starts and its number of working
// days; the day it falls due is worked out with the school's calendar when
// it is read (safeguarding.Calendar.DueOn), so closure days added later move
// it at once (migrations/00033_deadlines.sql).

// FeedbackEnqueuer adds to tx the e-mail telling the member of staff who
// logged a concern that feedback is recorded, in the transaction that
// records it. internal/jobs makes one (jobs.FeedbackEnqueuer).
type FeedbackEnqueuer func(ctx context.Context, tx pgx.Tx, n safeguarding.FeedbackNotice) error

// WithFeedbackMail returns a store that e-mails feedback's recipients
// through e.
func (db *DB) WithFeedbackMail(e FeedbackEnqueuer) *DB {
	c := *db
	c.feedback = e
	return &c
}

// FeedbackRecipient is the school's name and the e-mail address of the
// person feedback is for, or "" when they are no longer active: for the
// feedback e-mail's job, which runs as nobody.
func (db *DB) FeedbackRecipient(ctx context.Context, schoolID, personID int64) (school, email string, err error) {
	err = db.pool.QueryRow(ctx, `SELECT s.name, CASE WHEN p.active THEN p.email ELSE '' END
		FROM schools s JOIN people p ON p.school_id = s.id WHERE s.id = $1 AND p.id = $2`, schoolID, personID).Scan(&school, &email)
	if err != nil {
		return "", "", notFound(err, "No such person")
	}
	return school, email, nil
}

// enqueueFeedback enqueues the feedback e-mail entry e, recorded on
// concern c, sends, if any.
func (db *DB) enqueueFeedback(ctx context.Context, tx pgx.Tx, c safeguarding.Concern, e safeguarding.Entry) error {
	n, ok := safeguarding.FeedbackNoticeFor(c, e)
	if !ok || db.feedback == nil {
		return nil
	}
	if err := db.feedback(ctx, tx, n); err != nil {
		return fmt.Errorf("enqueue feedback e-mail: %w", err)
	}
	return nil
}

// openDeadline adds d to the deadlines; a second opening of the same one
// is nothing.
func openDeadline(ctx context.Context, tx pgx.Tx, d safeguarding.Deadline) error {
	_, err := tx.Exec(ctx, `INSERT INTO deadlines (school_id, kind, concern_id, entry_id, starts_on, working_days)
		VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6)
		ON CONFLICT (school_id, concern_id, kind, coalesce(entry_id, 0)) DO NOTHING`,
		d.SchoolID, d.Kind, d.ConcernID, d.EntryID, d.From, d.Kind.WorkingDays())
	if err != nil {
		return fmt.Errorf("open %s deadline: %w", d.Kind, err)
	}
	return nil
}

// batchFeedbackDeadline adds to b the feedback a new concern owes the person
// who logged it, when it owes any (safeguarding.OwesFeedback).
func batchFeedbackDeadline(b *pgx.Batch, v safeguarding.Viewer, concernID int64, route safeguarding.Route, loggedAt time.Time) {
	if !safeguarding.OwesFeedback(v.Roles, route) {
		return
	}
	b.Queue(`INSERT INTO deadlines (school_id, kind, concern_id, starts_on, working_days) VALUES ($1, $2, $3, $4, $5)`,
		v.SchoolID, safeguarding.DeadlineFeedback, concernID, safeguarding.DateInEngland(loggedAt), safeguarding.DeadlineFeedback.WorkingDays())
}

// keepDeadlines opens and meets the deadlines that entry e, just appended,
// opens and meets (safeguarding.DeadlineOpened, DeadlinesMet).
func keepDeadlines(ctx context.Context, tx pgx.Tx, e safeguarding.Entry) error {
	if d, ok := safeguarding.DeadlineOpened(e); ok {
		return openDeadline(ctx, tx, d)
	}
	kind, entryID, ok := safeguarding.DeadlinesMet(e)
	if !ok {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE deadlines SET met_at = $5
		WHERE school_id = $1 AND concern_id = $2 AND kind = $3 AND ($4 = 0 OR entry_id = $4) AND met_at IS NULL`,
		e.SchoolID, e.ConcernID, kind, entryID, e.At)
	if err != nil {
		return fmt.Errorf("meet %s deadline: %w", kind, err)
	}
	return nil
}

// calendarSince is how far back the closure days a deadline's calendar
// reads go: a closure is shorter than a year, and a deadline open for
// longer than that is overdue whatever the calendar says.
const calendarSince = 400 * 24 * time.Hour

// OverdueCount is how many of the school's open deadlines that v may see
// are overdue, the leavers' files to transfer among them, up to limit (the
// header says "99+" beyond): for the DSL and deputies on every page, so it
// is the calendar's closure days and one count over each index (the open
// deadlines', the leavers'), no due date worked out per row.
func (db *DB) OverdueCount(ctx context.Context, v safeguarding.Viewer, limit int) (int, error) {
	if !safeguarding.MaySeeDue(v.Roles) {
		return 0, nil
	}
	var n int
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		now := db.now()
		cal, err := db.calendar(ctx, tx, v.SchoolID, now.Add(-calendarSince))
		if err != nil {
			return err
		}
		var days []int32
		var before []time.Time
		for _, k := range safeguarding.DeadlineKinds {
			days = append(days, int32(k.WorkingDays()))
			before = append(before, cal.OverdueBefore(k.WorkingDays(), now))
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM (
				SELECT 1 FROM deadlines d JOIN unnest($2::int[], $3::date[]) AS t (days, before)
					ON d.working_days = t.days AND d.starts_on < t.before
				WHERE d.school_id = $1 AND d.met_at IS NULL LIMIT $4) o`,
			v.SchoolID, days, before, limit).Scan(&n); err != nil {
			return err
		}
		// The leavers' files to transfer are kept apart from the deadlines
		// table (transfer.go), so they are counted beside it.
		if !safeguarding.MaySeeTransfersDue(v.Roles) || n >= limit {
			return nil
		}
		transfers, err := overdueTransfers(ctx, tx, cal, v.SchoolID, now, limit-n)
		n += transfers
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count overdue deadlines: %w", err)
	}
	return n, nil
}

// Due is the school's open deadlines that v may see, with the leavers'
// files to transfer for those who may transfer them
// (safeguarding.MaySeeTransfersDue), overdue first, then soonest first (the
// Due view): the first limit of them, with how many there are and how many
// are overdue. EFORBIDDEN for anyone but the DSL and
// deputies (safeguarding.MaySeeDue).
func (db *DB) Due(ctx context.Context, v safeguarding.Viewer, limit int) (safeguarding.DueList, error) {
	if !safeguarding.MaySeeDue(v.Roles) {
		return safeguarding.DueList{}, safeguarding.Errorf(safeguarding.EFORBIDDEN, "No such page")
	}
	var out safeguarding.DueList
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		ds, err := openDeadlines(ctx, tx, v.SchoolID, nil)
		if err != nil {
			return err
		}
		if ds, err = db.fillDue(ctx, tx, v.SchoolID, ds); err != nil {
			return err
		}
		if safeguarding.MaySeeTransfersDue(v.Roles) {
			leavers, err := db.transfersToDo(ctx, tx, v.SchoolID)
			if err != nil {
				return err
			}
			ds = append(ds, transferDeadlines(v.SchoolID, leavers)...)
		}
		now := db.now()
		safeguarding.SortDeadlines(ds, now)
		out.Total = len(ds)
		for _, d := range ds {
			if safeguarding.Overdue(d.Due, now) {
				out.Overdue++
			}
		}
		out.Deadlines = ds[:min(limit, len(ds))]
		if err := describeDeadlines(ctx, tx, v.SchoolID, out.Deadlines); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_due"})
	})
	return out, err
}

// transferDeadlines are the leavers' files to transfer as the Due view
// lists deadlines: each done on the pupil's transfer page, and said by the
// pupil's year group, not their name, as the Due view names no one.
func transferDeadlines(schoolID int64, leavers []safeguarding.TransferToDo) []safeguarding.Deadline {
	out := make([]safeguarding.Deadline, 0, len(leavers))
	for _, l := range leavers {
		out = append(out, safeguarding.Deadline{SchoolID: schoolID, Kind: safeguarding.DeadlineTransfer, PupilID: l.Pupil.ID,
			From: l.LeftOn, Due: l.Due, What: "Year " + strconv.Itoa(l.Pupil.YearGroup),
			Link: "/pupils/" + strconv.FormatInt(l.Pupil.ID, 10) + "/transfer"})
	}
	return out
}

// concernDeadlines are the open deadlines of the given concerns that the
// transaction's viewer may see, each with its due date and what it is: for
// a concern's page, a child's page and the queue's markers.
func (db *DB) concernDeadlines(ctx context.Context, tx pgx.Tx, schoolID int64, concernIDs []int64) ([]safeguarding.Deadline, error) {
	if len(concernIDs) == 0 {
		return nil, nil
	}
	ds, err := openDeadlines(ctx, tx, schoolID, concernIDs)
	if err != nil {
		return nil, err
	}
	if err := describeDeadlines(ctx, tx, schoolID, ds); err != nil {
		return nil, err
	}
	return db.fillDue(ctx, tx, schoolID, ds)
}

// openDeadlines reads the school's open deadlines, of the given concerns
// or (nil) of all. The two are separate statements, so that a page's few
// concerns are looked up by deadlines_concern_idx, not found among all the
// school's open deadlines by a plan made for either.
func openDeadlines(ctx context.Context, tx pgx.Tx, schoolID int64, concernIDs []int64) ([]safeguarding.Deadline, error) {
	const columns = `SELECT d.id, d.kind, d.concern_id, coalesce(d.entry_id, 0), d.starts_on FROM deadlines d
		WHERE d.school_id = $1 AND d.met_at IS NULL`
	q, args := columns+` ORDER BY d.starts_on, d.id`, []any{schoolID}
	if concernIDs != nil {
		q, args = columns+` AND d.concern_id = ANY ($2) ORDER BY d.starts_on, d.id`, []any{schoolID, concernIDs}
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read deadlines: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Deadline, error) {
		d := safeguarding.Deadline{SchoolID: schoolID}
		err := row.Scan(&d.ID, &d.Kind, &d.ConcernID, &d.EntryID, &d.From)
		d.Link = "/concerns/" + strconv.FormatInt(d.ConcernID, 10)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("read deadlines: %w", err)
	}
	return ds, nil
}

// describeDeadlines says what each response is due for: the agency its
// referral went to.
func describeDeadlines(ctx context.Context, tx pgx.Tx, schoolID int64, ds []safeguarding.Deadline) error {
	var referrals []int64
	for _, d := range ds {
		if d.EntryID != 0 {
			referrals = append(referrals, d.EntryID)
		}
	}
	if len(referrals) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id, details->>'agency', coalesce(details->>'agency_other', '')
		FROM chronology_entries WHERE school_id = $1 AND id = ANY ($2)`, schoolID, referrals)
	if err != nil {
		return fmt.Errorf("read referrals due: %w", err)
	}
	agencies := map[int64]string{}
	var id int64
	var agency, other string
	_, err = pgx.ForEachRow(rows, []any{&id, &agency, &other}, func() error {
		d := safeguarding.EntryDetails{Agency: safeguarding.Agency(agency), AgencyOther: other}
		agencies[id] = d.AgencyName()
		return nil
	})
	if err != nil {
		return fmt.Errorf("read referrals due: %w", err)
	}
	for i := range ds {
		if ds[i].EntryID != 0 {
			ds[i].What = agencies[ds[i].EntryID]
		}
	}
	return nil
}

// fillDue works out each deadline's due date with the school's calendar.
func (db *DB) fillDue(ctx context.Context, tx pgx.Tx, schoolID int64, ds []safeguarding.Deadline) ([]safeguarding.Deadline, error) {
	if len(ds) == 0 {
		return ds, nil
	}
	earliest := ds[0].From
	for _, d := range ds {
		if d.From.Before(earliest) {
			earliest = d.From
		}
	}
	cal, err := db.calendar(ctx, tx, schoolID, earliest)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		ds[i].Due = cal.DueOn(ds[i].Kind, ds[i].From)
	}
	return ds, nil
}

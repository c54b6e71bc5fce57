package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// concernColumns are read by scanConcern, in order, from concerns c.
const concernColumns = `c.school_id, c.id, c.route, c.subject_kind, coalesce(c.subject_person_id, 0),
	coalesce((SELECT full_name FROM people WHERE school_id = c.school_id AND id = c.subject_person_id), ''),
	c.subject_adult_name, c.subject_adult_role, c.logged_by,
	(SELECT full_name FROM people WHERE school_id = c.school_id AND id = c.logged_by), c.logged_at,
	c.categories, c.indicators, c.what_happened, c.childs_words, c.happened_on, c.happened_time, c.location,
	c.others_told, c.actions_taken, c.urgent, c.status, coalesce(c.assigned_to, 0),
	coalesce((SELECT full_name FROM people WHERE school_id = c.school_id AND id = c.assigned_to), ''),
	c.acknowledged_at, c.last_activity_at, c.feedback_given,
	coalesce((SELECT json_agg(json_build_object('id', p.id, 'first', ` + pupilFirstName + `, 'last', ` + pupilLastName + `, 'year', p.year_group,
			'part', cp.part, 'indicators', cp.indicators, 'words', cp.childs_words) ORDER BY ` + pupilLastName + `, ` + pupilFirstName + `)
		FROM concern_pupils cp JOIN pupils p ON p.school_id = cp.school_id AND p.id = cp.pupil_id
		WHERE cp.school_id = c.school_id AND cp.concern_id = c.id), '[]')`

func scanConcern(row pgx.Row) (safeguarding.Concern, error) {
	var c safeguarding.Concern
	var pupils []byte
	err := row.Scan(append(concernFields(&c), &pupils)...)
	if err != nil {
		return c, err
	}
	var refs []struct {
		ID         int64             `json:"id"`
		First      string            `json:"first"`
		Last       string            `json:"last"`
		Year       int               `json:"year"`
		Part       safeguarding.Part `json:"part"`
		Indicators []string          `json:"indicators"`
		Words      string            `json:"words"`
	}
	if err := json.Unmarshal(pupils, &refs); err != nil {
		return c, fmt.Errorf("decode pupils: %w", err)
	}
	for _, r := range refs {
		c.Pupils = append(c.Pupils, safeguarding.PupilRef{ID: r.ID, FirstName: r.First, LastName: r.Last, YearGroup: r.Year})
		c.Parts = append(c.Parts, safeguarding.PupilPart{PupilID: r.ID, Part: r.Part, Indicators: nilIfNone(r.Indicators), ChildsWords: r.Words})
	}
	return c, nil
}

// concernFields are the destinations of every column of concernColumns but
// the last, the pupils.
func concernFields(c *safeguarding.Concern) []any {
	return []any{&c.SchoolID, &c.ID, &c.Route, &c.SubjectKind, &c.SubjectPersonID, &c.SubjectPersonName,
		&c.SubjectAdultName, &c.SubjectAdultRole, &c.LoggedBy, &c.LoggedByName, &c.LoggedAt,
		&c.Categories, &c.Indicators, &c.WhatHappened, &c.ChildsWords, &c.HappenedOn, &c.HappenedTime, &c.Location,
		&c.OthersTold, &c.ActionsTaken, &c.Urgent, &c.Status, &c.AssignedTo, &c.AssignedToName,
		&c.AcknowledgedAt, &c.LastActivityAt, &c.FeedbackGiven}
}

// Concern returns a concern v may view, or ENOTFOUND, whether it does not
// exist or v may not see it. Every read is audited.
func (db *DB) Concern(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.Concern, error) {
	var c safeguarding.Concern
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		c, err = concernByID(ctx, tx, v, id, false)
		if err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_concern", Object: "concern:" + strconv.FormatInt(id, 10)})
	})
	return c, err
}

// concernByID reads one concern through row-level security and checks the
// Go rule as well, so that both must agree before anything is shown.
func concernByID(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, id int64, lock bool) (safeguarding.Concern, error) {
	q := `SELECT ` + concernColumns + ` FROM concerns c WHERE c.school_id = $1 AND c.id = $2`
	if lock {
		q += ` FOR NO KEY UPDATE OF c`
	}
	c, err := scanConcern(tx.QueryRow(ctx, q, v.SchoolID, id))
	if err != nil {
		return c, notFound(err, "No such concern")
	}
	if !safeguarding.Can(v, c.Access(), safeguarding.ActionView) {
		return safeguarding.Concern{}, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such concern")
	}
	return c, nil
}

// ConcernRecord reads a concern with its chronology in one transaction and
// audits the view, as Concern and Chronology do apart. wantLeads is asked,
// once the concern is read, whether the page offers to assign it; the
// school's assignable leads are then read too.
func (db *DB) ConcernRecord(ctx context.Context, v safeguarding.Viewer, id int64, wantLeads func(safeguarding.Concern) bool) (safeguarding.ConcernRecord, error) {
	var rec safeguarding.ConcernRecord
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		if rec.Concern, err = concernByID(ctx, tx, v, id, false); err != nil {
			return err
		}
		if safeguarding.SeesDeadlines(v, rec.Concern.Access()) {
			if rec.Deadlines, err = db.concernDeadlines(ctx, tx, v.SchoolID, []int64{id}); err != nil {
				return err
			}
		}
		// The chronology, the leads and the audit in one round trip.
		b := &pgx.Batch{}
		b.Queue(chronologySQL, v.SchoolID, id).Query(func(rows pgx.Rows) error {
			if rec.Entries, err = pgx.CollectRows(rows, scanEntry); err != nil {
				return fmt.Errorf("read chronology: %w", err)
			}
			return nil
		})
		if wantLeads != nil && wantLeads(rec.Concern) {
			b.Queue(assignableLeadsSQL, v.SchoolID).Query(func(rows pgx.Rows) error {
				if rec.Leads, err = pgx.CollectRows(rows, scanAssignee); err != nil {
					return fmt.Errorf("read safeguarding leads: %w", err)
				}
				return nil
			})
		}
		batchEntryDraft(b, v, id, &rec.EntryDraft)
		batchAttachments(b, v, id, &rec.Attachments)
		batchAudit(b, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_concern", Object: "concern:" + strconv.FormatInt(id, 10)})
		return sendLast(ctx, tx, b)
	})
	if err != nil {
		return safeguarding.ConcernRecord{}, err
	}
	return rec, nil
}

// Chronology returns the entries of a concern that v may see, oldest first:
// everything for those who read the whole record, and for the member of
// staff who logged it only what they wrote and the feedback given to them.
func (db *DB) Chronology(ctx context.Context, v safeguarding.Viewer, concernID int64) ([]safeguarding.Entry, error) {
	var entries []safeguarding.Entry
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, err := concernByID(ctx, tx, v, concernID, false); err != nil {
			return err
		}
		var err error
		entries, err = chronology(ctx, tx, v, concernID)
		return err
	})
	return entries, err
}

// chronologySQL reads the entries of a school's ($1) concern ($2) that
// row-level security lets the viewer see, oldest first, for scanEntry.
const chronologySQL = `SELECT ` + entryColumns + `
	FROM chronology_entries e JOIN people p ON p.school_id = e.school_id AND p.id = e.author_id
	WHERE e.school_id = $1 AND e.concern_id = $2 ORDER BY coalesce(e.happened_at, e.at), e.id`

// entryColumns are an entry's columns as scanEntry reads them, from
// chronology_entries e joined to its author p.
const entryColumns = `e.school_id, e.id, e.concern_id, e.kind, e.author_id, p.full_name, e.at, e.body, e.details,
	coalesce(e.corrects_id, 0), e.pupil_ids, e.happened_at, e.prev_hash, e.hash`

// chronology reads the entries of a concern that row-level security lets v
// see, oldest first. The caller has checked that v may view the concern.
func chronology(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, concernID int64) ([]safeguarding.Entry, error) {
	rows, err := tx.Query(ctx, chronologySQL, v.SchoolID, concernID)
	if err != nil {
		return nil, fmt.Errorf("read chronology: %w", err)
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("read chronology: %w", err)
	}
	return entries, nil
}

func scanEntry(row pgx.CollectableRow) (safeguarding.Entry, error) {
	return scanEntryWith(row)
}

// scanEntryWith is scanEntry for a row that carries more columns after the
// entry's, scanned into extra.
func scanEntryWith(row pgx.Row, extra ...any) (safeguarding.Entry, error) {
	var e safeguarding.Entry
	var details []byte
	var happened *time.Time
	err := row.Scan(append([]any{&e.SchoolID, &e.ID, &e.ConcernID, &e.Kind, &e.AuthorID, &e.AuthorName, &e.At, &e.Body, &details,
		&e.CorrectsID, &e.PupilIDs, &happened, &e.PrevHash, &e.Hash}, extra...)...)
	if err != nil {
		return e, err
	}
	if happened != nil {
		e.HappenedAt = *happened
	}
	if len(e.PupilIDs) == 0 {
		e.PupilIDs = nil
	}
	if string(details) == "{}" { // most entries: nothing to decode
		return e, nil
	}
	if err := json.Unmarshal(details, &e.Details); err != nil {
		return e, fmt.Errorf("decode entry details: %w", err)
	}
	return e, nil
}

// AddEntry appends an entry to a concern's chronology and moves the concern
// on as the entry says (safeguarding.ApplyEntry). It returns ENOTFOUND if v
// may not add to the concern, and EINVALID if the concern's status does not
// allow the entry or it names something it may not (an entry of another
// concern, someone who may not be assigned, a referral not on the concern),
// or closes the concern while referrals await a response without saying why
// (safeguarding.CheckReferrals). The entry's fields were checked where they
// were typed (in.Problems).
func (db *DB) AddEntry(ctx context.Context, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) error {
	_, err := db.RecordEntry(ctx, v, concernID, in)
	return err
}

// RecordEntry is AddEntry that returns the new entry's id, so that the page
// can come back at it.
func (db *DB) RecordEntry(ctx context.Context, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) (int64, error) {
	var id int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		c, err := concernByID(ctx, tx, v, concernID, true)
		if err != nil {
			return err
		}
		if in.CorrectsID != 0 {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM chronology_entries WHERE school_id = $1 AND concern_id = $2 AND id = $3`,
				v.SchoolID, concernID, in.CorrectsID).Scan(&n); err != nil || n == 0 {
				return safeguarding.Errorf(safeguarding.EINVALID, "Choose an entry of this concern to correct")
			}
		}
		if in, err = checkReferrals(ctx, tx, v, concernID, in); err != nil {
			return err
		}
		var assignee safeguarding.Person
		if in.Kind == safeguarding.EntryAssigned && in.Details.AssigneeID != 0 {
			if assignee, err = personByID(ctx, tx, v.SchoolID, in.Details.AssigneeID); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("read assignee: %w", err)
			}
		}
		e, after, err := safeguarding.ApplyEntry(v, c, in, assignee, db.now().UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if id, err = appendEntry(ctx, tx, e); err != nil {
			return err
		}
		e.ID = id
		if err := keepDeadlines(ctx, tx, e); err != nil {
			return err
		}
		if err := db.enqueueFeedback(ctx, tx, c, e); err != nil {
			return err
		}
		// The entry as it was being typed (SaveEntryDraft) is now recorded.
		if _, err := tx.Exec(ctx, `DELETE FROM entry_drafts WHERE school_id = $1 AND person_id = $2 AND concern_id = $3 AND kind = $4`,
			v.SchoolID, v.PersonID, concernID, in.Kind); err != nil {
			return fmt.Errorf("discard entry draft: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE concerns SET status = $3, assigned_to = NULLIF($4, 0), acknowledged_at = $5, feedback_given = $6, last_activity_at = $7
			WHERE school_id = $1 AND id = $2`, v.SchoolID, concernID, after.Status, after.AssignedTo, after.AcknowledgedAt, after.FeedbackGiven, after.LastActivityAt); err != nil {
			return fmt.Errorf("update concern: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "add_entry",
			Object: "concern:" + strconv.FormatInt(concernID, 10), Detail: string(in.Kind)})
	})
	return id, err
}

// checkReferrals reads the concern's referrals and responses, when the
// entry is one that depends on them, for safeguarding.CheckReferrals, and
// returns in as it is recorded against them (safeguarding.FitToReferrals).
func checkReferrals(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, concernID int64, in safeguarding.EntryInput) (safeguarding.EntryInput, error) {
	if in.Kind != safeguarding.EntryReferralResponse && in.Kind != safeguarding.EntryClosed {
		return in, nil
	}
	entries, err := referralEntries(ctx, tx, v.SchoolID, []int64{concernID})
	if err != nil {
		return in, err
	}
	return safeguarding.FitToReferrals(in, entries), safeguarding.CheckReferrals(in, entries)
}

// referralsSQL reads the referrals and responses of a school's ($1)
// concerns ($2), in time order, for scanEntry.
const referralsSQL = `SELECT ` + entryColumns + `
	FROM chronology_entries e JOIN people p ON p.school_id = e.school_id AND p.id = e.author_id
	WHERE e.school_id = $1 AND e.concern_id = ANY($2) AND e.kind IN ('referral', 'referral_response')
	ORDER BY coalesce(e.happened_at, e.at), e.id`

func referralEntries(ctx context.Context, tx pgx.Tx, schoolID int64, concernIDs []int64) ([]safeguarding.Entry, error) {
	rows, err := tx.Query(ctx, referralsSQL, schoolID, concernIDs)
	if err != nil {
		return nil, fmt.Errorf("read referrals: %w", err)
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("read referrals: %w", err)
	}
	return entries, nil
}

// personByID reads a person of the school with their roles: the rules about
// who may be given a concern need both.
func personByID(ctx context.Context, tx pgx.Tx, schoolID, id int64) (safeguarding.Person, error) {
	p := safeguarding.Person{SchoolID: schoolID, ID: id}
	var roles []string
	err := tx.QueryRow(ctx, `SELECT p.full_name, p.active, coalesce(array_agg(r.role) FILTER (WHERE r.role IS NOT NULL), '{}')
		FROM people p LEFT JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id
		WHERE p.school_id = $1 AND p.id = $2 GROUP BY p.school_id, p.id`, schoolID, id).Scan(&p.Name, &p.Active, &roles)
	for _, r := range roles {
		p.Roles = append(p.Roles, safeguarding.Role(r))
	}
	return p, err
}

func nilIfNone(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

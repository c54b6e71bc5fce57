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

// LogConcern files a concern with its first chronology entry, its alert job
// and its audit line in one transaction, and discards the viewer's draft. If the same
// submission token was filed before, it returns that concern's id and
// duplicate=true and files nothing.
//
// The caller has checked in by its own rules (ConcernInput.Problems); the
// store checks what only the database knows: that the pupils (those it is
// about, or the children a concern about an adult involves) are on the
// school's roll and whom a member of staff's concern goes to. The children
// of a concern about an adult are linked to it, and its route is the
// adult's.
func (db *DB) LogConcern(ctx context.Context, v safeguarding.Viewer, in safeguarding.ConcernInput) (id int64, duplicate bool, err error) {
	if err := in.CheckParts(); err != nil {
		return 0, false, err
	}
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if in.SubjectKind == safeguarding.SubjectOtherAdult {
			// "Another adult" named like a member of staff is not accepted
			// as another adult; named like the principal, it is a concern
			// about the principal (safeguarding.ResolveAdult).
			staff, err := staffRoster(ctx, tx, v)
			if err != nil {
				return err
			}
			var matches []safeguarding.StaffMember
			if in, matches = in.ResolveAdult(staff); len(matches) > 0 {
				return safeguarding.Errorf(safeguarding.EINVALID, "%s", safeguarding.StaffNamedProblem(matches))
			}
		}
		route, err := routeFor(ctx, tx, v, in)
		if err != nil {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		// The pupils' check and the concern in one round trip: if the check
		// fails, the transaction rolls the concern back. A concern about an
		// adult may involve children too; they are checked alike.
		b := &pgx.Batch{}
		if len(in.PupilIDs) > 0 {
			b.Queue(`SELECT count(*) FROM pupils WHERE school_id = $1 AND id = ANY($2)`, v.SchoolID, in.PupilIDs).QueryRow(func(row pgx.Row) error {
				var n int
				if err := row.Scan(&n); err != nil {
					return fmt.Errorf("check pupils: %w", err)
				}
				if n != len(in.PupilIDs) {
					return errNoSuchPupil
				}
				return nil
			})
		}
		b.Queue(`INSERT INTO concerns (school_id, route, subject_kind, subject_person_id, subject_adult_name, subject_adult_role,
				logged_by, logged_at, submission_token, categories, indicators, what_happened, childs_words, happened_on, happened_time,
				location, others_told, actions_taken, urgent, last_activity_at)
			VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $8)
			ON CONFLICT (school_id, submission_token) DO NOTHING
			RETURNING id`,
			v.SchoolID, route, in.SubjectKind, in.SubjectPersonID, in.SubjectAdultName, in.SubjectAdultRole,
			v.PersonID, now, in.SubmissionToken, in.Categories, nonNil(in.AllIndicators()), in.WhatHappened, in.UnattributedWords(), in.HappenedOn, in.HappenedTime,
			in.Location, in.OthersTold, in.ActionsTaken, in.Urgent).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				duplicate = true
				return nil
			}
			return err
		})
		switch err := tx.SendBatch(ctx, b).Close(); {
		case errors.Is(err, errNoSuchPupil):
			return err
		case err != nil:
			return fmt.Errorf("insert concern: %w", err)
		case duplicate:
			return tx.QueryRow(ctx, `SELECT id FROM concerns WHERE school_id = $1 AND submission_token = $2`, v.SchoolID, in.SubmissionToken).Scan(&id)
		}
		// The alert job, then the rest with COMMIT in one round trip. The
		// concern is new and no one else sees it before this transaction
		// commits, so its first entry needs no lock and links to no earlier
		// one (the insert policy checks that there is none).
		alert := safeguarding.ConcernAlert{SchoolID: v.SchoolID, ConcernID: id, Urgent: in.Urgent, Route: route,
			SubjectPersonID: in.SubjectPersonID, LoggedBy: v.PersonID}
		if db.alerts != nil {
			if alert.EscalateAt, err = db.escalateAt(ctx, tx, v, now, in.Urgent); err != nil {
				return err
			}
		}
		if err = db.enqueueAlert(ctx, tx, alert); err != nil {
			return err
		}
		// The pattern rules look at the pupils of a concern about children
		// (safeguarding.EvaluatePatterns), once it has committed.
		if route == safeguarding.RouteChild {
			if err := db.enqueuePatterns(ctx, tx, v.SchoolID, in.PupilIDs); err != nil {
				return err
			}
		}
		b = &pgx.Batch{}
		// Each pupil's own part, indicators and words, filed with the concern.
		for _, p := range in.PupilParts() {
			b.Queue(`INSERT INTO concern_pupils (school_id, concern_id, pupil_id, part, indicators, childs_words) VALUES ($1, $2, $3, $4, $5, $6)`,
				v.SchoolID, id, p.PupilID, p.Part, nonNil(p.Indicators), p.ChildsWords)
		}
		first := safeguarding.Entry{SchoolID: v.SchoolID, ConcernID: id, Kind: safeguarding.EntryConcernLogged,
			AuthorID: v.PersonID, At: now, Body: string(in.Snapshot().Encode()), PrevHash: []byte{}}
		if _, err := batchEntry(b, first); err != nil {
			return err
		}
		batchFeedbackDeadline(b, v, id, route, now)
		b.Queue(`DELETE FROM concern_drafts WHERE school_id = $1 AND person_id = $2`, v.SchoolID, v.PersonID)
		batchAudit(b, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "log_concern", Object: "concern:" + strconv.FormatInt(id, 10)})
		// A resubmission after an answer lost on the way finds the concern
		// by its token, so the batch may carry the COMMIT (sendLast).
		if err := sendLast(ctx, tx, b); err != nil {
			return fmt.Errorf("file concern: %w", err)
		}
		return nil
	})
	return id, duplicate, err
}

// errNoSuchPupil answers a concern about a pupil who is not on the school's
// roll: one of another school, or none.
var errNoSuchPupil = safeguarding.Errorf(safeguarding.EINVALID, "Choose the child or children the concern is about")

// routeFor decides the route from the subject, reading a staff subject's
// roles, once it is clear that v may log a concern at all; a subject from
// another school is not found. Row-level security checks both again
// (concerns_insert in migrations/rules/access.sql). LogConcern checks the
// pupils with the concern's insert.
func routeFor(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, in safeguarding.ConcernInput) (safeguarding.Route, error) {
	if !safeguarding.MayLog(v.Roles) {
		return "", safeguarding.Errorf(safeguarding.EFORBIDDEN, "You cannot log concerns")
	}
	schoolID := v.SchoolID
	var roles safeguarding.Roles
	switch in.SubjectKind {
	case safeguarding.SubjectPupils:
		if len(in.PupilIDs) == 0 {
			return "", errNoSuchPupil
		}
	case safeguarding.SubjectStaff:
		// Row-level security hides a concern from its subject, who therefore
		// could not file it either; a self-report goes to a person.
		if in.SubjectPersonID == v.PersonID {
			return "", safeguarding.Errorf(safeguarding.EINVALID,
				"You cannot log a concern about yourself here. Speak to the principal, or to the chair of governors if you are the principal")
		}
		var names []string
		err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(r.role), '{}') FROM people p LEFT JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id
			WHERE p.school_id = $1 AND p.id = $2 GROUP BY p.id`, schoolID, in.SubjectPersonID).Scan(&names)
		if errors.Is(err, pgx.ErrNoRows) {
			return "", safeguarding.Errorf(safeguarding.EINVALID, "Choose the member of staff the concern is about")
		}
		if err != nil {
			return "", fmt.Errorf("read subject's roles: %w", err)
		}
		for _, n := range names {
			roles = append(roles, safeguarding.Role(n))
		}
	case safeguarding.SubjectOtherAdult:
	default:
		return "", safeguarding.Errorf(safeguarding.EINVALID, "Say who the concern is about")
	}
	return safeguarding.RouteFor(in.SubjectKind, roles), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// appendEntry adds an entry to its concern's chronology, linking it by hash
// to the entry before it, and returns its id. The concern row is locked
// first so that two entries appended at once cannot both claim the same
// predecessor.
func appendEntry(ctx context.Context, tx pgx.Tx, e safeguarding.Entry) (int64, error) {
	var lockedID int64
	if err := tx.QueryRow(ctx, `SELECT id FROM concerns WHERE school_id = $1 AND id = $2 FOR NO KEY UPDATE`, e.SchoolID, e.ConcernID).Scan(&lockedID); err != nil {
		return 0, notFound(err, "No such concern")
	}
	// The viewer may not see every entry (staff see only their own), so the
	// chain head comes from a function that runs as the owner.
	var prev []byte
	if err := tx.QueryRow(ctx, `SELECT haven_chain_head($1, $2)`, e.SchoolID, e.ConcernID).Scan(&prev); err != nil {
		return 0, fmt.Errorf("read chain head: %w", err)
	}
	if prev == nil {
		prev = []byte{}
	}
	e.PrevHash = prev
	b := &pgx.Batch{}
	q, err := batchEntry(b, e)
	if err != nil {
		return 0, err
	}
	var id int64
	q.QueryRow(func(row pgx.Row) error { return row.Scan(&id) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("append %s entry: %w", e.Kind, err)
	}
	return id, nil
}

// batchEntry adds to b the insert of e, linked to e.PrevHash; the queued
// insert returns the entry's id to whoever asks it.
func batchEntry(b *pgx.Batch, e safeguarding.Entry) (*pgx.QueuedQuery, error) {
	e.Hash = safeguarding.ChainHash(e.PrevHash, e)
	details, err := json.Marshal(e.Details)
	if err != nil {
		return nil, err
	}
	var happened *time.Time
	if !e.HappenedAt.IsZero() {
		happened = &e.HappenedAt
	}
	pupils := e.PupilIDs
	if pupils == nil {
		pupils = []int64{}
	}
	return b.Queue(`INSERT INTO chronology_entries (school_id, concern_id, kind, author_id, at, body, details, corrects_id,
			pupil_ids, happened_at, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, 0), $9, $10, $11, $12) RETURNING id`,
		e.SchoolID, e.ConcernID, e.Kind, e.AuthorID, e.At, e.Body, details, e.CorrectsID, pupils, happened, e.PrevHash, e.Hash), nil
}

package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// ChildFile returns pupil pupilID's file as v may see it, with at most the
// latest entries of its chronology (0 for all), and audits the view. The
// indicators and the open referrals are read over the concerns shown. It
// returns ENOTFOUND alike for a pupil who does not exist, a pupil of
// another school, a viewer who may not see children's files, and a viewer
// who opens files only for the concerns they read (the chair) when the
// pupil's file shows none of them. Such a viewer sees of the pupil only
// their name and year group beside those concerns, not their date of birth.
//
// Concerns are read through row-level security and each is checked against
// safeguarding.Can as well, so both must agree before a concern is shown.
func (db *DB) ChildFile(ctx context.Context, v safeguarding.Viewer, pupilID int64, latest int) (safeguarding.ChildFile, error) {
	return db.childFile(ctx, v, pupilID, latest, "view_child_file")
}

// ExportChildFile returns pupil pupilID's whole file, for printing or
// sending, to a viewer who may export it (safeguarding.MayExportChildFile,
// and the database's haven_check_may_export_child_file), and audits the
// export. It answers ENOTFOUND, as ChildFile does, to anyone else.
func (db *DB) ExportChildFile(ctx context.Context, v safeguarding.Viewer, pupilID int64) (safeguarding.ChildFile, error) {
	if !safeguarding.MayExportChildFile(v.Roles) {
		return safeguarding.ChildFile{}, errNoSuchPupilFile
	}
	return db.childFile(ctx, v, pupilID, 0, exportChildFile)
}

// exportChildFile is the audit log's action for an export of a child's file.
const exportChildFile = "export_child_file"

// childFile reads a child's file as ChildFile describes, auditing it as
// action.
func (db *DB) childFile(ctx context.Context, v safeguarding.Viewer, pupilID int64, latest int, action string) (safeguarding.ChildFile, error) {
	var f safeguarding.ChildFile
	wholeFile := safeguarding.OpensChildFiles(v.Roles)
	if !wholeFile && len(safeguarding.VisibleRoutes(v.Roles)) == 0 {
		return f, errNoSuchPupilFile
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if action == exportChildFile {
			if _, err := tx.Exec(ctx, `SELECT haven_check_may_export_child_file()`); err != nil {
				return deniedAsNotFound(err)
			}
		}
		// Two round trips: the pupil and their concerns, then everything
		// read by the concerns' ids.
		f.Pupil.ID = pupilID
		var all []safeguarding.Concern
		b := &pgx.Batch{}
		b.Queue(`SELECT `+pupilFirstName+`, `+pupilLastName+`, p.year_group, p.date_of_birth, p.registration_group,
				p.first_name || ' ' || p.last_name, p.send, p.looked_after, p.previously_looked_after, p.young_carer, p.excluded,
				coalesce(p.left_on, '0001-01-01')
			FROM pupils p WHERE p.school_id = $1 AND p.id = $2`,
			v.SchoolID, pupilID).QueryRow(func(row pgx.Row) error {
			var flags [5]bool
			err := row.Scan(&f.Pupil.FirstName, &f.Pupil.LastName, &f.Pupil.YearGroup, &f.DateOfBirth, &f.RegistrationGroup,
				&f.LegalName, &flags[0], &flags[1], &flags[2], &flags[3], &flags[4], &f.LeftOn)
			if err != nil {
				return notFound(err, "No such pupil")
			}
			if f.LegalName == f.Pupil.Name() {
				f.LegalName = ""
			}
			if f.LeftOn.Year() == 1 {
				f.LeftOn = time.Time{}
			}
			for i, label := range []string{"SEND", "Child looked after", "Previously looked after", "Young carer", "Excluded"} {
				if flags[i] {
					f.Circumstances = append(f.Circumstances, label)
				}
			}
			return nil
		})
		b.Queue(childConcernsSQL, v.SchoolID, pupilID).Query(func(rows pgx.Rows) error {
			var err error
			all, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.Concern, error) {
				var c safeguarding.Concern
				return c, r.Scan(concernFields(&c)...)
			})
			if err != nil {
				return fmt.Errorf("read child's concerns: %w", err)
			}
			return nil
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		var ids []int64
		for _, c := range all {
			if safeguarding.Can(v, c.Access(), safeguarding.ActionViewChildFile) {
				f.Concerns = append(f.Concerns, c)
				ids = append(ids, c.ID)
			}
		}
		if !wholeFile {
			if len(f.Concerns) == 0 {
				return errNoSuchPupilFile
			}
			f.DateOfBirth, f.RegistrationGroup = time.Time{}, ""
			f.LegalName, f.Circumstances, f.LeftOn = "", nil, time.Time{}
		}

		// The responses due, worked out with the school's calendar, for
		// those who see deadlines (row-level security leaves the rest none).
		deadlines, err := db.concernDeadlines(ctx, tx, v.SchoolID, ids)
		if err != nil {
			return err
		}
		b = &pgx.Batch{}
		var referrals []safeguarding.Entry
		if len(ids) > 0 {
			batchListDetails(b, v.SchoolID, f.Concerns, pupilID)
			batchOwnParts(b, v.SchoolID, pupilID, f.Concerns)
			batchChildChronology(b, v.SchoolID, pupilID, ids, latest, &f)
			batchPupilFlags(b, v, pupilID, &f.PatternFlags)
		}
		if len(ids) > 0 {
			// Every concern's, closed or not: a referral about the pupil (or
			// the whole concern) awaits its response until one is recorded
			// (safeguarding.OpenReferrals).
			b.Queue(childReferralsSQL, v.SchoolID, ids, pupilID).Query(func(rows pgx.Rows) error {
				var err error
				if referrals, err = pgx.CollectRows(rows, scanEntry); err != nil {
					return fmt.Errorf("read child's referrals: %w", err)
				}
				return nil
			})
		}
		batchAudit(b, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: action,
			Object: "pupil:" + strconv.FormatInt(pupilID, 10)})
		if err := sendLast(ctx, tx, b); err != nil {
			return err
		}
		f.OpenReferrals = safeguarding.OpenReferrals(referrals)
		for i, r := range f.OpenReferrals {
			for _, d := range deadlines {
				if d.EntryID == r.EntryID {
					f.OpenReferrals[i].Due = d.Due
				}
			}
		}
		// The other pupils of a concern are named only to those who may
		// see their files; to anyone else each is "another pupil".
		for i := range f.Concerns {
			if !safeguarding.MayNameOnFile(v, f.Concerns[i].Access()) {
				f.Concerns[i].Pupils = make([]safeguarding.PupilRef, len(f.Concerns[i].Pupils))
			}
		}
		return nil
	})
	if err != nil {
		return safeguarding.ChildFile{}, err
	}
	indicators, err := db.Indicators(ctx)
	if err != nil {
		return safeguarding.ChildFile{}, err
	}
	f.Indicators = safeguarding.TallyIndicators(indicators, f.Concerns)
	return f, nil
}

// errNoSuchPupilFile answers for a file the viewer may not open, as for a
// pupil who does not exist.
var errNoSuchPupilFile = safeguarding.Errorf(safeguarding.ENOTFOUND, "No such pupil")

// childConcernsSQL reads the concerns about a school's ($1) pupil ($2),
// newest first, as the queue reads them: names by joins, pupils after, in
// one query for them all. Row-level security and the caller's check of the
// Go rule decide which the viewer sees.
const childConcernsSQL = `SELECT ` + listColumns + `
	FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
	WHERE cp.school_id = $1 AND cp.pupil_id = $2 AND haven_on_child_file(c.route)
	ORDER BY c.logged_at DESC, c.id DESC`

// childEntryColumns are entryColumns for a pupil's file, with the body of
// each concern's first entry left out: it holds the concern as submitted,
// every pupil's part and words with it. The file shows the pupil's own part
// (batchOwnParts) and the shared account instead.
const (
	childEntryColumns = `e.school_id, e.id, e.concern_id, e.kind, e.author_id, p.full_name, e.at,
	CASE WHEN e.kind = 'concern_logged' THEN '' ELSE e.body END, e.details,
	coalesce(e.corrects_id, 0), e.pupil_ids, e.happened_at, e.prev_hash, e.hash`
	childEntries = `chronology_entries e JOIN people p ON p.school_id = e.school_id AND p.id = e.author_id`
	// aboutPupil keeps the entries about the pupil ($4) or the whole
	// concern (safeguarding.Entry.AboutPupil).
	aboutPupil = `(cardinality(e.pupil_ids) = 0 OR $4 = ANY(e.pupil_ids))`
)

// childReferralsSQL reads the referrals about a school's ($1) pupil ($3) or
// the whole of their concern, and every response, of the given concerns
// ($2), for safeguarding.OpenReferrals.
const childReferralsSQL = `SELECT ` + childEntryColumns + ` FROM ` + childEntries + `
	WHERE e.school_id = $1 AND e.concern_id = ANY($2)
	  AND (e.kind = 'referral_response' OR (e.kind = 'referral' AND (cardinality(e.pupil_ids) = 0 OR $3 = ANY(e.pupil_ids))))
	ORDER BY coalesce(e.happened_at, e.at), e.id`

// batchOwnParts adds to b the read of the pupil's own part of each concern
// (their part, indicators and words) and the concern's shared account.
// Each concern's Parts and Indicators become the pupil's alone: nothing of
// another pupil's reaches the file.
func batchOwnParts(b *pgx.Batch, schoolID, pupilID int64, concerns []safeguarding.Concern) {
	ids := make([]int64, len(concerns))
	at := make(map[int64]int, len(concerns))
	for i := range concerns {
		ids[i], at[concerns[i].ID] = concerns[i].ID, i
		concerns[i].Indicators, concerns[i].Parts, concerns[i].ChildsWords = nil, nil, ""
	}
	b.Queue(`SELECT cp.concern_id, cp.part, cp.indicators, cp.childs_words, c.what_happened
		FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
		WHERE cp.school_id = $1 AND cp.pupil_id = $2 AND cp.concern_id = ANY($3)`, schoolID, pupilID, ids).Query(func(rows pgx.Rows) error {
		var concernID int64
		var pp safeguarding.PupilPart
		var what string
		_, err := pgx.ForEachRow(rows, []any{&concernID, &pp.Part, &pp.Indicators, &pp.ChildsWords, &what}, func() error {
			if i, ok := at[concernID]; ok {
				c := &concerns[i]
				own := safeguarding.PupilPart{PupilID: pupilID, Part: pp.Part, Indicators: nilIfNone(pp.Indicators), ChildsWords: pp.ChildsWords}
				c.Parts, c.Indicators, c.WhatHappened = []safeguarding.PupilPart{own}, own.Indicators, what
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read the pupil's parts: %w", err)
		}
		return nil
	})
}

// batchChildChronology adds to b the read of the entries of the given
// concerns that are about the pupil or the whole concern into f: all of
// them in time order, or only the latest (the newest that many, still in
// time order) with the count of all.
func batchChildChronology(b *pgx.Batch, schoolID, pupilID int64, concernIDs []int64, latest int, f *safeguarding.ChildFile) {
	if latest <= 0 {
		b.Queue(`SELECT `+childEntryColumns+` FROM `+childEntries+`
			WHERE e.school_id = $1 AND e.concern_id = ANY($2) AND (cardinality(e.pupil_ids) = 0 OR $3 = ANY(e.pupil_ids))
			ORDER BY coalesce(e.happened_at, e.at), e.id`, schoolID, concernIDs, pupilID).Query(func(rows pgx.Rows) error {
			var err error
			if f.Chronology, err = pgx.CollectRows(rows, scanEntry); err != nil {
				return fmt.Errorf("read child's chronology: %w", err)
			}
			f.ChronologyTotal = len(f.Chronology)
			return nil
		})
		return
	}
	// The newest entries are picked from the index (chronology_concern_idx
	// carries the time): only those are read from the table. One aggregate
	// counts them all and keeps the newest ids in the same walk, with no
	// window and no sort.
	b.Queue(`WITH latest AS (
			SELECT count(*) AS total, (array_agg(e.id ORDER BY coalesce(e.happened_at, e.at) DESC, e.id DESC))[1:$3] AS ids
			FROM chronology_entries e
			WHERE e.school_id = $1 AND e.concern_id = ANY($2) AND `+aboutPupil+`)
		SELECT `+childEntryColumns+`, latest.total
		FROM latest CROSS JOIN LATERAL unnest(latest.ids) AS l (id)
		JOIN `+childEntries+` ON e.school_id = $1 AND e.id = l.id
		ORDER BY coalesce(e.happened_at, e.at), e.id`, schoolID, concernIDs, latest, pupilID).Query(func(rows pgx.Rows) error {
		var err error
		f.Chronology, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Entry, error) {
			return scanEntryWith(row, &f.ChronologyTotal)
		})
		if err != nil {
			return fmt.Errorf("read child's chronology: %w", err)
		}
		return nil
	})
}

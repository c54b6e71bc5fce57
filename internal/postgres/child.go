package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// ChildFile is everything about one pupil that a viewer may see: the pupil,
// the concerns about them, the whole chronology across those concerns, the
// CSE indicators recorded over time and the referrals still open.
type ChildFile struct {
	Pupil       safeguarding.PupilRef
	DateOfBirth time.Time

	Concerns   []safeguarding.Concern // newest first
	Chronology []safeguarding.Entry   // the entries of the concerns above, in time order: all, or the latest asked for
	// ChronologyTotal is how many entries the concerns above have in all;
	// more than len(Chronology) when only the latest were read.
	ChronologyTotal int
	Indicators      []IndicatorTally // in policy order (§5.2), over every concern
	OpenReferrals   []OpenReferral   // oldest first, over every entry
}

// IndicatorTally is one CSE indicator as recorded for one child across
// concerns: how often, by how many members of staff, and when.
type IndicatorTally struct {
	Indicator safeguarding.Indicator
	Times     int // concerns that ticked it
	Staff     int // distinct members of staff who ticked it
	First     time.Time
	Last      time.Time
}

// OpenReferral is a referral recorded on a concern that is not closed.
type OpenReferral struct {
	ConcernID  int64
	Agency     safeguarding.Agency
	AgencyName string // the agency's label, or its name when it is "other"
	Reference  string
	ReferredOn string // YYYY-MM-DD, as recorded
}

// ChildFile returns pupil pupilID's file as v may see it, and audits the
// view. It returns ENOTFOUND alike for a pupil who does not exist, a pupil of
// another school, and a viewer who may not see children's files.
//
// Concerns are read through row-level security and each is checked against
// safeguarding.Can as well, so both must agree before a concern is shown.
func (db *DB) ChildFile(ctx context.Context, v safeguarding.Viewer, pupilID int64) (ChildFile, error) {
	return db.ChildFileLatest(ctx, v, pupilID, 0)
}

// ChildFileLatest is ChildFile with only the latest entries of the
// chronology, at most latest of them (0 for all). The indicators and the
// open referrals are still read over everything.
func (db *DB) ChildFileLatest(ctx context.Context, v safeguarding.Viewer, pupilID int64, latest int) (ChildFile, error) {
	var f ChildFile
	mayView := safeguarding.ConcernAccess{SchoolID: v.SchoolID, Route: safeguarding.RouteChild}
	if !safeguarding.Can(v, mayView, safeguarding.ActionViewChildFile) {
		return f, safeguarding.Errorf(safeguarding.ENOTFOUND, "No such pupil")
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		f.Pupil.ID = pupilID
		err = tx.QueryRow(ctx, `SELECT first_name, last_name, year_group, date_of_birth FROM pupils WHERE school_id = $1 AND id = $2`,
			v.SchoolID, pupilID).Scan(&f.Pupil.FirstName, &f.Pupil.LastName, &f.Pupil.YearGroup, &f.DateOfBirth)
		if err != nil {
			return notFound(err, "No such pupil")
		}
		if f.Concerns, err = childConcerns(ctx, tx, v, pupilID); err != nil {
			return err
		}
		ids := make([]int64, len(f.Concerns))
		for i, c := range f.Concerns {
			ids[i] = c.ID
		}
		if f.Chronology, f.ChronologyTotal, err = childChronology(ctx, tx, v.SchoolID, ids, latest); err != nil {
			return err
		}
		if f.Indicators, err = childIndicators(ctx, tx, v.SchoolID, ids); err != nil {
			return err
		}
		referrals := f.Chronology
		if len(f.Chronology) < f.ChronologyTotal {
			if referrals, err = childReferrals(ctx, tx, v.SchoolID, f.Concerns); err != nil {
				return err
			}
		}
		f.OpenReferrals = openReferrals(f.Concerns, referrals)
		return audit(ctx, tx, AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_child_file",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10)})
	})
	if err != nil {
		return ChildFile{}, err
	}
	return f, nil
}

// childConcerns reads the concerns about a pupil that v may see on the
// child's page, newest first.
func childConcerns(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, pupilID int64) ([]safeguarding.Concern, error) {
	// As the queue reads them: names by joins, pupils in one query after.
	rows, err := tx.Query(ctx, `SELECT `+queueColumns+`
		FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
		`+concernNameJoins+`
		WHERE cp.school_id = $1 AND cp.pupil_id = $2
		ORDER BY c.logged_at DESC, c.id DESC`, v.SchoolID, pupilID)
	if err != nil {
		return nil, fmt.Errorf("read child's concerns: %w", err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.Concern, error) {
		var c safeguarding.Concern
		return c, r.Scan(concernFields(&c)...)
	})
	if err != nil {
		return nil, fmt.Errorf("read child's concerns: %w", err)
	}
	var visible []safeguarding.Concern
	var ids []int64
	for _, c := range all {
		if safeguarding.Can(v, c.Access(), safeguarding.ActionViewChildFile) {
			visible = append(visible, c)
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := addPupils(ctx, tx, v.SchoolID, visible); err != nil {
		return nil, err
	}
	return visible, nil
}

// childEntryColumns are read by scanEntry from childEntries: the
// chronology_entries e joined to their authors, people p.
const (
	childEntryColumns = `e.school_id, e.id, e.concern_id, e.kind, e.author_id, p.full_name, e.at, e.body, e.details,
	coalesce(e.corrects_id, 0), e.prev_hash, e.hash`
	childEntries = `chronology_entries e JOIN people p ON p.school_id = e.school_id AND p.id = e.author_id`
)

// childChronology reads the entries of the given concerns in one query,
// interleaved in the order they were recorded: every entry when latest is
// 0, else the latest of them. total is how many there are in all.
func childChronology(ctx context.Context, tx pgx.Tx, schoolID int64, concernIDs []int64, latest int) (entries []safeguarding.Entry, total int, err error) {
	if len(concernIDs) == 0 {
		return nil, 0, nil
	}
	if latest <= 0 {
		rows, err := tx.Query(ctx, `SELECT `+childEntryColumns+` FROM `+childEntries+`
			WHERE e.school_id = $1 AND e.concern_id = ANY($2)
			ORDER BY e.at, e.id`, schoolID, concernIDs)
		if err != nil {
			return nil, 0, fmt.Errorf("read child's chronology: %w", err)
		}
		if entries, err = pgx.CollectRows(rows, scanEntry); err != nil {
			return nil, 0, fmt.Errorf("read child's chronology: %w", err)
		}
		return entries, len(entries), nil
	}
	// The latest are chosen, and all counted, from the narrow columns; only
	// those chosen are read whole.
	rows, err := tx.Query(ctx, `WITH latest AS (
			SELECT e.id, count(*) OVER () AS total FROM chronology_entries e
			WHERE e.school_id = $1 AND e.concern_id = ANY($2)
			ORDER BY e.at DESC, e.id DESC LIMIT $3)
		SELECT `+childEntryColumns+`, latest.total
		FROM `+childEntries+`
		JOIN latest ON latest.id = e.id
		WHERE e.school_id = $1
		ORDER BY e.at, e.id`, schoolID, concernIDs, latest)
	if err != nil {
		return nil, 0, fmt.Errorf("read child's chronology: %w", err)
	}
	entries, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Entry, error) { return scanEntryWith(row, &total) })
	if err != nil {
		return nil, 0, fmt.Errorf("read child's chronology: %w", err)
	}
	return entries, total, nil
}

// childReferrals reads the referral entries of those of the given concerns
// that are still open, in the order they were recorded.
func childReferrals(ctx context.Context, tx pgx.Tx, schoolID int64, concerns []safeguarding.Concern) ([]safeguarding.Entry, error) {
	var open []int64
	for _, c := range concerns {
		if c.Status.Open() {
			open = append(open, c.ID)
		}
	}
	if len(open) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+childEntryColumns+` FROM `+childEntries+`
		WHERE e.school_id = $1 AND e.concern_id = ANY($2) AND e.kind = $3
		ORDER BY e.at, e.id`, schoolID, open, safeguarding.EntryReferral)
	if err != nil {
		return nil, fmt.Errorf("read child's referrals: %w", err)
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("read child's referrals: %w", err)
	}
	return entries, nil
}

// childIndicators tallies the CSE indicators ticked on the given concerns,
// in the order policy §5.2 lists them.
func childIndicators(ctx context.Context, tx pgx.Tx, schoolID int64, concernIDs []int64) ([]IndicatorTally, error) {
	if len(concernIDs) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT i.code, i.label, count(*), count(DISTINCT c.logged_by), min(c.logged_at), max(c.logged_at)
		FROM concerns c CROSS JOIN LATERAL unnest(c.indicators) AS ticked(code)
		JOIN cse_indicators i ON i.code = ticked.code
		WHERE c.school_id = $1 AND c.id = ANY($2)
		GROUP BY i.code, i.label, i.position
		ORDER BY i.position`, schoolID, concernIDs)
	if err != nil {
		return nil, fmt.Errorf("tally indicators: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (IndicatorTally, error) {
		var t IndicatorTally
		err := r.Scan(&t.Indicator.Code, &t.Indicator.Label, &t.Times, &t.Staff, &t.First, &t.Last)
		return t, err
	})
}

// openReferrals are the referral entries of concerns that are not closed.
func openReferrals(concerns []safeguarding.Concern, entries []safeguarding.Entry) []OpenReferral {
	open := map[int64]bool{}
	for _, c := range concerns {
		open[c.ID] = c.Status.Open()
	}
	var out []OpenReferral
	for _, e := range entries {
		if e.Kind != safeguarding.EntryReferral || !open[e.ConcernID] {
			continue
		}
		name := e.Details.Agency.Label()
		if e.Details.Agency == safeguarding.AgencyOtherAgent && e.Details.AgencyOther != "" {
			name = e.Details.AgencyOther
		}
		out = append(out, OpenReferral{ConcernID: e.ConcernID, Agency: e.Details.Agency, AgencyName: name,
			Reference: e.Details.Reference, ReferredOn: e.Details.ReferredOn})
	}
	return out
}

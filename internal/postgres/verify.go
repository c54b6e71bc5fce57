package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// ChainBreak is an entry whose stored hash does not follow from its
// content and its predecessor: the stored history was changed after it was
// written.
type ChainBreak struct {
	SchoolID  int64
	ConcernID int64
	EntryID   int64
	Problem   string
}

// VerifyChronology walks every concern's chronology in every school and
// returns each entry whose hash link is broken. It needs the owner's
// connection (connString), because it must read what row-level security
// hides from any one viewer.
func VerifyChronology(ctx context.Context, connString string) (checked int, breaks []ChainBreak, err error) {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return 0, nil, fmt.Errorf("connect for verification: %w", err)
	}
	defer conn.Close(ctx)
	// The places of entries destroyed with a child's file (chronology_gaps)
	// are links too: their hashes are kept, their content is gone, so the
	// walk checks that each links to the one before, and goes on from its
	// hash.
	rows, err := conn.Query(ctx, `SELECT school_id, id, concern_id, kind, author_id, at, body, details, coalesce(corrects_id, 0),
			pupil_ids, happened_at, prev_hash, hash, false AS gap
		FROM chronology_entries
		UNION ALL
		SELECT school_id, entry_id, concern_id, '', 0, 'epoch', '', '{}', 0, '{}', NULL, prev_hash, hash, true
		FROM chronology_gaps
		ORDER BY school_id, concern_id, id`)
	if err != nil {
		return 0, nil, fmt.Errorf("read chronology: %w", err)
	}
	defer rows.Close()
	var prev []byte
	var lastSchool, lastConcern int64 = -1, -1
	for rows.Next() {
		var e safeguarding.Entry
		var details []byte
		var happened *time.Time
		var gap bool
		if err := rows.Scan(&e.SchoolID, &e.ID, &e.ConcernID, &e.Kind, &e.AuthorID, &e.At, &e.Body, &details, &e.CorrectsID,
			&e.PupilIDs, &happened, &e.PrevHash, &e.Hash, &gap); err != nil {
			return checked, breaks, err
		}
		if happened != nil {
			e.HappenedAt = *happened
		}
		if err := json.Unmarshal(details, &e.Details); err != nil {
			return checked, breaks, fmt.Errorf("entry %d: decode details: %w", e.ID, err)
		}
		if e.SchoolID != lastSchool || e.ConcernID != lastConcern {
			prev, lastSchool, lastConcern = []byte{}, e.SchoolID, e.ConcernID
		}
		if !gap {
			checked++
		}
		switch {
		case !bytes.Equal(e.PrevHash, prev):
			breaks = append(breaks, ChainBreak{e.SchoolID, e.ConcernID, e.ID, "does not link to the entry before it (an entry was removed or inserted)"})
		case gap: // its content is gone; its hash carries the chain on
		case !bytes.Equal(e.Hash, safeguarding.ChainHash(prev, e)):
			breaks = append(breaks, ChainBreak{e.SchoolID, e.ConcernID, e.ID, "its content was changed after it was written"})
		}
		prev = e.Hash
	}
	return checked, breaks, rows.Err()
}

package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
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
	// An entry from which a destroyed file's pupil was taken out
	// (chronology_redactions) keeps its hash for the chain; what it holds
	// now is checked against its seal instead.
	rows, err := conn.Query(ctx, `SELECT e.school_id, e.id, e.concern_id, e.kind, e.author_id, e.at, e.body, e.details, coalesce(e.corrects_id, 0),
			e.pupil_ids, e.happened_at, e.prev_hash, e.hash, false AS gap,
			r.seal IS NOT NULL AS redacted, r.seal = haven_entry_seal(e.body, e.details, e.at, e.author_id, e.kind, e.pupil_ids) AS sealed
		FROM chronology_entries e
		LEFT JOIN chronology_redactions r ON r.school_id = e.school_id AND r.entry_id = e.id
		UNION ALL
		SELECT school_id, entry_id, concern_id, '', 0, 'epoch', '', '{}', 0, '{}', NULL, prev_hash, hash, true, false, NULL
		FROM chronology_gaps
		ORDER BY 1, 3, 2`)
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
		var gap, redacted bool
		var sealed *bool
		if err := rows.Scan(&e.SchoolID, &e.ID, &e.ConcernID, &e.Kind, &e.AuthorID, &e.At, &e.Body, &details, &e.CorrectsID,
			&e.PupilIDs, &happened, &e.PrevHash, &e.Hash, &gap, &redacted, &sealed); err != nil {
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
		case redacted:
			if sealed == nil || !*sealed {
				breaks = append(breaks, ChainBreak{e.SchoolID, e.ConcernID, e.ID, "its content was changed after it was redacted"})
			}
		case !bytes.Equal(e.Hash, safeguarding.ChainHash(prev, e)):
			breaks = append(breaks, ChainBreak{e.SchoolID, e.ConcernID, e.ID, "its content was changed after it was written"})
		}
		prev = e.Hash
	}
	return checked, breaks, rows.Err()
}

// AuditBreak is an audit row whose place in its school's hash chain does
// not hold: the row was changed, or rows were removed or inserted, after
// they were written. ID is 0 when the break is at the chain's end (its
// newest rows were removed).
type AuditBreak struct {
	SchoolID int64
	ID       int64
	Problem  string
}

// VerifyAuditLog walks every school's audit chain (migration 00038) in
// the order the rows were linked and returns each break, checking the
// chain's end against audit_chain_heads so that removing the newest rows
// is caught too. Like VerifyChronology it needs the owner's connection.
func VerifyAuditLog(ctx context.Context, connString string) (checked int, breaks []AuditBreak, err error) {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return 0, nil, fmt.Errorf("connect for verification: %w", err)
	}
	defer conn.Close(ctx)
	heads := map[int64]safeguarding.AuditRecord{}
	rows, err := conn.Query(ctx, `SELECT school_id, seq, hash FROM audit_chain_heads`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit chain heads: %w", err)
	}
	for rows.Next() {
		var h safeguarding.AuditRecord
		if err := rows.Scan(&h.SchoolID, &h.Seq, &h.Hash); err != nil {
			return 0, nil, err
		}
		heads[h.SchoolID] = h
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	rows, err = conn.Query(ctx, `SELECT coalesce(school_id, 0), id, at, coalesce(actor_id, 0), action, object, address, detail,
			coalesce(chain_seq, 0), coalesce(prev_hash, ''), coalesce(hash, '')
		FROM audit_log ORDER BY coalesce(school_id, 0), chain_seq NULLS FIRST, id`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	w := auditWalk{heads: heads, school: -1}
	for rows.Next() {
		var r safeguarding.AuditRecord
		if err := rows.Scan(&r.SchoolID, &r.ID, &r.At, &r.ActorID, &r.Action, &r.Object, &r.Address, &r.Detail,
			&r.Seq, &r.PrevHash, &r.Hash); err != nil {
			return checked, breaks, err
		}
		checked++
		w.next(r)
	}
	if err := rows.Err(); err != nil {
		return checked, breaks, err
	}
	w.end()
	for _, h := range w.heads { // chains whose every row is gone
		if h.Seq > 0 {
			w.breaks = append(w.breaks, AuditBreak{h.SchoolID, 0, "every row of its chain was removed"})
		}
	}
	return checked, w.breaks, nil
}

// auditWalk follows the audit chains one row at a time.
type auditWalk struct {
	heads  map[int64]safeguarding.AuditRecord
	school int64
	seq    int64
	prev   []byte
	breaks []AuditBreak
}

func (w *auditWalk) next(r safeguarding.AuditRecord) {
	if r.SchoolID != w.school {
		w.end()
		w.school, w.seq, w.prev = r.SchoolID, 0, []byte{}
	}
	switch {
	case r.Seq == 0:
		w.breaks = append(w.breaks, AuditBreak{r.SchoolID, r.ID, "is not linked into the chain (it was inserted afterwards)"})
		return
	case r.Seq != w.seq+1 || !bytes.Equal(r.PrevHash, w.prev):
		w.breaks = append(w.breaks, AuditBreak{r.SchoolID, r.ID, "does not link to the row before it (a row was removed or inserted)"})
	case !bytes.Equal(r.Hash, safeguarding.AuditHash(w.prev, r)):
		w.breaks = append(w.breaks, AuditBreak{r.SchoolID, r.ID, "its content was changed after it was written"})
	}
	w.seq, w.prev = r.Seq, r.Hash
}

// end checks that the chain just walked ends where its head says.
func (w *auditWalk) end() {
	if w.school < 0 {
		return
	}
	h, ok := w.heads[w.school]
	delete(w.heads, w.school)
	if !ok || h.Seq != w.seq || !bytes.Equal(h.Hash, w.prev) {
		w.breaks = append(w.breaks, AuditBreak{w.school, 0, "its newest rows were removed (the chain ends before its recorded head)"})
	}
	w.school = -1
}

// ReceivedBreak is a received file whose kept signed bundle no longer
// checks (transfer.CheckKept): it, its signature, its sender key or its
// contents were changed after import.
type ReceivedBreak struct {
	SchoolID int64
	ID       int64
	Problem  string
}

// NotKept is a received file imported before Haven kept the signed
// bundle (migration 00047): there is nothing to check it against.
type NotKept struct {
	SchoolID int64
	ID       int64
}

// VerifyReceivedFiles checks every received file in every school again as
// it was checked on import: the kept signature against the kept sender
// key, and that the contents are what the signed bundle says. Like
// VerifyChronology it needs the owner's connection.
func VerifyReceivedFiles(ctx context.Context, connString string) (checked int, notKept []NotKept, breaks []ReceivedBreak, err error) {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("connect for verification: %w", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT school_id, id, signed_bundle, signature, sender_key, contents::text, bundle_id::text, from_school, version
		FROM received_files ORDER BY school_id, id`)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read received files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var school, id int64
		var k transfer.Kept
		var key []byte
		var contents string
		if err := rows.Scan(&school, &id, &k.Signed.Bundle, &k.Signed.Signature, &key, &contents, &k.BundleID, &k.FromSchool, &k.Version); err != nil {
			return checked, notKept, breaks, err
		}
		if k.Signed.Bundle == nil {
			notKept = append(notKept, NotKept{school, id})
			continue
		}
		checked++
		k.SenderKey, k.Contents = key, []byte(contents)
		if problem := transfer.CheckKept(k); problem != "" {
			breaks = append(breaks, ReceivedBreak{school, id, problem})
		}
	}
	return checked, notKept, breaks, rows.Err()
}

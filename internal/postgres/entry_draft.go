package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// SaveEntryDraft keeps form (a JSON document) as the chronology entry of
// kind v is typing on concern concernID, replacing any earlier one. It returns
// ENOTFOUND unless v may add to the concern (safeguarding.ActionAddEntry);
// row-level security holds the same rule.
func (db *DB) SaveEntryDraft(ctx context.Context, v safeguarding.Viewer, concernID int64, kind safeguarding.EntryKind, form []byte) error {
	if !json.Valid(form) {
		return safeguarding.Errorf(safeguarding.EINVALID, "A draft must be a JSON document")
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		c, err := concernByID(ctx, tx, v, concernID, false)
		if err != nil {
			return err
		}
		if !safeguarding.Can(v, c.Access(), safeguarding.ActionAddEntry) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such concern")
		}
		_, err = tx.Exec(ctx, `INSERT INTO entry_drafts (school_id, person_id, concern_id, kind, form, saved_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (school_id, person_id, concern_id) DO UPDATE SET kind = excluded.kind, form = excluded.form, saved_at = excluded.saved_at`,
			v.SchoolID, v.PersonID, concernID, kind, string(form), now)
		if err != nil {
			return fmt.Errorf("save entry draft: %w", err)
		}
		return nil
	})
}

// entryDraftSQL reads the entry a school's ($1) person ($2) is typing on a
// concern ($3); row-level security hides it unless they may add to it.
const entryDraftSQL = `SELECT form, saved_at FROM entry_drafts WHERE school_id = $1 AND person_id = $2 AND concern_id = $3`

// batchEntryDraft adds to b the read of v's entry draft for the concern
// into *d, left nil if there is none: the concern's page reads it with the
// chronology, in the same round trip.
func batchEntryDraft(b *pgx.Batch, v safeguarding.Viewer, concernID int64, d **safeguarding.Draft) {
	b.Queue(entryDraftSQL, v.SchoolID, v.PersonID, concernID).QueryRow(func(row pgx.Row) error {
		draft, err := scanDraft(row)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return nil
		case err != nil:
			return fmt.Errorf("read entry draft: %w", err)
		}
		*d = &draft
		return nil
	})
}

// EntryDraft returns the entry v was typing on concern concernID, if they
// kept one and may still add to the concern; found is false otherwise.
func (db *DB) EntryDraft(ctx context.Context, v safeguarding.Viewer, concernID int64) (d safeguarding.Draft, found bool, err error) {
	var kept *safeguarding.Draft
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		batchEntryDraft(b, v, concernID, &kept)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil || kept == nil {
		return d, false, err
	}
	return *kept, true, nil
}

// DeleteEntryDraft discards the entry v was typing on concern concernID, if
// any: once the entry is recorded, or the person clears it.
func (db *DB) DeleteEntryDraft(ctx context.Context, v safeguarding.Viewer, concernID int64) error {
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM entry_drafts WHERE school_id = $1 AND person_id = $2 AND concern_id = $3`,
			v.SchoolID, v.PersonID, concernID); err != nil {
			return fmt.Errorf("discard entry draft: %w", err)
		}
		return nil
	})
}

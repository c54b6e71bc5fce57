package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// SaveDraft keeps form (a JSON document) as v's draft, replacing any
// earlier one. Row-level security lets a person touch only their own draft.
func (db *DB) SaveDraft(ctx context.Context, v safeguarding.Viewer, form []byte) error {
	if !json.Valid(form) {
		return safeguarding.Errorf(safeguarding.EINVALID, "A draft must be a JSON document")
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO concern_drafts (school_id, person_id, form, saved_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (school_id, person_id) DO UPDATE SET form = excluded.form, saved_at = excluded.saved_at`,
			v.SchoolID, v.PersonID, string(form), now)
		if err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		return nil
	})
}

// draftSQL reads the draft of a school's ($1) person ($2), for scanDraft.
const draftSQL = `SELECT form, saved_at FROM concern_drafts WHERE school_id = $1 AND person_id = $2`

func scanDraft(row pgx.Row) (safeguarding.Draft, error) {
	var d safeguarding.Draft
	var form []byte
	err := row.Scan(&form, &d.SavedAt)
	d.Form = form
	return d, err
}

// DeleteDraft discards v's draft, if they have one.
func (db *DB) DeleteDraft(ctx context.Context, v safeguarding.Viewer) error {
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM concern_drafts WHERE school_id = $1 AND person_id = $2`, v.SchoolID, v.PersonID); err != nil {
			return fmt.Errorf("discard draft: %w", err)
		}
		return nil
	})
}

package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// MyConcerns returns up to limit of the concerns v logged, newest first,
// starting after the concern with id after (0 for the first page). The
// pages are keyed on the concern id (concerns_logged_by_idx), so a page
// costs the same however far back it is. A concern of which v is the
// subject is never listed, even if v logged it.
func (db *DB) MyConcerns(ctx context.Context, v safeguarding.Viewer, after int64, limit int) (safeguarding.MyConcernsPage, error) {
	var p safeguarding.MyConcernsPage
	if limit <= 0 {
		limit = 25
	}
	if after <= 0 {
		after = math.MaxInt64 // the first page: one query shape keeps the index range scan
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+listColumns+` FROM concerns c
			WHERE c.school_id = $1 AND c.logged_by = $2 AND c.id < $3
			ORDER BY c.id DESC LIMIT $4`, v.SchoolID, v.PersonID, after, limit+1)
		if err != nil {
			return fmt.Errorf("read my concerns: %w", err)
		}
		concerns, err := pgx.AppendRows(make([]safeguarding.Concern, 0, limit+1), rows, func(r pgx.CollectableRow) (safeguarding.Concern, error) {
			var c safeguarding.Concern
			return c, r.Scan(concernFields(&c)...)
		})
		if err != nil {
			return fmt.Errorf("read my concerns: %w", err)
		}
		if len(concerns) > limit {
			concerns = concerns[:limit]
			p.Next = concerns[limit-1].ID
		}
		p.Concerns = make([]safeguarding.Concern, 0, len(concerns))
		for _, c := range concerns {
			if safeguarding.Can(v, c.Access(), safeguarding.ActionList) {
				p.Concerns = append(p.Concerns, c)
			}
		}
		b := &pgx.Batch{}
		batchListDetails(b, v.SchoolID, p.Concerns, 0)
		return sendLast(ctx, tx, b)
	})
	if err != nil {
		return safeguarding.MyConcernsPage{}, err
	}
	return p, nil
}

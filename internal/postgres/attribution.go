package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// RecordParts records each pupil's own part, signs and words for a concern
// logged about several pupils before parts were recorded
// (safeguarding.ApplyAttribution): an entry per pupil, about that pupil,
// and the pupil's row of the concern, in one transaction. Row-level
// security lets only a case handler change a part, and only one not yet
// recorded (concern_pupils_attribute in access.sql).
func (db *DB) RecordParts(ctx context.Context, v safeguarding.Viewer, concernID int64, parts []safeguarding.PupilPart) error {
	indicators, err := db.Indicators(ctx)
	if err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		c, err := concernByID(ctx, tx, v, concernID, true)
		if err != nil {
			return err
		}
		entries, err := safeguarding.ApplyAttribution(v, c, parts, indicators, db.now().UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		var pupils []int64
		for _, e := range entries {
			pupils = append(pupils, e.PupilIDs[0])
			if _, err := appendEntry(ctx, tx, e); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `UPDATE concern_pupils SET part = $4, indicators = $5, childs_words = $6
				WHERE school_id = $1 AND concern_id = $2 AND pupil_id = $3`,
				v.SchoolID, concernID, e.PupilIDs[0], e.Details.Part, nonNil(e.Details.Indicators), e.Details.ChildsWords)
			if err != nil {
				return fmt.Errorf("record pupil's part: %w", err)
			}
			if tag.RowsAffected() != 1 {
				return safeguarding.Errorf(safeguarding.EINVALID, "Each child's part has already been recorded")
			}
		}
		// Each pupil's indicators are theirs from now: the pattern rules
		// look again.
		if c.Route == safeguarding.RouteChild {
			if err := db.enqueuePatterns(ctx, tx, v.SchoolID, pupils); err != nil {
				return err
			}
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "add_entry",
			Object: "concern:" + strconv.FormatInt(concernID, 10), Detail: string(safeguarding.EntryPartRecorded)})
	})
}

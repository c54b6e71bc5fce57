package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// MoveConcern moves a concern to the subject it is really about, with a
// reason (safeguarding.ApplyMove), and returns what the access rule now
// needs to know of it. In one transaction: the move is recorded as an entry
// of the chronology, the concern is routed again by its new subject (and
// the copies of its route on its links and entries with it, so that anyone
// who may no longer see it loses it at once; haven_move_concern in
// migrations/rules/access.sql, which alone may change a concern's subject),
// and the handlers of the new route are alerted, never its subject. It
// returns ENOTFOUND if v may not move the concern, EINVALID for a move the
// rules refuse.
func (db *DB) MoveConcern(ctx context.Context, v safeguarding.Viewer, concernID int64, in safeguarding.MoveInput) (safeguarding.ConcernAccess, error) {
	var after safeguarding.ConcernAccess
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		c, err := concernByID(ctx, tx, v, concernID, true)
		if err != nil {
			return err
		}
		if !safeguarding.Can(v, c.Access(), safeguarding.ActionMove) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such concern")
		}
		staff, err := staffRoster(ctx, tx, v)
		if err != nil {
			return err
		}
		in = in.ResolveMove(v, staff)
		for _, msg := range in.Problems(staff, len(c.Pupils) > 0) {
			return safeguarding.Errorf(safeguarding.EINVALID, "%s", msg)
		}
		to := "The children linked to the concern"
		switch in.SubjectKind {
		case safeguarding.SubjectStaff:
			for _, m := range staff {
				if m.ID == in.SubjectPersonID {
					to = m.Name + " (staff)"
				}
			}
		case safeguarding.SubjectOtherAdult:
			to = safeguarding.Concern{SubjectKind: in.SubjectKind, SubjectAdultName: in.SubjectAdultName, SubjectAdultRole: in.SubjectAdultRole}.SubjectLabel()
		}
		e, err := safeguarding.ApplyMove(v, c, in, to, db.now().UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		// The entry first, while v still handles the concern: after the
		// move they may not.
		if _, err := appendEntry(ctx, tx, e); err != nil {
			return err
		}
		var route safeguarding.Route
		if err := tx.QueryRow(ctx, `SELECT haven_move_concern($1, $2, $3, NULLIF($4, 0), $5, $6)`, v.SchoolID, concernID,
			in.SubjectKind, in.SubjectPersonID, in.SubjectAdultName, in.SubjectAdultRole).Scan(&route); err != nil {
			return fmt.Errorf("move concern: %w", err)
		}
		after = safeguarding.ConcernAccess{SchoolID: v.SchoolID, Route: route, SubjectPersonID: in.SubjectPersonID, LoggedBy: c.LoggedBy}
		if err := db.enqueueAlert(ctx, tx, safeguarding.ConcernAlert{SchoolID: v.SchoolID, ConcernID: concernID, Urgent: c.Urgent,
			Route: route, SubjectPersonID: in.SubjectPersonID, LoggedBy: v.PersonID}); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "move_concern",
			Object: "concern:" + strconv.FormatInt(concernID, 10), Detail: string(route)})
	})
	return after, err
}

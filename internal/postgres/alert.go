package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// WithoutAlerts returns a store that files concerns without alerting
// anyone and without running the pattern rules: the demo school's history
// is not news.
func (db *DB) WithoutAlerts() *DB {
	c := *db
	c.alerts, c.patterns = nil, nil
	return &c
}

// enqueueAlert adds the alert to tx, so it commits or rolls back with the
// concern.
func (db *DB) enqueueAlert(ctx context.Context, tx pgx.Tx, a safeguarding.ConcernAlert) error {
	if db.alerts == nil {
		return nil
	}
	if err := db.alerts(ctx, tx, a); err != nil {
		return fmt.Errorf("enqueue alert: %w", err)
	}
	return nil
}

// AlertRecipients returns the school's name and the e-mail addresses of its
// active people who handle concerns on route (safeguarding.Handles), except
// the people listed: the subject and the member of staff who logged it.
// People and roles have no row-level security: this reads no concern.
func (db *DB) AlertRecipients(ctx context.Context, schoolID int64, route safeguarding.Route, except ...int64) (school string, emails []string, err error) {
	school, people, err := db.AlertRecipientPeople(ctx, schoolID, route, except...)
	for _, p := range people {
		emails = append(emails, p.Email)
	}
	return school, emails, err
}

// AlertRecipientPeople is AlertRecipients with each person's id, for their
// in-app notice.
func (db *DB) AlertRecipientPeople(ctx context.Context, schoolID int64, route safeguarding.Route, except ...int64) (string, []safeguarding.Recipient, error) {
	return db.recipients(ctx, db.pool, schoolID, func(id int64, roles safeguarding.Roles) bool {
		return safeguarding.Handles(roles, route) && !slices.Contains(except, id)
	})
}

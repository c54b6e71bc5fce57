package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// WithoutAlerts returns a store that files concerns without alerting
// anyone: the demo school's history is not news.
func (db *DB) WithoutAlerts() *DB {
	c := *db
	c.alerts = nil
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
	if err := db.pool.QueryRow(ctx, `SELECT name FROM schools WHERE id = $1`, schoolID).Scan(&school); err != nil {
		return "", nil, notFound(err, "No such school")
	}
	rows, err := db.pool.Query(ctx, `SELECT p.id, p.email, array_agg(r.role) FROM people p
		JOIN person_roles r ON r.school_id = p.school_id AND r.person_id = p.id
		WHERE p.school_id = $1 AND p.active GROUP BY p.id, p.email ORDER BY p.email`, schoolID)
	if err != nil {
		return "", nil, fmt.Errorf("read alert recipients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email string
		var names []string
		if err := rows.Scan(&id, &email, &names); err != nil {
			return "", nil, err
		}
		var roles safeguarding.Roles
		for _, n := range names {
			roles = append(roles, safeguarding.Role(n))
		}
		if safeguarding.Handles(roles, route) && !slices.Contains(except, id) {
			emails = append(emails, email)
		}
	}
	return school, emails, rows.Err()
}

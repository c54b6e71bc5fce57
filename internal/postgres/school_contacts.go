package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// schoolContactsSQL reads a school's ($1) emergency contacts, for
// scanSchoolContacts; no row when they have never been set.
const schoolContactsSQL = `SELECT c.dsl_phone, c.social_care_phone, c.social_care_out_of_hours, c.updated_at,
		coalesce((SELECT p.full_name FROM people p WHERE p.school_id = c.school_id AND p.id = c.updated_by), '')
	FROM school_contacts c WHERE c.school_id = $1`

// scanSchoolContacts reads schoolContactsSQL's row: the zero contacts when
// the school has none.
func scanSchoolContacts(row pgx.Row) (safeguarding.SchoolContacts, error) {
	var c safeguarding.SchoolContacts
	err := row.Scan(&c.DSLPhone, &c.SocialCarePhone, &c.SocialCareOutOfHours, &c.UpdatedAt, &c.UpdatedByName)
	if errors.Is(err, pgx.ErrNoRows) {
		return safeguarding.SchoolContacts{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("read school contacts: %w", err)
	}
	return c, nil
}

// SchoolContacts reads the emergency contacts of v's school, which anyone of
// the school may read; the zero value when they have never been set.
func (db *DB) SchoolContacts(ctx context.Context, v safeguarding.Viewer) (safeguarding.SchoolContacts, error) {
	var c safeguarding.SchoolContacts
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		c, err = scanSchoolContacts(tx.QueryRow(ctx, schoolContactsSQL, v.SchoolID))
		return err
	})
	return c, err
}

// SetSchoolContacts sets the emergency contacts of v's school, if v may
// (safeguarding.MayEditSchoolContacts; row-level security holds the same
// rule), and writes the change, old and new numbers, to the audit log with
// it. address is where v is, for the audit log.
func (db *DB) SetSchoolContacts(ctx context.Context, v safeguarding.Viewer, c safeguarding.SchoolContacts, address string) error {
	if !safeguarding.MayEditSchoolContacts(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not change the school's contacts")
	}
	c = c.Trimmed()
	for _, field := range slices.Sorted(maps.Keys(c.Problems())) {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", c.Problems()[field])
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		// FOR UPDATE: two people saving at once each audit the numbers they replaced.
		was, err := scanSchoolContacts(tx.QueryRow(ctx, schoolContactsSQL+` FOR UPDATE OF c`, v.SchoolID))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO school_contacts (school_id, dsl_phone, social_care_phone, social_care_out_of_hours, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (school_id) DO UPDATE SET dsl_phone = excluded.dsl_phone, social_care_phone = excluded.social_care_phone,
				social_care_out_of_hours = excluded.social_care_out_of_hours, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			v.SchoolID, c.DSLPhone, c.SocialCarePhone, c.SocialCareOutOfHours, now, v.PersonID)
		if err != nil {
			return fmt.Errorf("set school contacts: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "set_school_contacts",
			Object: "school_contacts", Address: address, Detail: contactsChange(was, c)})
	})
}

// contactsChange says what changed, number by number, for the audit log.
func contactsChange(was, now safeguarding.SchoolContacts) string {
	var parts []string
	for _, f := range []struct{ name, was, now string }{
		{"DSL", was.DSLPhone, now.DSLPhone},
		{"children's social care", was.SocialCarePhone, now.SocialCarePhone},
		{"out of hours", was.SocialCareOutOfHours, now.SocialCareOutOfHours},
	} {
		if f.was != f.now {
			parts = append(parts, fmt.Sprintf("%s: %q → %q", f.name, f.was, f.now))
		}
	}
	if len(parts) == 0 {
		return "unchanged"
	}
	return strings.Join(parts, "; ")
}

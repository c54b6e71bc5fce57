package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// SearchPupils finds up to limit active pupils of v's school whose names
// hold every word of query (case-insensitive, anywhere in the legal or the
// preferred first or last name), in year group year unless year is 0. Names that begin with the
// query come first. An empty query with year 0 finds nobody: the form asks
// for one or the other.
func (db *DB) SearchPupils(ctx context.Context, v safeguarding.Viewer, query string, year, limit int) ([]safeguarding.PupilMatch, error) {
	words := strings.Fields(strings.ToLower(query))
	if (len(words) == 0 && year == 0) || limit <= 0 {
		return nil, nil
	}
	patterns := make([]string, len(words))
	for i, w := range words {
		patterns[i] = "%" + escapeLike(w) + "%"
	}
	prefix := ""
	if len(words) > 0 {
		prefix = escapeLike(words[0]) + "%"
	}
	var pupils []safeguarding.PupilMatch
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+pupilMatchColumns+` FROM pupils p
			WHERE p.school_id = $1 AND p.active AND ($2 = 0 OR p.year_group = $2)
			  AND NOT EXISTS (SELECT 1 FROM unnest($3::text[]) w
			                  WHERE lower(p.first_name) NOT LIKE w AND lower(p.last_name) NOT LIKE w
			                    AND lower(p.preferred_first_name) NOT LIKE w AND lower(p.preferred_last_name) NOT LIKE w)
			ORDER BY ($4 <> '' AND (lower(`+pupilLastName+`) LIKE $4 OR lower(`+pupilFirstName+`) LIKE $4)) DESC,
			         lower(`+pupilLastName+`), lower(`+pupilFirstName+`), p.year_group, p.id
			LIMIT $5`, v.SchoolID, year, patterns, prefix, limit)
		if err != nil {
			return fmt.Errorf("search pupils: %w", err)
		}
		pupils, err = pgx.CollectRows(rows, scanPupilMatch)
		return err
	})
	return pupils, err
}

// PupilsByID returns the active pupils of v's school among ids, by name.
// Ids of pupils who are not on the school's roster are left out.
func (db *DB) PupilsByID(ctx context.Context, v safeguarding.Viewer, ids []int64) ([]safeguarding.PupilMatch, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var pupils []safeguarding.PupilMatch
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+pupilMatchColumns+` FROM pupils p
			WHERE p.school_id = $1 AND p.id = ANY($2) AND p.active
			ORDER BY lower(`+pupilLastName+`), lower(`+pupilFirstName+`), p.id`, v.SchoolID, ids)
		if err != nil {
			return fmt.Errorf("read pupils: %w", err)
		}
		pupils, err = pgx.CollectRows(rows, scanPupilMatch)
		return err
	})
	return pupils, err
}

// yearGroupsSQL lists the year groups of a school ($1) with active pupils,
// youngest first. It hops from one year group to the next along
// pupils_active_year_idx, a probe a year group, rather than reading every
// pupil's entry as DISTINCT would.
const yearGroupsSQL = `WITH RECURSIVE years (y) AS (
		SELECT min(year_group) FROM pupils WHERE school_id = $1 AND active
		UNION ALL
		SELECT (SELECT min(year_group) FROM pupils WHERE school_id = $1 AND active AND year_group > years.y) FROM years WHERE years.y IS NOT NULL)
	SELECT y::int FROM years WHERE y IS NOT NULL ORDER BY y`

// pupilFirstName and pupilLastName are the names pupil p goes by: the
// preferred names the roster import gives, else the legal ones. Haven shows
// a pupil by these wherever it names them.
const (
	pupilFirstName = `coalesce(nullif(p.preferred_first_name, ''), p.first_name)`
	pupilLastName  = `coalesce(nullif(p.preferred_last_name, ''), p.last_name)`
)

// pupilMatchColumns are the columns of pupils p that scanPupilMatch reads.
const pupilMatchColumns = `p.id, ` + pupilFirstName + `, ` + pupilLastName + `, p.year_group, p.registration_group, p.date_of_birth`

func scanPupilMatch(row pgx.CollectableRow) (safeguarding.PupilMatch, error) {
	var p safeguarding.PupilMatch
	err := row.Scan(&p.ID, &p.FirstName, &p.LastName, &p.YearGroup, &p.RegistrationGroup, &p.DateOfBirth)
	return p, err
}

// escapeLike makes s match itself literally in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FormLists reads the staff roster, the year groups, v's draft and the
// school's emergency contacts in one round trip.
func (db *DB) FormLists(ctx context.Context, v safeguarding.Viewer) (safeguarding.FormLists, error) {
	var l safeguarding.FormLists
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(staffRosterSQL, v.SchoolID, v.PersonID).Query(func(rows pgx.Rows) error {
			var err error
			if l.Staff, err = pgx.CollectRows(rows, scanStaffMember); err != nil {
				return fmt.Errorf("read staff roster: %w", err)
			}
			return nil
		})
		b.Queue(yearGroupsSQL, v.SchoolID).Query(func(rows pgx.Rows) error {
			var err error
			if l.YearGroups, err = pgx.CollectRows(rows, pgx.RowTo[int]); err != nil {
				return fmt.Errorf("read year groups: %w", err)
			}
			return nil
		})
		b.Queue(draftSQL, v.SchoolID, v.PersonID).QueryRow(func(row pgx.Row) error {
			d, err := scanDraft(row)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return nil
			case err != nil:
				return fmt.Errorf("read draft: %w", err)
			}
			l.Draft = &d
			return nil
		})
		b.Queue(schoolContactsSQL, v.SchoolID).QueryRow(func(row pgx.Row) error {
			var err error
			l.Contacts, err = scanSchoolContacts(row)
			return err
		})
		return sendLast(ctx, tx, b)
	})
	return l, err
}

// staffRosterSQL lists the active people of a school ($1) but one ($2), by
// name, each with whether they are the principal, their e-mail address and
// the name they go by, for scanStaffMember.
const staffRosterSQL = `SELECT p.id, p.full_name, p.job_title,
		EXISTS (SELECT 1 FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id AND r.role = 'principal'),
		p.email, p.known_as
	FROM people p
	WHERE p.school_id = $1 AND p.active AND p.id <> $2 ORDER BY lower(p.full_name), p.id`

func scanStaffMember(row pgx.CollectableRow) (safeguarding.StaffMember, error) {
	var m safeguarding.StaffMember
	err := row.Scan(&m.ID, &m.Name, &m.JobTitle, &m.Principal, &m.Email, &m.KnownAs)
	return m, err
}

// StaffRoster lists the active people of v's school, by name, that a
// concern may be about. v is left out: nobody may see a concern about
// themselves, so they could not see one they logged about themselves either.
func (db *DB) StaffRoster(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.StaffMember, error) {
	var staff []safeguarding.StaffMember
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		staff, err = staffRoster(ctx, tx, v)
		return err
	})
	return staff, err
}

// staffRoster reads StaffRoster's list in tx.
func staffRoster(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer) ([]safeguarding.StaffMember, error) {
	rows, err := tx.Query(ctx, staffRosterSQL, v.SchoolID, v.PersonID)
	if err != nil {
		return nil, fmt.Errorf("read staff roster: %w", err)
	}
	staff, err := pgx.CollectRows(rows, scanStaffMember)
	if err != nil {
		return nil, fmt.Errorf("read staff roster: %w", err)
	}
	return staff, nil
}

// reference is the reference data of one database: it changes only with a
// migration, so it is read once.
type reference struct {
	mu         sync.Mutex
	categories []safeguarding.Category
	indicators []safeguarding.Indicator
}

// Categories lists the kinds of concern in the order the form offers them.
func (db *DB) Categories(ctx context.Context) ([]safeguarding.Category, error) {
	ref := db.ref
	ref.mu.Lock()
	defer ref.mu.Unlock()
	if ref.categories == nil {
		rows, err := db.pool.Query(ctx, `SELECT code, label FROM categories ORDER BY position, code`)
		if err != nil {
			return nil, fmt.Errorf("read categories: %w", err)
		}
		ref.categories, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Category, error) {
			var c safeguarding.Category
			err := row.Scan(&c.Code, &c.Label)
			return c, err
		})
		if err != nil {
			ref.categories = nil
			return nil, fmt.Errorf("read categories: %w", err)
		}
	}
	return slices.Clone(ref.categories), nil
}

// Indicators lists the CSE indicators of policy §5.2 in the policy's order,
// worded as the policy words them.
func (db *DB) Indicators(ctx context.Context) ([]safeguarding.Indicator, error) {
	ref := db.ref
	ref.mu.Lock()
	defer ref.mu.Unlock()
	if ref.indicators == nil {
		rows, err := db.pool.Query(ctx, `SELECT code, label FROM cse_indicators ORDER BY position, code`)
		if err != nil {
			return nil, fmt.Errorf("read CSE indicators: %w", err)
		}
		ref.indicators, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Indicator, error) {
			var i safeguarding.Indicator
			err := row.Scan(&i.Code, &i.Label)
			return i, err
		})
		if err != nil {
			ref.indicators = nil
			return nil, fmt.Errorf("read CSE indicators: %w", err)
		}
	}
	return slices.Clone(ref.indicators), nil
}

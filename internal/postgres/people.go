package postgres

// The administrator's people: the list, one person's page, and the changes
// an administrator makes to a person. Each runs as the administrator
// (asViewer), so row-level security decides which invitations they see
// and write; people and their roles are read within the viewer's school
// only. Every change is audited against the object "person:{id}", which
// the person's page reads back as their history.

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// InvitationEnqueuer adds to tx the job that e-mails an invitation's link,
// so that the invitation and its e-mail commit together. internal/jobs
// makes one (jobs.InvitationEnqueuer).
type InvitationEnqueuer func(ctx context.Context, tx pgx.Tx, schoolID, invitationID int64) error

// WithInvitations returns a store that e-mails each invitation it makes;
// without it, invitations are made but nobody is told.
func (db *DB) WithInvitations(e InvitationEnqueuer) *DB {
	c := *db
	c.invitations = e
	return &c
}

// PeoplePageSize is how many people the administrator's list shows at once.
const PeoplePageSize = 50

// mayAdministerPeople refuses anyone but the administrator, as not found.
func mayAdministerPeople(v safeguarding.Viewer) error {
	if !safeguarding.MayAdministerPeople(v.Roles) {
		return safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not administer people")
	}
	return nil
}

// personObject is the audit log's name for a person, which their history
// is read by.
func personObject(id int64) string { return fmt.Sprintf("person:%d", id) }

// personSummarySQL reads a person as the list shows them, their newest
// invitation's state with them; $1 is the school.
const personSummarySQL = `SELECT p.id, p.full_name, p.email, p.job_title,
		coalesce((SELECT array_agg(role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id), '{}'),
		p.active, coalesce(p.last_sign_in_at, '0001-01-01'::timestamptz), p.second_factor_at IS NOT NULL,
		coalesce(CASE WHEN i.used_at IS NOT NULL THEN 'accepted'
			WHEN i.revoked_at IS NOT NULL THEN 'revoked'
			WHEN i.expires_at <= clock_timestamp() THEN 'expired'
			WHEN i.id IS NOT NULL THEN 'pending' END, ''),
		coalesce(i.expires_at, '0001-01-01'::timestamptz)
	FROM people p
	LEFT JOIN LATERAL (SELECT * FROM invitations i WHERE i.school_id = p.school_id AND i.person_id = p.id
		ORDER BY i.created_at DESC, i.id DESC LIMIT 1) i ON true
	WHERE p.school_id = $1`

func scanPersonSummary(row pgx.Row) (safeguarding.PersonSummary, error) {
	var s safeguarding.PersonSummary
	var roles []string
	var state string
	if err := row.Scan(&s.ID, &s.Name, &s.Email, &s.JobTitle, &roles, &s.Active, &s.LastSignIn, &s.SecondFactor, &state, &s.InvitationExpires); err != nil {
		return s, err
	}
	s.Roles, _ = safeguarding.RolesNamed(roles)
	s.Invitation = safeguarding.InvitationState(state)
	if s.LastSignIn.Year() == 1 {
		s.LastSignIn = time.Time{}
	}
	if s.Invitation != safeguarding.InvitationPending {
		s.InvitationExpires = time.Time{}
	}
	return s, nil
}

// People lists v's school's people by name, those whose name or e-mail
// address holds f.Query if it is set, f.Limit at most (PeoplePageSize if
// 0) from f.Offset; more says whether there are more after them.
func (db *DB) People(ctx context.Context, v safeguarding.Viewer, f safeguarding.PeopleFilter) (people []safeguarding.PersonSummary, more bool, err error) {
	if err := mayAdministerPeople(v); err != nil {
		return nil, false, err
	}
	if f.Limit <= 0 || f.Limit > PeoplePageSize {
		f.Limit = PeoplePageSize
	}
	pattern := "%" + likeEscaper.Replace(strings.TrimSpace(f.Query)) + "%"
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, personSummarySQL+`
			AND (p.full_name ILIKE $2 OR p.email ILIKE $2)
			ORDER BY lower(p.full_name), p.id OFFSET $3 LIMIT $4`, v.SchoolID, pattern, max(f.Offset, 0), f.Limit+1)
		if err != nil {
			return err
		}
		people, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.PersonSummary, error) { return scanPersonSummary(r) })
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("list people: %w", err)
	}
	if len(people) > f.Limit {
		people, more = people[:f.Limit], true
	}
	return people, more, nil
}

// likeEscaper makes a search's text match only itself in ILIKE.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Person reads one of v's school's people with their history; ENOTFOUND
// for anyone else.
func (db *DB) Person(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.PersonDetails, error) {
	var d safeguarding.PersonDetails
	if err := mayAdministerPeople(v); err != nil {
		return d, err
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		s, err := scanPersonSummary(tx.QueryRow(ctx, personSummarySQL+` AND p.id = $2`, v.SchoolID, id))
		if err != nil {
			return notFound(err, "No such person")
		}
		d.PersonSummary = s
		if err := tx.QueryRow(ctx, `SELECT known_as, created_at, password_hash <> '' FROM people WHERE school_id = $1 AND id = $2`, v.SchoolID, id).
			Scan(&d.KnownAs, &d.Added, &d.HasPassword); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT a.at, a.action, coalesce(actor.full_name, ''), a.detail
			FROM audit_log a LEFT JOIN people actor ON actor.id = a.actor_id AND actor.school_id = a.school_id
			WHERE a.school_id = $1 AND a.object = $2
			ORDER BY a.at DESC, a.id DESC LIMIT 500`, v.SchoolID, personObject(id))
		if err != nil {
			return err
		}
		d.History, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.PersonEvent, error) {
			var e safeguarding.PersonEvent
			err := r.Scan(&e.At, &e.Action, &e.Actor, &e.Detail)
			return e, err
		})
		return err
	})
	if err != nil {
		return d, fmt.Errorf("read person: %w", err)
	}
	return d, nil
}

// InvitePerson adds a person to v's school with the roles in, without a
// password, and invites them: the invitation, its e-mail's job and the
// audit row commit together. A taken e-mail address is ECONFLICT.
func (db *DB) InvitePerson(ctx context.Context, v safeguarding.Viewer, in safeguarding.InviteInput, address string) (int64, error) {
	if err := mayAdministerPeople(v); err != nil {
		return 0, err
	}
	if p := in.Problems(); len(p) > 0 {
		return 0, safeguarding.Errorf(safeguarding.EINVALID, "The invitation is incomplete")
	}
	var id int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		id, err = createPerson(ctx, tx, PersonInput{SchoolID: v.SchoolID, Email: in.Email, FullName: strings.TrimSpace(in.Name),
			JobTitle: strings.TrimSpace(in.JobTitle), Roles: in.Roles})
		if err != nil {
			return err
		}
		if err := db.invite(ctx, tx, v.SchoolID, v.PersonID, id); err != nil {
			return err
		}
		return audit(ctx, tx, personEvent(v, id, "invited", address, "roles: "+roleNames(in.Roles)))
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// InviteByCommand adds a person to a school with the roles in, without a
// password, and invites them, for `haven user invite`: as InvitePerson,
// but by nobody signed in (row-level security lets a transaction with no
// viewer make an invitation by no one).
func (db *DB) InviteByCommand(ctx context.Context, schoolID int64, in safeguarding.InviteInput) (int64, error) {
	if p := in.Problems(); len(p) > 0 {
		for _, field := range []string{"email", "name", "job_title", "roles"} {
			if msg, bad := p[field]; bad {
				return 0, safeguarding.Errorf(safeguarding.EINVALID, "%s", msg)
			}
		}
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = createPerson(ctx, tx, PersonInput{SchoolID: schoolID, Email: in.Email, FullName: strings.TrimSpace(in.Name),
			JobTitle: strings.TrimSpace(in.JobTitle), Roles: in.Roles})
		if err != nil {
			return err
		}
		if err := db.invite(ctx, tx, schoolID, 0, id); err != nil {
			return err
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: schoolID, Action: "invited", Object: personObject(id),
			Detail: "roles: " + roleNames(in.Roles) + " (haven user invite)"})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// invite makes a new invitation for person id, by invitedBy (0 for no
// one), whose link the enqueued job makes and sends; until then its hash
// is one no token has.
func (db *DB) invite(ctx context.Context, tx pgx.Tx, schoolID, invitedBy, id int64) error {
	var invitation int64
	err := tx.QueryRow(ctx, `INSERT INTO invitations (school_id, person_id, invited_by, token_hash, expires_at)
		VALUES ($1, $2, NULLIF($3, 0), $4, clock_timestamp() + $5::interval) RETURNING id`,
		schoolID, id, invitedBy, hashToken(rand.Text()), safeguarding.InvitationValidFor).Scan(&invitation)
	if err != nil {
		return fmt.Errorf("make invitation: %w", err)
	}
	if db.invitations == nil {
		return nil
	}
	if err := db.invitations(ctx, tx, schoolID, invitation); err != nil {
		return fmt.Errorf("enqueue invitation e-mail: %w", err)
	}
	return nil
}

// personEvent is an audit row of v's about person id.
func personEvent(v safeguarding.Viewer, id int64, action, address, detail string) safeguarding.AuditEvent {
	return safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: action, Object: personObject(id), Address: address, Detail: detail}
}

func roleNames(rs safeguarding.Roles) string {
	if len(rs) == 0 {
		return "none"
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// target is the person an administrator changes, read and held (FOR
// UPDATE) in the transaction that changes them, with how many other active
// administrators the school has. Changes to one school's people are made
// one at a time (an advisory lock), so two administrators removing each
// other at once cannot leave the school with none.
func target(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, id int64) (p safeguarding.Person, hasPassword bool, otherAdmins int, err error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(3, ($1::bigint % 2147483647)::int)`, v.SchoolID); err != nil {
		return p, false, 0, fmt.Errorf("take people lock: %w", err)
	}
	var roles []string
	err = tx.QueryRow(ctx, `SELECT p.full_name, p.active, p.password_hash <> '',
			coalesce((SELECT array_agg(role) FROM person_roles r WHERE r.school_id = p.school_id AND r.person_id = p.id), '{}'),
			(SELECT count(*) FROM people o JOIN person_roles r ON r.school_id = o.school_id AND r.person_id = o.id AND r.role = 'admin'
				WHERE o.school_id = p.school_id AND o.id <> p.id AND o.active)
		FROM people p WHERE p.school_id = $1 AND p.id = $2 FOR UPDATE OF p`, v.SchoolID, id).
		Scan(&p.Name, &p.Active, &hasPassword, &roles, &otherAdmins)
	if err != nil {
		return p, false, 0, notFound(err, "No such person")
	}
	p.SchoolID, p.ID = v.SchoolID, id
	p.Roles, _ = safeguarding.RolesNamed(roles)
	return p, hasPassword, otherAdmins, nil
}

// ChangeRoles gives person id exactly the roles rs, auditing what they
// held before and after; it refuses to leave the school without an active
// administrator. Nothing changes, and nothing is audited, if rs are the
// roles they hold.
func (db *DB) ChangeRoles(ctx context.Context, v safeguarding.Viewer, id int64, rs safeguarding.Roles, address string) error {
	if err := mayAdministerPeople(v); err != nil {
		return err
	}
	if msg := safeguarding.RolesProblem(rs); msg != "" {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", msg)
	}
	rs, _ = safeguarding.RolesNamed(roleStrings(rs))
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		p, _, others, err := target(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if roleNames(p.Roles) == roleNames(rs) {
			return nil
		}
		if err := safeguarding.CheckRoleChange(p, rs, others); err != nil {
			return err
		}
		names := roleStrings(rs)
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM person_roles WHERE school_id = $1 AND person_id = $2 AND NOT role = ANY ($3)`, v.SchoolID, id, names)
		b.Queue(`INSERT INTO person_roles (school_id, person_id, role) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`, v.SchoolID, id, names)
		batchAudit(b, personEvent(v, id, "roles_changed", address, "before: "+roleNames(p.Roles)+"; after: "+roleNames(rs)))
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("change roles: %w", err)
		}
		return nil
	})
}

func roleStrings(rs safeguarding.Roles) []string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return names
}

// Deactivate marks person id as having left: they can no longer sign in,
// and every session they have open ends at its next request. Their name
// stays on everything they did.
func (db *DB) Deactivate(ctx context.Context, v safeguarding.Viewer, id int64, address string) error {
	if err := mayAdministerPeople(v); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		p, _, others, err := target(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if !p.Active {
			return nil
		}
		if err := safeguarding.CheckDeactivation(v, p, others); err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE people SET active = false, sessions_since = clock_timestamp() WHERE school_id = $1 AND id = $2`, v.SchoolID, id)
		batchAudit(b, personEvent(v, id, "deactivated", address, ""))
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("deactivate: %w", err)
		}
		return nil
	})
}

// Reactivate lets a deactivated person sign in again, with the password
// they had.
func (db *DB) Reactivate(ctx context.Context, v safeguarding.Viewer, id int64, address string) error {
	if err := mayAdministerPeople(v); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		p, _, _, err := target(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if p.Active {
			return nil
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE people SET active = true WHERE school_id = $1 AND id = $2`, v.SchoolID, id)
		batchAudit(b, personEvent(v, id, "reactivated", address, ""))
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("reactivate: %w", err)
		}
		return nil
	})
}

// ErrAlreadyAccepted refuses to resend an invitation to a person who has
// set their password.
var ErrAlreadyAccepted = safeguarding.Errorf(safeguarding.ECONFLICT,
	"They have already set a password, so they need no invitation")

// ErrNoInvitation refuses to withdraw an invitation that is not pending.
var ErrNoInvitation = safeguarding.Errorf(safeguarding.ECONFLICT,
	"There is no invitation waiting to be accepted")

// ResendInvitation withdraws person id's unused invitations and sends a
// new one, valid for another InvitationValidFor: the old link stops
// working. Only for a person who has not yet set a password.
func (db *DB) ResendInvitation(ctx context.Context, v safeguarding.Viewer, id int64, address string) error {
	if err := mayAdministerPeople(v); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		_, hasPassword, _, err := target(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if hasPassword {
			return ErrAlreadyAccepted
		}
		if _, err := revokeInvitations(ctx, tx, v.SchoolID, id); err != nil {
			return err
		}
		if err := db.invite(ctx, tx, v.SchoolID, v.PersonID, id); err != nil {
			return err
		}
		return audit(ctx, tx, personEvent(v, id, "invitation_resent", address, ""))
	})
}

// RevokeInvitation withdraws person id's pending invitation, so its link
// no longer works.
func (db *DB) RevokeInvitation(ctx context.Context, v safeguarding.Viewer, id int64, address string) error {
	if err := mayAdministerPeople(v); err != nil {
		return err
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		if _, _, _, err := target(ctx, tx, v, id); err != nil {
			return err
		}
		n, err := revokeInvitations(ctx, tx, v.SchoolID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNoInvitation
		}
		return audit(ctx, tx, personEvent(v, id, "invitation_revoked", address, ""))
	})
}

// revokeInvitations withdraws a person's invitations that could still be
// used, and says how many there were.
func revokeInvitations(ctx context.Context, tx pgx.Tx, schoolID, id int64) (int64, error) {
	tag, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = clock_timestamp()
		WHERE school_id = $1 AND person_id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > clock_timestamp()`, schoolID, id)
	if err != nil {
		return 0, fmt.Errorf("withdraw invitation: %w", err)
	}
	return tag.RowsAffected(), nil
}

package postgres

// The invitation link: issued by the job that e-mails it, checked and used
// up by the invitation page. Both run for nobody (no viewer is set), which
// row-level security lets find an invitation only by its token's hash.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Invitation is what the invitation page and its e-mail say of the person
// invited.
type Invitation struct {
	Email, Name, SchoolName string
}

// IssueInvitationLink makes the token of invitation id's link, replacing
// any made before, and returns it with whom it invites. An invitation no
// longer usable (used, withdrawn, expired) gets none (""). The job that
// e-mails the link calls it, as nobody.
func (db *DB) IssueInvitationLink(ctx context.Context, schoolID, invitationID int64) (inv Invitation, token string, err error) {
	token = rand.Text()
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE invitations i SET token_hash = $3
			FROM people p JOIN schools s ON s.id = p.school_id
			WHERE i.school_id = $1 AND i.id = $2 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > clock_timestamp()
				AND p.school_id = i.school_id AND p.id = i.person_id AND p.active
			RETURNING p.email, p.full_name, s.name`, schoolID, invitationID, hashToken(token)).Scan(&inv.Email, &inv.Name, &inv.SchoolName)
		if errors.Is(err, pgx.ErrNoRows) {
			token = ""
			return nil
		}
		return err
	})
	if err != nil {
		return Invitation{}, "", fmt.Errorf("issue invitation link: %w", err)
	}
	return inv, token, nil
}

// usableInvitation finds, by its link's token, an invitation that can
// still be used, for an active person without a password.
const usableInvitation = `FROM invitations i JOIN people p ON p.school_id = i.school_id AND p.id = i.person_id
	JOIN schools s ON s.id = p.school_id
	WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > clock_timestamp()
		AND p.active AND p.password_hash = ''`

// CheckInvitation returns whom a usable invitation link invites, or
// safeguarding.ErrInvitationInvalid. It changes nothing: a mail scanner
// that opens the link does not use it up.
func (db *DB) CheckInvitation(ctx context.Context, token string) (Invitation, error) {
	var inv Invitation
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT p.email, p.full_name, s.name `+usableInvitation, hashToken(token)).Scan(&inv.Email, &inv.Name, &inv.SchoolName)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return inv, safeguarding.ErrInvitationInvalid
	}
	if err != nil {
		return inv, fmt.Errorf("check invitation: %w", err)
	}
	return inv, nil
}

// AcceptInvitation uses up the invitation link token, setting its person's
// password to passwordHash (password.Hash), from the client at address;
// it returns their e-mail address, to sign in with.
func (db *DB) AcceptInvitation(ctx context.Context, token, passwordHash, address string) (email string, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var schoolID, personID int64
		err := tx.QueryRow(ctx, `SELECT i.school_id, i.person_id, p.email `+usableInvitation+` FOR UPDATE OF i, p`, hashToken(token)).
			Scan(&schoolID, &personID, &email)
		if errors.Is(err, pgx.ErrNoRows) {
			return safeguarding.ErrInvitationInvalid
		}
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE invitations SET used_at = clock_timestamp() WHERE token_hash = $1`, hashToken(token))
		b.Queue(`UPDATE people SET password_hash = $3 WHERE school_id = $1 AND id = $2`, schoolID, personID, passwordHash)
		batchAudit(b, safeguarding.AuditEvent{SchoolID: schoolID, ActorID: personID, Action: "invitation_accepted",
			Object: personObject(personID), Address: address})
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil && !errors.Is(err, safeguarding.ErrInvitationInvalid) {
		return "", fmt.Errorf("accept invitation: %w", err)
	}
	return email, err
}

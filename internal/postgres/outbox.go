package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
)

// KeepInOutbox keeps m, an e-mail not sent because SMTP_URL is unset, in
// its school's outbox (mail.Outbox). The jobs call it and run for nobody:
// row-level security lets a row in only when no viewer is set.
func (db *DB) KeepInOutbox(ctx context.Context, m mail.Message) error {
	if m.SchoolID == 0 {
		return fmt.Errorf("keep e-mail in the outbox: it names no school")
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO outbox (school_id, recipient, subject, body) VALUES ($1, $2, $3, $4)`,
		m.SchoolID, m.To, m.Subject, m.Body)
	if err != nil {
		return fmt.Errorf("keep e-mail in the outbox: %w", err)
	}
	return nil
}

// Outbox reads the e-mails kept in v's school's outbox, newest first, if v
// may (safeguarding.MayReadOutbox; row-level security holds the same rule).
func (db *DB) Outbox(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.OutboxMessage, error) {
	if !safeguarding.MayReadOutbox(v.Roles) {
		return nil, safeguarding.Errorf(safeguarding.EFORBIDDEN, "You may not read the outbox")
	}
	var out []safeguarding.OutboxMessage
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT recipient, subject, body, created_at FROM outbox
			WHERE school_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.OutboxMessage, error) {
			var m safeguarding.OutboxMessage
			err := r.Scan(&m.To, &m.Subject, &m.Body, &m.SentAt)
			return m, err
		})
		return err
	})
	return out, err
}

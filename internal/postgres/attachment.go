package postgres

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// AddAttachment keeps a file with a concern, as v uploads it, and audits
// the upload, all in one transaction: a file refused for its type or size,
// or by the access rule, leaves nothing behind. The type is read from the
// content (safeguarding.CheckAttachment); a problem with the file is
// EINVALID with a message for the person who chose it.
func (db *DB) AddAttachment(ctx context.Context, v safeguarding.Viewer, concernID int64, in safeguarding.AttachmentInput) (int64, error) {
	contentType, problem := safeguarding.CheckAttachment(in.Content)
	if problem != "" {
		return 0, safeguarding.Errorf(safeguarding.EINVALID, "%s", problem)
	}
	var id int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		c, err := concernByID(ctx, tx, v, concernID, false)
		if err != nil {
			return err
		}
		if !safeguarding.MayAttach(v, c.Access()) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such concern")
		}
		if in.EntryID != 0 {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM chronology_entries WHERE school_id = $1 AND concern_id = $2 AND id = $3`,
				v.SchoolID, concernID, in.EntryID).Scan(&n); err != nil || n == 0 {
				return safeguarding.Errorf(safeguarding.EINVALID, "Choose an entry of this concern")
			}
		}
		sum := sha256.Sum256(in.Content)
		err = tx.QueryRow(ctx, `INSERT INTO concern_attachments (school_id, concern_id, entry_id, file_name, content_type, description,
				size, sha256, content, uploaded_by, uploaded_at)
			VALUES ($1, $2, NULLIF($3, 0), $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			v.SchoolID, concernID, in.EntryID, safeguarding.AttachmentFileName(in.FileName, contentType), contentType, in.Description,
			len(in.Content), sum[:], in.Content, v.PersonID, db.now().UTC().Truncate(time.Microsecond)).Scan(&id)
		if err != nil {
			return fmt.Errorf("keep attachment: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "add_attachment",
			Object: "concern:" + strconv.FormatInt(concernID, 10), Detail: "attachment:" + strconv.FormatInt(id, 10)})
	})
	return id, err
}

// Attachment reads one file kept with a concern, with its content, for v
// to download, and audits the download. A file v may not see, or of
// another concern, is not found.
func (db *DB) Attachment(ctx context.Context, v safeguarding.Viewer, concernID, id int64) (safeguarding.Attachment, []byte, error) {
	var a safeguarding.Attachment
	var content []byte
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		c, err := concernByID(ctx, tx, v, concernID, false)
		if err != nil {
			return err
		}
		row := tx.QueryRow(ctx, `SELECT `+attachmentColumns+`, a.content FROM concern_attachments a
			JOIN people p ON p.school_id = a.school_id AND p.id = a.uploaded_by
			WHERE a.school_id = $1 AND a.concern_id = $2 AND a.id = $3`, v.SchoolID, concernID, id)
		if a, content, err = scanAttachmentWith(row, true); err != nil {
			return notFound(err, "No such file")
		}
		if !safeguarding.MaySeeAttachment(v, c.Access(), a.UploadedBy) {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such file")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "download_attachment",
			Object: "concern:" + strconv.FormatInt(concernID, 10), Detail: "attachment:" + strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return safeguarding.Attachment{}, nil, err
	}
	return a, content, nil
}

const attachmentColumns = `a.school_id, a.id, a.concern_id, coalesce(a.entry_id, 0), a.file_name, a.content_type, a.description,
	a.size, a.sha256, a.uploaded_by, p.full_name, a.uploaded_at`

// batchAttachments adds to b the reading of a concern's files that v may
// see, without their content, into *out.
func batchAttachments(b *pgx.Batch, v safeguarding.Viewer, concernID int64, out *[]safeguarding.Attachment) {
	b.Queue(`SELECT `+attachmentColumns+` FROM concern_attachments a
		JOIN people p ON p.school_id = a.school_id AND p.id = a.uploaded_by
		WHERE a.school_id = $1 AND a.concern_id = $2 ORDER BY a.id`, v.SchoolID, concernID).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (safeguarding.Attachment, error) {
			a, _, err := scanAttachmentWith(row, false)
			return a, err
		})
		if err != nil {
			return fmt.Errorf("read attachments: %w", err)
		}
		*out = list
		return nil
	})
}

func scanAttachmentWith(row pgx.Row, withContent bool) (safeguarding.Attachment, []byte, error) {
	var a safeguarding.Attachment
	var content []byte
	dest := []any{&a.SchoolID, &a.ID, &a.ConcernID, &a.EntryID, &a.FileName, &a.ContentType, &a.Description,
		&a.Size, &a.SHA256, &a.UploadedBy, &a.UploaderName, &a.UploadedAt}
	if withContent {
		dest = append(dest, &content)
	}
	err := row.Scan(dest...)
	return a, content, err
}

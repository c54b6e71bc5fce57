package postgres

// Transfer of a child's file between schools (docs/transfer.md): the
// school's keys, the leavers whose files are due, the bundle sent, the
// bundle received and the receipts each side records. Everything runs as
// the DSL or deputy (safeguarding.MayTransferFiles), checked here and
// again by row-level security.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
)

// errNotTransferrer answers anyone who may not transfer files as though
// there were nothing there.
var errNotTransferrer = safeguarding.Errorf(safeguarding.ENOTFOUND, "No such page")

// TransferKeys returns the school's transfer keys and its name, making the
// keys the first time they are needed.
func (db *DB) TransferKeys(ctx context.Context, v safeguarding.Viewer) (transfer.Keys, string, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return transfer.Keys{}, "", errNotTransferrer
	}
	var keys transfer.Keys
	var school string
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		keys, school, err = db.schoolKeys(ctx, tx, v)
		return err
	})
	return keys, school, err
}

// schoolKeys reads the school's keys and name in tx, making the keys if the
// school has none yet. Two DSLs asking at once make one pair: the second
// insert finds the first's row.
func (db *DB) schoolKeys(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer) (transfer.Keys, string, error) {
	var k transfer.Keys
	var school string
	if err := tx.QueryRow(ctx, `SELECT name FROM schools WHERE id = $1`, v.SchoolID).Scan(&school); err != nil {
		return k, "", fmt.Errorf("read the school's name: %w", err)
	}
	read := func() error {
		var pub []byte
		err := tx.QueryRow(ctx, `SELECT signing_public, signing_seed, age_recipient, age_identity
			FROM school_keys WHERE school_id = $1`, v.SchoolID).Scan(&pub, &k.SigningSeed, &k.AgeRecipient, &k.AgeIdentity)
		k.SigningPublic = ed25519.PublicKey(pub)
		return err
	}
	err := read()
	if !errors.Is(err, pgx.ErrNoRows) {
		return k, school, err
	}
	made, err := transfer.NewKeys()
	if err != nil {
		return k, "", err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO school_keys (school_id, signing_public, signing_seed, age_recipient, age_identity, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (school_id) DO NOTHING`,
		v.SchoolID, []byte(made.SigningPublic), made.SigningSeed, made.AgeRecipient, made.AgeIdentity, db.now(), v.PersonID)
	if err != nil {
		return k, "", fmt.Errorf("make the school's transfer keys: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return k, school, read()
	}
	err = audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_keys_made", Object: "school:" + strconv.FormatInt(v.SchoolID, 10)})
	return made, school, err
}

// TransfersToDo are the school's pupils who left with a child-protection
// file not yet sent nor recorded as not needed, with the day each is due,
// soonest first.
func (db *DB) TransfersToDo(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.TransferToDo, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return nil, nil
	}
	var out []safeguarding.TransferToDo
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		out, err = db.transfersToDo(ctx, tx, v.SchoolID)
		return err
	})
	return out, err
}

// leaverToDo picks out, among pupils p, those who left with a
// child-protection file that has been neither sent nor recorded as not
// needed, as the transaction's viewer reads them (the concerns through
// their policy, file_transfers for haven_may_transfer_files alone).
const leaverToDo = `p.left_on IS NOT NULL
	AND EXISTS (SELECT 1 FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
	            WHERE cp.school_id = p.school_id AND cp.pupil_id = p.id AND haven_on_child_file(c.route))
	AND NOT EXISTS (SELECT 1 FROM file_transfers t WHERE t.school_id = p.school_id AND t.pupil_id = p.id)`

// transfersToDo reads the school's leavers whose files are to be
// transferred, each with the day it is due, soonest first.
func (db *DB) transfersToDo(ctx context.Context, tx pgx.Tx, schoolID int64) ([]safeguarding.TransferToDo, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, `+pupilFirstName+`, `+pupilLastName+`, p.year_group, p.left_on
		FROM pupils p
		WHERE p.school_id = $1 AND `+leaverToDo+`
		ORDER BY p.left_on, p.id`, schoolID)
	if err != nil {
		return nil, fmt.Errorf("read the leavers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.TransferToDo, error) {
		var t safeguarding.TransferToDo
		return t, r.Scan(&t.Pupil.ID, &t.Pupil.FirstName, &t.Pupil.LastName, &t.Pupil.YearGroup, &t.LeftOn)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	cal, err := db.calendar(ctx, tx, schoolID, out[0].LeftOn)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Due = safeguarding.TransferDue(cal, out[i].LeftOn)
	}
	return out, nil
}

// overdueTransfers counts, up to limit, the school's leavers whose files
// are overdue at now on calendar cal: those who left before the first day
// a transfer still in time could have started (Calendar.OverdueBefore), so
// no due day is worked out per pupil. For the header's count, on every
// page: pupils_left_idx finds the leavers.
func overdueTransfers(ctx context.Context, tx pgx.Tx, cal safeguarding.Calendar, schoolID int64, now time.Time, limit int) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM (
			SELECT 1 FROM pupils p WHERE p.school_id = $1 AND p.left_on < $2 AND `+leaverToDo+` LIMIT $3) o`,
		schoolID, cal.OverdueBefore(safeguarding.TransferWorkingDays, now), limit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count overdue transfers: %w", err)
	}
	return n, nil
}

// PupilTransfers is where pupil pupilID's file stands as to transfer: when
// they left and when the file is due, what was sent and what was received.
func (db *DB) PupilTransfers(ctx context.Context, v safeguarding.Viewer, pupilID int64) (safeguarding.PupilTransfers, error) {
	var p safeguarding.PupilTransfers
	if !safeguarding.MayTransferFiles(v.Roles) {
		return p, errNoSuchPupilFile
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		var err error
		p, err = db.pupilTransfers(ctx, tx, v, pupilID)
		return err
	})
	return p, err
}

func (db *DB) pupilTransfers(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, pupilID int64) (safeguarding.PupilTransfers, error) {
	p := safeguarding.PupilTransfers{Pupil: safeguarding.PupilRef{ID: pupilID}}
	var leftOn *time.Time
	err := tx.QueryRow(ctx, `SELECT `+pupilFirstName+`, `+pupilLastName+`, p.year_group, coalesce(p.upn, ''), p.left_on,
			EXISTS (SELECT 1 FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
			        WHERE cp.school_id = p.school_id AND cp.pupil_id = p.id AND haven_on_child_file(c.route))
		FROM pupils p WHERE p.school_id = $1 AND p.id = $2`, v.SchoolID, pupilID).
		Scan(&p.Pupil.FirstName, &p.Pupil.LastName, &p.Pupil.YearGroup, &p.UPN, &leftOn, &p.HasFile)
	if err != nil {
		return p, notFound(err, "No such pupil")
	}
	if leftOn != nil {
		p.LeftOn = *leftOn
		cal, err := db.calendar(ctx, tx, v.SchoolID, p.LeftOn)
		if err != nil {
			return p, err
		}
		p.Due = safeguarding.TransferDue(cal, p.LeftOn)
	}
	rows, err := tx.Query(ctx, `SELECT t.id, t.outcome, t.to_school, t.to_recipient, t.reason, coalesce(t.bundle_id::text, ''),
			t.recorded_at, pe.full_name, t.receipt_confirmed_at, t.receipt_school
		FROM file_transfers t JOIN people pe ON pe.school_id = t.school_id AND pe.id = t.recorded_by
		WHERE t.school_id = $1 AND t.pupil_id = $2 ORDER BY t.recorded_at, t.id`, v.SchoolID, pupilID)
	if err != nil {
		return p, fmt.Errorf("read the transfers: %w", err)
	}
	p.Sent, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.SentFile, error) {
		var s safeguarding.SentFile
		return s, r.Scan(&s.ID, &s.Outcome, &s.ToSchool, &s.ToRecipient, &s.Reason, &s.BundleID, &s.RecordedAt,
			&s.RecordedByName, &s.ReceiptConfirmedAt, &s.ReceiptSchool)
	})
	if err != nil {
		return p, fmt.Errorf("read the transfers: %w", err)
	}
	p.Received, err = readReceivedFiles(ctx, tx, `r.school_id = $1 AND r.pupil_id = $2`, v.SchoolID, pupilID)
	return p, err
}

// readReceivedFiles reads the received files that where picks out.
func readReceivedFiles(ctx context.Context, tx pgx.Tx, where string, args ...any) ([]safeguarding.ReceivedFile, error) {
	rows, err := tx.Query(ctx, `SELECT r.id, r.pupil_id, r.bundle_id::text, r.from_school, r.sender_key, r.received_at,
			pe.full_name, r.confirmed_at, r.receipt, r.contents, r.signed_bundle IS NOT NULL
		FROM received_files r JOIN people pe ON pe.school_id = r.school_id AND pe.id = r.received_by
		WHERE `+where+` ORDER BY r.received_at, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read the received files: %w", err)
	}
	files, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.ReceivedFile, error) {
		var f safeguarding.ReceivedFile
		return f, r.Scan(&f.ID, &f.PupilID, &f.BundleID, &f.FromSchool, &f.SenderKey, &f.ReceivedAt,
			&f.ReceivedByName, &f.ConfirmedAt, &f.Receipt, &f.Bundle, &f.SignedKept)
	})
	if err != nil {
		return nil, fmt.Errorf("read the received files: %w", err)
	}
	return files, nil
}

// MarkLeft records that pupil pupilID left the school on day: they come off
// the roll, and if they have a child-protection file the DSL is asked to
// transfer it.
func (db *DB) MarkLeft(ctx context.Context, v safeguarding.Viewer, pupilID int64, day time.Time) error {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return errNoSuchPupilFile
	}
	if p := safeguarding.LeftOnProblems(day, safeguarding.DateInEngland(db.now())); len(p) > 0 {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", p["left-on"])
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE pupils SET active = false, left_on = $3 WHERE school_id = $1 AND id = $2 AND left_on IS NULL`,
			v.SchoolID, pupilID, day)
		if err != nil {
			return fmt.Errorf("mark the pupil as left: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such pupil on the roll")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "pupil_marked_left",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10), Detail: day.Format(time.DateOnly)})
	})
}

// RecordTransferNotNeeded records that pupil pupilID's file need not be
// transferred, and why.
func (db *DB) RecordTransferNotNeeded(ctx context.Context, v safeguarding.Viewer, pupilID int64, reason string) error {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return errNoSuchPupilFile
	}
	if p := safeguarding.NotNeededProblems(reason); len(p) > 0 {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", p["reason"])
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO file_transfers (school_id, pupil_id, outcome, reason, recorded_at, recorded_by)
			VALUES ($1, $2, 'not_needed', $3, $4, $5)`, v.SchoolID, pupilID, reason, db.now(), v.PersonID)
		if err != nil {
			return notFound(err, "No such pupil")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_not_needed",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10)})
	})
}

// TransferRequest is what the sending DSL enters to make a bundle.
type TransferRequest struct {
	ToSchool  string
	Recipient string // the receiving school's age public key
}

// ExportTransferBundle makes pupil pupilID's file into a bundle for the
// school the request names, signed with this school's key and encrypted to
// the recipient, and records it as sent, keeping the file the DSL
// downloads (SentBundle). It returns the record's id. The view of the file
// is audited as any view is.
func (db *DB) ExportTransferBundle(ctx context.Context, v safeguarding.Viewer, pupilID int64, req TransferRequest) (int64, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return 0, errNoSuchPupilFile
	}
	recipient, err := transfer.ParseRecipient(req.Recipient)
	if err != nil {
		return 0, safeguarding.Errorf(safeguarding.EINVALID, "%s", err.Error())
	}
	file, err := db.ChildFile(ctx, v, pupilID, 0)
	if err != nil {
		return 0, err
	}
	categories, err := db.Categories(ctx)
	if err != nil {
		return 0, err
	}
	indicators, err := db.Indicators(ctx)
	if err != nil {
		return 0, err
	}
	var sentID int64
	err = db.asViewer(ctx, v, func(tx pgx.Tx) error {
		keys, school, err := db.schoolKeys(ctx, tx, v)
		if err != nil {
			return err
		}
		var upn, bundleID string
		if err := tx.QueryRow(ctx, `SELECT coalesce(upn, ''), gen_random_uuid()::text FROM pupils WHERE school_id = $1 AND id = $2`,
			v.SchoolID, pupilID).Scan(&upn, &bundleID); err != nil {
			return notFound(err, "No such pupil")
		}
		src := safeguarding.BundleSource{File: file, UPN: upn, SchoolName: school, Categories: categories, Indicators: indicators,
			BundleID: bundleID, Nonce: transfer.NewNonce(), ToSchool: req.ToSchool, ToRecipient: recipient, MadeAt: db.now()}
		// Every other pupil is "another pupil" in a bundle, whoever made it.
		for i := range src.File.Concerns {
			src.File.Concerns[i].Pupils = make([]safeguarding.PupilRef, len(src.File.Concerns[i].Pupils))
		}
		b := safeguarding.NewTransferBundle(src)
		sealed, err := transfer.Seal(b, keys, recipient)
		if err != nil {
			return fmt.Errorf("seal the bundle: %w", err)
		}
		err = tx.QueryRow(ctx, `INSERT INTO file_transfers (school_id, pupil_id, outcome, to_school, to_recipient, bundle_id, receipt_nonce, bundle, recorded_at, recorded_by)
			VALUES ($1, $2, 'sent', $3, $4, $5, $6, $7, $8, $9) RETURNING id`, v.SchoolID, pupilID, req.ToSchool, recipient, b.BundleID,
			[]byte(b.ReceiptNonce), sealed, db.now(), v.PersonID).Scan(&sentID)
		if err != nil {
			return fmt.Errorf("record the bundle as sent: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_sent",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10), Detail: "bundle " + b.BundleID + " to " + req.ToSchool})
	})
	return sentID, err
}

// SentBundle is the file of a bundle the school sent about pupil pupilID,
// to download (again); the download is audited.
func (db *DB) SentBundle(ctx context.Context, v safeguarding.Viewer, pupilID, id int64) ([]byte, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return nil, errNoSuchPupilFile
	}
	var bundle []byte
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT bundle FROM file_transfers WHERE school_id = $1 AND pupil_id = $2 AND id = $3 AND bundle IS NOT NULL`,
			v.SchoolID, pupilID, id).Scan(&bundle)
		if err != nil {
			return notFound(err, "No such bundle")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_bundle_downloaded",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10), Detail: "transfer " + strconv.FormatInt(id, 10)})
	})
	return bundle, err
}

// TrustedSender is a school this school has received a file from, with
// the key that signed it: the receiving DSL may pick it again.
type TrustedSender struct {
	School string
	Key    ed25519.PublicKey
}

// TrustedSenders are the senders of the files this school has received.
func (db *DB) TrustedSenders(ctx context.Context, v safeguarding.Viewer) ([]TrustedSender, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return nil, errNotTransferrer
	}
	var out []TrustedSender
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT ON (sender_key) from_school, sender_key FROM received_files
			WHERE school_id = $1 ORDER BY sender_key, received_at DESC`, v.SchoolID)
		if err != nil {
			return fmt.Errorf("read the senders: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (TrustedSender, error) {
			var s TrustedSender
			var key []byte
			err := r.Scan(&s.School, &key)
			s.Key = key
			return s, err
		})
		return err
	})
	return out, err
}

// ImportTransferBundle opens a bundle sent to this school, checks it was
// signed by sender and is of a version Haven reads, and keeps it on the
// file of the pupil it is about: the pupil with its UPN, or a new pupil.
// All or nothing: a bundle refused leaves no row behind. It returns the
// received file's id.
func (db *DB) ImportTransferBundle(ctx context.Context, v safeguarding.Viewer, data []byte, sender ed25519.PublicKey) (int64, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return 0, errNotTransferrer
	}
	var id int64
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		keys, _, err := db.schoolKeys(ctx, tx, v)
		if err != nil {
			return err
		}
		b, signed, err := transfer.Open(data, keys.AgeIdentity, sender, keys.AgeRecipient)
		if err != nil {
			if errors.Is(err, transfer.ErrNotForThisSchool) || errors.Is(err, transfer.ErrDamaged) ||
				errors.Is(err, transfer.ErrWrongSigner) || errors.Is(err, transfer.ErrVersion) {
				return safeguarding.Errorf(safeguarding.EINVALID, "%s", err.Error())
			}
			return err
		}
		pupilID, err := db.pupilForBundle(ctx, tx, v, b.Pupil)
		if err != nil {
			return err
		}
		// The signed bytes and signature are kept as they were checked, so
		// `haven verify` can check them again (VerifyReceivedFiles).
		err = tx.QueryRow(ctx, `INSERT INTO received_files (school_id, pupil_id, bundle_id, from_school, sender_key, version, contents,
				signed_bundle, signature, received_at, received_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			v.SchoolID, pupilID, b.BundleID, b.FromSchool, []byte(sender), b.Version, string(signed.Bundle),
			signed.Bundle, signed.Signature, db.now(), v.PersonID).Scan(&id)
		if isUniqueViolation(err) {
			return safeguarding.Errorf(safeguarding.EINVALID, "This file has already been imported: it is on the pupil's file.")
		}
		if err != nil {
			return fmt.Errorf("keep the received file: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_received",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10), Detail: "bundle " + b.BundleID + " from " + b.FromSchool})
	})
	return id, err
}

// pupilForBundle is the pupil of this school a bundle is about: the one
// with its UPN, or a new pupil, off the roll until the roster brings them.
func (db *DB) pupilForBundle(ctx context.Context, tx pgx.Tx, v safeguarding.Viewer, p safeguarding.BundlePupil) (int64, error) {
	var id int64
	if p.UPN != "" {
		err := tx.QueryRow(ctx, `SELECT id FROM pupils WHERE school_id = $1 AND upn = $2`, v.SchoolID, p.UPN).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, fmt.Errorf("find the pupil by UPN: %w", err)
		}
	}
	born, err := time.Parse(time.DateOnly, p.DateOfBirth)
	if err != nil || p.FirstName == "" || p.LastName == "" {
		return 0, safeguarding.Errorf(safeguarding.EINVALID, "%s", transfer.ErrDamaged.Error())
	}
	year := min(max(p.YearGroup, 1), 14)
	err = tx.QueryRow(ctx, `INSERT INTO pupils (school_id, first_name, last_name, year_group, date_of_birth, upn)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')) RETURNING id`, v.SchoolID, p.FirstName, p.LastName, year, born, p.UPN).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add the pupil: %w", err)
	}
	return id, nil
}

// ReceivedFile returns received file id, as the DSL reads it, and audits
// the view.
func (db *DB) ReceivedFile(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.ReceivedFile, error) {
	var f safeguarding.ReceivedFile
	if !safeguarding.MayTransferFiles(v.Roles) {
		return f, errNotTransferrer
	}
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		files, err := readReceivedFiles(ctx, tx, `r.school_id = $1 AND r.id = $2`, v.SchoolID, id)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such file")
		}
		f = files[0]
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "view_received_file",
			Object: "pupil:" + strconv.FormatInt(f.PupilID, 10), Detail: "received file " + strconv.FormatInt(id, 10)})
	})
	return f, err
}

// ConfirmReceipt records that the DSL confirmed receipt of received file
// id and returns the signed receipt for the sending school. When the
// sending school is in this deployment its record is marked confirmed at
// once.
func (db *DB) ConfirmReceipt(ctx context.Context, v safeguarding.Viewer, id int64) (string, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return "", errNotTransferrer
	}
	var receipt string
	err := db.asViewer(ctx, v, func(tx pgx.Tx) error {
		keys, school, err := db.schoolKeys(ctx, tx, v)
		if err != nil {
			return err
		}
		files, err := readReceivedFiles(ctx, tx, `r.school_id = $1 AND r.id = $2`, v.SchoolID, id)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return safeguarding.Errorf(safeguarding.ENOTFOUND, "No such file")
		}
		f := files[0]
		if f.ConfirmedAt != nil {
			receipt = f.Receipt
			return nil
		}
		receipt, err = transfer.SignReceipt(transfer.Receipt{BundleID: f.BundleID, ReceiptNonce: f.Bundle.ReceiptNonce,
			School: school, ConfirmedAt: db.now().UTC()}, keys)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE received_files SET confirmed_at = $3, confirmed_by = $4, receipt = $5
			WHERE school_id = $1 AND id = $2`, v.SchoolID, id, db.now(), v.PersonID, receipt); err != nil {
			return fmt.Errorf("confirm receipt: %w", err)
		}
		var direct bool
		if err := tx.QueryRow(ctx, `SELECT haven_confirm_transfer_receipt($1, $2, $3, $4)`,
			f.BundleID, []byte(f.Bundle.ReceiptNonce), school, []byte(keys.SigningPublic)).Scan(&direct); err != nil {
			return fmt.Errorf("confirm receipt to the sender: %w", err)
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_receipt_confirmed",
			Object: "pupil:" + strconv.FormatInt(f.PupilID, 10), Detail: "bundle " + f.BundleID})
	})
	return receipt, err
}

// RecordReceipt records the receipt a receiving school gave for a bundle
// sent about pupil pupilID: it must be signed, and return the nonce only
// that bundle's reader knows.
func (db *DB) RecordReceipt(ctx context.Context, v safeguarding.Viewer, pupilID int64, text string) error {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return errNoSuchPupilFile
	}
	r, key, err := transfer.ReadReceipt(text)
	if err != nil {
		return safeguarding.Errorf(safeguarding.EINVALID, "%s", err.Error())
	}
	return db.asViewer(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE file_transfers SET receipt_confirmed_at = $5, receipt_school = $6, receipt_key = $7
			WHERE school_id = $1 AND pupil_id = $2 AND bundle_id::text = $3 AND receipt_nonce = $4`,
			v.SchoolID, pupilID, r.BundleID, []byte(r.ReceiptNonce), r.ConfirmedAt, r.School, []byte(key))
		if err != nil {
			return fmt.Errorf("record the receipt: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return safeguarding.Errorf(safeguarding.EINVALID, "This receipt is not for a file sent about this pupil.")
		}
		return audit(ctx, tx, safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: "transfer_receipt_recorded",
			Object: "pupil:" + strconv.FormatInt(pupilID, 10), Detail: "bundle " + r.BundleID + " by " + r.School})
	})
}

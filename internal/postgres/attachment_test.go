package postgres_test

import (
	"bytes"
	"image"
	"image/png"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// pngFile is a small, whole PNG image.
func pngFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pdfFile is a small, whole PDF.
var pdfFile = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")

func TestAttachments(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	concern := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"physical_abuse"}})
	count := func(t *testing.T) int {
		t.Helper()
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM concern_attachments`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	audited := func(t *testing.T, action string) int {
		t.Helper()
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	var letter int64
	t.Run("OK", func(t *testing.T) {
		id, err := s.db.AddAttachment(ctx, s.dsl, concern, safeguarding.AttachmentInput{FileName: `C:\scans\letter from CSC.pdf`,
			Description: "Letter from children's social care", Content: pdfFile})
		if err != nil {
			t.Fatal(err)
		}
		letter = id
		a, content, err := s.db.Attachment(ctx, s.dsl, concern, id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(content, pdfFile) || a.ContentType != safeguarding.TypePDF || a.FileName != "letter from CSC.pdf" ||
			a.Size != len(pdfFile) || a.UploaderName != "dsl" || a.Description != "Letter from children's social care" {
			t.Errorf("read back %+v, %d bytes", a, len(content))
		}
		rec, err := s.db.ConcernRecord(ctx, s.dsl, concern, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Attachments) != 1 || rec.Attachments[0].ID != id {
			t.Errorf("the concern lists %+v", rec.Attachments)
		}
		if audited(t, "add_attachment") != 1 || audited(t, "download_attachment") != 1 {
			t.Error("the upload and the download are not each audited once")
		}
	})

	t.Run("ImageNamedForAnotherType", func(t *testing.T) {
		// The content decides the type, and the name is made to match it.
		id, err := s.db.AddAttachment(ctx, s.staff1, concern, safeguarding.AttachmentInput{FileName: "note.pdf", Content: pngFile(t)})
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := s.db.Attachment(ctx, s.staff1, concern, id)
		if err != nil || a.ContentType != safeguarding.TypePNG || a.FileName != "note.pdf.png" {
			t.Errorf("read back %+v, %v", a, err)
		}
	})

	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 4096)...)
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 4096)...)
	for _, tc := range []struct {
		name    string
		file    string
		content []byte
	}{
		{"ErrWrongType", "notes.txt", []byte("Notes typed up after the meeting.\n")},
		{"ErrRenamedELF", "referral.pdf", elf},
		{"ErrRenamedPE", "scan.jpg", pe},
		{"ErrOnlyBeginsLikeAPDF", "letter.pdf", append([]byte("%PDF-1.7\n"), elf...)},
		{"ErrOnlyBeginsLikeAJPEG", "photo.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, elf...)},
		{"ErrTooLarge", "big.pdf", append(append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...), "%%EOF\n"...)},
		{"ErrEmpty", "empty.pdf", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, audits := count(t), audited(t, "add_attachment")
			_, err := s.db.AddAttachment(ctx, s.dsl, concern, safeguarding.AttachmentInput{FileName: tc.file, Content: tc.content})
			if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if count(t) != before || audited(t, "add_attachment") != audits {
				t.Error("a refused file left something behind")
			}
		})
	}

	t.Run("OnlyThoseWhoMaySeeTheConcern", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.staff2, s.chair, s.governor, s.admin} {
			if _, _, err := s.db.Attachment(ctx, v, concern, letter); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("person %d reads the DSL's file: err = %v, want ENOTFOUND", v.PersonID, err)
			}
			rec, _ := s.db.ConcernRecord(ctx, v, concern, nil)
			if slices.ContainsFunc(rec.Attachments, func(a safeguarding.Attachment) bool { return a.ID == letter }) {
				t.Errorf("person %d sees the DSL's file listed", v.PersonID)
			}
		}
		for _, v := range []safeguarding.Viewer{s.deputy, s.principal} {
			if _, _, err := s.db.Attachment(ctx, v, concern, letter); err != nil {
				t.Errorf("person %d cannot read the file: %v", v.PersonID, err)
			}
		}
		// The file is found only under its own concern.
		other := logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{PupilIDs: []int64{s.tom}, Categories: []string{"neglect"}})
		if _, _, err := s.db.Attachment(ctx, s.dsl, other, letter); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("the file read under another concern: err = %v", err)
		}
	})

	t.Run("ErrNotAllowedToAdd", func(t *testing.T) {
		before := count(t)
		for _, v := range []safeguarding.Viewer{s.staff2, s.principal, s.governor, s.admin} {
			if _, err := s.db.AddAttachment(ctx, v, concern, safeguarding.AttachmentInput{FileName: "a.pdf", Content: pdfFile}); err == nil {
				t.Errorf("person %d added a file", v.PersonID)
			}
		}
		if count(t) != before {
			t.Error("a refused upload left a file")
		}
	})

	t.Run("ErrEntryOfAnotherConcern", func(t *testing.T) {
		other := logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{PupilIDs: []int64{s.tom}, Categories: []string{"neglect"}})
		var entry int64
		if err := s.owner.QueryRow(ctx, `SELECT id FROM chronology_entries WHERE concern_id = $1`, other).Scan(&entry); err != nil {
			t.Fatal(err)
		}
		before := count(t)
		_, err := s.db.AddAttachment(ctx, s.dsl, concern, safeguarding.AttachmentInput{FileName: "a.pdf", EntryID: entry, Content: pdfFile})
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID || count(t) != before {
			t.Errorf("err = %v, %d files before and %d after", err, before, count(t))
		}
	})

	t.Run("AppendOnly", func(t *testing.T) {
		err := asViewerTx(t, s.db, s.dsl, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE concern_attachments SET description = 'changed'`)
			return err
		})
		if err == nil {
			t.Error("the app changed a file")
		}
		err = asViewerTx(t, s.db, s.dsl, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `DELETE FROM concern_attachments`)
			return err
		})
		if err == nil {
			t.Error("the app deleted a file")
		}
	})
}

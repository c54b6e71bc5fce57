package safeguarding

import (
	"bytes"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"time"
	"unicode"
)

// An attachment is a file kept with a concern: a scan of a handwritten
// note, a letter, a referral form. Only PDF, PNG and JPEG are kept, at most
// MaxAttachmentBytes each, and the type is read from the file's content,
// never from its name or the type the browser claimed.

// MaxAttachmentBytes is the largest file a concern keeps: 10 MB.
const MaxAttachmentBytes = 10 << 20

// The types of file a concern keeps.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
)

// Attachment is a file kept with a concern, without its content.
type Attachment struct {
	SchoolID     int64
	ID           int64
	ConcernID    int64
	EntryID      int64 // the chronology entry it belongs with; 0 for the concern as a whole
	FileName     string
	ContentType  string
	Description  string
	Size         int
	SHA256       []byte
	UploadedBy   int64
	UploaderName string
	UploadedAt   time.Time
}

// AttachmentInput is a file as a person uploads it.
type AttachmentInput struct {
	FileName    string
	Description string
	EntryID     int64
	Content     []byte
}

// TypeLabel is the file's type in words.
func TypeLabel(contentType string) string {
	switch contentType {
	case TypePDF:
		return "PDF"
	case TypePNG:
		return "PNG image"
	case TypeJPEG:
		return "JPEG image"
	}
	return contentType
}

// CheckAttachment reads what content is: its type, or a problem (one
// sentence for the person who chose the file) when it is empty, too large,
// or not a whole PDF, PNG or JPEG. The first bytes name the type and a
// structural check confirms it, so an executable renamed .pdf, or a file
// that only begins like an image, is refused.
func CheckAttachment(content []byte) (contentType, problem string) {
	switch {
	case len(content) == 0:
		return "", "The selected file is empty"
	case len(content) > MaxAttachmentBytes:
		return "", "The file must be 10 MB or smaller"
	}
	notWhole := "The file must be a PDF, PNG or JPEG: this one is not, or is damaged"
	switch {
	case bytes.HasPrefix(content, []byte("%PDF-")):
		// A PDF ends with its end-of-file marker, within the last kilobyte
		// (trailing whitespace or a line ending may follow it).
		if !bytes.Contains(content[max(0, len(content)-1024):], []byte("%%EOF")) {
			return "", notWhole
		}
		return TypePDF, ""
	case bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		if _, err := png.DecodeConfig(bytes.NewReader(content)); err != nil ||
			!bytes.Contains(content[max(0, len(content)-64):], []byte("IEND")) {
			return "", notWhole
		}
		return TypePNG, ""
	case bytes.HasPrefix(content, []byte{0xFF, 0xD8, 0xFF}):
		if _, err := jpeg.DecodeConfig(bytes.NewReader(content)); err != nil {
			return "", notWhole
		}
		return TypeJPEG, ""
	}
	return "", "The file must be a PDF, PNG or JPEG"
}

// AttachmentFileName is a safe name to keep and offer a file under: the
// last part of name as the browser gave it, without control or direction
// characters, at most 100 characters, and ending in the extension of the
// type its content is, whatever name it came with.
func AttachmentFileName(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if strings.Trim(name, ". ") == "" {
		name = ""
	}
	ext := map[string]string{TypePDF: ".pdf", TypePNG: ".png", TypeJPEG: ".jpg"}[contentType]
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ext) && !(contentType == TypeJPEG && strings.HasSuffix(lower, ".jpeg")) {
		name += ext
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	if strings.TrimSuffix(name, ext) == "" {
		name = "attachment" + ext
	}
	return name
}

// MayAttach reports whether v may add a file to concern c: those who may
// add to its chronology, its case handlers and the member of staff who
// logged it. concern_attachments_insert in access.sql is the same rule.
func MayAttach(v Viewer, c ConcernAccess) bool { return Can(v, c, ActionAddEntry) }

// MaySeeAttachment reports whether v may see and download a file added to
// concern c by uploadedBy: whoever reads the whole record, and the member
// of staff who logged the concern the files they added themselves, as with
// the chronology (SeesFullRecord). concern_attachments_read in access.sql is
// the same rule.
func MaySeeAttachment(v Viewer, c ConcernAccess, uploadedBy int64) bool {
	return SeesFullRecord(v, c) || (Can(v, c, ActionView) && c.LoggedBy == v.PersonID && uploadedBy == v.PersonID)
}

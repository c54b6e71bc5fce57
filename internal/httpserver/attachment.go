package httpserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// attachmentStore keeps files with concerns and hands them back.
type attachmentStore interface {
	AddAttachment(ctx context.Context, v safeguarding.Viewer, concernID int64, in safeguarding.AttachmentInput) (int64, error)
	Attachment(ctx context.Context, v safeguarding.Viewer, concernID, id int64) (safeguarding.Attachment, []byte, error)
}

// maxAttachmentPost bounds a posted attachment: the largest file kept,
// with room for the form around it and for a file a little too large to
// arrive whole, so that it is refused with a message by its field rather
// than cut off.
const maxAttachmentPost = safeguarding.MaxAttachmentBytes + 2<<20

// maxAttachmentDescription bounds what the form says a file is.
const maxAttachmentDescription = 2000

// isAttachmentPost reports whether path is the one address that takes a
// posted file of up to 10 MB (readForm allows it the larger body).
func isAttachmentPost(path string) bool {
	rest, ok := strings.CutPrefix(path, "/concerns/")
	if !ok {
		return false
	}
	id, ok := strings.CutSuffix(rest, "/attachments")
	return ok && pathID(id) != 0
}

// attachmentUpload is the attachment form as posted.
type attachmentUpload struct {
	Description, Entry string
	FileName           string
	Content            []byte
}

// readAttachmentUpload reads the attachment form part by part, so that a
// file too large is noticed as it arrives, without keeping it, and what
// was typed before it (the form puts the file last) is kept. problem says
// what is wrong with the file, "" if nothing is.
func readAttachmentUpload(r *http.Request) (up attachmentUpload, problem string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return up, "Choose a file to add"
	}
	// Whatever is left unread is drained, within readForm's limit, so that
	// the browser hears the answer rather than a closed connection.
	defer io.Copy(io.Discard, r.Body)
	sawFile := false
	for {
		part, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			if !sawFile {
				return up, "Choose a file to add"
			}
			return up, problem
		case errors.As(err, &tooBig):
			return up, "The file must be 10 MB or smaller"
		case err != nil:
			return up, "The file did not arrive whole: choose it again"
		}
		switch part.FormName() {
		case "description":
			up.Description = readField(part, 4*maxAttachmentDescription)
		case "entry":
			up.Entry = readField(part, 32)
		case "file":
			sawFile = true
			up.FileName = part.FileName()
			up.Content, err = io.ReadAll(io.LimitReader(part, safeguarding.MaxAttachmentBytes+1))
			switch {
			case errors.As(err, &tooBig) || len(up.Content) > safeguarding.MaxAttachmentBytes:
				up.Content = nil
				return up, "The file must be 10 MB or smaller"
			case err != nil:
				up.Content = nil
				return up, "The file did not arrive whole: choose it again"
			case up.FileName == "" && len(up.Content) == 0:
				problem = "Choose a file to add"
			default:
				_, problem = safeguarding.CheckAttachment(up.Content)
			}
		}
	}
}

// readField reads a text field of a multipart form, at most limit bytes,
// cleaned of what no one can type.
func readField(part io.Reader, limit int64) string {
	b, _ := io.ReadAll(io.LimitReader(part, limit))
	return cleanText(string(b))
}

// addAttachment keeps a file with the concern. A file refused (its type,
// its size) keeps nothing, and the form comes back (422) with the message
// by the file field and what was typed kept.
func (s *Server) addAttachment(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	ctx := r.Context()
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	up, problem := readAttachmentUpload(r)
	var form Form
	form.Check(problem == "", web.AttachmentFileField, problem)
	description := strings.TrimSpace(up.Description)
	form.Check(MaxChars(description, maxAttachmentDescription), web.AttachmentDescriptionField,
		"Shorten this to "+strconv.Itoa(maxAttachmentDescription)+" characters or fewer")
	if form.Valid() {
		_, err := s.db.AddAttachment(ctx, v, id, safeguarding.AttachmentInput{FileName: up.FileName, Description: description,
			EntryID: pathID(up.Entry), Content: up.Content})
		switch safeguarding.ErrorCode(err) {
		case "":
			s.sessions.Put(ctx, concernBannerKey(id), "File added")
			http.Redirect(w, r, "/concerns/"+strconv.FormatInt(id, 10)+"#attachments", http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			// An entry not of this concern: the file itself was checked above.
			form.Check(false, web.AttachmentEntryField, safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	view, _, err := s.concernRecordView(ctx, v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Attach == nil {
		renderError(w, r, http.StatusNotFound)
		return
	}
	view.Errors, view.Attach.Description, view.Attach.Entry = form.Errors, up.Description, up.Entry
	s.render(w, r, http.StatusUnprocessableEntity, web.ConcernPage(page(r, view.Title()), view))
}

// downloadAttachment hands back a file kept with a concern, to those who
// may see it, always as a download of the type its content was found to be,
// never to be shown or sniffed by the browser.
func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	concernID, id := pathID(chi.URLParam(r, "id")), pathID(chi.URLParam(r, "file"))
	if concernID == 0 || id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	a, content, err := s.db.Attachment(r.Context(), v, concernID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": a.FileName})
	if disposition == "" {
		disposition = "attachment"
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(content)
}

// attachmentRows are the files of a concern that v may see, as its page
// lists them, each with the entry it goes with (items: the page's
// chronology).
func attachmentRows(v safeguarding.Viewer, c safeguarding.Concern, files []safeguarding.Attachment, items []web.ChronologyItem) []web.AttachmentRow {
	var rows []web.AttachmentRow
	for _, a := range files {
		if !safeguarding.MaySeeAttachment(v, c.Access(), a.UploadedBy) {
			continue
		}
		row := web.AttachmentRow{Name: a.FileName,
			Href: "/concerns/" + strconv.FormatInt(c.ID, 10) + "/attachments/" + strconv.FormatInt(a.ID, 10),
			Type: safeguarding.TypeLabel(a.ContentType), Size: fileSize(a.Size), By: a.UploaderName, At: longDateTime(a.UploadedAt),
			Description: a.Description}
		for _, it := range items {
			if a.EntryID != 0 && it.Anchor == entryAnchor(a.EntryID) {
				row.Entry = &web.EntryRef{Number: it.Number, Anchor: it.Anchor}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// fileSize is a size in bytes in words: "340 KB", "2.1 MB".
func fileSize(n int) string {
	switch {
	case n < 1<<10:
		return strconv.Itoa(n) + " bytes"
	case n < 1<<20:
		return strconv.Itoa((n+1<<9)>>10) + " KB"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

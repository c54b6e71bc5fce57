package httpserver

// The roster import: the administrator uploads a pupil or staff CSV from
// the school's MIS, sees what it would change (or every problem it has),
// and imports it all or nothing. The file travels from the preview to the
// import in the form itself, base64-encoded, and is read and checked again
// there: nothing is kept on the server between the two, so there is
// nothing to expire or clean up, and a tampered form is only another file.

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// rosterImportStore plans and applies roster imports.
type rosterImportStore interface {
	ImportPupils(ctx context.Context, v safeguarding.Viewer, pupils []roster.Pupil, apply bool, address string) (roster.PupilPlan, error)
	ImportStaff(ctx context.Context, v safeguarding.Viewer, staff []roster.StaffMember, apply bool, address string) (roster.StaffPlan, []roster.Problem, error)
}

// maxImportBytes bounds a posted import: a file of roster.MaxFileBytes
// base64-encoded in the import form, or uploaded with the form's other
// fields, with room to spare. A bigger upload is refused with a message.
const maxImportBytes = roster.MaxFileBytes/3*4 + 64<<10

// importer is the signed-in person if they may import the roster; to
// anyone else the pages do not exist.
func (s *Server) importer(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayImportRoster(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// importForm shows the upload form; ?kind=staff chooses staff.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.importer(w, r); !ok {
		return
	}
	kind := r.URL.Query().Get("kind")
	if kind != "pupils" && kind != "staff" {
		kind = ""
	}
	s.renderImportForm(w, r, http.StatusOK, web.ImportForm{Kind: kind})
}

// previewImport reads an uploaded file and shows what importing it would
// change, or every problem it has.
func (s *Server) previewImport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.importer(w, r)
	if !ok {
		return
	}
	data, name, form := readUpload(r)
	kind := ""
	if r.MultipartForm != nil {
		kind = r.PostFormValue("kind")
	}
	if kind != "pupils" && kind != "staff" {
		kind = ""
		form.Errors = append(web.Errors{{Field: "kind", Message: "Select whether you are importing pupils or staff"}}, form.Errors...)
	}
	if !form.Valid() {
		s.renderImportForm(w, r, http.StatusUnprocessableEntity, web.ImportForm{Kind: kind, Errors: form.Errors})
		return
	}
	s.runImport(w, r, v, kind, name, data, false)
}

// uploadedFile reads the posted file and its name, as the browser gave it.
func uploadedFile(r *http.Request) ([]byte, string, error) {
	f, h, err := r.FormFile("file")
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, roster.MaxFileBytes+1))
	return data, fileName(h.Filename), err
}

// fileName is the last part of a posted file's name, cleaned and kept short.
func fileName(s string) string {
	s = cleanText(filepath.Base(filepath.ToSlash(s)))
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	if s == "." || s == "/" {
		return ""
	}
	return s
}

// applyImport imports the file the preview carried in its form.
func (s *Server) applyImport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.importer(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	kind := vals.Get("kind")
	data, err := base64.RawURLEncoding.DecodeString(r.PostForm.Get("content"))
	if (kind != "pupils" && kind != "staff") || err != nil || len(data) == 0 {
		s.renderImportForm(w, r, http.StatusUnprocessableEntity, web.ImportForm{Kind: kind,
			Errors: web.Errors{{Field: "file", Message: "Upload the file again: the import did not receive it whole"}}})
		return
	}
	s.runImport(w, r, v, kind, fileName(vals.Get("file-name")), data, true)
}

// runImport reads data as a roster of kind and previews or applies it,
// showing the file's problems instead when it has any.
func (s *Server) runImport(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, kind, name string, data []byte, apply bool) {
	var summary roster.Summary
	var problems []roster.Problem
	what := "pupils"
	switch kind {
	case "pupils":
		var pupils []roster.Pupil
		if pupils, problems = roster.ParsePupils(data); len(problems) == 0 {
			plan, err := s.db.ImportPupils(r.Context(), v, pupils, apply, clientAddress(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			summary = plan.Summary(apply)
		}
	case "staff":
		what = "staff"
		var staff []roster.StaffMember
		if staff, problems = roster.ParseStaff(data); len(problems) == 0 {
			plan, ps, err := s.db.ImportStaff(r.Context(), v, staff, apply, clientAddress(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			problems, summary = ps, plan.Summary(apply)
		}
	}
	if name == "" {
		name = "the file"
	}
	if len(problems) > 0 {
		f := web.ImportForm{Kind: kind, FileName: name}
		for _, p := range problems {
			f.Problems = append(f.Problems, web.ImportProblem{Where: p.Where(), Message: p.Message})
		}
		msg := name + " has " + strconv.Itoa(len(problems)) + " problems: fix them and upload it again"
		if len(problems) == 1 {
			msg = name + " has a problem: fix it and upload it again"
		}
		f.Errors = web.Errors{{Field: "file", Message: msg}}
		s.renderImportForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	preview := web.ImportPreview{Kind: kind, What: what, FileName: name, Notes: summary.Notes, Done: apply}
	for _, c := range summary.Counts {
		preview.Counts = append(preview.Counts, web.SummaryRow{Key: c.Label, Value: strconv.Itoa(c.N)})
	}
	title := "Check the import"
	if apply {
		title = "Import complete"
	} else {
		preview.Content = base64.RawURLEncoding.EncodeToString(data)
	}
	s.render(w, r, http.StatusOK, web.ImportPreviewPage(page(r, title), preview))
}

// renderImportForm shows the upload form with the guide to its columns.
func (s *Server) renderImportForm(w http.ResponseWriter, r *http.Request, status int, f web.ImportForm) {
	f.PupilColumns, f.StaffColumns = importColumns(roster.PupilColumns()), importColumns(roster.StaffColumns())
	s.render(w, r, status, web.ImportPage(page(r, "Import the roster"), f))
}

func importColumns(cs []roster.Column) []web.ImportColumn {
	out := make([]web.ImportColumn, len(cs))
	for i, c := range cs {
		label := c.Label
		if first, size := utf8.DecodeRuneInString(label); size > 0 && label != "UPN" && label != "SEND flag" {
			label = string(unicode.ToUpper(first)) + label[size:]
		}
		out[i] = web.ImportColumn{Label: label, Names: strings.Join(c.Names, ", "), Required: c.Required}
	}
	return out
}

// readUpload reads the CSV file a multipart form uploaded as "file", with
// a message by the field when there is none, it is empty, or it is larger
// than roster.MaxFileBytes.
func readUpload(r *http.Request) (data []byte, name string, form Form) {
	err := r.ParseMultipartForm(1 << 20)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		form.Check(false, "file", "The file must be smaller than 5 MB")
	case err != nil:
		form.Check(false, "file", "Select a CSV file to upload")
	default:
		data, name, err = uploadedFile(r)
		switch {
		case errors.As(err, &tooBig) || len(data) > roster.MaxFileBytes:
			form.Check(false, "file", "The file must be smaller than 5 MB")
		case err != nil || name == "":
			form.Check(false, "file", "Select a CSV file to upload")
		case len(data) == 0:
			form.Check(false, "file", "The selected file is empty")
		}
	}
	return data, name, form
}

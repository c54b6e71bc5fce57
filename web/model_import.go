package web

// The administrator's roster import: the upload form, the preview and the
// result.
const (
	SettingsImportPath        = "/settings/import"
	SettingsImportPreviewPath = "/settings/import/preview"
)

// ImportForm is the upload form, with the problems of the last file sent.
type ImportForm struct {
	Kind     string // "pupils" or "staff"; "" until chosen
	Errors   Errors
	FileName string          // the file whose Problems are listed
	Problems []ImportProblem // every problem of that file, in line order
	// PupilColumns and StaffColumns are the columns Haven reads, for the
	// page's guide to exporting.
	PupilColumns, StaffColumns []ImportColumn
}

// ImportColumn is one column a roster file may have.
type ImportColumn struct {
	Label    string // "Date of birth"
	Names    string // the header names read for it: "Date of Birth, DOB, …"
	Required bool
}

// ImportProblem is one problem of a file, ready to show.
type ImportProblem struct {
	Where   string // "Line 3, column “DOB”, found “31/02/2012”"; "" for the file as a whole
	Message string
}

// ImportPreview is what an import would do (the preview, with the button
// that applies it) or did (Done).
type ImportPreview struct {
	Kind     string // "pupils" or "staff"
	What     string // "pupils", "staff"
	FileName string
	// Content is the file, base64 (URL alphabet, no padding), carried in
	// the form to the import, which reads and checks it again.
	Content string
	Counts  []SummaryRow
	Notes   []string
	Done    bool
}

// Title is the column's label, marked when the file must have it.
func (c ImportColumn) Title() string {
	if c.Required {
		return c.Label + " (required)"
	}
	return c.Label
}

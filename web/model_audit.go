package web

// PupilSearchPath is the header's pupil search (docs/search.md).
const PupilSearchPath = "/pupils/search"

// AuditPath is the audit page (docs/audit-log.md).
const AuditPath = "/audit"

// PupilSearch is the result page of the header's pupil search.
type PupilSearch struct {
	Query   string
	Heading string // "3 pupils found"
	Results []PupilResult
	More    bool // more pupils matched than are listed
}

// PupilResult is one pupil found.
type PupilResult struct {
	Href, Name string
	Details    string // year group, registration group, date of birth
	UPN        string
	Left       bool
}

// AuditPage is a page of the audit log, as one viewer may read it.
type AuditPage struct {
	Heading string
	Intro   string
	// Children says the page lists who viewed or changed children's files
	// and concerns (the DSL's page), so it has the pupil filter and the
	// "About" column.
	Children bool
	Errors   Errors
	Person   SelectField
	Pupil    Input
	From, To DateFields
	Filtered bool
	Rows     []AuditRow
	PrevHref string
	NextHref string
	// PageNumber is "Page 2" on any page after the first.
	PageNumber string
}

// AuditRow is one line of the audit page.
type AuditRow struct {
	When      string
	Who       string
	What      string
	About     string
	AboutHref string
	Detail    string
	Address   string
}

// FileView is one opening of a pupil's file, for the file's "who has
// opened it" list.
type FileView struct {
	When, Who string
}

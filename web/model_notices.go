package web

import "strconv"

// NoticesPath lists the signed-in person's notices; NoticesReadPath marks
// them all read.
const (
	NoticesPath     = "/notices"
	NoticesReadPath = "/notices/read"
)

// SettingsEscalationPath is the page on which the DSL or the administrator
// sets when unacknowledged concerns are escalated.
const SettingsEscalationPath = "/settings/escalation"

// NoticesView is the notices page: the newest first.
type NoticesView struct {
	Notices []NoticeRow
	Unread  int
	Marked  bool // all were just marked read
}

// NoticeRow is one notice. Href is its concern's page, and "" when the
// reader may not see the concern or it is about none.
type NoticeRow struct {
	Message, When, Href string
	Unread              bool
}

// noticesLinkText is the header's link to the notices, with the unread
// count when there are any.
func noticesLinkText(unread int) string {
	switch unread {
	case 0:
		return "Notices"
	case 1:
		return "Notices (1 unread)"
	}
	return "Notices (" + strconv.Itoa(unread) + " unread)"
}

// EscalationForm is the escalation settings page, with the values exactly
// as typed.
type EscalationForm struct {
	UrgentMinutes string
	OthersHour    string
	ViceChairs    []Option // the governors, and "none"
	Errors        Errors
	Saved         bool
	LastChanged   string
}

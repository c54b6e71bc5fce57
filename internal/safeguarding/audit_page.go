package safeguarding

import (
	"strings"
	"time"
)

// AuditPageSize is how many lines a page of the audit page shows.
const AuditPageSize = 50

// AuditFilter narrows the audit page. Zero fields filter nothing.
type AuditFilter struct {
	PersonID int64     // who did it
	Pupil    string    // the pupil it was about: a name, UPN or registration group, as FindPupils reads it
	PupilID  int64     // the pupil it was about, by id (a pupil's file links here)
	From, To time.Time // days (midnight UTC), inclusive, in England's time
	Page     int       // from 0
}

// AuditLine is one audit row as the audit page shows it.
type AuditLine struct {
	ID        int64
	At        time.Time
	ActorID   int64
	Actor     string // "" when the row names nobody
	Action    string
	Kind      AuditKind
	PupilID   int64  // when the row is about a pupil's file
	Pupil     string // that pupil's name
	ConcernID int64  // when the row is about a concern
	Address   string
	Detail    string
}

// AuditLog is a page of the audit log, as one viewer may read it.
type AuditLog struct {
	Kinds  []AuditKind // what the viewer reads: AuditKindsFor
	Lines  []AuditLine // newest first
	More   bool        // a further page exists
	People []PersonName
}

// PersonName is a person of the school, for a filter's choices.
type PersonName struct {
	ID   int64
	Name string
}

// AuditActionLabels say what each action is, in words.
var auditActionLabels = map[string]string{
	"view_child_file":           "Viewed the child's file",
	"view_concern":              "Viewed the concern",
	"log_concern":               "Logged the concern",
	"add_entry":                 "Added to the chronology",
	"move_concern":              "Moved the concern",
	"record_parts":              "Recorded each pupil's part",
	"denied_child_file":         "Asked for the child's file and was refused",
	"denied_concern":            "Asked for the concern and was refused",
	"sign_in":                   "Signed in",
	"sign_out":                  "Signed out",
	"sign_in_failed":            "Failed to sign in",
	"account_locked":            "Account locked",
	"account_unlocked":          "Account unlocked",
	"password_changed":          "Changed their password",
	"password_reset":            "Reset their password",
	"invited":                   "Invited",
	"invitation_accepted":       "Accepted the invitation",
	"roles_changed":             "Roles changed",
	"deactivated":               "Deactivated",
	"reactivated":               "Reactivated",
	"second_factor_enrolled":    "Set up two-factor sign-in",
	"second_factor_reset":       "Two-factor sign-in reset",
	"recovery_code_used":        "Used a recovery code",
	"sign_in_refused_locked":    "Refused sign-in: account locked",
	"sign_in_refused_throttled": "Refused sign-in: too many attempts",
}

// AuditActionLabel says what an audit row's action is, in words.
func AuditActionLabel(action string) string {
	if l, ok := auditActionLabels[action]; ok {
		return l
	}
	l := strings.ReplaceAll(action, "_", " ")
	if l == "" {
		return ""
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// FoundPupil is a pupil as the header's search lists them.
type FoundPupil struct {
	PupilMatch
	UPN  string // "" when the roster gives none
	Left bool   // no longer on the roster: their file stays
}

// PupilSearchLimit is the most pupils a search lists.
const PupilSearchLimit = 50

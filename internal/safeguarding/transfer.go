package safeguarding

import (
	"strings"
	"time"
)

// A child-protection file follows the child to their new school within 5
// school days of their leaving, separately from the main pupil file, and
// the new school confirms receipt (KCSIE; DESIGN.md "Referrals and
// deadlines"; docs/transfer.md).

// TransferWorkingDays is how many working days after a pupil leaves their
// child-protection file must be with the new school.
const TransferWorkingDays = 5

// TransferDue is the day by which the file of a pupil who left on leftOn
// must be transferred, counted on the school's calendar.
func TransferDue(cal Calendar, leftOn time.Time) time.Time {
	return cal.DueOn(DeadlineTransfer, leftOn)
}

// MayTransferFiles reports whether a person with roles rs may transfer a
// child's file to another school, receive one, see the school's transfer
// keys and mark a pupil as left: the DSL, and so a deputy (DESIGN.md "Who
// uses it": "export and transfer a child's file").
func MayTransferFiles(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL)
}

// MayWritePupils reports whether a person with roles rs may add or change
// a pupil: the administrator who imports the roster, and the DSL and
// deputies, who mark a pupil as left and add the pupil a transferred file
// brings.
func MayWritePupils(rs Roles) bool {
	return MayImportRoster(rs) || MayTransferFiles(rs)
}

// TransferOutcome is what became of a leaver's file.
type TransferOutcome string

const (
	TransferSent      TransferOutcome = "sent"       // a bundle was made for the new school
	TransferNotNeeded TransferOutcome = "not_needed" // recorded as not needed, with the reason
)

// TransferToDo is a pupil who left with a child-protection file that has
// been neither sent nor recorded as not needed.
type TransferToDo struct {
	Pupil  PupilRef
	LeftOn time.Time
	Due    time.Time // TransferDue
}

// SentFile is one record of the sending side: a bundle made for a school,
// or the file recorded as not needed.
type SentFile struct {
	ID             int64
	Outcome        TransferOutcome
	ToSchool       string // the school the DSL named
	ToRecipient    string // the age public key it was encrypted to
	Reason         string // why it was not needed
	BundleID       string
	RecordedAt     time.Time
	RecordedByName string
	// ReceiptConfirmedAt is when the receiving school's receipt was
	// recorded; nil until then.
	ReceiptConfirmedAt *time.Time
	ReceiptSchool      string
}

// ReceivedFile is a file another school sent, as its bundle held it: read
// only, kept apart from this school's own concerns.
type ReceivedFile struct {
	ID             int64
	PupilID        int64
	BundleID       string
	FromSchool     string
	SenderKey      []byte // the Ed25519 public key that signed it
	ReceivedAt     time.Time
	ReceivedByName string
	ConfirmedAt    *time.Time
	Receipt        string // the signed receipt, once confirmed
	Bundle         TransferBundle
	// SignedKept is whether the bundle is kept as it was signed, for
	// `haven verify` to check again; files imported before Haven kept it
	// have only their contents.
	SignedKept bool
}

// PupilTransfers is where a pupil's file stands as to transfer.
type PupilTransfers struct {
	Pupil   PupilRef
	UPN     string
	LeftOn  time.Time // zero while they are on the roll
	Due     time.Time // TransferDue, when they left
	HasFile bool      // they have at least one concern on a child's file
	Sent    []SentFile
	// Received are the files other schools sent about the pupil.
	Received []ReceivedFile
}

// Done reports whether nothing more is asked of the DSL: the file was
// sent or recorded as not needed, or there is no file to send.
func (p PupilTransfers) Done() bool {
	return !p.HasFile || len(p.Sent) > 0
}

// NotNeededProblems says what is wrong with a reason given for not
// transferring a file.
func NotNeededProblems(reason string) FieldProblems {
	p := FieldProblems{}
	switch r := strings.TrimSpace(reason); {
	case r == "":
		p["reason"] = "Enter why the file does not need to be transferred"
	case len(r) > 2000:
		p["reason"] = "The reason must be 2,000 characters or fewer"
	}
	return p
}

// LeftOnProblems says what is wrong with the day a pupil is marked as
// having left, given today.
func LeftOnProblems(day, today time.Time) FieldProblems {
	p := FieldProblems{}
	switch {
	case day.IsZero():
		p["left-on"] = "Enter the day the pupil left, for example 27 3 2026"
	case day.After(dateOnly(today)):
		p["left-on"] = "The day the pupil left must be today or in the past"
	}
	return p
}

package safeguarding

import "time"

// MayExportChildFile reports whether a person with roles rs may export a
// child's whole child-protection file (as a PDF for people, or to another
// school): the DSL, and so a deputy (DESIGN.md "Who uses it"). Nobody else,
// whatever else they may read: an export leaves Haven's access rule behind.
func MayExportChildFile(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL)
}

// MayReviewRetention reports whether a person with roles rs may see the
// files whose retention date has passed and take part in destroying one:
// the DSL (and so a deputy), who proposes or confirms, and the principal,
// the second person a destruction needs.
func MayReviewRetention(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL, RolePrincipal)
}

// RetentionYears is how long a child-protection file is kept after the
// child's date of birth before it is reviewed (IRMS toolkit).
const RetentionYears = 25

// RetainUntil is the day a child's file is due for review: their date of
// birth plus RetentionYears. Someone born on 29 February is due on 1 March
// when the year is not a leap year.
func RetainUntil(born time.Time) time.Time {
	return born.AddDate(RetentionYears, 0, 0)
}

// DestructionApproval is one person's agreement that a child's file be
// destroyed: who, with the roles they held when they agreed.
type DestructionApproval struct {
	PersonID int64
	Roles    Roles
}

// DestructionAgreed reports whether approvals are enough to destroy a
// file: two different people, one of them the DSL (or a deputy) and the
// other the principal, in either order. One person alone never is, even
// one who holds both roles.
func DestructionAgreed(approvals []DestructionApproval) bool {
	for _, a := range approvals {
		for _, b := range approvals {
			if a.PersonID != b.PersonID && a.Roles.Has(RoleDSL, RoleDeputyDSL) && b.Roles.Has(RolePrincipal) {
				return true
			}
		}
	}
	return false
}

// RetentionReview is a child's file whose retention date has come, listed
// by the nightly job for the DSL to review, with who has agreed so far to
// destroy it.
type RetentionReview struct {
	Pupil       PupilRef
	DateOfBirth time.Time
	RetainUntil time.Time // RetainUntil(DateOfBirth)
	ListedOn    time.Time
	Agreements  []DestructionAgreement // oldest first
}

// DestructionAgreement is one person's recorded agreement to destroy a
// file, with their reason.
type DestructionAgreement struct {
	PersonID   int64
	PersonName string
	Reason     string
	At         time.Time
}

// DestroyedFile is all that is left of a destroyed child's file: that it
// existed, when it was destroyed, and by whom.
type DestroyedFile struct {
	ID          int64
	DestroyedAt time.Time
	ProposedBy  string
	ConfirmedBy string
}

// Retention is the retention page: the files due for review and those
// destroyed.
type Retention struct {
	Due       []RetentionReview // by retention date, oldest first
	Destroyed []DestroyedFile   // newest first
}

// DestructionReasonMax bounds a reason as stored.
const DestructionReasonMax = 2000

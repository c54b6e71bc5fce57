package safeguarding

import "strings"

// AuditKind is what an audit row is about, which decides who may read it
// (docs/audit-log.md). PostgreSQL decides the same with haven_audit_kind
// and haven_may_read_audit (migrations/rules/access.sql).
type AuditKind string

const (
	// AuditChildren rows are about a child's file or a concern: who
	// viewed, logged, added to or moved them (object "pupil:N" or
	// "concern:N").
	AuditChildren AuditKind = "children"
	// AuditAccounts rows are sign-ins and changes to people's accounts
	// (object "person" or "person:N").
	AuditAccounts AuditKind = "accounts"
	// AuditSchool rows are everything else (queue views, policies, roster
	// imports, contacts): the log keeps them, and only `haven verify` and
	// the person who did it read them.
	AuditSchool AuditKind = "school"
)

// AuditKindOf says what the audit row with the given object is about.
func AuditKindOf(object string) AuditKind {
	switch {
	case strings.HasPrefix(object, "pupil:"), strings.HasPrefix(object, "concern:"):
		return AuditChildren
	case object == "person", strings.HasPrefix(object, "person:"):
		return AuditAccounts
	}
	return AuditSchool
}

// AllAuditKinds lists every kind, for tests that must cover them all.
var AllAuditKinds = []AuditKind{AuditChildren, AuditAccounts, AuditSchool}

// MayReadAudit reports whether a person with roles rs may read audit rows
// of kind k made by others: the DSL and deputies (who may do everything a
// DSL may) read who looked at or changed children's files and concerns,
// and of those only the rows about concerns they may see, so that no
// safeguarding lead learns of a concern about themselves; the
// administrator reads sign-ins and account changes, never which child or
// concern anyone viewed. Everyone reads the rows of their own doing.
func MayReadAudit(rs Roles, k AuditKind) bool {
	switch k {
	case AuditChildren:
		return rs.IsSafeguardingLead()
	case AuditAccounts:
		return rs.Has(RoleAdmin)
	}
	return false
}

// AuditViewTellsOfConcern reports whether an audit row of action by a
// person with roles actor, about a child's file, would tell its reader of
// a concern they may not see: a view of the file by someone who opens
// children's files only through the concerns they handle (the chair, who
// opens a child's file only for an allegation about the principal that
// involves the child). Such a row is shown to nobody but its actor, so the
// audit page and the file's list of who opened it never hint at such a
// concern. The actor's roles are those they hold now.
func AuditViewTellsOfConcern(actor Roles, action string) bool {
	return action == "view_child_file" && !OpensChildFiles(actor)
}

// AuditKindsFor lists the kinds of audit row a person with roles rs reads
// on the audit page; none means the page does not exist for them.
func AuditKindsFor(rs Roles) []AuditKind {
	var ks []AuditKind
	for _, k := range AllAuditKinds {
		if MayReadAudit(rs, k) {
			ks = append(ks, k)
		}
	}
	return ks
}

// MayFindPupils reports whether a person with roles rs may search the
// school's pupils from the header and open what they find: the DSL and
// deputies. Staff find pupils only through the concern form; nobody else
// opens children's files by searching.
func MayFindPupils(rs Roles) bool {
	return rs.IsSafeguardingLead()
}

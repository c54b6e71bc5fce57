package safeguarding

// Action is something a viewer may try to do with a concern.
type Action string

const (
	// ActionList: the concern appears in a list, count or search result.
	ActionList Action = "list"
	// ActionView: open the concern's page.
	ActionView Action = "view"
	// ActionAddEntry: add to the chronology. For the member of staff who
	// logged it, only further information; case handlers may add any entry.
	ActionAddEntry Action = "add_entry"
	// ActionTriage: acknowledge, assign, change status and record actions,
	// conversations, decisions, referrals, feedback and outcomes.
	ActionTriage Action = "triage"
	// ActionClose: close the concern with an outcome.
	ActionClose Action = "close"
	// ActionReopen: reopen a closed concern with a reason.
	ActionReopen Action = "reopen"
	// ActionViewChildFile: see the concern on the pages of the pupils it
	// is about or involves. A concern about an adult that involves children
	// shows on their files only to those who read its route in full: an
	// allegation about the principal that a pupil made is on that pupil's
	// file for the chair alone, and for everyone else the file shows nothing
	// of it.
	ActionViewChildFile Action = "view_child_file"
	// ActionMove: move the concern to the subject it is really about (the
	// principal, a safeguarding lead, another member of staff, another
	// adult, or the children linked to it), with a reason; the route
	// follows (ApplyMove). Its case handlers may: the chair a concern about
	// the principal, the principal one about a safeguarding lead or an
	// adult, and the DSL and deputies one about a child or an adult. The
	// DSL and deputies must: a concern misrouted as it was logged (a
	// child's account of the principal logged as a concern about the child,
	// the principal typed as "another adult") reaches them first, and only
	// they can send it to the chair without the principal. The subject never
	// may: Can's first rule.
	ActionMove Action = "move"
)

// AllActions lists every action, for tests that must cover them all.
var AllActions = []Action{ActionList, ActionView, ActionAddEntry, ActionTriage, ActionClose, ActionReopen, ActionViewChildFile, ActionMove}

// ConcernAccess is what the access rule needs to know about a concern.
type ConcernAccess struct {
	SchoolID        int64
	Route           Route
	SubjectPersonID int64 // 0 unless the subject is a member of staff
	LoggedBy        int64
}

// Can is Haven's access rule: whether viewer v may do a to concern c.
//
// This file is the only place the rule lives in Go: who may do what to a
// concern (Can), who handles each route (Handles), whose concern goes where
// (RouteFor), who may log a concern (MayLog), who may be given one
// (MayBeAssigned) and who may set the school's emergency contacts
// (MayEditSchoolContacts), who may read the outbox (MayReadOutbox), who
// may import the school's roster (MayImportRoster), who may read the
// annual oversight report (MayReadAnnualReport), who may read and keep
// the policy register (MayReadPolicies, MayManagePolicies), who reads
// and keeps the training register (MayReadAllTraining, MayReadTraining,
// MayEditTraining), and who sees and reviews a child's pattern flags and
// sets the pattern rules (MaySeePatternFlag, MayManagePatterns). Beside it,
// attachment.go holds who adds and sees the files kept with a concern
// (MayAttach, MaySeeAttachment) and bodymap.go who records a body map
// (MayAddBodyMap).
// PostgreSQL's row-level security enforces the same rule
// again from its one home, migrations/rules/access.sql, and
// internal/postgres/rule_test.go runs every combination of roles, routes
// and actions through both.
//
// A concern's route is not fixed when it is logged: it follows its subject.
// When a member of staff gains or loses a role (becomes a deputy DSL, stops
// being the principal), the routes of the concerns about them are worked
// out again from their roles as they now are (haven_reroute_subject in
// access.sql), so what each viewer may see follows this rule, not the role
// the subject had when the concern was logged.
func Can(v Viewer, c ConcernAccess, a Action) bool {
	if v.SchoolID != c.SchoolID || v.PersonID == 0 {
		return false
	}
	// No one sees a concern of which they are the subject: not its page, not
	// its place in a list, not that it exists.
	if c.SubjectPersonID != 0 && c.SubjectPersonID == v.PersonID {
		return false
	}
	handles := Handles(v.Roles, c.Route)
	reads := handles || readsOnly(v.Roles, c.Route)
	referrer := c.LoggedBy == v.PersonID
	switch a {
	case ActionList, ActionView:
		return reads || referrer
	case ActionAddEntry:
		return handles || referrer
	case ActionTriage, ActionClose, ActionReopen, ActionMove:
		return handles
	case ActionViewChildFile:
		return reads
	}
	return false
}

// OpensChildFiles reports whether a person with roles rs may open any
// pupil's file, even one with no concern on it: those who read concerns
// about children. Anyone else (the chair) opens only the files on which a
// concern they read is shown (ActionViewChildFile), and sees only those
// concerns; every other file does not exist for them.
func OpensChildFiles(rs Roles) bool {
	return Handles(rs, RouteChild) || readsOnly(rs, RouteChild)
}

// Handles reports whether a person with roles rs case-manages concerns on
// route r (DESIGN.md "Routing"). The subject exclusion is Can's.
func Handles(rs Roles, r Route) bool {
	switch r {
	case RouteChild:
		return rs.IsSafeguardingLead()
	case RouteAdult:
		return rs.IsSafeguardingLead() || rs.Has(RolePrincipal)
	case RoutePrincipal:
		return rs.Has(RoleChair)
	case RouteSafeguardingLead:
		return rs.Has(RolePrincipal)
	}
	return false
}

// WhoSees says, in a sentence for the person logging a concern, who will
// see a concern on route r: its case handlers, and the principal for a
// concern about a child, as Can decides; never the adult it is about. Every
// page that tells a member of staff who reads what they write says it in
// these words.
func WhoSees(r Route) string {
	switch r {
	case RouteChild:
		return "The Designated Safeguarding Lead (DSL) and the deputy DSLs will see it, and the principal may read it."
	case RouteAdult:
		return "The principal, the DSL and the deputy DSLs will see it. The person it is about will not."
	case RoutePrincipal:
		return "Only the chair of governors will see it. The principal, the DSL and the deputy DSLs will not."
	case RouteSafeguardingLead:
		return "Only the principal will see it. The DSL and the deputy DSLs will not."
	}
	return ""
}

// MayLog reports whether a person with roles rs may log a concern: anyone
// who works with children. Governors and administrators see no concern, and
// may not file one either.
func MayLog(rs Roles) bool {
	return rs.Has(RoleStaff, RoleDSL, RoleDeputyDSL, RolePrincipal)
}

// MayEditSchoolContacts reports whether a person with roles rs may set the
// school's emergency contacts (the numbers the concern form shows when a
// child is in immediate danger): the DSL, and so a deputy, who knows the
// local arrangements, or the administrator, who keeps the school's
// settings. Everyone of the school reads them.
func MayEditSchoolContacts(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL, RoleAdmin)
}

// MayReadOutbox reports whether a person with roles rs may read the school's
// outbox, the e-mails Haven would have sent had SMTP been set up: the
// administrator only, who sets Haven up. The messages tell of concerns and
// carry sign-in links, so nobody else reads them, whatever else they hold.
func MayReadOutbox(rs Roles) bool {
	return rs.Has(RoleAdmin)
}

// MayAdministerPeople reports whether a person with roles rs may administer
// the school's people: invite them, change their roles, deactivate and
// reactivate them. The administrator only; it gives no sight of any
// concern, chronology or child's file.
func MayAdministerPeople(rs Roles) bool {
	return rs.Has(RoleAdmin)
}

// MayImportRoster reports whether a person with roles rs may import the
// school's pupil and staff rosters: the administrator only, who keeps the
// roster (DESIGN.md, "Who uses it"). Importing writes pupils' records and
// people's roles but reads no concern.
func MayImportRoster(rs Roles) bool {
	return rs.Has(RoleAdmin)
}

// MayReadAnnualReport reports whether a person with roles rs may read the
// school's annual oversight report: governors, the chair, the principal and
// the DSL (and so a deputy, who may do everything a DSL may). The report is
// aggregates only, so it gives no sight of any concern, child or name; it
// is read through functions that check this rule themselves, since a
// governor cannot read a single concern row.
func MayReadAnnualReport(rs Roles) bool {
	return rs.Has(RoleGovernor, RoleChair, RolePrincipal, RoleDSL, RoleDeputyDSL)
}

// MayBeAssigned reports whether concern c may be given to person p: an
// active DSL or deputy, on a route they handle, who is not its subject.
// Concerns about the principal or a safeguarding lead are handled by one
// person (the chair, the principal) and are never assigned.
func MayBeAssigned(p Person, c ConcernAccess) bool {
	return p.Active && p.ID != 0 && p.SchoolID == c.SchoolID && p.ID != c.SubjectPersonID &&
		p.Roles.IsSafeguardingLead() && Handles(p.Roles, c.Route)
}

// readsOnly: the principal may read concerns about children.
func readsOnly(rs Roles, r Route) bool {
	return r == RouteChild && rs.Has(RolePrincipal)
}

// SeesFullRecord reports whether v sees the whole chronology of c, rather
// than only what they wrote and the feedback given to them.
func SeesFullRecord(v Viewer, c ConcernAccess) bool {
	return Can(v, c, ActionView) && (Handles(v.Roles, c.Route) || readsOnly(v.Roles, c.Route))
}

// Routes a person with roles rs may see concerns on besides their own (the
// queue's filter; row-level security applies the subject exclusion).
func VisibleRoutes(rs Roles) []Route {
	var out []Route
	for _, r := range []Route{RouteChild, RouteAdult, RoutePrincipal, RouteSafeguardingLead} {
		if Handles(rs, r) || readsOnly(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// MayAttribute reports whether v may give each pupil of concern c their own
// part, indicators and words, when c was logged before parts were recorded
// (ApplyAttribution): its case handlers. concern_pupils_attribute in
// access.sql is the same rule.
func MayAttribute(v Viewer, c ConcernAccess) bool { return Can(v, c, ActionTriage) }

// MayNameOnFile reports whether v may see, on a pupil's file, the names of
// the other pupils of concern c: whoever may see those pupils' files, which
// is anyone who opens every child's file, or sees c on a child's file. Any
// printed or exported file calls them "another pupil" even so.
func MayNameOnFile(v Viewer, c ConcernAccess) bool {
	return OpensChildFiles(v.Roles) || Can(v, c, ActionViewChildFile)
}

// MayReadPolicies reports whether a person with roles rs may read the
// school's policy register (§13.1): those who keep safeguarding (the DSL
// and deputies), the principal, and the governing body, whose annual report
// shows each policy's review status. Staff and the administrator do not.
// policies_read and policy_reviews_read in access.sql are the same rule.
func MayReadPolicies(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL, RolePrincipal, RoleChair, RoleGovernor)
}

// MayManagePolicies reports whether a person with roles rs may add a policy
// to the register, record its reviews and retire it: the DSL and the
// principal, who review this policy each year (§13.1). A deputy, the chair
// and governors read the register only.
func MayManagePolicies(rs Roles) bool {
	return rs.Has(RoleDSL, RolePrincipal)
}

// MayEditTraining reports whether a person with roles rs may add, change
// and delete the school's training records and set when a member of staff
// started: the DSL, who keeps the training register (policy §4.1, §4.7).
// A deputy reads it but does not keep it. `haven import training` on the
// command line runs for no one and may too (haven_may_write_training).
func MayEditTraining(rs Roles) bool {
	return rs.Has(RoleDSL)
}

// MayReadAllTraining reports whether a person with roles rs may read every
// member of staff's training records: the DSL, the deputies and the
// principal, who see who is due; and the chair and governors, whose annual
// report gives the school's training compliance (policy §3.2). Everyone
// else reads only their own (MayReadTraining).
func MayReadAllTraining(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL, RolePrincipal, RoleChair, RoleGovernor)
}

// MayReadTraining reports whether v may read the training records of the
// person with id personID in v's school: their own, or everyone's for those
// MayReadAllTraining admits.
func MayReadTraining(v Viewer, personID int64) bool {
	return v.PersonID != 0 && (v.PersonID == personID || MayReadAllTraining(v.Roles))
}

// MaySeeTrainingRegister reports whether a person with roles rs opens the
// training register's pages (/training): those who act on who is due, the
// DSL, the deputies and the principal. Governors read the figures in their
// report instead, never a list of names.
func MaySeeTrainingRegister(rs Roles) bool {
	return rs.Has(RoleDSL, RoleDeputyDSL, RolePrincipal)
}

// MaySeePatternFlag reports whether v may see a pattern flag raised by the
// concerns cs: only if v sees every one of them on a child's file, as they
// stand now (a concern moved to an adult's route since takes the flag out
// of sight of whoever may not read that route). A flag raised by no
// concern is seen by no one. pattern_flags_read in access.sql is the same
// rule.
func MaySeePatternFlag(v Viewer, cs []ConcernAccess) bool {
	if len(cs) == 0 {
		return false
	}
	for _, c := range cs {
		if !Can(v, c, ActionViewChildFile) {
			return false
		}
	}
	return true
}

// MayManagePatterns reports whether a person with roles rs reviews the
// pattern flags they may see, is told when one is raised, and sets the
// school's pattern rules: the DSL and the deputies. The principal, who
// reads concerns about children, sees the flags but does not review them.
func MayManagePatterns(rs Roles) bool {
	return rs.IsSafeguardingLead()
}

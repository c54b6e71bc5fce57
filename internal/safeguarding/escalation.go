package safeguarding

import (
	"strconv"
	"time"
)

// EscalationSettings are a school's times for escalating a concern that
// nobody it is routed to has acknowledged (policy §11.1, §11.5): an urgent
// concern after UrgentAfter, any other at OthersHour:00 on the next working
// day. The DSL or the administrator sets them (MayEditSchoolContacts).
// ViceChairID names the governor told when a concern about the principal
// goes unacknowledged by the chair; 0 for none.
type EscalationSettings struct {
	UrgentAfter time.Duration
	OthersHour  int
	ViceChairID int64

	UpdatedAt     time.Time // zero until first set
	UpdatedByName string
}

// DefaultEscalation is what a school that has set nothing escalates by: an
// urgent concern after 15 minutes, any other at 09:00 the next working day.
var DefaultEscalation = EscalationSettings{UrgentAfter: 15 * time.Minute, OthersHour: 9}

// Bounds of the settings, as the escalation table's checks hold them.
const (
	maxUrgentMinutes = 24 * 60
	maxOthersHour    = 23
)

// Problems says, by the settings form's field names, what stops the
// settings being saved.
func (s EscalationSettings) Problems() FieldProblems {
	p := FieldProblems{}
	if m := s.UrgentAfter / time.Minute; m < 1 || m > maxUrgentMinutes || s.UrgentAfter%time.Minute != 0 {
		p["urgent-minutes"] = "Enter a whole number of minutes from 1 to " + strconv.Itoa(maxUrgentMinutes)
	}
	if s.OthersHour < 0 || s.OthersHour > maxOthersHour {
		p["others-hour"] = "Enter an hour from 0 to 23"
	}
	return p
}

// EscalateAt is when a concern logged at logged is escalated if nobody it
// is routed to has acknowledged it: UrgentAfter later for an urgent one,
// and for any other OthersHour:00 in England on the first working day of
// cal after the day it was logged.
func (s EscalationSettings) EscalateAt(logged time.Time, urgent bool, cal Calendar) time.Time {
	if urgent {
		return logged.Add(s.UrgentAfter)
	}
	return cal.NextWorkingMorning(logged, s.OthersHour)
}

// EscalatedTo is who is told of an unacknowledged concern: the next person
// up from those it is routed to (DESIGN.md "Routing").
type EscalatedTo string

const (
	EscalatedToPrincipal EscalatedTo = "principal"  // a concern about a child
	EscalatedToChair     EscalatedTo = "chair"      // about a member of staff, the DSL or a deputy
	EscalatedToViceChair EscalatedTo = "vice_chair" // about the principal, if the school names one
	EscalatedToNobody    EscalatedTo = "nobody"     // no one up may be told: see Escalation
)

// Label says who it went to, for the concern's page.
func (e EscalatedTo) Label() string {
	switch e {
	case EscalatedToPrincipal:
		return "the principal"
	case EscalatedToChair:
		return "the chair of governors"
	case EscalatedToViceChair:
		return "the vice-chair of governors"
	}
	return "nobody (no one else may be told)"
}

// Escalation is whom an unacknowledged concern on route goes up to, and
// whether they may read it. The principal reads concerns about children
// (Can), so is given the concern; the chair may not read a concern about a
// member of staff or a safeguarding lead, nor a governor one about the
// principal, so they are told to act (speak to those it is routed to), and
// escalation never lets anyone read what routing does not.
func Escalation(route Route) (to EscalatedTo, withAccess bool) {
	switch route {
	case RouteChild:
		return EscalatedToPrincipal, true
	case RouteAdult, RouteSafeguardingLead:
		return EscalatedToChair, false
	case RoutePrincipal:
		return EscalatedToViceChair, false
	}
	return EscalatedToNobody, false
}

// EscalationRecipient reports whether a person (id, roles) is told of the
// escalation of concern c to to: they hold the role escalated to (or are
// the vice-chair the school names), are not its subject, did not log it,
// and do not already handle it.
func EscalationRecipient(id int64, roles Roles, c ConcernAccess, to EscalatedTo, viceChairID int64) bool {
	if id == 0 || id == c.SubjectPersonID || id == c.LoggedBy || Handles(roles, c.Route) {
		return false
	}
	switch to {
	case EscalatedToPrincipal:
		return roles.Has(RolePrincipal)
	case EscalatedToChair:
		return roles.Has(RoleChair)
	case EscalatedToViceChair:
		return viceChairID != 0 && id == viceChairID
	}
	return false
}

// EscalationNotice is the in-app notice and e-mail wording of an
// escalation for its recipient: a link to the concern when they may read
// it, otherwise whom to speak to. It names no child and no adult.
func EscalationNotice(route Route, withAccess bool) string {
	if withAccess {
		return "A concern has not been acknowledged in time by those it was sent to. Read it and make sure it is acted on."
	}
	switch route {
	case RouteAdult:
		return "A concern has not been acknowledged in time by those it was sent to. Speak to the principal or the Designated Safeguarding Lead today. You cannot read it in Haven."
	case RouteSafeguardingLead:
		return "A concern has not been acknowledged in time by the person it was sent to. Speak to the principal today. You cannot read it in Haven."
	}
	return "A concern has not been acknowledged in time by the person it was sent to. Speak to the chair of governors today. You cannot read it in Haven."
}

// ConcernEscalation is a concern's escalation as its page shows it.
type ConcernEscalation struct {
	At         time.Time
	To         EscalatedTo
	WithAccess bool
}

// DigestCounts are the daily digest's figures for a school's DSL and
// deputies: counts only, never a name. More kinds of overdue item join as
// fields.
type DigestCounts struct {
	NewConcerns int // logged since the last digest
	Overdue     int // open, unacknowledged, and past their escalation time
	Escalated   int // escalated since the last digest
	// OverdueDeadlines are the open deadlines past their day: agency
	// responses, feedback to staff and leavers' file transfers.
	OverdueDeadlines int
}

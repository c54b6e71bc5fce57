package safeguarding

import (
	"time"
)

// Route says who handles a concern, decided by its subject: a concern about
// an adult that involves children is routed by the adult, and the children
// are linked to it (policy §11.1, §11.3; DESIGN.md "Routing").
type Route string

const (
	// RouteChild: the subject is one or more pupils → the DSL and deputies.
	RouteChild Route = "child"
	// RouteAdult: an adult other than the principal, the DSL or a deputy →
	// the principal (case manager), the DSL and deputies; never the subject.
	RouteAdult Route = "adult"
	// RoutePrincipal: the subject is the principal → the chair of governors only.
	RoutePrincipal Route = "principal"
	// RouteSafeguardingLead: the subject is the DSL or a deputy → the principal only.
	RouteSafeguardingLead Route = "safeguarding_lead"
)

// SubjectKind is what kind of person a concern is about.
type SubjectKind string

const (
	SubjectPupils     SubjectKind = "pupils"      // one or more pupils on the roster
	SubjectStaff      SubjectKind = "staff"       // a member of staff on the roster
	SubjectOtherAdult SubjectKind = "other_adult" // a visitor, contractor or volunteer not on the roster
)

// RouteFor decides a concern's route from its subject. subjectRoles are the
// roles the subject holds when the subject is a member of staff.
func RouteFor(kind SubjectKind, subjectRoles Roles) Route {
	switch {
	case kind == SubjectPupils:
		return RouteChild
	case kind == SubjectStaff && subjectRoles.Has(RolePrincipal):
		return RoutePrincipal
	case kind == SubjectStaff && subjectRoles.IsSafeguardingLead():
		return RouteSafeguardingLead
	}
	return RouteAdult
}

// Status is where a concern stands.
type Status string

const (
	StatusNew          Status = "new"
	StatusAcknowledged Status = "acknowledged"
	StatusInProgress   Status = "in_progress"
	StatusClosed       Status = "closed"
	StatusReopened     Status = "reopened"
)

// AllStatuses in the order a concern moves through them.
var AllStatuses = []Status{StatusNew, StatusAcknowledged, StatusInProgress, StatusReopened, StatusClosed}

// Label is the status as shown to people.
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "New"
	case StatusAcknowledged:
		return "Acknowledged"
	case StatusInProgress:
		return "In progress"
	case StatusClosed:
		return "Closed"
	case StatusReopened:
		return "Reopened"
	}
	return string(s)
}

// Open reports whether the concern still needs work.
func (s Status) Open() bool { return s != StatusClosed }

// CanMoveTo reports whether a concern in status s may move to next:
// new → acknowledged → in progress → closed, and closed → reopened → in
// progress. Closing is allowed from any open status (with an outcome).
func (s Status) CanMoveTo(next Status) bool {
	switch next {
	case StatusAcknowledged:
		return s == StatusNew
	case StatusInProgress:
		return s == StatusNew || s == StatusAcknowledged || s == StatusReopened
	case StatusClosed:
		return s.Open()
	case StatusReopened:
		return s == StatusClosed
	}
	return false
}

// Category is a kind of harm a concern is about (DESIGN.md "A concern").
type Category struct {
	Code  string
	Label string
}

// Indicator is one of the CSE warning signs of policy §5.2, worded as the
// policy words it. The list itself is reference data in the database.
type Indicator struct {
	Code  string
	Label string
}

// Agency is who a referral goes to.
type Agency string

const (
	AgencyCSCS       Agency = "cscs"
	AgencyPolice     Agency = "police"
	AgencyLADO       Agency = "lado"
	AgencyEarlyHelp  Agency = "early_help"
	AgencyCEOP       Agency = "ceop"
	AgencyNRM        Agency = "nrm"
	AgencyPrevent    Agency = "prevent"
	AgencyOtherAgent Agency = "other"
)

// Agencies lists every referral agency in the order the form offers them.
var Agencies = []Agency{AgencyCSCS, AgencyPolice, AgencyLADO, AgencyEarlyHelp, AgencyCEOP, AgencyNRM, AgencyPrevent, AgencyOtherAgent}

// Label is the agency's name as a DSL would write it.
func (a Agency) Label() string {
	switch a {
	case AgencyCSCS:
		return "Children's social care (CSCS)"
	case AgencyPolice:
		return "Police"
	case AgencyLADO:
		return "Local authority designated officer (LADO)"
	case AgencyEarlyHelp:
		return "Early help"
	case AgencyCEOP:
		return "CEOP (Child Exploitation and Online Protection)"
	case AgencyNRM:
		return "National Referral Mechanism"
	case AgencyPrevent:
		return "Prevent"
	case AgencyOtherAgent:
		return "Other agency"
	}
	return string(a)
}

// PupilRef names a pupil on a concern.
type PupilRef struct {
	ID        int64
	FirstName string
	LastName  string
	YearGroup int
}

// Name is the pupil's full name.
func (p PupilRef) Name() string { return p.FirstName + " " + p.LastName }

// PupilMatch is a pupil as the concern form's search lists them: enough to
// tell apart two pupils of the same name in the same year.
type PupilMatch struct {
	PupilRef
	RegistrationGroup string // "" when the roster gives none
	DateOfBirth       time.Time
}

// Concern is a concern as logged, with where it now stands.
type Concern struct {
	SchoolID int64
	ID       int64
	Route    Route

	SubjectKind       SubjectKind
	Pupils            []PupilRef // the pupils it is about, or the children a concern about an adult involves
	SubjectPersonID   int64      // when SubjectKind is SubjectStaff
	SubjectPersonName string
	SubjectAdultName  string // when SubjectKind is SubjectOtherAdult
	SubjectAdultRole  string // visitor, contractor, volunteer, other

	LoggedBy     int64
	LoggedByName string
	LoggedAt     time.Time

	Categories []string // category codes
	// Indicators are every CSE indicator recorded on the concern: each
	// pupil's own (Parts) and any not attributed to a pupil.
	Indicators   []string
	WhatHappened string // shared by every pupil of the concern
	// ChildsWords are the child's words that are no one pupil's: those of a
	// concern that names no pupil, or recorded before parts on a concern
	// about several pupils (Unattributed). Each pupil's own are in Parts.
	ChildsWords string
	// Parts are each pupil's own part, indicators and words, in the order
	// of Pupils. A child's file holds only that child's.
	Parts        []PupilPart
	HappenedOn   time.Time
	HappenedTime string // "14:30", or "" if not known
	Location     string
	OthersTold   string
	ActionsTaken string
	Urgent       bool

	Status         Status
	AssignedTo     int64
	AssignedToName string
	AcknowledgedAt *time.Time
	LastActivityAt time.Time
	FeedbackGiven  bool
}

// Unattributed reports whether the concern was logged about several pupils
// before parts were recorded and no one has yet said whose its indicators
// and words are (ApplyAttribution).
func (c Concern) Unattributed() bool {
	for _, p := range c.Parts {
		if p.Part == PartNotRecorded {
			return true
		}
	}
	return false
}

// Access is the part of a concern the access rule reads.
func (c Concern) Access() ConcernAccess {
	return ConcernAccess{SchoolID: c.SchoolID, Route: c.Route, SubjectPersonID: c.SubjectPersonID, LoggedBy: c.LoggedBy}
}

// SubjectLabel is a short description of whom the concern is about.
func (c Concern) SubjectLabel() string {
	switch c.SubjectKind {
	case SubjectPupils:
		s := ""
		for i, p := range c.Pupils {
			if i > 0 {
				s += ", "
			}
			s += p.Name()
		}
		return s
	case SubjectStaff:
		return c.SubjectPersonName + " (staff)"
	}
	if c.SubjectAdultRole != "" {
		return c.SubjectAdultName + " (" + c.SubjectAdultRole + ")"
	}
	return c.SubjectAdultName
}

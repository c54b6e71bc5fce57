package safeguarding

import (
	"slices"
	"strings"
	"time"
)

// The training register (policy §4.1, §4.7; DESIGN.md "Referrals and
// deadlines"). What is due is worked out here from a person's roles, start
// date and records, on a given day; it is never stored.
//
// The choices the policy leaves open, as docs/training.md tells schools:
//   - Who needs training: everyone who works with children, the roles that
//     may log a concern (staff, DSL, deputy, principal). An account that is
//     only a governor, the chair or the administrator needs none here:
//     governors' training is the governing board's own record.
//   - Induction is done once, ever, and is due from the person's start.
//   - The safeguarding update (at least every 12 months, §4.1) is met by any
//     induction, annual update or DSL/deputy training: each covers it. It
//     is due 12 months after the latest of them; with none, 12 months after
//     the start.
//   - A DSL or deputy also needs DSL/deputy training at least every 2 years
//     (due 2 years after the latest; with none, from the start) and a
//     refresher at least every 12 months (due 12 months after the latest DSL
//     training or annual update; with none, 12 months after the start).
//   - A year after 29 February is 28 February: "at least every 12 months"
//     errs early, never late.
//   - Due on a day is not yet overdue; overdue from the next day. Due within
//     the next 30 days (the due day included) is "due soon".

// TrainingKind is what a training record is of.
type TrainingKind string

const (
	TrainingInduction    TrainingKind = "induction"
	TrainingAnnualUpdate TrainingKind = "annual_update"
	TrainingDSL          TrainingKind = "dsl_training"
	TrainingOnlineSafety TrainingKind = "online_safety"
	TrainingOther        TrainingKind = "other"
)

// TrainingKinds lists every kind, in the order forms offer them.
var TrainingKinds = []TrainingKind{TrainingInduction, TrainingAnnualUpdate, TrainingDSL, TrainingOnlineSafety, TrainingOther}

// Label is the kind as a school says it.
func (k TrainingKind) Label() string {
	switch k {
	case TrainingInduction:
		return "Induction"
	case TrainingAnnualUpdate:
		return "Safeguarding update"
	case TrainingDSL:
		return "DSL or deputy DSL training"
	case TrainingOnlineSafety:
		return "Online safety"
	case TrainingOther:
		return "Other"
	}
	return string(k)
}

// trainingWords are the words a spreadsheet may use for each kind, folded
// to lower-case letters and digits.
var trainingWords = map[string]TrainingKind{
	"induction": TrainingInduction, "safeguardinginduction": TrainingInduction,
	"annualupdate": TrainingAnnualUpdate, "update": TrainingAnnualUpdate, "safeguardingupdate": TrainingAnnualUpdate,
	"annual": TrainingAnnualUpdate, "refresher": TrainingAnnualUpdate, "annualrefresher": TrainingAnnualUpdate,
	"dsltraining": TrainingDSL, "dsl": TrainingDSL, "deputytraining": TrainingDSL, "deputydsltraining": TrainingDSL,
	"dslordeputydsltraining": TrainingDSL, "dslordeputytraining": TrainingDSL, "dsldeputytraining": TrainingDSL,
	"onlinesafety": TrainingOnlineSafety, "esafety": TrainingOnlineSafety, "other": TrainingOther,
}

// ParseTrainingKind reads a kind from its stored name or the words a school
// may use for it ("Annual update", "DSL training", "online safety").
func ParseTrainingKind(s string) (TrainingKind, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	k, ok := trainingWords[b.String()]
	return k, ok
}

// TrainingRecord is one training a person completed.
type TrainingRecord struct {
	ID          int64
	PersonID    int64
	Kind        TrainingKind
	CompletedOn time.Time // a date: midnight UTC
	Provider    string
	Notes       string
}

// Requirement is one thing the policy requires of a person's training.
type Requirement string

const (
	RequirementInduction Requirement = "induction"     // §4.1, once
	RequirementUpdate    Requirement = "update"        // §4.1, every 12 months
	RequirementDSL       Requirement = "dsl_training"  // §4.7, every 2 years
	RequirementRefresher Requirement = "dsl_refresher" // §4.7, every 12 months
)

// Label names the requirement for a page.
func (r Requirement) Label() string {
	switch r {
	case RequirementInduction:
		return "Induction"
	case RequirementUpdate:
		return "Safeguarding update (every 12 months)"
	case RequirementDSL:
		return "DSL or deputy training (every 2 years)"
	case RequirementRefresher:
		return "DSL or deputy refresher (every 12 months)"
	}
	return string(r)
}

// TrainingState is where a requirement stands on a day.
type TrainingState int

const (
	TrainingInDate    TrainingState = iota // done, next due more than 30 days away (or induction done)
	TrainingDueSoon                        // due within the next 30 days, the due day included
	TrainingOverdue                        // done before, but its due day has passed
	TrainingNeverDone                      // never done, and its due day has passed
)

// DueSoonDays is how far ahead a requirement counts as due soon.
const DueSoonDays = 30

// Label says the state in words, as the register's tags do.
func (s TrainingState) Label() string {
	switch s {
	case TrainingDueSoon:
		return "Due soon"
	case TrainingOverdue:
		return "Overdue"
	case TrainingNeverDone:
		return "Never done"
	}
	return "In date"
}

// NeedsAttention: overdue, never done, or due within 30 days.
func (s TrainingState) NeedsAttention() bool { return s != TrainingInDate }

// Late: past its due day, whether done before or never.
func (s TrainingState) Late() bool { return s == TrainingOverdue || s == TrainingNeverDone }

// RequirementStatus is one requirement of one person on a day.
type RequirementStatus struct {
	Requirement Requirement
	Last        time.Time // the latest record that meets it; zero if none
	Due         time.Time // when it is next due; zero for an induction done
	State       TrainingState
}

// NeedsTraining reports whether a person with roles rs is on the training
// register: whoever works with children (MayLog's roles).
func NeedsTraining(rs Roles) bool {
	return rs.Has(RoleStaff, RoleDSL, RoleDeputyDSL, RolePrincipal)
}

// TrainingStatus is each requirement of a person with roles rs who started
// on started (a date), whose records are records, on the day on. It is
// empty for someone who needs no training.
func TrainingStatus(rs Roles, started time.Time, records []TrainingRecord, on time.Time) []RequirementStatus {
	if !NeedsTraining(rs) {
		return nil
	}
	started, on = Day(started), Day(on)
	latest := func(kinds ...TrainingKind) time.Time {
		var l time.Time
		for _, r := range records {
			if slices.Contains(kinds, r.Kind) && Day(r.CompletedOn).After(l) {
				l = Day(r.CompletedOn)
			}
		}
		return l
	}
	var out []RequirementStatus
	if l := latest(TrainingInduction); l.IsZero() {
		out = append(out, status(RequirementInduction, l, started, on))
	} else {
		out = append(out, RequirementStatus{Requirement: RequirementInduction, Last: l, State: TrainingInDate})
	}
	out = append(out, every(RequirementUpdate, latest(TrainingInduction, TrainingAnnualUpdate, TrainingDSL), 12, started, on))
	if rs.IsSafeguardingLead() {
		dsl := latest(TrainingDSL)
		s := every(RequirementDSL, dsl, 24, started, on)
		if dsl.IsZero() {
			s = status(RequirementDSL, dsl, started, on) // due from the start
		}
		out = append(out, s, every(RequirementRefresher, latest(TrainingDSL, TrainingAnnualUpdate), 12, started, on))
	}
	return out
}

// every is a requirement met at least every months months: due that long
// after the latest record, or after the start when there is none.
func every(r Requirement, last time.Time, months int, started, on time.Time) RequirementStatus {
	from := last
	if from.IsZero() {
		from = started
	}
	return status(r, last, AddMonths(from, months), on)
}

func status(r Requirement, last, due, on time.Time) RequirementStatus {
	s := RequirementStatus{Requirement: r, Last: last, Due: due}
	switch {
	case on.After(due) && last.IsZero():
		s.State = TrainingNeverDone
	case on.After(due):
		s.State = TrainingOverdue
	case !due.After(on.AddDate(0, 0, DueSoonDays)):
		s.State = TrainingDueSoon
	default:
		s.State = TrainingInDate
	}
	return s
}

// WorstTraining is the state of a person's training as a whole: the worst
// of its requirements, and the earliest due day among those in that state.
func WorstTraining(ss []RequirementStatus) (TrainingState, time.Time) {
	state, due := TrainingInDate, time.Time{}
	for _, s := range ss {
		switch {
		case s.State > state:
			state, due = s.State, s.Due
		case s.State == state && !s.Due.IsZero() && (due.IsZero() || s.Due.Before(due)):
			due = s.Due
		}
	}
	return state, due
}

// Day is t's calendar day, as midnight UTC.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddMonths is the day n months after d, or the month's last day when it is
// shorter (29 February plus a year is 28 February, not 1 March).
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// TrainingPerson is one person on the training register with their records.
type TrainingPerson struct {
	ID       int64
	Name     string
	Email    string
	JobTitle string
	Roles    Roles
	Active   bool
	// StartedOn is the day they started at the school, when recorded;
	// JoinedOn the day they were added to Haven, used when it is not.
	StartedOn time.Time
	JoinedOn  time.Time
	Records   []TrainingRecord // newest first
}

// Started is the day their training is due from.
func (p TrainingPerson) Started() time.Time {
	if !p.StartedOn.IsZero() {
		return p.StartedOn
	}
	return p.JoinedOn
}

// Status is each of their requirements on the day on.
func (p TrainingPerson) Status(on time.Time) []RequirementStatus {
	return TrainingStatus(p.Roles, p.Started(), p.Records, on)
}

// TrainingInput is a training record as the DSL's form gives it, checked.
type TrainingInput struct {
	Kind        TrainingKind
	CompletedOn time.Time
	Provider    string
	Notes       string
}

// Limits of a training record's text, as the database checks them.
const (
	MaxTrainingProviderChars = 200
	MaxTrainingNotesChars    = 2000
)

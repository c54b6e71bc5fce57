package safeguarding

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// InvitationValidFor is how long an invitation's link works: long enough
// for a weekend, short enough that a forgotten e-mail is no standing key.
const InvitationValidFor = 72 * time.Hour

// Lengths the people pages accept.
const (
	MaxPersonNameLength = 200
	MaxJobTitleLength   = 200
)

// Errors of administering people, with messages for the administrator.
var (
	ErrLastAdministrator = Errorf(ECONFLICT,
		"The school must keep at least one active administrator: make someone else an administrator first")
	ErrDeactivateSelf = Errorf(ECONFLICT,
		"You cannot deactivate your own account: ask another administrator to do it")
	ErrInvitationInvalid = Errorf(ENOTFOUND,
		"This invitation has expired, has already been used or has been withdrawn")
)

// InvitationState is where a person's newest invitation stands.
type InvitationState string

const (
	InvitationNone     InvitationState = ""         // never invited, or accepted
	InvitationPending  InvitationState = "pending"  // sent, its link still works
	InvitationExpired  InvitationState = "expired"  // its 72 hours passed unused
	InvitationRevoked  InvitationState = "revoked"  // withdrawn by an administrator
	InvitationAccepted InvitationState = "accepted" // a password was set with it
)

// PersonSummary is one of the school's people as the administrator's list
// shows them.
type PersonSummary struct {
	ID           int64
	Name         string
	Email        string
	JobTitle     string
	Roles        Roles
	Active       bool
	LastSignIn   time.Time // zero: never signed in
	SecondFactor bool
	Invitation   InvitationState
	// InvitationExpires is when a pending invitation's link stops working.
	InvitationExpires time.Time
}

// PersonDetails is one person on their own page: the summary and every
// audited change to them, newest first.
type PersonDetails struct {
	PersonSummary
	KnownAs string
	Added   time.Time
	// HasPassword is false until they accept their invitation.
	HasPassword bool
	History     []PersonEvent
}

// PersonEvent is one audit row about a person.
type PersonEvent struct {
	At     time.Time
	Action string
	Actor  string // who did it; "" when no one signed in did (the CLI, a job)
	Detail string
}

// PeopleFilter narrows the administrator's list: Query matches a name or an
// e-mail address, Offset and Limit page through it.
type PeopleFilter struct {
	Query         string
	Offset, Limit int
}

// InviteInput is the administrator's invitation of a new person.
type InviteInput struct {
	Email    string
	Name     string
	JobTitle string
	Roles    Roles
}

// Problems says what is missing or wrong, field by field; empty means the
// person may be invited.
func (in InviteInput) Problems() FieldProblems {
	p := FieldProblems{}
	switch email := strings.TrimSpace(in.Email); {
	case email == "":
		p["email"] = "Enter their e-mail address"
	case utf8.RuneCountInString(email) > MaxEmailLength:
		p["email"] = fmt.Sprintf("The e-mail address must be %d characters or fewer", MaxEmailLength)
	case !plausibleEmail(email):
		p["email"] = "Enter an e-mail address in the correct format, like name@example.com"
	}
	switch name := strings.TrimSpace(in.Name); {
	case name == "":
		p["name"] = "Enter their full name"
	case utf8.RuneCountInString(name) > MaxPersonNameLength:
		p["name"] = fmt.Sprintf("The name must be %d characters or fewer", MaxPersonNameLength)
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.JobTitle)) > MaxJobTitleLength {
		p["job_title"] = fmt.Sprintf("The job title must be %d characters or fewer", MaxJobTitleLength)
	}
	if msg := RolesProblem(in.Roles); msg != "" {
		p["roles"] = msg
	}
	return p
}

// RolesProblem says what is wrong with a set of roles chosen for a person,
// or "" if nothing is.
func RolesProblem(rs Roles) string {
	if len(rs) == 0 {
		return "Select at least one role"
	}
	for _, r := range rs {
		if !slices.Contains(AllRoles, r) {
			return "Select roles from the list"
		}
	}
	return ""
}

// plausibleEmail accepts one bare address with a domain: no display name,
// no list.
func plausibleEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// CheckRoleChange refuses a change of target's roles to after that would
// leave the school with no active administrator; otherAdmins is how many
// active administrators it has besides target.
func CheckRoleChange(target Person, after Roles, otherAdmins int) error {
	if target.Active && target.Roles.Has(RoleAdmin) && !after.Has(RoleAdmin) && otherAdmins == 0 {
		return ErrLastAdministrator
	}
	return nil
}

// CheckDeactivation refuses an administrator deactivating themselves (they
// would be signed out mid-task with nobody to undo it), and deactivating
// the school's last active administrator.
func CheckDeactivation(actor Viewer, target Person, otherAdmins int) error {
	if actor.SchoolID == target.SchoolID && actor.PersonID == target.ID {
		return ErrDeactivateSelf
	}
	if target.Active && target.Roles.Has(RoleAdmin) && otherAdmins == 0 {
		return ErrLastAdministrator
	}
	return nil
}

// RolesNamed lists the roles named in names, in AllRoles' order, with
// whether every name was a role.
func RolesNamed(names []string) (Roles, bool) {
	ok := true
	var rs Roles
	for _, n := range names {
		r, known := ParseRole(n)
		if !known {
			ok = false
			continue
		}
		if !rs.Has(r) {
			rs = append(rs, r)
		}
	}
	slices.SortFunc(rs, func(a, b Role) int { return slices.Index(AllRoles, a) - slices.Index(AllRoles, b) })
	return rs, ok
}

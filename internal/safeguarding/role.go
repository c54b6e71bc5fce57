package safeguarding

import (
	"slices"
	"strings"
	"time"
)

// Role is what a person may do within one school (DESIGN.md, "Who uses it").
type Role string

const (
	RoleStaff     Role = "staff"      // teacher, support staff, volunteer
	RoleDSL       Role = "dsl"        // Designated Safeguarding Lead
	RoleDeputyDSL Role = "deputy_dsl" // deputy DSL: everything a DSL may
	RolePrincipal Role = "principal"  // headteacher; case manager for allegations about staff
	RoleChair     Role = "chair"      // chair of governors; case manager for allegations about the principal
	RoleGovernor  Role = "governor"   // sees the aggregate oversight report only
	RoleAdmin     Role = "admin"      // accounts, roles and roster; never concern content
)

// AllRoles lists every role, most powerful over concerns first.
var AllRoles = []Role{RoleDSL, RoleDeputyDSL, RolePrincipal, RoleChair, RoleStaff, RoleGovernor, RoleAdmin}

// ParseRole returns the role named s, and whether s names one.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.TrimSpace(s))
	return r, slices.Contains(AllRoles, r)
}

// Label is the role's name as a person in a school would say it.
func (r Role) Label() string {
	switch r {
	case RoleStaff:
		return "Member of staff"
	case RoleDSL:
		return "Designated Safeguarding Lead"
	case RoleDeputyDSL:
		return "Deputy Designated Safeguarding Lead"
	case RolePrincipal:
		return "Principal"
	case RoleChair:
		return "Chair of governors"
	case RoleGovernor:
		return "Governor"
	case RoleAdmin:
		return "Administrator"
	}
	return string(r)
}

// Roles is the set of roles one person holds in one school.
type Roles []Role

// Has reports whether the set holds any of the given roles.
func (rs Roles) Has(any ...Role) bool {
	for _, r := range any {
		if slices.Contains(rs, r) {
			return true
		}
	}
	return false
}

// Primary is the role that decides a person's home page: the first of
// AllRoles that they hold.
func (rs Roles) Primary() Role {
	for _, r := range AllRoles {
		if rs.Has(r) {
			return r
		}
	}
	return RoleStaff
}

// Label joins the roles' labels, primary first.
func (rs Roles) Label() string {
	var labels []string
	for _, r := range AllRoles {
		if rs.Has(r) {
			labels = append(labels, r.Label())
		}
	}
	return strings.Join(labels, ", ")
}

// IsSafeguardingLead reports whether the person is the DSL or a deputy.
func (rs Roles) IsSafeguardingLead() bool { return rs.Has(RoleDSL, RoleDeputyDSL) }

// Person is someone who works in a school, as the rules about them need
// them: who they are, what roles they hold and whether they still work there.
type Person struct {
	SchoolID int64
	ID       int64
	Name     string
	Roles    Roles
	Active   bool
}

// Viewer is the signed-in person on whose behalf a request runs.
type Viewer struct {
	SchoolID   int64
	PersonID   int64
	Name       string
	Email      string
	SchoolName string
	Roles      Roles
	// SecondFactor is true once the person has enrolled a second factor.
	SecondFactor bool
	// SessionsSince is when the person's sessions last ended (a password
	// change, a reset, deactivation): a session begun before it is over.
	SessionsSince time.Time
	// UnreadNotices counts the person's unread in-app notices, for the
	// header; read with the viewer on each request.
	UnreadNotices int
}

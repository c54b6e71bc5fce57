// Package accesstest is DESIGN.md's "Who uses it" and "Routing" written out
// by hand once, as a table of who may do what to which concern, for the
// tests that hold Haven's access rule to it: in Go (internal/safeguarding),
// through the store and row-level security (internal/postgres) and over
// HTTP (internal/httpserver). It is not computed from safeguarding.Can: it
// is what Can must say.
package accesstest

import (
	"strings"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Viewer is one person of the matrix: their name in it, who they are in the
// demo school, and their roles there. The DSL, the deputy and the principal
// are staff too, as they are in a real school and in the demo school.
type Viewer struct {
	Name  string
	Email string
	Roles safeguarding.Roles
}

// Viewers are the matrix's people. The referrer logs every concern of it.
var Viewers = []Viewer{
	{"referrer", "staff@demo.test", safeguarding.Roles{safeguarding.RoleStaff}},
	{"other staff", "staff02@demo.test", safeguarding.Roles{safeguarding.RoleStaff}},
	{"DSL", "dsl@demo.test", safeguarding.Roles{safeguarding.RoleDSL, safeguarding.RoleStaff}},
	{"deputy", "deputy@demo.test", safeguarding.Roles{safeguarding.RoleDeputyDSL, safeguarding.RoleStaff}},
	{"principal", "principal@demo.test", safeguarding.Roles{safeguarding.RolePrincipal, safeguarding.RoleStaff}},
	{"chair", "chair@demo.test", safeguarding.Roles{safeguarding.RoleChair}},
	{"governor", "governor@demo.test", safeguarding.Roles{safeguarding.RoleGovernor}},
	{"admin", "admin@demo.test", safeguarding.Roles{safeguarding.RoleAdmin}},
}

// Subject is a kind of subject a concern of the matrix is about: the
// member of staff in the demo school ("" for a pupil), the route the
// concern must get, and a viewer who handles it and so may close it before
// another tries to reopen it.
type Subject struct {
	Name   string
	Email  string
	Route  safeguarding.Route
	Closer string
}

// Subjects are the matrix's concerns, one for each kind of subject.
var Subjects = []Subject{
	{"pupil", "", safeguarding.RouteChild, "DSL"},
	{"staff", "staff01@demo.test", safeguarding.RouteAdult, "DSL"},
	{"DSL", "dsl@demo.test", safeguarding.RouteSafeguardingLead, "principal"},
	{"deputy", "deputy@demo.test", safeguarding.RouteSafeguardingLead, "principal"},
	{"principal", "principal@demo.test", safeguarding.RoutePrincipal, "chair"},
}

// Letters spell the actions in Expected.
var Letters = map[safeguarding.Action]string{
	safeguarding.ActionList:          "L",
	safeguarding.ActionView:          "V",
	safeguarding.ActionAddEntry:      "A",
	safeguarding.ActionTriage:        "T",
	safeguarding.ActionClose:         "C",
	safeguarding.ActionReopen:        "R",
	safeguarding.ActionViewChildFile: "F",
}

// Expected: for each viewer and subject, the letters of the actions allowed
// (L list, V view, A add entry, T triage, C close, R reopen, F view child
// file); every action not written is refused.
var Expected = map[[2]string]string{
	// A pupil: the DSL and deputies handle; the principal reads.
	{"referrer", "pupil"}:    "LVA",
	{"other staff", "pupil"}: "",
	{"DSL", "pupil"}:         "LVATCRF",
	{"deputy", "pupil"}:      "LVATCRF",
	{"principal", "pupil"}:   "LVF",
	{"chair", "pupil"}:       "",
	{"governor", "pupil"}:    "",
	{"admin", "pupil"}:       "",

	// An ordinary member of staff: the principal, the DSL and deputies handle.
	{"referrer", "staff"}:    "LVA",
	{"other staff", "staff"}: "",
	{"DSL", "staff"}:         "LVATCR",
	{"deputy", "staff"}:      "LVATCR",
	{"principal", "staff"}:   "LVATCR",
	{"chair", "staff"}:       "",
	{"governor", "staff"}:    "",
	{"admin", "staff"}:       "",

	// The DSL: the principal only; not the DSL, not the deputies.
	{"referrer", "DSL"}:    "LVA",
	{"other staff", "DSL"}: "",
	{"DSL", "DSL"}:         "",
	{"deputy", "DSL"}:      "",
	{"principal", "DSL"}:   "LVATCR",
	{"chair", "DSL"}:       "",
	{"governor", "DSL"}:    "",
	{"admin", "DSL"}:       "",

	// A deputy: the principal only; not the deputy, not the DSL.
	{"referrer", "deputy"}:    "LVA",
	{"other staff", "deputy"}: "",
	{"DSL", "deputy"}:         "",
	{"deputy", "deputy"}:      "",
	{"principal", "deputy"}:   "LVATCR",
	{"chair", "deputy"}:       "",
	{"governor", "deputy"}:    "",
	{"admin", "deputy"}:       "",

	// The principal: the chair of governors only.
	{"referrer", "principal"}:    "LVA",
	{"other staff", "principal"}: "",
	{"DSL", "principal"}:         "",
	{"deputy", "principal"}:      "",
	{"principal", "principal"}:   "",
	{"chair", "principal"}:       "LVATCR",
	{"governor", "principal"}:    "",
	{"admin", "principal"}:       "",
}

// Allowed reports whether the matrix lets the named viewer do a to the
// concern about the named subject. It panics on a pair the matrix lacks,
// so that a test cannot pass by asking about nobody.
func Allowed(viewer, subject string, a safeguarding.Action) bool {
	allowed, ok := Expected[[2]string{viewer, subject}]
	if !ok {
		panic("accesstest: the matrix has no row for the " + viewer + " and a concern about the " + subject)
	}
	letter, ok := Letters[a]
	if !ok {
		panic("accesstest: the matrix spells no letter for action " + string(a))
	}
	return strings.Contains(allowed, letter)
}

// ViewerNamed returns the matrix's viewer of that name.
func ViewerNamed(name string) Viewer {
	for _, v := range Viewers {
		if v.Name == name {
			return v
		}
	}
	panic("accesstest: no viewer named " + name)
}

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

// Emails are the matrix's viewers' demo-school e-mail addresses, by name.
func Emails() map[string]string {
	emails := map[string]string{}
	for _, v := range Viewers {
		emails[v.Name] = v.Email
	}
	return emails
}

// Subject is a kind of subject a concern of the matrix is about: the
// member of staff in the demo school ("" for a pupil) and their name among
// the matrix's people ("" for a pupil, "staff" for an ordinary member of
// staff), whether a pupil is linked to it (the pupil it is about, or a
// child a concern about an adult involves), the route the concern must
// get, and a viewer who handles it and so may close it before another
// tries to reopen it.
type Subject struct {
	Name   string
	Email  string
	Person string
	Pupil  bool
	Route  safeguarding.Route
	Closer string
}

// Subjects are the matrix's concerns, one for each kind of subject, and
// for each kind of adult one that involves a child as well.
var Subjects = []Subject{
	{Name: "pupil", Pupil: true, Route: safeguarding.RouteChild, Closer: "DSL"},
	{Name: "staff", Email: "staff01@demo.test", Person: "staff", Route: safeguarding.RouteAdult, Closer: "DSL"},
	{Name: "DSL", Email: "dsl@demo.test", Person: "DSL", Route: safeguarding.RouteSafeguardingLead, Closer: "principal"},
	{Name: "deputy", Email: "deputy@demo.test", Person: "deputy", Route: safeguarding.RouteSafeguardingLead, Closer: "principal"},
	{Name: "principal", Email: "principal@demo.test", Person: "principal", Route: safeguarding.RoutePrincipal, Closer: "chair"},
	{Name: "staff, with a child", Email: "staff01@demo.test", Person: "staff", Pupil: true, Route: safeguarding.RouteAdult, Closer: "DSL"},
	{Name: "DSL, with a child", Email: "dsl@demo.test", Person: "DSL", Pupil: true, Route: safeguarding.RouteSafeguardingLead, Closer: "principal"},
	{Name: "principal, with a child", Email: "principal@demo.test", Person: "principal", Pupil: true, Route: safeguarding.RoutePrincipal, Closer: "chair"},
}

// SubjectNamed returns the matrix's subject of that name.
func SubjectNamed(name string) Subject {
	for _, s := range Subjects {
		if s.Name == name {
			return s
		}
	}
	panic("accesstest: no subject named " + name)
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
	safeguarding.ActionMove:          "M",
}

// Expected: for each viewer and subject, the letters of the actions allowed
// (L list, V view, A add entry, T triage, C close, R reopen, M move, F view child
// file: the concern would show on the file of a pupil linked to it, which
// the tests check for the subjects with one); every action not written is
// refused.
var Expected = map[[2]string]string{
	// A pupil: the DSL and deputies handle; the principal reads.
	{"referrer", "pupil"}:    "LVA",
	{"other staff", "pupil"}: "",
	{"DSL", "pupil"}:         "LVATCRFM",
	{"deputy", "pupil"}:      "LVATCRFM",
	{"principal", "pupil"}:   "LVF",
	{"chair", "pupil"}:       "",
	{"governor", "pupil"}:    "",
	{"admin", "pupil"}:       "",

	// An ordinary member of staff: the principal, the DSL and deputies handle.
	{"referrer", "staff"}:    "LVA",
	{"other staff", "staff"}: "",
	{"DSL", "staff"}:         "LVATCRFM",
	{"deputy", "staff"}:      "LVATCRFM",
	{"principal", "staff"}:   "LVATCRFM",
	{"chair", "staff"}:       "",
	{"governor", "staff"}:    "",
	{"admin", "staff"}:       "",

	// The DSL: the principal only; not the DSL, not the deputies.
	{"referrer", "DSL"}:    "LVA",
	{"other staff", "DSL"}: "",
	{"DSL", "DSL"}:         "",
	{"deputy", "DSL"}:      "",
	{"principal", "DSL"}:   "LVATCRFM",
	{"chair", "DSL"}:       "",
	{"governor", "DSL"}:    "",
	{"admin", "DSL"}:       "",

	// A deputy: the principal only; not the deputy, not the DSL.
	{"referrer", "deputy"}:    "LVA",
	{"other staff", "deputy"}: "",
	{"DSL", "deputy"}:         "",
	{"deputy", "deputy"}:      "",
	{"principal", "deputy"}:   "LVATCRFM",
	{"chair", "deputy"}:       "",
	{"governor", "deputy"}:    "",
	{"admin", "deputy"}:       "",

	// The principal: the chair of governors only.
	{"referrer", "principal"}:    "LVA",
	{"other staff", "principal"}: "",
	{"DSL", "principal"}:         "",
	{"deputy", "principal"}:      "",
	{"principal", "principal"}:   "",
	{"chair", "principal"}:       "LVATCRFM",
	{"governor", "principal"}:    "",
	{"admin", "principal"}:       "",

	// An ordinary member of staff, with a child involved: routed by the
	// adult; on the child's file for those who handle it, for no one else.
	{"referrer", "staff, with a child"}:    "LVA",
	{"other staff", "staff, with a child"}: "",
	{"DSL", "staff, with a child"}:         "LVATCRFM",
	{"deputy", "staff, with a child"}:      "LVATCRFM",
	{"principal", "staff, with a child"}:   "LVATCRFM",
	{"chair", "staff, with a child"}:       "",
	{"governor", "staff, with a child"}:    "",
	{"admin", "staff, with a child"}:       "",

	// The DSL, with a child involved: the principal only, on the child's
	// file too; the DSL and deputies, who read the child's file, see
	// nothing of it there.
	{"referrer", "DSL, with a child"}:    "LVA",
	{"other staff", "DSL, with a child"}: "",
	{"DSL", "DSL, with a child"}:         "",
	{"deputy", "DSL, with a child"}:      "",
	{"principal", "DSL, with a child"}:   "LVATCRFM",
	{"chair", "DSL, with a child"}:       "",
	{"governor", "DSL, with a child"}:    "",
	{"admin", "DSL, with a child"}:       "",

	// The principal, with a child involved ("a pupil told me the principal
	// touched him"): the chair only, on the child's file too; the principal,
	// the DSL and deputies find no trace of it on it.
	{"referrer", "principal, with a child"}:    "LVA",
	{"other staff", "principal, with a child"}: "",
	{"DSL", "principal, with a child"}:         "",
	{"deputy", "principal, with a child"}:      "",
	{"principal", "principal, with a child"}:   "",
	{"chair", "principal, with a child"}:       "LVATCRFM",
	{"governor", "principal, with a child"}:    "",
	{"admin", "principal, with a child"}:       "",
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

// ReadsAnnualReport is who of the matrix opens the annual oversight report
// (DESIGN.md "Who uses it"): the governors, the chair, the principal and
// the safeguarding leads. It shows aggregates only, so it opens no concern
// or child to any of them.
var ReadsAnnualReport = map[string]bool{"DSL": true, "deputy": true, "principal": true, "chair": true, "governor": true}

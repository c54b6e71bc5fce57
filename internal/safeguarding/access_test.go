package safeguarding_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The people of one school in the matrix. DSL, deputy and principal are
// staff too, as they are in a real school and in the demo school.
const (
	matrixSchool = 1

	matrixReferrerID   = 10 // the member of staff who logged the concern
	matrixOtherStaffID = 11
	matrixDSLID        = 12
	matrixDeputyID     = 13
	matrixPrincipalID  = 14
	matrixChairID      = 15
	matrixGovernorID   = 16
	matrixAdminID      = 17
	matrixSubjectID    = 18 // an ordinary member of staff a concern is about
)

var matrixViewers = map[string]safeguarding.Viewer{
	"referrer":    {SchoolID: matrixSchool, PersonID: matrixReferrerID, Roles: safeguarding.Roles{safeguarding.RoleStaff}},
	"other staff": {SchoolID: matrixSchool, PersonID: matrixOtherStaffID, Roles: safeguarding.Roles{safeguarding.RoleStaff}},
	"DSL":         {SchoolID: matrixSchool, PersonID: matrixDSLID, Roles: safeguarding.Roles{safeguarding.RoleDSL, safeguarding.RoleStaff}},
	"deputy":      {SchoolID: matrixSchool, PersonID: matrixDeputyID, Roles: safeguarding.Roles{safeguarding.RoleDeputyDSL, safeguarding.RoleStaff}},
	"principal":   {SchoolID: matrixSchool, PersonID: matrixPrincipalID, Roles: safeguarding.Roles{safeguarding.RolePrincipal, safeguarding.RoleStaff}},
	"chair":       {SchoolID: matrixSchool, PersonID: matrixChairID, Roles: safeguarding.Roles{safeguarding.RoleChair}},
	"governor":    {SchoolID: matrixSchool, PersonID: matrixGovernorID, Roles: safeguarding.Roles{safeguarding.RoleGovernor}},
	"admin":       {SchoolID: matrixSchool, PersonID: matrixAdminID, Roles: safeguarding.Roles{safeguarding.RoleAdmin}},
}

// matrixConcerns: one concern per kind of subject, each logged by the
// referrer. The routes are written out here, not computed: RouteFor has its
// own test below.
var matrixConcerns = map[string]safeguarding.ConcernAccess{
	"pupil":     {SchoolID: matrixSchool, Route: safeguarding.RouteChild, LoggedBy: matrixReferrerID},
	"staff":     {SchoolID: matrixSchool, Route: safeguarding.RouteAdult, SubjectPersonID: matrixSubjectID, LoggedBy: matrixReferrerID},
	"DSL":       {SchoolID: matrixSchool, Route: safeguarding.RouteSafeguardingLead, SubjectPersonID: matrixDSLID, LoggedBy: matrixReferrerID},
	"deputy":    {SchoolID: matrixSchool, Route: safeguarding.RouteSafeguardingLead, SubjectPersonID: matrixDeputyID, LoggedBy: matrixReferrerID},
	"principal": {SchoolID: matrixSchool, Route: safeguarding.RoutePrincipal, SubjectPersonID: matrixPrincipalID, LoggedBy: matrixReferrerID},
}

// actionLetters spells an action in the matrix below.
var actionLetters = map[safeguarding.Action]string{
	safeguarding.ActionList:          "L",
	safeguarding.ActionView:          "V",
	safeguarding.ActionAddEntry:      "A",
	safeguarding.ActionTriage:        "T",
	safeguarding.ActionClose:         "C",
	safeguarding.ActionReopen:        "R",
	safeguarding.ActionViewChildFile: "F",
}

// accessMatrix is DESIGN.md's "Who uses it" and "Routing", written out by
// hand: for each viewer and subject, the letters of the actions allowed
// (L list, V view, A add entry, T triage, C close, R reopen, F view child
// file); every action not written is refused.
var accessMatrix = []struct {
	viewer, subject, allowed string
}{
	// A pupil: the DSL and deputies handle; the principal reads.
	{"referrer", "pupil", "LVA"},
	{"other staff", "pupil", ""},
	{"DSL", "pupil", "LVATCRF"},
	{"deputy", "pupil", "LVATCRF"},
	{"principal", "pupil", "LVF"},
	{"chair", "pupil", ""},
	{"governor", "pupil", ""},
	{"admin", "pupil", ""},

	// An ordinary member of staff: the principal, the DSL and deputies handle.
	{"referrer", "staff", "LVA"},
	{"other staff", "staff", ""},
	{"DSL", "staff", "LVATCR"},
	{"deputy", "staff", "LVATCR"},
	{"principal", "staff", "LVATCR"},
	{"chair", "staff", ""},
	{"governor", "staff", ""},
	{"admin", "staff", ""},

	// The DSL: the principal only; not the DSL, not the deputies.
	{"referrer", "DSL", "LVA"},
	{"other staff", "DSL", ""},
	{"DSL", "DSL", ""},
	{"deputy", "DSL", ""},
	{"principal", "DSL", "LVATCR"},
	{"chair", "DSL", ""},
	{"governor", "DSL", ""},
	{"admin", "DSL", ""},

	// A deputy: the principal only; not the deputy, not the DSL.
	{"referrer", "deputy", "LVA"},
	{"other staff", "deputy", ""},
	{"DSL", "deputy", ""},
	{"deputy", "deputy", ""},
	{"principal", "deputy", "LVATCR"},
	{"chair", "deputy", ""},
	{"governor", "deputy", ""},
	{"admin", "deputy", ""},

	// The principal: the chair of governors only.
	{"referrer", "principal", "LVA"},
	{"other staff", "principal", ""},
	{"DSL", "principal", ""},
	{"deputy", "principal", ""},
	{"principal", "principal", ""},
	{"chair", "principal", "LVATCR"},
	{"governor", "principal", ""},
	{"admin", "principal", ""},
}

func TestAccessMatrixCoversEveryCase(t *testing.T) {
	if len(actionLetters) != len(safeguarding.AllActions) {
		t.Fatalf("the matrix spells %d actions; safeguarding.AllActions has %d", len(actionLetters), len(safeguarding.AllActions))
	}
	for _, a := range safeguarding.AllActions {
		if actionLetters[a] == "" {
			t.Errorf("action %q has no letter in the matrix", a)
		}
	}
	seen := map[[2]string]bool{}
	for _, row := range accessMatrix {
		if _, ok := matrixViewers[row.viewer]; !ok {
			t.Errorf("unknown viewer %q", row.viewer)
		}
		if _, ok := matrixConcerns[row.subject]; !ok {
			t.Errorf("unknown subject %q", row.subject)
		}
		key := [2]string{row.viewer, row.subject}
		if seen[key] {
			t.Errorf("%s × %s is in the matrix twice", row.viewer, row.subject)
		}
		seen[key] = true
	}
	if want := len(matrixViewers) * len(matrixConcerns); len(seen) != want {
		t.Errorf("the matrix has %d viewer × subject cases, want %d", len(seen), want)
	}
}

func TestAccessMatrix(t *testing.T) {
	for _, row := range accessMatrix {
		v, c := matrixViewers[row.viewer], matrixConcerns[row.subject]
		for _, a := range safeguarding.AllActions {
			want := strings.Contains(row.allowed, actionLetters[a])
			if got := safeguarding.Can(v, c, a); got != want {
				t.Errorf("%s, concern about the %s (route %s), %s: Can = %v, want %v", row.viewer, row.subject, c.Route, a, got, want)
			}
		}
	}
}

func TestAccessAcrossSchools(t *testing.T) {
	// The same person ids and roles in another school see nothing.
	for name, v := range matrixViewers {
		v.SchoolID = matrixSchool + 1
		for subject, c := range matrixConcerns {
			for _, a := range safeguarding.AllActions {
				if safeguarding.Can(v, c, a) {
					t.Errorf("%s of another matrixSchool may %s the concern about the %s", name, a, subject)
				}
			}
		}
	}
	// Nor does a viewer with no person.
	nobody := safeguarding.Viewer{SchoolID: matrixSchool, Roles: safeguarding.Roles{safeguarding.RoleDSL, safeguarding.RolePrincipal, safeguarding.RoleChair}}
	for subject, c := range matrixConcerns {
		for _, a := range safeguarding.AllActions {
			if safeguarding.Can(nobody, c, a) {
				t.Errorf("a viewer with no person may %s the concern about the %s", a, subject)
			}
		}
	}
}

func TestAccessSubjectSeesNothingEvenIfTheyLoggedIt(t *testing.T) {
	cases := []struct {
		name   string
		viewer safeguarding.Viewer
		route  safeguarding.Route
	}{
		{"staff", safeguarding.Viewer{SchoolID: matrixSchool, PersonID: matrixSubjectID, Roles: safeguarding.Roles{safeguarding.RoleStaff}}, safeguarding.RouteAdult},
		{"DSL", matrixViewers["DSL"], safeguarding.RouteSafeguardingLead},
		{"deputy", matrixViewers["deputy"], safeguarding.RouteSafeguardingLead},
		{"principal", matrixViewers["principal"], safeguarding.RoutePrincipal},
		// A principal who is also the DSL: still the subject.
		{"principal and DSL", safeguarding.Viewer{SchoolID: matrixSchool, PersonID: 19,
			Roles: safeguarding.Roles{safeguarding.RolePrincipal, safeguarding.RoleDSL, safeguarding.RoleStaff}}, safeguarding.RoutePrincipal},
		// A chair who is somehow the subject of an adult-route concern.
		{"chair", matrixViewers["chair"], safeguarding.RouteAdult},
	}
	for _, tc := range cases {
		c := safeguarding.ConcernAccess{SchoolID: matrixSchool, Route: tc.route, SubjectPersonID: tc.viewer.PersonID, LoggedBy: tc.viewer.PersonID}
		for _, a := range safeguarding.AllActions {
			if safeguarding.Can(tc.viewer, c, a) {
				t.Errorf("the %s, subject of a concern they logged themselves (route %s), may %s it", tc.name, tc.route, a)
			}
		}
		if safeguarding.SeesFullRecord(tc.viewer, c) {
			t.Errorf("the %s sees the full record of a concern about themselves", tc.name)
		}
	}
}

func TestAccessRouteFor(t *testing.T) {
	r := func(rs ...safeguarding.Role) safeguarding.Roles { return rs }
	cases := []struct {
		kind  safeguarding.SubjectKind
		roles safeguarding.Roles
		want  safeguarding.Route
	}{
		{safeguarding.SubjectPupils, nil, safeguarding.RouteChild},
		// Roles given with pupils mean nothing: a pupil holds none.
		{safeguarding.SubjectPupils, r(safeguarding.RolePrincipal), safeguarding.RouteChild},
		{safeguarding.SubjectStaff, r(safeguarding.RoleStaff), safeguarding.RouteAdult},
		{safeguarding.SubjectStaff, nil, safeguarding.RouteAdult},
		{safeguarding.SubjectStaff, r(safeguarding.RoleAdmin), safeguarding.RouteAdult},
		{safeguarding.SubjectStaff, r(safeguarding.RoleGovernor), safeguarding.RouteAdult},
		{safeguarding.SubjectStaff, r(safeguarding.RoleChair), safeguarding.RouteAdult},
		{safeguarding.SubjectStaff, r(safeguarding.RoleDSL, safeguarding.RoleStaff), safeguarding.RouteSafeguardingLead},
		{safeguarding.SubjectStaff, r(safeguarding.RoleDeputyDSL), safeguarding.RouteSafeguardingLead},
		{safeguarding.SubjectStaff, r(safeguarding.RolePrincipal, safeguarding.RoleStaff), safeguarding.RoutePrincipal},
		// The principal who is also the DSL is the principal: the chair handles it.
		{safeguarding.SubjectStaff, r(safeguarding.RolePrincipal, safeguarding.RoleDSL), safeguarding.RoutePrincipal},
		{safeguarding.SubjectStaff, r(safeguarding.RoleDSL, safeguarding.RolePrincipal), safeguarding.RoutePrincipal},
		{safeguarding.SubjectOtherAdult, nil, safeguarding.RouteAdult},
		{safeguarding.SubjectOtherAdult, r(safeguarding.RolePrincipal), safeguarding.RouteAdult},
	}
	for _, tc := range cases {
		if got := safeguarding.RouteFor(tc.kind, tc.roles); got != tc.want {
			t.Errorf("RouteFor(%s, %v) = %s, want %s", tc.kind, tc.roles, got, tc.want)
		}
	}
}

func TestAccessSeesFullRecord(t *testing.T) {
	cases := []struct {
		viewer, subject string
		want            bool
	}{
		{"referrer", "pupil", false},
		{"referrer", "staff", false},
		{"referrer", "principal", false},
		{"principal", "pupil", true},
		{"DSL", "pupil", true},
		{"deputy", "pupil", true},
		{"DSL", "staff", true},
		{"principal", "staff", true},
		{"principal", "DSL", true},
		{"principal", "principal", false},
		{"DSL", "principal", false},
		{"chair", "principal", true},
		{"chair", "pupil", false},
		{"other staff", "pupil", false},
		{"governor", "pupil", false},
		{"admin", "staff", false},
	}
	for _, tc := range cases {
		if got := safeguarding.SeesFullRecord(matrixViewers[tc.viewer], matrixConcerns[tc.subject]); got != tc.want {
			t.Errorf("SeesFullRecord(%s, concern about the %s) = %v, want %v", tc.viewer, tc.subject, got, tc.want)
		}
	}
	// A DSL who logged a concern about a pupil sees its whole record.
	dsl := matrixViewers["DSL"]
	own := safeguarding.ConcernAccess{SchoolID: matrixSchool, Route: safeguarding.RouteChild, LoggedBy: dsl.PersonID}
	if !safeguarding.SeesFullRecord(dsl, own) {
		t.Error("the DSL does not see the full record of a concern about a pupil that they logged")
	}
}

func TestAccessVisibleRoutes(t *testing.T) {
	cases := []struct {
		viewer string
		want   []safeguarding.Route
	}{
		{"referrer", nil},
		{"DSL", []safeguarding.Route{safeguarding.RouteChild, safeguarding.RouteAdult}},
		{"deputy", []safeguarding.Route{safeguarding.RouteChild, safeguarding.RouteAdult}},
		{"principal", []safeguarding.Route{safeguarding.RouteChild, safeguarding.RouteAdult, safeguarding.RouteSafeguardingLead}},
		{"chair", []safeguarding.Route{safeguarding.RoutePrincipal}},
		{"governor", nil},
		{"admin", nil},
	}
	for _, tc := range cases {
		if got := safeguarding.VisibleRoutes(matrixViewers[tc.viewer].Roles); !slices.Equal(got, tc.want) {
			t.Errorf("VisibleRoutes(%s) = %v, want %v", tc.viewer, got, tc.want)
		}
	}
}

package safeguarding_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// The matrix's school, and the ids of its people: accesstest's viewers are
// numbered from matrixReferrerID in its order.
const (
	matrixSchool     = 1
	matrixReferrerID = 10 // the member of staff who logged the concern
	matrixSubjectID  = 18 // an ordinary member of staff a concern is about
)

// matrixViewers are accesstest's viewers in this school, each with an id of
// their own (matrixReferrerID onwards, in the fixture's order).
var matrixViewers = func() map[string]safeguarding.Viewer {
	vs := map[string]safeguarding.Viewer{}
	for i, v := range accesstest.Viewers {
		vs[v.Name] = safeguarding.Viewer{SchoolID: matrixSchool, PersonID: matrixReferrerID + int64(i), Roles: v.Roles}
	}
	return vs
}()

// matrixConcerns: one concern per kind of subject, each logged by the
// referrer, on the route accesstest writes out for it (RouteFor has its own
// test below). The subject is the viewer of the same name, or an ordinary
// member of staff.
var matrixConcerns = func() map[string]safeguarding.ConcernAccess {
	cs := map[string]safeguarding.ConcernAccess{}
	for _, s := range accesstest.Subjects {
		c := safeguarding.ConcernAccess{SchoolID: matrixSchool, Route: s.Route, LoggedBy: matrixReferrerID}
		switch s.Person {
		case "":
		case "staff":
			c.SubjectPersonID = matrixSubjectID
		default:
			c.SubjectPersonID = matrixViewers[s.Person].PersonID
		}
		cs[s.Name] = c
	}
	return cs
}()

func TestAccessMatrixCoversEveryCase(t *testing.T) {
	if len(accesstest.Letters) != len(safeguarding.AllActions) {
		t.Fatalf("the matrix spells %d actions; safeguarding.AllActions has %d", len(accesstest.Letters), len(safeguarding.AllActions))
	}
	for _, a := range safeguarding.AllActions {
		if accesstest.Letters[a] == "" {
			t.Errorf("action %q has no letter in the matrix", a)
		}
	}
	for key := range accesstest.Expected {
		if _, ok := matrixViewers[key[0]]; !ok {
			t.Errorf("unknown viewer %q", key[0])
		}
		if _, ok := matrixConcerns[key[1]]; !ok {
			t.Errorf("unknown subject %q", key[1])
		}
	}
	if want := len(matrixViewers) * len(matrixConcerns); len(accesstest.Expected) != want {
		t.Errorf("the matrix has %d viewer × subject cases, want %d", len(accesstest.Expected), want)
	}
}

func TestAccessMatrix(t *testing.T) {
	for viewer, v := range matrixViewers {
		for subject, c := range matrixConcerns {
			for _, a := range safeguarding.AllActions {
				want := accesstest.Allowed(viewer, subject, a)
				if got := safeguarding.Can(v, c, a); got != want {
					t.Errorf("%s, concern about the %s (route %s), %s: Can = %v, want %v", viewer, subject, c.Route, a, got, want)
				}
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

// WhoSees names, for every route, the case handlers Handles gives and no
// one else, in the words a member of staff reads on the form.
func TestWhoSees(t *testing.T) {
	cases := []struct {
		route     safeguarding.Route
		says, not []string
	}{
		{safeguarding.RouteChild, []string{"Designated Safeguarding Lead (DSL)", "deputy DSLs will see it", "principal may read it"}, []string{"chair", "Only"}},
		{safeguarding.RouteAdult, []string{"principal, the DSL and the deputy DSLs will see it", "person it is about will not"}, []string{"chair", "Only"}},
		{safeguarding.RoutePrincipal, []string{"Only the chair of governors will see it", "principal, the DSL and the deputy DSLs will not"}, []string{"principal will see", "DSL will see"}},
		{safeguarding.RouteSafeguardingLead, []string{"Only the principal will see it", "DSL and the deputy DSLs will not"}, []string{"chair", "DSL will see"}},
	}
	for _, tc := range cases {
		got := safeguarding.WhoSees(tc.route)
		for _, want := range tc.says {
			if !strings.Contains(got, want) {
				t.Errorf("WhoSees(%s) = %q, want it to say %q", tc.route, got, want)
			}
		}
		for _, not := range tc.not {
			if strings.Contains(got, not) {
				t.Errorf("WhoSees(%s) = %q, must not say %q", tc.route, got, not)
			}
		}
	}
}

// MayReadAnnualReport admits exactly whom the matrix says opens the report.
func TestMayReadAnnualReport(t *testing.T) {
	for _, v := range accesstest.Viewers {
		if got := safeguarding.MayReadAnnualReport(v.Roles); got != accesstest.ReadsAnnualReport[v.Name] {
			t.Errorf("%s (%v) may read the annual report: %v, want %v", v.Name, v.Roles, got, accesstest.ReadsAnnualReport[v.Name])
		}
	}
	if safeguarding.MayReadAnnualReport(nil) {
		t.Error("someone with no role may read the annual report")
	}
}

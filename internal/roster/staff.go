package roster

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/havenapp/haven/internal/safeguarding"
)

// StaffMember is one person as a staff roster file gives them.
type StaffMember struct {
	Line     int
	Email    string // lower-case
	Name     string
	JobTitle string
	Roles    safeguarding.Roles // in safeguarding.AllRoles order; staff when the file gives none

	// givenJobTitle and givenRoles say whether the file has those columns:
	// without one, a person already in the school keeps theirs.
	givenJobTitle, givenRoles bool
}

const maxJobTitleChars = 100

var staffFields = makeFields([]fieldSpec{
	{"email", "e-mail address", true},
	{"name", "name", false},
	{"staff_first_name", "first name", false},
	{"staff_last_name", "last name", false},
	{"job_title", "job title", false},
	{"roles", "roles", false},
})

// ParseStaff reads a staff roster: every line, every problem, in file
// order. The name is a "Name" column, or first and last name columns.
func ParseStaff(data []byte) ([]StaffMember, []Problem) {
	t := readTable(data, staffFields)
	if t.columns != nil && !t.has("name") && !(t.has("staff_first_name") && t.has("staff_last_name")) {
		t.problems = append(t.problems, Problem{Line: 1, Message: "No column for the name: name one “Name” or “Full Name”, or give “First Name” and “Last Name”"})
	}
	if len(t.problems) > 0 && t.columns == nil || hasHeaderProblem(t.problems) {
		return nil, sortProblems(t.problems)
	}
	var (
		staff     []StaffMember
		problems  = t.problems
		emailLine = map[string]int{}
	)
	for i := range t.rows {
		m, ps := parseStaffMember(&t, i)
		if len(ps) == 0 {
			if first, dup := emailLine[m.Email]; dup {
				v, col, _ := t.value(i, "email")
				ps = append(ps, Problem{Line: m.Line, Column: col, Value: v, Message: fmt.Sprintf("This e-mail address is also on line %d: each person once", first)})
			} else {
				emailLine[m.Email] = m.Line
			}
		}
		problems = append(problems, ps...)
		staff = append(staff, m)
	}
	if len(staff) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Message: "The file has a header line but no staff"})
	}
	return staff, sortProblems(problems)
}

func parseStaffMember(t *table, i int) (StaffMember, []Problem) {
	m := StaffMember{Line: t.lines[i], givenJobTitle: t.has("job_title"), givenRoles: t.has("roles")}
	var problems []Problem
	bad := func(key, message string) {
		v, col, _ := t.value(i, key)
		problems = append(problems, Problem{Line: m.Line, Column: col, Value: v, Message: message})
	}
	get := func(key string) string { v, _, _ := t.value(i, key); return v }

	email := strings.ToLower(get("email"))
	switch a, err := mail.ParseAddress(email); {
	case email == "":
		bad("email", "Enter the person's e-mail address")
	case err != nil || a.Address != email || a.Name != "":
		bad("email", "Enter an e-mail address in the form name@school.example")
	}
	m.Email = email

	if t.has("name") {
		m.Name = collapseSpaces(get("name"))
	}
	if m.Name == "" && t.has("staff_first_name") {
		m.Name = collapseSpaces(get("staff_first_name") + " " + get("staff_last_name"))
	}
	nameKey := "name"
	if !t.has("name") {
		nameKey = "staff_first_name"
	}
	switch {
	case m.Name == "":
		bad(nameKey, "Enter the person's name")
	case len([]rune(m.Name)) > 2*maxNameChars:
		bad(nameKey, fmt.Sprintf("The name must be %d characters or fewer", 2*maxNameChars))
	}

	m.JobTitle = collapseSpaces(get("job_title"))
	if len([]rune(m.JobTitle)) > maxJobTitleChars {
		bad("job_title", fmt.Sprintf("The job title must be %d characters or fewer", maxJobTitleChars))
	}

	roles, unknown := ParseRoles(get("roles"))
	if unknown != "" {
		bad("roles", fmt.Sprintf("%q is not a role Haven knows: use staff, DSL, deputy DSL, principal, chair, governor or administrator", unknown))
	}
	m.Roles = roles
	return m, problems
}

// roleWords maps the words schools use for a role, folded as headers are,
// to Haven's roles.
var roleWords = map[string]safeguarding.Role{
	"staff": safeguarding.RoleStaff, "teacher": safeguarding.RoleStaff, "teachingassistant": safeguarding.RoleStaff,
	"ta": safeguarding.RoleStaff, "supportstaff": safeguarding.RoleStaff, "support": safeguarding.RoleStaff,
	"volunteer": safeguarding.RoleStaff, "member": safeguarding.RoleStaff, "staffmember": safeguarding.RoleStaff,

	"dsl": safeguarding.RoleDSL, "designatedsafeguardinglead": safeguarding.RoleDSL, "safeguardinglead": safeguarding.RoleDSL,

	"deputydsl": safeguarding.RoleDeputyDSL, "deputy": safeguarding.RoleDeputyDSL, "ddsl": safeguarding.RoleDeputyDSL,
	"deputydesignatedsafeguardinglead": safeguarding.RoleDeputyDSL, "deputysafeguardinglead": safeguarding.RoleDeputyDSL,

	"principal": safeguarding.RolePrincipal, "headteacher": safeguarding.RolePrincipal, "head": safeguarding.RolePrincipal,
	"headofschool": safeguarding.RolePrincipal, "executiveheadteacher": safeguarding.RolePrincipal,

	"chair": safeguarding.RoleChair, "chairofgovernors": safeguarding.RoleChair, "chairofthegoverningbody": safeguarding.RoleChair,

	"governor": safeguarding.RoleGovernor, "trustee": safeguarding.RoleGovernor,

	"admin": safeguarding.RoleAdmin, "administrator": safeguarding.RoleAdmin, "schooladministrator": safeguarding.RoleAdmin,
	"havenadministrator": safeguarding.RoleAdmin, "havenadmin": safeguarding.RoleAdmin,
}

// ParseRoles reads a list of roles separated by semicolons, commas,
// slashes, bars or "and" ("DSL; Staff", "dsl,staff"), in the words schools
// use ("Headteacher", "Deputy DSL"). None gives staff. unknown is the first
// word that names no role, "" when every one does.
func ParseRoles(s string) (roles safeguarding.Roles, unknown string) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(";,/|+&", r) })
	var words []string
	for _, p := range parts {
		for _, w := range strings.Split(" "+strings.ToLower(p)+" ", " and ") {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
	}
	for _, w := range words {
		r, ok := roleWords[normaliseHeader(w)]
		if !ok {
			return nil, w
		}
		if !roles.Has(r) {
			roles = append(roles, r)
		}
	}
	if len(roles) == 0 {
		roles = safeguarding.Roles{safeguarding.RoleStaff}
	}
	slices.SortFunc(roles, func(a, b safeguarding.Role) int {
		return slices.Index(safeguarding.AllRoles, a) - slices.Index(safeguarding.AllRoles, b)
	})
	return roles, ""
}

// sortProblems orders problems by line, keeping the order within a line.
func sortProblems(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
	return ps
}

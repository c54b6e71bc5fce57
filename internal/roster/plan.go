package roster

import (
	"slices"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// CurrentPupil is a pupil already on the school's roster, active or left.
type CurrentPupil struct {
	ID     int64
	Active bool
	Pupil  // Line unused
}

// PupilChange is a pupil on the roster whose record the file changes, or
// who left and is back.
type PupilChange struct {
	ID    int64
	Pupil Pupil
}

// PupilPlan is what importing a pupil file would do.
type PupilPlan struct {
	New       []Pupil
	Changed   []PupilChange
	Unchanged int
	// Leaving are the active pupils the file does not hold: marked left
	// (never deleted) unless LeavingHeld.
	Leaving []int64
	// LeavingHeld is true when the file holds fewer than half as many
	// pupils as are on the roster: more likely part of the roster (one
	// year group, a filtered export) than a school that lost half its
	// pupils, so nobody is marked left.
	LeavingHeld bool
}

// MarksLeft is how many pupils the import marks left.
func (p PupilPlan) MarksLeft() int {
	if p.LeavingHeld {
		return 0
	}
	return len(p.Leaving)
}

// PlanPupils works out what importing file would do to current. A pupil
// of the file is the roster's pupil with the same UPN; failing that, the
// one with the same legal names (ignoring case) and date of birth whose UPN
// is unset or the same. A file line without a UPN keeps the UPN the roster
// has, and a file without an optional column (preferred names,
// registration group, a flag) keeps what the roster has for it. Importing
// the same file twice plans nothing the second time.
func PlanPupils(current []CurrentPupil, file []Pupil) PupilPlan {
	byUPN := map[string]int{}
	byKey := map[string][]int{}
	active := 0
	for i, c := range current {
		if c.UPN != "" {
			byUPN[c.UPN] = i
		}
		k := c.matchKey()
		byKey[k] = append(byKey[k], i)
		if c.Active {
			active++
		}
	}
	matched := make([]bool, len(current))
	var plan PupilPlan
	for _, p := range file {
		i, ok := -1, false
		if p.UPN != "" {
			i, ok = byUPN[p.UPN]
		}
		if !ok {
			for _, j := range byKey[p.matchKey()] {
				if !matched[j] && (current[j].UPN == "" || p.UPN == "" || current[j].UPN == p.UPN) {
					i, ok = j, true
					break
				}
			}
		}
		if !ok || matched[i] {
			plan.New = append(plan.New, p)
			continue
		}
		matched[i] = true
		c := current[i]
		p = keepOmitted(c.Pupil, p)
		if c.Active && samePupil(c.Pupil, p) {
			plan.Unchanged++
			continue
		}
		plan.Changed = append(plan.Changed, PupilChange{ID: c.ID, Pupil: p})
	}
	for i, c := range current {
		if c.Active && !matched[i] {
			plan.Leaving = append(plan.Leaving, c.ID)
		}
	}
	plan.LeavingHeld = len(plan.Leaving) > 0 && 2*len(file) < active
	return plan
}

// SameRecord reports whether p and q hold the same record, wherever in
// their files they were.
func (p Pupil) SameRecord(q Pupil) bool { return samePupil(p, q) }

// samePupil reports whether a and b hold the same record, lines aside.
func samePupil(a, b Pupil) bool {
	if !a.DateOfBirth.Equal(b.DateOfBirth) {
		return false
	}
	a.Line, b.Line = 0, 0
	a.given, b.given = 0, 0
	a.DateOfBirth, b.DateOfBirth = time.Time{}, time.Time{}
	return a == b
}

// CurrentPerson is a person already in the school.
type CurrentPerson struct {
	ID       int64
	Email    string
	Name     string
	JobTitle string
	Roles    safeguarding.Roles
	Active   bool
}

// PersonChange is a person whose name, job title or roles the file changes.
type PersonChange struct {
	ID     int64
	Member StaffMember
}

// StaffPlan is what importing a staff file would do. An import never
// deactivates anyone: a person missing from the file is left as they are.
type StaffPlan struct {
	// New people have no password: they need an invitation from the
	// People page before they can sign in.
	New       []StaffMember
	Changed   []PersonChange
	Unchanged int
}

// PlanStaff works out what importing file would do to current, matching
// people by e-mail address. importer is the person importing (0 from the
// command line): the file may not take away their own administrator role,
// which would lock them out of the page they are using.
func PlanStaff(current []CurrentPerson, file []StaffMember, importer int64) (StaffPlan, []Problem) {
	byEmail := make(map[string]CurrentPerson, len(current))
	for _, c := range current {
		byEmail[c.Email] = c
	}
	var plan StaffPlan
	var problems []Problem
	for _, m := range file {
		c, ok := byEmail[m.Email]
		if !ok {
			plan.New = append(plan.New, m)
			continue
		}
		// A file without a job title or roles column changes neither.
		if !m.givenJobTitle {
			m.JobTitle = c.JobTitle
		}
		if !m.givenRoles {
			m.Roles = c.Roles
		}
		if c.ID == importer && c.Roles.Has(safeguarding.RoleAdmin) && !m.Roles.Has(safeguarding.RoleAdmin) {
			problems = append(problems, Problem{Line: m.Line, Column: "", Value: m.Email,
				Message: "This line would take away your own administrator role: add “admin” to your roles"})
			continue
		}
		if c.Name == m.Name && c.JobTitle == m.JobTitle && sameRoles(c.Roles, m.Roles) {
			plan.Unchanged++
			continue
		}
		plan.Changed = append(plan.Changed, PersonChange{ID: c.ID, Member: m})
	}
	return plan, problems
}

func sameRoles(a, b safeguarding.Roles) bool {
	if len(a) != len(b) {
		return false
	}
	for _, r := range a {
		if !slices.Contains(b, r) {
			return false
		}
	}
	return true
}

// Package demo builds a fictional college, Haven Demo College, so that every
// page of a fresh `make run` has something true to show. Every name is
// invented; the generator is seeded, so two loads give the same school.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// SchoolName is the demo school's name.
const SchoolName = "Haven Demo College"

// Account is one of the demo sign-ins, one for every role.
type Account struct {
	Email    string
	Name     string
	JobTitle string
	Role     safeguarding.Role
}

// Accounts are the demo sign-ins, printed by `make run`.
var Accounts = []Account{
	{"staff@demo.test", "Sam Teacher", "Teacher of English", safeguarding.RoleStaff},
	{"dsl@demo.test", "Dana Lead", "Designated Safeguarding Lead", safeguarding.RoleDSL},
	{"deputy@demo.test", "Dev Deputy", "Deputy Designated Safeguarding Lead", safeguarding.RoleDeputyDSL},
	{"principal@demo.test", "Pat Principal", "Principal", safeguarding.RolePrincipal},
	{"chair@demo.test", "Chris Chair", "Chair of Governors", safeguarding.RoleChair},
	{"governor@demo.test", "Gail Governor", "Governor", safeguarding.RoleGovernor},
	{"admin@demo.test", "Alex Admin", "Data Manager", safeguarding.RoleAdmin},
}

// SecondSchoolName is a second, small demo school in the same Haven: a
// pupil's child-protection file can be transferred to it from the demo
// school (docs/transfer.md).
const SecondSchoolName = "Haven Second Demo School"

// SecondAccounts are the second school's sign-ins: its DSL, who imports a
// transferred file and confirms its receipt.
var SecondAccounts = []Account{
	{"dsl@second.demo.test", "Noor Receiver", "Designated Safeguarding Lead", safeguarding.RoleDSL},
}

// knownAs are the names some demo accounts go by: a concern about "another
// adult" typed with one of them is recognised as about that member of staff.
var knownAs = map[string]string{"principal@demo.test": "Patty", "dsl@demo.test": "Dee", "staff@demo.test": "Sammy"}

var firstNames = []string{"Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo",
	"Freya", "Oscar", "Lily", "Harry", "Florence", "Muhammad", "Willow", "Jack", "Rosie", "Charlie",
	"Sophia", "Freddie", "Grace", "Alfie", "Evie", "Theodore", "Poppy", "Thomas", "Ella", "Jacob",
	"Aisha", "Kai", "Zara", "Ibrahim", "Maya", "Yusuf", "Chloe", "Reuben", "Priya", "Tomasz"}

var lastNames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
	"Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
	"Khan", "Ahmed", "Nowak", "Okafor", "Begum", "Murphy", "O'Brien", "Kowalski", "Singh", "Ali"}

var staffTitles = []string{"Teacher of Maths", "Teacher of Science", "Teacher of History", "Teaching Assistant",
	"Head of Year 9", "Head of Year 11", "Learning Mentor", "Teacher of PE", "SENCO", "Receptionist",
	"Teacher of Art", "Librarian", "Site Manager", "Attendance Officer", "Teacher of Computing"}

// School is the demo school as Load made it: the people in its history
// and the pupils it is about.
type School struct {
	ID     int64
	People map[string]Person       // by e-mail address
	Pupils []safeguarding.PupilRef // in the order they were added
}

// Person is one of the demo school's people.
type Person struct {
	ID   int64
	Name string
}

// Load fills an empty database with the demo school, every account with the
// given password.
func Load(ctx context.Context, db *postgres.DB, demoPassword string) (School, error) {
	rng := rand.New(rand.NewPCG(2026, 9))
	hash, err := password.Hash(demoPassword)
	if err != nil {
		return School{}, err
	}
	schoolID, err := db.CreateSchool(ctx, SchoolName)
	if err != nil {
		return School{}, err
	}
	school := School{ID: schoolID, People: map[string]Person{}}
	addPerson := func(in postgres.PersonInput) error {
		id, err := db.CreatePerson(ctx, in)
		if err != nil {
			return err
		}
		school.People[in.Email] = Person{ID: id, Name: in.FullName}
		return nil
	}
	thisYear := time.Now().Year()
	if time.Now().Month() < time.September {
		thisYear--
	}
	for _, a := range Accounts {
		roles := []safeguarding.Role{a.Role}
		if a.Role == safeguarding.RoleDSL || a.Role == safeguarding.RoleDeputyDSL || a.Role == safeguarding.RolePrincipal {
			roles = append(roles, safeguarding.RoleStaff) // they are staff too and may log concerns
		}
		if err := addPerson(postgres.PersonInput{SchoolID: schoolID, Email: a.Email, FullName: a.Name,
			JobTitle: a.JobTitle, KnownAs: knownAs[a.Email], PasswordHash: hash, Roles: roles, StartedOn: startedOn(a.Email, thisYear)}); err != nil {
			return School{}, fmt.Errorf("demo account %s: %w", a.Email, err)
		}
	}
	// The rest of the staff room: on the roster, able to sign in with the demo password.
	for i := range 33 {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		email := fmt.Sprintf("staff%02d@demo.test", i+1)
		if err := addPerson(postgres.PersonInput{SchoolID: schoolID, Email: email, FullName: first + " " + last,
			JobTitle: staffTitles[rng.IntN(len(staffTitles))], PasswordHash: hash, Roles: []safeguarding.Role{safeguarding.RoleStaff},
			StartedOn: startedOn(email, thisYear)}); err != nil {
			return School{}, fmt.Errorf("demo staff %s: %w", email, err)
		}
	}
	// About 43 pupils a year in years 7 to 13: 301 pupils.
	var pupils []postgres.PupilInput
	for year := 7; year <= 13; year++ {
		for i := range 43 {
			// A child in year Y turned Y+5 before the 1 September that started this academic year.
			born := time.Date(thisYear-year-5, time.September, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -rng.IntN(365)-1)
			pupils = append(pupils, postgres.PupilInput{FirstName: firstNames[rng.IntN(len(firstNames))],
				LastName: lastNames[rng.IntN(len(lastNames))], YearGroup: year, DateOfBirth: born,
				RegistrationGroup: registrationGroup(year, i)})
		}
	}
	ids, err := db.AddPupils(ctx, schoolID, pupils)
	if err != nil {
		return School{}, err
	}
	for i, p := range pupils {
		school.Pupils = append(school.Pupils, safeguarding.PupilRef{ID: ids[i], FirstName: p.FirstName, LastName: p.LastName, YearGroup: p.YearGroup})
	}
	if err := loadSecondSchool(ctx, db, hash); err != nil {
		return School{}, err
	}
	if err := loadPolicies(ctx, db, schoolID, time.Now()); err != nil {
		return School{}, err
	}
	// The training register, imported as `haven import training` would.
	if _, problems, err := db.ImportTraining(ctx, safeguarding.Viewer{SchoolID: schoolID}, trainingRecords(thisYear, time.Now()), true, ""); err != nil || len(problems) > 0 {
		return School{}, fmt.Errorf("demo training: %v %v", err, problems)
	}
	return school, nil
}

// registrationGroup is the demo pupil's tutor group: years 7 to 11 in
// forms named for the year and a house letter ("9H"), the sixth form in
// tutor groups named for the year and the tutor's initials ("12WD"). It is
// drawn from the pupil's place, not the random source, so that adding it
// left every other demo name and date as it was.
func registrationGroup(year, i int) string {
	if year >= 12 {
		tutors := []string{"WD", "KP", "SM"}
		return fmt.Sprintf("%d%s", year, tutors[i%len(tutors)])
	}
	houses := []string{"H", "N", "S", "W"}
	return fmt.Sprintf("%d%s", year, houses[i%len(houses)])
}

// loadSecondSchool adds the second demo school with its accounts (hash is
// the demo password's) and no pupils: the first it has arrive by transfer.
func loadSecondSchool(ctx context.Context, db *postgres.DB, hash string) error {
	id, err := db.CreateSchool(ctx, SecondSchoolName)
	if err != nil {
		return err
	}
	for _, a := range SecondAccounts {
		if _, err := db.CreatePerson(ctx, postgres.PersonInput{SchoolID: id, Email: a.Email, FullName: a.Name, JobTitle: a.JobTitle,
			PasswordHash: hash, Roles: []safeguarding.Role{a.Role, safeguarding.RoleStaff}}); err != nil {
			return fmt.Errorf("demo account %s: %w", a.Email, err)
		}
	}
	return nil
}

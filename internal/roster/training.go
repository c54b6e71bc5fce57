package roster

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TrainingRow is one training record as a training file gives it
// (docs/training.md): whose (by e-mail), what, when, from whom.
type TrainingRow struct {
	Line        int
	Email       string // lower-case
	Kind        safeguarding.TrainingKind
	CompletedOn time.Time
	Provider    string
	Notes       string
}

const (
	maxProviderChars = 200
	maxNotesChars    = 2000
)

var trainingFields = makeFields([]fieldSpec{
	{"email", "e-mail address", true},
	{"training_kind", "type of training", true},
	{"training_date", "date completed", true},
	{"training_provider", "provider", false},
	{"training_notes", "notes", false},
})

// TrainingColumns are the columns a training file may have.
func TrainingColumns() []Column { return columns(trainingFields) }

// ParseTraining reads a training file: every line, every problem, in file
// order. A date after today is a problem: training is recorded once done.
// The same person, type and date twice in the file is one record.
func ParseTraining(data []byte, today time.Time) ([]TrainingRow, []Problem) {
	t := readTable(data, trainingFields)
	if len(t.problems) > 0 && t.columns == nil || hasHeaderProblem(t.problems) {
		return nil, sortProblems(t.problems)
	}
	var rows []TrainingRow
	problems := t.problems
	seen := map[string]bool{}
	for i := range t.rows {
		r, ps := parseTrainingRow(&t, i, today)
		problems = append(problems, ps...)
		if len(ps) == 0 {
			if k := r.Key(); !seen[k] {
				seen[k] = true
				rows = append(rows, r)
			}
		}
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Message: "The file has a header line but no training"})
	}
	return rows, sortProblems(problems)
}

// Key is what makes two records the same: the person, the type and the day.
func (r TrainingRow) Key() string {
	return TrainingKey(r.Email, r.Kind, r.CompletedOn)
}

// TrainingKey is the key of a record of the person with this e-mail.
func TrainingKey(email string, kind safeguarding.TrainingKind, on time.Time) string {
	return email + "\x00" + string(kind) + "\x00" + on.Format(time.DateOnly)
}

func parseTrainingRow(t *table, i int, today time.Time) (TrainingRow, []Problem) {
	r := TrainingRow{Line: t.lines[i]}
	var problems []Problem
	bad := func(key, message string) {
		v, col, _ := t.value(i, key)
		problems = append(problems, Problem{Line: r.Line, Column: col, Value: v, Message: message})
	}
	get := func(key string) string { v, _, _ := t.value(i, key); return v }

	email := strings.ToLower(get("email"))
	switch a, err := mail.ParseAddress(email); {
	case email == "":
		bad("email", "Enter the person's e-mail address")
	case err != nil || a.Address != email || a.Name != "":
		bad("email", "Enter an e-mail address in the form name@school.example")
	}
	r.Email = email

	kind, ok := safeguarding.ParseTrainingKind(get("training_kind"))
	switch {
	case get("training_kind") == "":
		bad("training_kind", "Enter the type of training")
	case !ok:
		bad("training_kind", "Use one of: induction, annual update, DSL training, online safety, other")
	}
	r.Kind = kind

	date, ok := ParseDate(get("training_date"))
	switch {
	case get("training_date") == "":
		bad("training_date", "Enter the date the training was completed")
	case !ok:
		bad("training_date", "Enter a real date, as 2025-09-01 or 01/09/2025")
	case date.After(safeguarding.Day(today)):
		bad("training_date", "The date must be today or in the past")
	}
	r.CompletedOn = date

	r.Provider = collapseSpaces(get("training_provider"))
	if len([]rune(r.Provider)) > maxProviderChars {
		bad("training_provider", fmt.Sprintf("The provider must be %d characters or fewer", maxProviderChars))
	}
	r.Notes = strings.TrimSpace(get("training_notes"))
	if len([]rune(r.Notes)) > maxNotesChars {
		bad("training_notes", fmt.Sprintf("The notes must be %d characters or fewer", maxNotesChars))
	}
	return r, problems
}

// TrainingPlan is what importing a training file would do: the records to
// add, with whose they are, and how many the register already holds.
type TrainingPlan struct {
	New     []TrainingRow
	People  map[string]int64 // e-mail → person id, for each new record
	Already int
}

// PlanTraining matches a file's rows to the school's people (e-mail →
// id) and to the records the register holds (their TrainingKey): a row
// for no one at the school is a problem; a row the register holds already
// is left alone, so importing one file twice adds it once.
func PlanTraining(people map[string]int64, held map[string]bool, rows []TrainingRow) (TrainingPlan, []Problem) {
	plan := TrainingPlan{People: map[string]int64{}}
	var problems []Problem
	for _, r := range rows {
		id, ok := people[r.Email]
		switch {
		case !ok:
			problems = append(problems, Problem{Line: r.Line, Value: r.Email,
				Message: "No one at the school has this e-mail address: add them to Haven first, or correct it"})
		case held[r.Key()]:
			plan.Already++
		default:
			plan.People[r.Email] = id
			plan.New = append(plan.New, r)
		}
	}
	return plan, problems
}

// Summary describes the plan before it is applied, or after when done.
func (p TrainingPlan) Summary(done bool) Summary {
	label := "Records to add"
	if done {
		label = "Records added"
	}
	return Summary{Counts: []Count{
		{label, len(p.New)},
		{"Already on the register", p.Already},
	}, Notes: []string{"A record already on the register (the same person, type and date) is never added twice."}}
}

package web

import "fmt"

// The training register (policy §4.1, §4.7): the list of who is due, one
// person's records with the DSL's form, and the training import.
const (
	TrainingPath              = "/training"
	TrainingImportPath        = "/training/import"
	TrainingImportPreviewPath = "/training/import/preview"
)

// TrainingPersonPath is a person's page on the register.
func TrainingPersonPath(id int64) string { return fmt.Sprintf("/training/people/%d", id) }

// TrainingRecordPath is one record's edit page.
func TrainingRecordPath(personID, id int64) string {
	return fmt.Sprintf("/training/people/%d/records/%d", personID, id)
}

// TrainingRegister is the list of people who need training.
type TrainingRegister struct {
	All      bool // everyone, rather than only those overdue or due soon
	People   []TrainingListPerson
	Total    int  // everyone who needs training
	MayEdit  bool // the DSL: links to the import
	Attended int  // how many need attention
}

// TrainingListPerson is one row of the register.
type TrainingListPerson struct {
	ID      int64
	Name    string
	Roles   string
	State   TrainingTag
	NextDue string // "Safeguarding update: overdue since 1 September 2025"
}

// TrainingTag is a requirement's or a person's state as a tag.
type TrainingTag struct {
	Label, Colour string
}

// TrainingPersonView is one person's page.
type TrainingPersonView struct {
	ID           int64
	Name         string
	Roles        string
	Own          bool // the viewer's own page
	Started      string
	StartedNote  string // how the start date is known
	Requirements []TrainingRequirementView
	Records      []TrainingRecordView
	MayEdit      bool
	Register     bool // the viewer sees the register: a link back to it
	Banner       string
	Form         TrainingForm // the add form, as last posted
	Start        TrainingStartForm
	Errors       Errors
}

// TrainingRequirementView is one requirement of the person.
type TrainingRequirementView struct {
	Label  string
	Tag    TrainingTag
	Detail string // "Last done 1 September 2025; due by 1 September 2026"
}

// TrainingRecordView is one training record.
type TrainingRecordView struct {
	ID       int64
	Kind     string
	Date     string
	Provider string
	Notes    string
}

// TrainingForm is the add or edit form, with what was typed.
type TrainingForm struct {
	PersonID, ID     int64 // ID is 0 for a new record
	PersonName       string
	Kind             string
	Day, Month, Year string
	Provider, Notes  string
	Errors           Errors
}

// TrainingStartForm sets the day the person started.
type TrainingStartForm struct {
	Day, Month, Year string
	Error            string
}

// TrainingImportForm is the training import's upload form.
type TrainingImportForm struct {
	Errors   Errors
	FileName string
	Problems []ImportProblem
	Columns  []ImportColumn
}

// TrainingKindChoices are the form's radios for the kinds of training.
func TrainingKindChoices(kinds [][2]string, checked, err string) Choices {
	c := Choices{Name: "kind", Legend: "Type of training", Error: err}
	for _, k := range kinds {
		c.Items = append(c.Items, Choice{Value: k[0], Label: k[1], Checked: k[0] == checked})
	}
	return c
}

// TrainingKinds are the kinds of training, value and label, for the form;
// internal/httpserver fills it from safeguarding.TrainingKinds.
var TrainingKinds [][2]string

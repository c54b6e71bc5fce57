package roster_test

import (
	"os"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/roster"
)

// docs/roster-import.md lists every column name the parser reads, so a
// school reading it knows what to export: a name added to the parser and
// not to the page fails here.
func TestDocsListEveryColumnName(t *testing.T) {
	doc, err := os.ReadFile("../../docs/roster-import.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append(roster.PupilColumns(), roster.StaffColumns()...) {
		for _, name := range c.Names {
			if !strings.Contains(string(doc), "“"+name+"”") {
				t.Errorf("docs/roster-import.md does not list “%s” (the %s)", name, c.Label)
			}
		}
	}
}

// The example files in docs/examples import without a problem.
func TestDocsExamplesParse(t *testing.T) {
	for name, parse := range map[string]func([]byte) []roster.Problem{
		"pupils.csv": func(b []byte) []roster.Problem { _, ps := roster.ParsePupils(b); return ps },
		"staff.csv":  func(b []byte) []roster.Problem { _, ps := roster.ParseStaff(b); return ps },
	} {
		data, err := os.ReadFile("../../docs/examples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if ps := parse(data); len(ps) > 0 {
			t.Errorf("docs/examples/%s: %v", name, ps)
		}
	}
}

// docs/training.md lists every column name the training import reads.
func TestTrainingDocsListEveryColumnName(t *testing.T) {
	doc, err := os.ReadFile("../../docs/training.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range roster.TrainingColumns() {
		for _, name := range c.Names {
			if !strings.Contains(string(doc), "“"+name+"”") {
				t.Errorf("docs/training.md does not list “%s” (the %s)", name, c.Label)
			}
		}
	}
}

package httpserver

import (
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Two pupils of one concern with the same name are told apart by their
// year group; a name no other pupil shares is given alone.
func TestPupilLabelTellsNamesakesApart(t *testing.T) {
	younger := safeguarding.PupilRef{ID: 22, FirstName: "Arthur", LastName: "Wood", YearGroup: 7}
	older := safeguarding.PupilRef{ID: 93, FirstName: "Arthur", LastName: "Wood", YearGroup: 9}
	ella := safeguarding.PupilRef{ID: 5, FirstName: "Ella", LastName: "Wood", YearGroup: 12}
	pupils := []safeguarding.PupilRef{younger, older, ella}
	for p, want := range map[safeguarding.PupilRef]string{younger: "Arthur Wood, Year 7", older: "Arthur Wood, Year 9", ella: "Ella Wood"} {
		if got := pupilLabel(p, pupils); got != want {
			t.Errorf("pupilLabel(%s) = %q, want %q", p.Name(), got, want)
		}
	}
}

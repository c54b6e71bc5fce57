package roster

import "fmt"

// Count is one figure of an import's summary.
type Count struct {
	Label string
	N     int
}

// Summary is what an import would do, or did, in words: the same on the
// web preview and on the command line.
type Summary struct {
	Counts []Count
	Notes  []string
}

// Summary describes the plan before it is applied, or after when done.
func (p PupilPlan) Summary(done bool) Summary {
	left := "To be marked as left"
	if done {
		left = "Marked as left"
	}
	s := Summary{Counts: []Count{
		{"New pupils", len(p.New)},
		{"Changed", len(p.Changed)},
		{"Unchanged", p.Unchanged},
		{left, p.MarksLeft()},
	}}
	if p.LeavingHeld {
		s.Notes = append(s.Notes, fmt.Sprintf("%s on Haven's roster %s not in this file, but the file holds fewer than half of the pupils on the roster, "+
			"so it looks like part of the roster and nobody is marked as left. Import the whole roster to mark leavers.", pupils(len(p.Leaving)), isAre(len(p.Leaving))))
	}
	if p.MarksLeft() > 0 {
		s.Notes = append(s.Notes, "Pupils marked as left are never deleted: their records stay, and the DSL can still find their files. "+
			"A pupil who appears in a later import is back on the roster.")
	}
	return s
}

// Summary describes the plan before it is applied, or after when done.
func (p StaffPlan) Summary(done bool) Summary {
	s := Summary{Counts: []Count{
		{"New people", len(p.New)},
		{"Changed", len(p.Changed)},
		{"Unchanged", p.Unchanged},
	}}
	if n := len(p.New); n > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d new %s an invitation from the People page before they can sign in: an import invites nobody.",
			n, map[bool]string{true: "person needs", false: "people need"}[n == 1]))
	}
	s.Notes = append(s.Notes, "An import never deactivates anyone: people missing from the file keep their accounts. Deactivate leavers from the People page.")
	return s
}

func pupils(n int) string {
	if n == 1 {
		return "1 pupil"
	}
	return fmt.Sprintf("%d pupils", n)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// Where says where a problem is, with what was found there: "Line 3,
// column “DOB”, found “31/02/2012”"; "" for the file as a whole.
func (p Problem) Where() string {
	var s string
	if p.Line > 0 {
		s = fmt.Sprintf("Line %d", p.Line)
	}
	if p.Column != "" {
		s += ", column “" + p.Column + "”"
	}
	if p.Value != "" {
		if s != "" {
			s += ", "
		}
		s += "found “" + shortValue(p.Value) + "”"
	}
	return s
}

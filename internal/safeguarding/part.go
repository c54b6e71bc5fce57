package safeguarding

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// Part is the part a pupil had in what a concern records. A concern about
// several pupils records each pupil's part, the CSE indicators seen in
// that pupil and that pupil's own words; what happened is shared. One
// child's words never reach another child's file.
type Part string

const (
	PartHarmed  Part = "harmed"        // the child harmed or at risk
	PartHarmer  Part = "harmed_others" // the child who harmed
	PartWitness Part = "witness"
	PartOther   Part = "other"
	// PartNotRecorded: a concern about several pupils logged before parts
	// were recorded, whose indicators and words stay on the concern until
	// a case handler attributes them (ApplyAttribution).
	PartNotRecorded Part = "not_recorded"
)

// Parts are the parts a person may choose, in the order forms offer them.
var Parts = []Part{PartHarmed, PartHarmer, PartWitness, PartOther}

// Label is the part as a form and a page word it.
func (p Part) Label() string {
	switch p {
	case PartHarmed:
		return "The child harmed or at risk"
	case PartHarmer:
		return "The child who harmed"
	case PartWitness:
		return "A witness"
	case PartOther:
		return "Other"
	case PartNotRecorded:
		return "Not recorded"
	}
	return string(p)
}

// Known reports whether p is a part a person may choose.
func (p Part) Known() bool { return slices.Contains(Parts, p) }

// PupilPart is one pupil's own part of a concern: what part they had, the
// CSE indicators seen in them, and their own words, verbatim.
type PupilPart struct {
	PupilID     int64
	Part        Part
	Indicators  []string // CSE indicator codes
	ChildsWords string
}

// PartFields are the names of a pupil's fields on the forms that record
// their part: "child-12-part", "child-12-indicator", "child-12-words".
func PartFields(pupilID int64) (part, indicator, words string) {
	prefix := "child-" + strconv.FormatInt(pupilID, 10) + "-"
	return prefix + "part", prefix + "indicator", prefix + "words"
}

// PartOf is pupil's part among parts, and whether there is one.
func PartOf(parts []PupilPart, pupil int64) (PupilPart, bool) {
	i := slices.IndexFunc(parts, func(p PupilPart) bool { return p.PupilID == pupil })
	if i < 0 {
		return PupilPart{}, false
	}
	return parts[i], true
}

// checkParts adds to p what is wrong with the pupils' own parts: each names
// a pupil of pupils once, with a part it may choose (or none, when
// partOptional), indicators from the list and words of at most 20,000
// characters. Each problem is filed under the pupil's own field.
func checkParts(p FieldProblems, parts []PupilPart, pupils []int64, partOptional bool, knownIndicator func(string) bool) {
	seen := map[int64]bool{}
	for _, pp := range parts {
		partField, indicatorField, wordsField := PartFields(pp.PupilID)
		if !slices.Contains(pupils, pp.PupilID) || seen[pp.PupilID] {
			if _, ok := p["pupil-query"]; !ok {
				p["pupil-query"] = "Choose the child or children the concern is about"
			}
			continue
		}
		seen[pp.PupilID] = true
		if !(pp.Part.Known() || (partOptional && pp.Part == "")) {
			p[partField] = "Select the part this child had"
		}
		if !allOf(pp.Indicators, knownIndicator) {
			p[indicatorField] = "Select signs of exploitation from the list"
		}
		if !maxRunes(pp.ChildsWords, 20000) {
			p[wordsField] = "The child's words must be 20,000 characters or fewer"
		}
	}
}

// unionIndicators are the codes in any of lists, each once, in the order
// first seen.
func unionIndicators(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, c := range l {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func maxRunes(s string, n int) bool { return utf8.RuneCountInString(s) <= n }

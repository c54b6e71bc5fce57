package safeguarding

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// concernFields are the names ConcernInput.Problems may use: the concern
// form's fields.
var concernFields = []string{"subject", "pupil-query", "subject-person", "adult-name", "adult-role", "category", "indicator",
	"what-happened", "childs-words", "happened", "happened-time", "location", "others-told", "actions-taken"}

// perPupilField is the name of one pupil's own field (PartFields).
var perPupilField = regexp.MustCompile(`^child-[0-9]+-(part|indicator|words)$`)

// PupilParts files each pupil's own part: the one pupil gets the concern's
// indicators and words, and each of several pupils only their own.
func TestPupilParts(t *testing.T) {
	one := ConcernInput{PupilIDs: []int64{7}, Indicators: []string{"vehicles"}, ChildsWords: "Mine."}
	got := one.PupilParts()
	if len(got) != 1 || got[0].Part != PartHarmed || !slices.Equal(got[0].Indicators, []string{"vehicles"}) || got[0].ChildsWords != "Mine." {
		t.Errorf("one pupil: %+v", got)
	}
	if one.UnattributedWords() != "" || one.Snapshot().ChildsWords != "" || len(one.Snapshot().Indicators) != 0 {
		t.Error("one pupil's words stay on the concern as well")
	}
	two := ConcernInput{PupilIDs: []int64{7, 8}, Parts: []PupilPart{{PupilID: 8, Part: PartWitness, ChildsWords: "Eight's."},
		{PupilID: 7, Part: PartHarmer, Indicators: []string{"missing"}}}}
	got = two.PupilParts()
	if len(got) != 2 || got[0].PupilID != 7 || got[0].ChildsWords != "" || got[1].ChildsWords != "Eight's." || got[1].Part != PartWitness {
		t.Errorf("two pupils: %+v", got)
	}
	if !slices.Equal(two.AllIndicators(), []string{"missing"}) {
		t.Errorf("all indicators %q", two.AllIndicators())
	}
	none := ConcernInput{SubjectKind: SubjectOtherAdult, Indicators: []string{"vehicles"}, ChildsWords: "No pupil named."}
	if none.UnattributedWords() != "No pupil named." || !slices.Equal(none.AllIndicators(), []string{"vehicles"}) {
		t.Errorf("a concern naming no pupil keeps its words and indicators")
	}
}

func TestConcernProblems(t *testing.T) {
	today := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	choices := ConcernChoices{
		Categories: []Category{{Code: "cse", Label: "Child sexual exploitation"}, {Code: "neglect", Label: "Neglect"}},
		Indicators: []Indicator{{Code: "vehicles", Label: "Vehicles"}, {Code: "missing", Label: "Going missing"}},
		Staff:      []StaffMember{{ID: 4, Name: "Sam Teacher", JobTitle: "Teacher"}},
	}
	valid := func(edit func(*ConcernInput)) ConcernInput {
		in := ConcernInput{SubjectKind: SubjectPupils, PupilIDs: []int64{12}, Categories: []string{"cse"},
			Indicators: []string{"vehicles"}, WhatHappened: "Seen getting into a silver car after school.",
			HappenedOn: time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), HappenedTime: "15:45"}
		if edit != nil {
			edit(&in)
		}
		return in
	}
	for name, tc := range map[string]struct {
		in   ConcernInput
		want FieldProblems
	}{
		"OK":                 {valid(nil), FieldProblems{}},
		"OKToday":            {valid(func(in *ConcernInput) { in.HappenedOn = today; in.HappenedTime = "" }), FieldProblems{}},
		"OKAboutStaff":       {valid(func(in *ConcernInput) { in.SubjectKind, in.PupilIDs, in.SubjectPersonID = SubjectStaff, nil, 4 }), FieldProblems{}},
		"OKAboutOtherAdult":  {valid(func(in *ConcernInput) { in.SubjectKind, in.SubjectAdultName = SubjectOtherAdult, "A visitor" }), FieldProblems{}},
		"OKWithoutIndicator": {valid(func(in *ConcernInput) { in.Indicators = nil }), FieldProblems{}},
		"NoSubject": {valid(func(in *ConcernInput) { in.SubjectKind = "" }),
			FieldProblems{"subject": "Select who the concern is about"}},
		"NoPupil": {valid(func(in *ConcernInput) { in.PupilIDs = nil }),
			FieldProblems{"pupil-query": "Choose the child or children the concern is about"}},
		"StaffNotOnRoster": {valid(func(in *ConcernInput) { in.SubjectKind, in.SubjectPersonID = SubjectStaff, 5 }),
			FieldProblems{"subject-person": "Choose the member of staff the concern is about"}},
		"AdultUnnamed": {valid(func(in *ConcernInput) { in.SubjectKind, in.SubjectAdultName = SubjectOtherAdult, " " }),
			FieldProblems{"adult-name": "Enter the adult's name, or describe them"}},
		"AdultTooLong": {valid(func(in *ConcernInput) {
			in.SubjectKind, in.SubjectAdultName, in.SubjectAdultRole = SubjectOtherAdult, strings.Repeat("é", 201), strings.Repeat("é", 101)
		}), FieldProblems{"adult-name": "Their name must be 200 characters or fewer", "adult-role": "Their role must be 100 characters or fewer"}},
		"NoCategory": {valid(func(in *ConcernInput) { in.Categories = nil }),
			FieldProblems{"category": "Select at least one category"}},
		"CategoryNotOnTheList": {valid(func(in *ConcernInput) { in.Categories = []string{"cse", "bogus"} }),
			FieldProblems{"category": "Select at least one category"}},
		"IndicatorNotOnTheList": {valid(func(in *ConcernInput) { in.Indicators = []string{"vehicles", "bogus"} }),
			FieldProblems{"indicator": "Select signs of exploitation from the list"}},
		"NothingHappened": {valid(func(in *ConcernInput) { in.WhatHappened = " \n" }),
			FieldProblems{"what-happened": "Describe what happened"}},
		"TooMuchHappened": {valid(func(in *ConcernInput) { in.WhatHappened = strings.Repeat("x", 20001) }),
			FieldProblems{"what-happened": "What happened must be 20,000 characters or fewer"}},
		"TooManyWords": {valid(func(in *ConcernInput) { in.ChildsWords = strings.Repeat("x", 20001) }),
			FieldProblems{"childs-words": "The child's words must be 20,000 characters or fewer"}},
		"NoDate": {valid(func(in *ConcernInput) { in.HappenedOn = time.Time{} }),
			FieldProblems{"happened": "Enter the date it happened"}},
		"FutureDate": {valid(func(in *ConcernInput) { in.HappenedOn = today.AddDate(0, 0, 1) }),
			FieldProblems{"happened": "The date it happened must be today or in the past"}},
		"TimeNotOnTheClock": {valid(func(in *ConcernInput) { in.HappenedTime = "24:00" }),
			FieldProblems{"happened-time": "Enter the time on the 24-hour clock, like 14:30, or leave it blank"}},
		"TextsTooLong": {valid(func(in *ConcernInput) {
			in.Location, in.OthersTold, in.ActionsTaken = strings.Repeat("x", 501), strings.Repeat("x", 5001), strings.Repeat("x", 5001)
		}), FieldProblems{"location": "Where it happened must be 500 characters or fewer",
			"others-told":   "Who else you have told must be 5,000 characters or fewer",
			"actions-taken": "What you have already done must be 5,000 characters or fewer"}},
		"OKOnePupilWithAPart": {valid(func(in *ConcernInput) {
			in.Parts = []PupilPart{{PupilID: 12, Part: PartWitness}}
		}), FieldProblems{}},
		"OKSeveralPupilsEachWithAPart": {valid(func(in *ConcernInput) {
			in.PupilIDs, in.Indicators = []int64{12, 13}, nil
			in.Parts = []PupilPart{{PupilID: 12, Part: PartHarmed, Indicators: []string{"vehicles"}, ChildsWords: "He said get in."},
				{PupilID: 13, Part: PartWitness}}
		}), FieldProblems{}},
		"OKAdultWithChildrenHarmedByDefault": {valid(func(in *ConcernInput) {
			in.SubjectKind, in.SubjectAdultName, in.PupilIDs, in.Indicators = SubjectOtherAdult, "A visitor", []int64{12, 13}, nil
		}), FieldProblems{}},
		"SeveralPupilsWithoutParts": {valid(func(in *ConcernInput) { in.PupilIDs, in.Indicators = []int64{12, 13}, nil }),
			FieldProblems{"child-12-part": "Select the part this child had", "child-13-part": "Select the part this child had"}},
		"SeveralPupilsSharingWords": {valid(func(in *ConcernInput) {
			in.PupilIDs, in.ChildsWords = []int64{12, 13}, "Whose?"
			in.Parts = []PupilPart{{PupilID: 12, Part: PartHarmed}, {PupilID: 13, Part: PartHarmed}}
		}), FieldProblems{"indicator": "Tick the signs in the section of the child they were seen in",
			"childs-words": "Write each child's words in that child's own section"}},
		"PartNotOnTheList": {valid(func(in *ConcernInput) {
			in.Parts = []PupilPart{{PupilID: 12, Part: PartNotRecorded, Indicators: []string{"bogus"}, ChildsWords: strings.Repeat("é", 20001)}}
			in.Indicators = nil
		}), FieldProblems{"child-12-part": "Select the part this child had", "child-12-indicator": "Select signs of exploitation from the list",
			"child-12-words": "The child's words must be 20,000 characters or fewer"}},
		"PartOfAnotherPupil": {valid(func(in *ConcernInput) { in.Parts = []PupilPart{{PupilID: 99, Part: PartHarmed}} }),
			FieldProblems{"pupil-query": "Choose the child or children the concern is about"}},
		"OnePupilsWordsTwice": {valid(func(in *ConcernInput) {
			in.Parts = []PupilPart{{PupilID: 12, ChildsWords: "Once."}}
			in.ChildsWords = "Twice."
		}), FieldProblems{"childs-words": "Write the child's words once"}},
	} {
		t.Run(name, func(t *testing.T) {
			got := tc.in.Problems(choices, today)
			if !maps.Equal(got, tc.want) {
				t.Errorf("problems %v, want %v", got, tc.want)
			}
			for field := range got {
				if !slices.Contains(concernFields, field) && !perPupilField.MatchString(field) {
					t.Errorf("problem with %q, which is not a field of the concern form", field)
				}
			}
		})
	}
}

package safeguarding

import (
	"maps"
	"slices"
	"testing"
	"time"
)

func TestApplyAttribution(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	list := []Indicator{{Code: "vehicles"}, {Code: "missing"}}
	dsl := Viewer{SchoolID: 1, PersonID: 2, Roles: Roles{RoleDSL}}
	c := Concern{SchoolID: 1, ID: 9, Route: RouteChild, LoggedBy: 5, Pupils: []PupilRef{{ID: 11}, {ID: 12}},
		Parts: []PupilPart{{PupilID: 11, Part: PartNotRecorded}, {PupilID: 12, Part: PartNotRecorded}}}
	parts := []PupilPart{{PupilID: 11, Part: PartHarmed, Indicators: []string{"vehicles"}, ChildsWords: "Eleven's words."},
		{PupilID: 12, Part: PartWitness}}

	t.Run("OKOneEntryPerPupilAboutThem", func(t *testing.T) {
		entries, err := ApplyAttribution(dsl, c, parts, list, now)
		if err != nil || len(entries) != 2 {
			t.Fatalf("%d entries, %v", len(entries), err)
		}
		for i, e := range entries {
			if e.Kind != EntryPartRecorded || !slices.Equal(e.PupilIDs, []int64{parts[i].PupilID}) || e.Details.Part != parts[i].Part ||
				e.Details.ChildsWords != parts[i].ChildsWords || e.AboutPupil(parts[1-i].PupilID) {
				t.Errorf("entry %d: %+v", i, e)
			}
		}
	})
	t.Run("ErrNotAsAnEntryAlone", func(t *testing.T) {
		in := EntryInput{Kind: EntryPartRecorded, PupilIDs: []int64{11}, Details: EntryDetails{Part: PartHarmed}}
		if _, _, err := ApplyEntry(dsl, c, in, Person{}, now); ErrorCode(err) != EINVALID {
			t.Errorf("a part recorded as an entry alone: %v, want EINVALID", err)
		}
	})
	t.Run("ErrStaffMayNot", func(t *testing.T) {
		_, err := ApplyAttribution(Viewer{SchoolID: 1, PersonID: 5, Roles: Roles{RoleStaff}}, c, parts, list, now)
		if ErrorCode(err) != EFORBIDDEN {
			t.Errorf("error %v, want EFORBIDDEN", err)
		}
	})
	t.Run("ErrAlreadyRecorded", func(t *testing.T) {
		done := c
		done.Parts = parts
		if _, err := ApplyAttribution(dsl, done, parts, list, now); ErrorCode(err) != EINVALID {
			t.Errorf("error %v, want EINVALID", err)
		}
	})
	t.Run("ErrEveryPupilOnce", func(t *testing.T) {
		got := AttributionProblems(c, []PupilPart{{PupilID: 11, Part: PartNotRecorded, Indicators: []string{"bogus"}}, {PupilID: 99, Part: PartHarmed}}, list)
		want := FieldProblems{"child-11-part": "Select the part this child had", "child-11-indicator": "Select signs of exploitation from the list",
			"child-12-part": "Select the part this child had", "pupil-query": "Choose the child or children the concern is about"}
		if !maps.Equal(got, want) {
			t.Errorf("problems %v, want %v", got, want)
		}
		if _, err := ApplyAttribution(dsl, c, parts[:1], list, now); ErrorCode(err) != EINVALID {
			t.Errorf("one pupil left out: error %v, want EINVALID", err)
		}
	})
}

func TestEntryPupils(t *testing.T) {
	two := Concern{Pupils: []PupilRef{{ID: 11}, {ID: 12}}}
	one := Concern{Pupils: []PupilRef{{ID: 11}}}
	for name, tc := range map[string]struct {
		c       Concern
		in      EntryInput
		want    []int64
		problem bool
	}{
		"OKWholeConcern":           {two, EntryInput{Kind: EntryAction}, nil, false},
		"OKNamedPupil":             {two, EntryInput{Kind: EntryDecision, PupilIDs: []int64{12}}, []int64{12}, false},
		"OKConversationWithTheOne": {one, EntryInput{Kind: EntryConversationChild}, []int64{11}, false},
		"ErrConversationWithWhom":  {two, EntryInput{Kind: EntryConversationChild}, nil, true},
		"ErrPupilOfAnotherConcern": {two, EntryInput{Kind: EntryAction, PupilIDs: []int64{13}}, nil, true},
		"ErrPupilTwice":            {two, EntryInput{Kind: EntryAction, PupilIDs: []int64{11, 11}}, nil, true},
		"ErrClosingAboutAPupil":    {two, EntryInput{Kind: EntryClosed, PupilIDs: []int64{11}}, nil, true},
	} {
		t.Run(name, func(t *testing.T) {
			got, problem := EntryPupils(tc.c, tc.in)
			if !slices.Equal(got, tc.want) || (problem != "") != tc.problem {
				t.Errorf("pupils %v, problem %q", got, problem)
			}
		})
	}
	dsl := Viewer{SchoolID: 1, PersonID: 2, Roles: Roles{RoleDSL}}
	c := Concern{SchoolID: 1, ID: 3, Route: RouteChild, Status: StatusNew, Pupils: two.Pupils}
	if _, _, err := ApplyEntry(dsl, c, EntryInput{Kind: EntryConversationChild, Body: "x"}, Person{}, time.Now()); ErrorCode(err) != EINVALID {
		t.Errorf("a conversation with no child named: %v, want EINVALID", err)
	}
	e, _, err := ApplyEntry(dsl, c, EntryInput{Kind: EntryConversationChild, Body: "x", PupilIDs: []int64{12}}, Person{}, time.Now())
	if err != nil || !slices.Equal(e.PupilIDs, []int64{12}) {
		t.Errorf("entry about %v, %v", e.PupilIDs, err)
	}
}

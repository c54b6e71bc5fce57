package safeguarding_test

import (
	"slices"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestStaffMatches(t *testing.T) {
	staff := []safeguarding.StaffMember{
		{ID: 1, Name: "Pat Principal", JobTitle: "Principal", Principal: true, Email: "principal@demo.test", KnownAs: "Patty"},
		{ID: 2, Name: "Zoë O'Brien-Hughes", JobTitle: "Teacher of Art", Email: "zoe@demo.test"},
		{ID: 3, Name: "Sam Teacher", JobTitle: "Teacher of English", Email: "staff@demo.test", KnownAs: "Sammy T"},
		{ID: 4, Name: "Ann Lee", Email: "ann@demo.test"},
		{ID: 5, Name: "Ann  Lee", Email: "ann.lee@demo.test"}, // two of the same name
	}
	cases := []struct {
		name, typed, role string
		want              []int64
	}{
		{"FullName", "Pat Principal", "", []int64{1}},
		{"CaseAndSpacing", "  pat   PRINCIPAL ", "", []int64{1}},
		{"Title", "Mr Pat Principal", "", []int64{1}},
		{"TitleWithStop", "Dr. Pat Principal", "", []int64{1}},
		{"TwoTitles", "Rev Dr Pat Principal", "", []int64{1}},
		{"TitleAndSurname", "Mrs Principal", "", []int64{1}},
		{"PreferredFirstName", "Patty Principal", "", []int64{1}},
		{"PreferredName", "Miss Patty", "", []int64{1}},
		{"PreferredFullName", "sammy t", "", []int64{3}},
		{"Email", "Principal@Demo.test", "", []int64{1}},
		{"Accents", "Zoe O'Brien Hughes", "", []int64{2}},
		{"AccentsTyped", "ZOË OBRIEN-HUGHES", "", []int64{2}},
		{"Apostrophe", "Ms Zoë O’Brien-Hughes", "", []int64{2}},
		{"SameNameTwice", "ann lee", "", []int64{4, 5}},
		{"HeadRole", "The man from the office", "Head teacher", []int64{1}},
		{"PrincipalRole", "Someone", "principal", []int64{1}},
		{"NotARole", "Man in a grey van", "Head of Year 9", nil},
		{"SurnameAloneIsNotEnough", "Teacher", "", nil},
		{"PreferredNameAloneIsNotEnough", "Patty", "", nil},
		{"NameIsTheRole", "the Headteacher", "", []int64{1}},
		{"FirstNameAloneIsNotEnough", "Pat", "", nil},
		{"Stranger", "Man in a grey van", "visitor", nil},
		{"Empty", "", "", nil},
		{"TitleAlone", "Mr", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []int64
			for _, m := range safeguarding.StaffMatches(tc.typed, tc.role, staff) {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("StaffMatches(%q, %q) = %v, want %v", tc.typed, tc.role, got, tc.want)
			}
		})
	}
}

func TestResolveAdult(t *testing.T) {
	staff := []safeguarding.StaffMember{
		{ID: 1, Name: "Pat Principal", Principal: true},
		{ID: 2, Name: "Sam Teacher"},
	}
	adult := func(name string, different bool) safeguarding.ConcernInput {
		return safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectOtherAdult, SubjectAdultName: name, DifferentPerson: different}
	}
	t.Run("Stranger", func(t *testing.T) {
		in, matches := adult("Man in a grey van", false).ResolveAdult(staff)
		if len(matches) != 0 || in.SubjectKind != safeguarding.SubjectOtherAdult {
			t.Errorf("got %v, %v: want another adult, accepted", in.SubjectKind, matches)
		}
	})
	t.Run("ErrStaffMustBeChosenOrDenied", func(t *testing.T) {
		in, matches := adult("Mr Sam Teacher", false).ResolveAdult(staff)
		if len(matches) != 1 || matches[0].ID != 2 || in.SubjectKind != safeguarding.SubjectOtherAdult {
			t.Errorf("got %v, %v: want the member of staff asked about", in.SubjectKind, matches)
		}
	})
	t.Run("DifferentPersonOfTheSameName", func(t *testing.T) {
		in, matches := adult("Mr Sam Teacher", true).ResolveAdult(staff)
		if len(matches) != 0 || in.SubjectKind != safeguarding.SubjectOtherAdult {
			t.Errorf("got %v, %v: want another adult, accepted", in.SubjectKind, matches)
		}
	})
	t.Run("ThePrincipalEvenIfDenied", func(t *testing.T) {
		if _, matches := adult("pat principal", false).ResolveAdult(staff); len(matches) != 1 || matches[0].ID != 1 {
			t.Errorf("matches %v: want the principal asked about", matches)
		}
		in, matches := adult("pat principal", true).ResolveAdult(staff)
		if len(matches) != 0 || in.SubjectKind != safeguarding.SubjectStaff || in.SubjectPersonID != 1 {
			t.Errorf("got %v about %d, %v: want a concern about the principal", in.SubjectKind, in.SubjectPersonID, matches)
		}
		if r := safeguarding.RouteFor(in.SubjectKind, safeguarding.Roles{safeguarding.RolePrincipal}); r != safeguarding.RoutePrincipal {
			t.Errorf("routed to %s", r)
		}
	})
	t.Run("NotAnAdult", func(t *testing.T) {
		in := safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectPupils, SubjectAdultName: "Pat Principal"}
		if got, matches := in.ResolveAdult(staff); len(matches) != 0 || got.SubjectKind != safeguarding.SubjectPupils {
			t.Errorf("a concern about pupils changed: %v, %v", got.SubjectKind, matches)
		}
	})
}

package postgres_test

import (
	"reflect"
	"testing"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

func TestBodyMap(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	// One concern about two children: the bruise was seen on Ruby.
	concern := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby, s.tom}, Categories: []string{"physical_abuse"},
		Parts: []safeguarding.PupilPart{{PupilID: s.ruby, Part: safeguarding.PartHarmed}, {PupilID: s.tom, Part: safeguarding.PartWitness}}})
	marks := []safeguarding.BodyMark{
		{Side: safeguarding.BodyFront, Region: "left_forearm", X: 150, Y: 190, Description: "Bruise, 3 cm, purple; she said she fell."},
		{Side: safeguarding.BodyBack, Region: "upper_back", X: 100, Y: 120, Description: "Red mark, fingertip-sized."},
	}
	bodyMap := func(pupils ...int64) safeguarding.EntryInput {
		return safeguarding.EntryInput{Kind: safeguarding.EntryBodyMap, PupilIDs: pupils, Details: safeguarding.EntryDetails{Marks: marks}}
	}

	t.Run("ErrWhichChild", func(t *testing.T) {
		for _, in := range []safeguarding.EntryInput{bodyMap(), bodyMap(s.ruby, s.tom)} {
			if err := s.db.AddEntry(ctx, s.dsl, concern, in); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
				t.Errorf("a body map about %v: err = %v, want EINVALID", in.PupilIDs, err)
			}
		}
	})

	t.Run("ErrNotAllowed", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff2, s.governor, s.admin, s.principal} {
			if err := s.db.AddEntry(ctx, v, concern, bodyMap(s.ruby)); err == nil {
				t.Errorf("person %d added a body map", v.PersonID)
			}
		}
	})

	addEntry(t, s.db, s.dsl, concern, bodyMap(s.ruby))
	// The member of staff who logged the concern, and saw the mark, may add one too.
	addEntry(t, s.db, s.staff1, concern, safeguarding.EntryInput{Kind: safeguarding.EntryBodyMap, PupilIDs: []int64{s.tom},
		Details: safeguarding.EntryDetails{Marks: []safeguarding.BodyMark{{Side: safeguarding.BodyFront, Region: "face", X: 100, Y: 48,
			Description: "Graze on the cheek."}}}})

	t.Run("RoundTrip", func(t *testing.T) {
		rec, err := s.db.ConcernRecord(ctx, s.dsl, concern, nil)
		if err != nil {
			t.Fatal(err)
		}
		var found []safeguarding.Entry
		for _, e := range rec.Entries {
			if e.Kind == safeguarding.EntryBodyMap {
				found = append(found, e)
			}
		}
		if len(found) != 2 || !reflect.DeepEqual(found[0].Details.Marks, marks) || !reflect.DeepEqual(found[0].PupilIDs, []int64{s.ruby}) {
			t.Fatalf("body maps read back: %+v", found)
		}
		// The member of staff sees their own body map, not the DSL's.
		mine, err := s.db.ConcernRecord(ctx, s.staff1, concern, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range mine.Entries {
			if e.Kind == safeguarding.EntryBodyMap {
				n++
				if e.AuthorID != s.staff1.PersonID {
					t.Error("the member of staff reads the DSL's body map")
				}
			}
		}
		if n != 1 {
			t.Errorf("the member of staff reads %d body maps, want their own", n)
		}
	})

	t.Run("OnlyOnThatChildsFile", func(t *testing.T) {
		for pupil, want := range map[int64][]string{s.ruby: {"left_forearm", "upper_back"}, s.tom: {"face"}} {
			f, err := s.db.ChildFile(ctx, s.dsl, pupil, 0)
			if err != nil {
				t.Fatal(err)
			}
			var regions []string
			for _, e := range f.Chronology {
				for _, m := range e.Details.Marks {
					regions = append(regions, m.Region)
				}
			}
			if !reflect.DeepEqual(regions, want) {
				t.Errorf("pupil %d's file shows marks on %v, want only their own, %v", pupil, regions, want)
			}
		}
	})

	t.Run("VerifyPasses", func(t *testing.T) {
		checked, breaks, err := postgres.VerifyChronology(ctx, s.connString)
		if err != nil || len(breaks) != 0 || checked < 3 {
			t.Fatalf("checked %d, breaks %v, err %v", checked, breaks, err)
		}
		// And an edited mark is caught.
		if _, err := s.owner.Exec(ctx, `UPDATE chronology_entries SET details = jsonb_set(details, '{marks,0,region}', '"right_forearm"')
			WHERE kind = 'body_map' AND author_id = $1`, s.dsl.PersonID); err != nil {
			t.Fatal(err)
		}
		if _, breaks, err := postgres.VerifyChronology(ctx, s.connString); err != nil || len(breaks) != 1 {
			t.Errorf("an edited body map: breaks %v, err %v", breaks, err)
		}
	})
}

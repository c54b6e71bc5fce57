package postgres_test

import (
	"slices"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestMyConcerns(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()

	var mine []int64 // newest first
	for range 60 {
		mine = slices.Insert(mine, 0, logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"neglect"}}))
	}
	theirs := logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"cse"}})

	t.Run("EveryConcernOnceAcrossPages", func(t *testing.T) {
		var seen []int64
		var after int64
		pages := 0
		for {
			p, err := s.db.MyConcerns(ctx, s.staff1, after, 25)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			seen = append(seen, concernIDs(p.Concerns)...)
			if p.Next == 0 {
				break
			}
			after = p.Next
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if pages != 3 {
			t.Errorf("%d pages, want 3", pages)
		}
		if !slices.Equal(seen, mine) {
			t.Errorf("concerns across pages = %v\nwant %v", seen, mine)
		}
		if slices.Contains(seen, theirs) {
			t.Error("another member of staff's concern was listed")
		}
	})

	t.Run("ExactlyOneFullPageHasNoNext", func(t *testing.T) {
		p, err := s.db.MyConcerns(ctx, s.staff2, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := concernIDs(p.Concerns); !slices.Equal(got, []int64{theirs}) || p.Next != 0 {
			t.Errorf("concerns = %v, next = %d; want [%d] and no next page", got, p.Next, theirs)
		}
	})

	t.Run("FeedbackGiven", func(t *testing.T) {
		addEntry(t, s.db, s.dsl, mine[3], safeguarding.EntryInput{Kind: safeguarding.EntryFeedback, Body: "Thank you: we have spoken to the family."})
		p, err := s.db.MyConcerns(ctx, s.staff1, 0, 25)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Concerns {
			if c.FeedbackGiven != (c.ID == mine[3]) {
				t.Errorf("concern %d: feedback given = %v", c.ID, c.FeedbackGiven)
			}
		}
	})

	t.Run("NotWhenTheViewerIsTheSubject", func(t *testing.T) {
		// Logging a concern about oneself is odd but possible: put one in the
		// database behind the app's back and check it is never listed.
		var id int64
		err := s.owner.QueryRow(ctx, `INSERT INTO concerns (school_id, route, subject_kind, subject_person_id, logged_by, logged_at,
				submission_token, categories, what_happened, happened_on, last_activity_at)
			VALUES ($1, 'adult', 'staff', $2, $2, now(), gen_random_uuid(), '{other}', 'About myself.', current_date, now())
			RETURNING id`, s.schoolID, s.staff2.PersonID).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.db.MyConcerns(ctx, s.staff2, 0, 25)
		if err != nil {
			t.Fatal(err)
		}
		if got := concernIDs(p.Concerns); !slices.Equal(got, []int64{theirs}) {
			t.Errorf("concerns = %v, want only %d", got, theirs)
		}
	})
}

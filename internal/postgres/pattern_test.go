package postgres_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// patternSchool is a small school whose store runs the pattern rules, and
// a clock the tests move: concerns are logged on days counted from 2 March
// 2026 (a Monday), at 10:00 in England.
type patternSchool struct {
	*smallSchool
	store *postgres.DB
}

func newPatternSchool(t *testing.T) *patternSchool {
	t.Helper()
	s := newSmallSchool(t)
	enqueue, err := jobs.PatternEnqueuer(s.db.Pool())
	if err != nil {
		t.Fatal(err)
	}
	return &patternSchool{smallSchool: s, store: s.db.WithPatternRules(enqueue)}
}

func patternDay(n int) time.Time {
	return time.Date(2026, 3, 2, 10, 0, 0, 0, safeguarding.England()).AddDate(0, 0, n)
}

// pupil adds a pupil of the school's own for one test.
func (s *patternSchool) pupil(t *testing.T, first string) int64 {
	t.Helper()
	ids, err := s.db.AddPupils(t.Context(), s.schoolID, []postgres.PupilInput{{FirstName: first, LastName: "Pattern", YearGroup: 9,
		DateOfBirth: time.Date(2011, 4, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

// log files a concern about pupil by v on day n with the pupil's CSE
// indicators and the categories given ("cse" when none).
func (s *patternSchool) log(t *testing.T, v safeguarding.Viewer, pupil int64, n int, indicators []string, categories ...string) int64 {
	t.Helper()
	if len(categories) == 0 {
		categories = []string{"cse"}
	}
	return logConcern(t, s.store.WithClock(func() time.Time { return patternDay(n) }), v, safeguarding.ConcernInput{
		PupilIDs: []int64{pupil}, Categories: categories, Indicators: indicators, HappenedOn: safeguarding.DateInEngland(patternDay(n))})
}

// run runs the rules for pupil on day n, as the job does.
func (s *patternSchool) run(t *testing.T, pupil int64, n int) []safeguarding.PatternFlag {
	t.Helper()
	flags, err := s.db.WithClock(func() time.Time { return patternDay(n) }).RaisePatternFlags(t.Context(), s.schoolID, pupil)
	if err != nil {
		t.Fatal(err)
	}
	return flags
}

func rulesOf(flags []safeguarding.PatternFlag) []safeguarding.PatternRule {
	var out []safeguarding.PatternRule
	for _, f := range flags {
		out = append(out, f.Rule)
	}
	return out
}

func TestPatternRulesOnRecordedHistories(t *testing.T) {
	s := newPatternSchool(t)
	cases := []struct {
		name    string
		history func(pupil int64) []int64 // the concerns, logged
		want    []safeguarding.PatternRule
	}{
		{"TwoStaffThreeIndicatorsWithin30Days", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"secretive"}), s.log(t, s.staff2, p, 10, []string{"unexplained_gifts"}),
				s.log(t, s.staff1, p, 29, []string{"older_partner"})}
		}, []safeguarding.PatternRule{safeguarding.RuleCSEAcrossStaff}},
		{"OneMemberOfStaffThreeIndicators", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"secretive"}), s.log(t, s.staff1, p, 10, []string{"unexplained_gifts"}),
				s.log(t, s.staff1, p, 29, []string{"older_partner"})}
		}, nil},
		{"IndicatorsJustInside30Days", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"secretive", "withdrawn"}), s.log(t, s.staff2, p, 30, []string{"gangs"})}
		}, []safeguarding.PatternRule{safeguarding.RuleCSEAcrossStaff}},
		{"IndicatorsJustOutside30Days", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"secretive", "withdrawn"}), s.log(t, s.staff2, p, 31, []string{"gangs"})}
		}, nil},
		{"ThreeConcernsJustInside14Days", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, nil, "neglect"), s.log(t, s.staff1, p, 6, nil, "online_safety"),
				s.log(t, s.staff1, p, 14, nil, "other")}
		}, []safeguarding.PatternRule{safeguarding.RuleManyConcerns}},
		{"ThreeConcernsJustOutside14Days", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, nil, "neglect"), s.log(t, s.staff1, p, 6, nil, "online_safety"),
				s.log(t, s.staff1, p, 15, nil, "other")}
		}, nil},
		{"MissingFromEducationWithin30DaysOfAnIndicator", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"older_person"}), s.log(t, s.staff2, p, 30, nil, "missing_education")}
		}, []safeguarding.PatternRule{safeguarding.RuleMissingWithCSE}},
		{"GoingMissingBeforeAnIndicator", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"missing"}), s.log(t, s.staff1, p, 20, []string{"vehicles"})}
		}, []safeguarding.PatternRule{safeguarding.RuleMissingWithCSE}},
		{"AbsenceMoreThan30DaysAfterAnIndicator", func(p int64) []int64 {
			return []int64{s.log(t, s.staff1, p, 0, []string{"older_person"}), s.log(t, s.staff2, p, 31, []string{"absences"})}
		}, nil},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pupil := s.pupil(t, "Case"+string(rune('A'+i)))
			ids := c.history(pupil)
			flags := s.run(t, pupil, 40)
			if got := rulesOf(flags); !slices.Equal(got, c.want) {
				t.Fatalf("raised %v, want %v", got, c.want)
			}
			for _, f := range flags {
				if !slices.Equal(f.ConcernIDs, ids) {
					t.Errorf("flag raised by %v, want %v", f.ConcernIDs, ids)
				}
			}
		})
	}
}

func TestPatternRulesRunInTheConcernsTransaction(t *testing.T) {
	s := newPatternSchool(t)
	id := s.log(t, s.staff1, s.ruby, 0, []string{"secretive"})
	var pupils []int64
	err := s.owner.QueryRow(t.Context(), `SELECT array(SELECT jsonb_array_elements_text(args->'pupil_ids')::bigint) FROM river_job
		WHERE kind = 'pattern_rules' AND (args->>'school_id')::bigint = $1`, s.schoolID).Scan(&pupils)
	if err != nil || !slices.Equal(pupils, []int64{s.ruby}) {
		t.Fatalf("pattern job for concern %d: pupils %v, %v", id, pupils, err)
	}
	// A concern about an adult does not run them.
	logConcern(t, s.store, s.staff1, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectOtherAdult, SubjectAdultName: "A visitor",
		Categories: []string{"other"}})
	var n int
	if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'pattern_rules'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d pattern jobs, %v", n, err)
	}
}

func TestPatternFlagLifecycle(t *testing.T) {
	s := newPatternSchool(t)
	ctx := t.Context()
	a := s.log(t, s.staff1, s.ruby, 0, []string{"secretive"})
	b := s.log(t, s.staff2, s.ruby, 10, []string{"unexplained_gifts"})
	c := s.log(t, s.staff1, s.ruby, 20, []string{"older_partner"})
	flags := s.run(t, s.ruby, 20)
	if len(flags) != 1 || flags[0].Rule != safeguarding.RuleCSEAcrossStaff {
		t.Fatalf("raised %v", flags)
	}
	flag := flags[0]

	t.Run("NoticeToTheDSLAndDeputiesOnly", func(t *testing.T) {
		rows, err := s.owner.Query(ctx, `SELECT person_id, pupil_id, concern_id IS NULL, message FROM notices WHERE kind = 'pattern' ORDER BY person_id`)
		if err != nil {
			t.Fatal(err)
		}
		type notice struct {
			person, pupil int64
			noConcern     bool
			message       string
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (notice, error) {
			var n notice
			return n, r.Scan(&n.person, &n.pupil, &n.noConcern, &n.message)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []notice{{s.dsl.PersonID, s.ruby, true, postgres.PatternNotice}, {s.deputy.PersonID, s.ruby, true, postgres.PatternNotice}}
		if !slices.Equal(got, want) {
			t.Errorf("notices %v, want %v", got, want)
		}
		if strings.Contains(postgres.PatternNotice, "Ruby") {
			t.Error("the notice names the child")
		}
	})

	t.Run("OnTheQueueAndTheChildsFile", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.dsl, s.deputy, s.principal} {
			page, err := s.db.Queue(ctx, v, safeguarding.QueueFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.PatternFlags) != 1 || page.PatternFlags[0].ID != flag.ID || page.PatternFlags[0].Pupil.FirstName != "Ruby" ||
				!slices.Equal(page.PatternFlags[0].ConcernIDs, []int64{a, b, c}) {
				t.Errorf("%v's queue shows flags %+v", v.Roles, page.PatternFlags)
			}
			file, err := s.db.ChildFile(ctx, v, s.ruby, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(file.PatternFlags) != 1 || !file.PatternFlags[0].Open() {
				t.Errorf("%v's view of the child's file shows flags %+v", v.Roles, file.PatternFlags)
			}
		}
	})

	t.Run("UnseenByWhoMayNotSeeEveryConcern", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.staff2, s.chair, s.governor, s.admin} {
			var n int
			if err := asViewerTx(t, s.db, v, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, `SELECT count(*) FROM pattern_flags`).Scan(&n)
			}); err != nil || n != 0 {
				t.Errorf("%v reads %d flags (%v)", v.Roles, n, err)
			}
			if _, err := s.db.PatternFlag(ctx, v, flag.ID); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%v opens the flag: %v", v.Roles, err)
			}
		}
	})

	t.Run("ReviewNeedsADecisionAndAReason", func(t *testing.T) {
		if err := s.db.ReviewPatternFlag(ctx, s.dsl, flag.ID, safeguarding.PatternReview{Decision: safeguarding.DecisionMonitor}); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("review without a reason: %v", err)
		}
		if err := s.db.ReviewPatternFlag(ctx, s.principal, flag.ID, safeguarding.PatternReview{Decision: safeguarding.DecisionMonitor, Reason: "Seen."}); err == nil {
			t.Error("the principal reviewed the flag")
		}
	})

	t.Run("ReviewClearsAndAnUnchangedHistoryDoesNotRaiseAgain", func(t *testing.T) {
		if err := s.db.ReviewPatternFlag(ctx, s.deputy, flag.ID, safeguarding.PatternReview{Decision: safeguarding.DecisionAction,
			Reason: "Strategy meeting booked with children's social care."}); err != nil {
			t.Fatal(err)
		}
		page, err := s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{})
		if err != nil || len(page.PatternFlags) != 0 {
			t.Errorf("the queue still shows %v (%v)", page.PatternFlags, err)
		}
		file, err := s.db.ChildFile(ctx, s.dsl, s.ruby, 0)
		if err != nil || len(file.PatternFlags) != 1 || file.PatternFlags[0].Open() || file.PatternFlags[0].Decision != safeguarding.DecisionAction ||
			file.PatternFlags[0].ReviewedByName != "deputy" {
			t.Errorf("the child's file shows %+v (%v)", file.PatternFlags, err)
		}
		if err := s.db.ReviewPatternFlag(ctx, s.dsl, flag.ID, safeguarding.PatternReview{Decision: safeguarding.DecisionMonitor, Reason: "Again."}); err == nil {
			t.Error("a reviewed flag was reviewed again")
		}
		s.log(t, s.staff1, s.ruby, 60, nil, "online_safety") // no pattern
		if again := s.run(t, s.ruby, 60); len(again) != 0 {
			t.Errorf("an unchanged pattern raised %v", again)
		}
	})

	t.Run("ANewTriggerRaisesItAgain", func(t *testing.T) {
		var before int
		s.owner.QueryRow(ctx, `SELECT count(*) FROM notices WHERE kind = 'pattern'`).Scan(&before)
		d := s.log(t, s.staff2, s.ruby, 70, []string{"gangs", "vehicles"})
		e := s.log(t, s.staff1, s.ruby, 75, []string{"petty_crime"})
		again := s.run(t, s.ruby, 75)
		if len(again) != 1 || again[0].Rule != safeguarding.RuleCSEAcrossStaff || !slices.Equal(again[0].ConcernIDs, []int64{d, e}) {
			t.Fatalf("raised %+v", again)
		}
		var after int
		s.owner.QueryRow(ctx, `SELECT count(*) FROM notices WHERE kind = 'pattern'`).Scan(&after)
		if after != before+2 {
			t.Errorf("%d notices after, %d before", after, before)
		}
		// Run twice, as a retried job would: nothing more.
		if more := s.run(t, s.ruby, 75); len(more) != 0 {
			t.Errorf("a second run raised %v", more)
		}
	})

	t.Run("HiddenWhenAConcernMovesOutOfSight", func(t *testing.T) {
		page, _ := s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{})
		if len(page.PatternFlags) != 1 {
			t.Fatalf("the queue shows %v", page.PatternFlags)
		}
		open := page.PatternFlags[0]
		// One of its concerns turns out to be about the principal: only the
		// chair may see it now, so no one sees the flag.
		if _, err := s.owner.Exec(ctx, `UPDATE concerns SET route = 'principal', subject_kind = 'staff', subject_person_id = $2 WHERE id = $1`,
			open.ConcernIDs[0], s.principal.PersonID); err != nil {
			t.Fatal(err)
		}
		for _, v := range []safeguarding.Viewer{s.dsl, s.deputy, s.principal, s.chair} {
			var n int
			if err := asViewerTx(t, s.db, v, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, `SELECT count(*) FROM pattern_flags WHERE id = $1`, open.ID).Scan(&n)
			}); err != nil || n != 0 {
				t.Errorf("%v reads the flag (%d, %v)", v.Roles, n, err)
			}
		}
		page, _ = s.db.Queue(ctx, s.dsl, safeguarding.QueueFilter{})
		if len(page.PatternFlags) != 0 {
			t.Errorf("the queue shows %v", page.PatternFlags)
		}
		err := s.db.ReviewPatternFlag(ctx, s.dsl, open.ID, safeguarding.PatternReview{Decision: safeguarding.DecisionMonitor, Reason: "Seen."})
		if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("reviewing a flag out of sight: %v", err)
		}
	})
}

func TestPatternSettings(t *testing.T) {
	s := newPatternSchool(t)
	ctx := t.Context()
	got, err := s.db.PatternSettings(ctx, s.dsl)
	if err != nil || got != safeguarding.DefaultPatternSettings {
		t.Fatalf("settings %+v, %v", got, err)
	}
	for _, v := range []safeguarding.Viewer{s.staff1, s.principal, s.chair, s.admin} {
		if _, err := s.db.PatternSettings(ctx, v); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("%v reads the settings: %v", v.Roles, err)
		}
		if err := s.db.SetPatternSettings(ctx, v, safeguarding.DefaultPatternSettings, ""); err == nil {
			t.Errorf("%v sets the pattern rules", v.Roles)
		}
	}
	bad := safeguarding.DefaultPatternSettings
	bad.CSEDays = 0
	if err := s.db.SetPatternSettings(ctx, s.dsl, bad, ""); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("invalid settings: %v", err)
	}
	lower := safeguarding.DefaultPatternSettings
	lower.CSEIndicators, lower.ConcernsOn = 2, false
	if err := s.db.SetPatternSettings(ctx, s.deputy, lower, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	var detail string
	if err := s.owner.QueryRow(ctx, `SELECT detail FROM audit_log WHERE action = 'set_pattern_settings' AND actor_id = $1`, s.deputy.PersonID).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if detail != "CSE indicators: 3 → 2; concerns rule on: true → false" {
		t.Errorf("audited %q", detail)
	}
	if got, _ := s.db.PatternSettings(ctx, s.dsl); got.CSEIndicators != 2 || got.ConcernsOn || got.UpdatedByName != "deputy" {
		t.Errorf("settings now %+v", got)
	}
	// The rules read them: two indicators from two staff now fire.
	s.log(t, s.staff1, s.tom, 0, []string{"secretive"})
	s.log(t, s.staff2, s.tom, 1, []string{"gangs"})
	s.log(t, s.staff2, s.tom, 2, nil, "neglect")
	if flags := s.run(t, s.tom, 2); !slices.Equal(rulesOf(flags), []safeguarding.PatternRule{safeguarding.RuleCSEAcrossStaff}) {
		t.Errorf("raised %v", rulesOf(flags))
	}
}

func TestPatternFactsOnlyForHaven(t *testing.T) {
	s := newPatternSchool(t)
	s.log(t, s.staff1, s.ruby, 0, []string{"secretive"})
	for _, v := range []safeguarding.Viewer{s.staff1, s.dsl} {
		var n int
		err := asViewerTx(t, s.db, v, func(tx pgx.Tx) error {
			return tx.QueryRow(t.Context(), `SELECT count(*) FROM haven_pattern_facts($1, $2)`, s.schoolID, s.ruby).Scan(&n)
		})
		if err != nil || n != 0 {
			t.Errorf("%v reads %d facts (%v)", v.Roles, n, err)
		}
	}
}

// An open flag takes in a later concern that joins its pattern, with no
// second flag and no second notice.
func TestOpenPatternFlagGrows(t *testing.T) {
	s := newPatternSchool(t)
	a := s.log(t, s.staff1, s.ruby, 0, []string{"secretive"})
	b := s.log(t, s.staff2, s.ruby, 10, []string{"gangs"})
	c := s.log(t, s.staff1, s.ruby, 20, []string{"vehicles"})
	if flags := s.run(t, s.ruby, 20); len(flags) != 1 {
		t.Fatalf("raised %v", flags)
	}
	d := s.log(t, s.staff2, s.ruby, 25, []string{"older_partner"})
	if flags := s.run(t, s.ruby, 25); len(flags) != 0 {
		t.Errorf("raised %v beside the open flag", flags)
	}
	var ids []int64
	var notices int
	if err := s.owner.QueryRow(t.Context(), `SELECT concern_ids, (SELECT count(*) FROM notices WHERE kind = 'pattern') FROM pattern_flags`).Scan(&ids, &notices); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []int64{a, b, c, d}) || notices != 2 {
		t.Errorf("the open flag holds %v, with %d notices", ids, notices)
	}
}

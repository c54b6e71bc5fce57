package safeguarding_test

import (
	"slices"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// marchDay is noon in England n days after 1 March 2026 (a time zone change
// falls inside, on 29 March: the rules count days, not hours).
func marchDay(n int) time.Time {
	return time.Date(2026, 3, 1, 12, 0, 0, 0, safeguarding.England()).AddDate(0, 0, n)
}

func fact(id int64, at time.Time, by int64, indicators []string, categories ...string) safeguarding.PatternFact {
	if len(categories) == 0 {
		categories = []string{"cse"}
	}
	return safeguarding.PatternFact{ConcernID: id, LoggedAt: at, LoggedBy: by, Indicators: indicators, Categories: categories}
}

func findings(t *testing.T, s safeguarding.PatternSettings, facts ...safeguarding.PatternFact) map[safeguarding.PatternRule][]int64 {
	t.Helper()
	out := map[safeguarding.PatternRule][]int64{}
	for _, f := range safeguarding.EvaluatePatterns(s, facts) {
		out[f.Rule] = f.ConcernIDs
	}
	return out
}

func TestEvaluatePatterns(t *testing.T) {
	only := func(r safeguarding.PatternRule) safeguarding.PatternSettings {
		s := safeguarding.DefaultPatternSettings
		s.CSEOn, s.ConcernsOn, s.MissingOn = r == safeguarding.RuleCSEAcrossStaff, r == safeguarding.RuleManyConcerns, r == safeguarding.RuleMissingWithCSE
		return s
	}
	cases := []struct {
		name  string
		rule  safeguarding.PatternRule
		facts []safeguarding.PatternFact
		want  []int64 // nil: does not fire
	}{
		{"CSE: two staff, three indicators within 30 days", safeguarding.RuleCSEAcrossStaff, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"secretive"}),
			fact(2, marchDay(10), 11, []string{"unexplained_gifts"}),
			fact(3, marchDay(20), 10, []string{"older_partner"}),
		}, []int64{1, 2, 3}},
		{"CSE: one member of staff, three indicators", safeguarding.RuleCSEAcrossStaff, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"secretive"}),
			fact(2, marchDay(10), 10, []string{"unexplained_gifts"}),
			fact(3, marchDay(20), 10, []string{"older_partner"}),
		}, nil},
		{"CSE: two staff, the same indicator three times", safeguarding.RuleCSEAcrossStaff, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"secretive"}),
			fact(2, marchDay(1), 11, []string{"secretive"}),
			fact(3, marchDay(2), 10, []string{"secretive"}),
		}, nil},
		{"CSE: exactly 30 days apart (inside)", safeguarding.RuleCSEAcrossStaff, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"secretive", "withdrawn"}),
			fact(2, marchDay(30), 11, []string{"gangs"}),
		}, []int64{1, 2}},
		{"CSE: 31 days apart (outside)", safeguarding.RuleCSEAcrossStaff, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"secretive", "withdrawn"}),
			fact(2, marchDay(31), 11, []string{"gangs"}),
		}, nil},
		{"CSE: concerns without indicators do not count", safeguarding.RuleCSEAcrossStaff, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"secretive", "withdrawn"}),
			fact(2, marchDay(2), 11, nil),
			fact(3, marchDay(3), 10, []string{"gangs"}),
		}, nil},
		{"Concerns: three within 14 days", safeguarding.RuleManyConcerns, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, nil, "neglect"),
			fact(2, marchDay(7), 10, nil, "online_safety"),
			fact(3, marchDay(14), 10, nil, "other"),
		}, []int64{1, 2, 3}},
		{"Concerns: three across 15 days", safeguarding.RuleManyConcerns, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, nil, "neglect"),
			fact(2, marchDay(7), 10, nil, "online_safety"),
			fact(3, marchDay(15), 10, nil, "other"),
		}, nil},
		{"Concerns: the latest window is the one flagged", safeguarding.RuleManyConcerns, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, nil, "neglect"),
			fact(2, marchDay(1), 10, nil, "neglect"),
			fact(3, marchDay(2), 10, nil, "neglect"),
			fact(4, marchDay(40), 10, nil, "neglect"),
			fact(5, marchDay(41), 10, nil, "neglect"),
			fact(6, marchDay(42), 10, nil, "neglect"),
		}, []int64{4, 5, 6}},
		{"Missing: going missing 30 days after an indicator", safeguarding.RuleMissingWithCSE, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"older_person"}),
			fact(2, marchDay(30), 11, []string{"missing"}),
		}, []int64{1, 2}},
		{"Missing: absence 31 days after an indicator", safeguarding.RuleMissingWithCSE, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"older_person"}),
			fact(2, marchDay(31), 11, []string{"absences"}),
		}, nil},
		{"Missing: missing from education before an indicator", safeguarding.RuleMissingWithCSE, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, nil, "missing_education"),
			fact(2, marchDay(12), 11, []string{"vehicles"}),
		}, []int64{1, 2}},
		{"Missing: missing and absent alone", safeguarding.RuleMissingWithCSE, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"missing"}, "missing_education"),
			fact(2, marchDay(1), 11, []string{"absences"}),
		}, nil},
		{"Missing: both in one concern", safeguarding.RuleMissingWithCSE, []safeguarding.PatternFact{
			fact(1, marchDay(0), 10, []string{"missing", "gangs"}),
		}, []int64{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := findings(t, only(c.rule), c.facts...)
			if len(got) > 1 {
				t.Fatalf("rules other than %s fired: %v", c.rule, got)
			}
			if !slices.Equal(got[c.rule], c.want) {
				t.Errorf("%s fired on %v, want %v", c.rule, got[c.rule], c.want)
			}
		})
	}
}

func TestEvaluatePatternsSettings(t *testing.T) {
	facts := []safeguarding.PatternFact{
		fact(1, marchDay(0), 10, []string{"secretive"}),
		fact(2, marchDay(3), 11, []string{"gangs"}),
	}
	t.Run("DefaultsDoNotFire", func(t *testing.T) {
		if got := findings(t, safeguarding.DefaultPatternSettings, facts...); len(got) != 0 {
			t.Errorf("fired: %v", got)
		}
	})
	t.Run("LowerThresholdsFire", func(t *testing.T) {
		s := safeguarding.DefaultPatternSettings
		s.CSEIndicators, s.ConcernsMany = 2, 2
		got := findings(t, s, facts...)
		if len(got[safeguarding.RuleCSEAcrossStaff]) != 2 || len(got[safeguarding.RuleManyConcerns]) != 2 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("OffDoesNotFire", func(t *testing.T) {
		s := safeguarding.DefaultPatternSettings
		s.CSEIndicators, s.ConcernsMany = 2, 2
		s.CSEOn, s.ConcernsOn = false, false
		if got := findings(t, s, facts...); len(got) != 0 {
			t.Errorf("fired: %v", got)
		}
	})
	t.Run("Problems", func(t *testing.T) {
		if p := safeguarding.DefaultPatternSettings.Problems(); len(p) != 0 {
			t.Errorf("defaults have problems: %v", p)
		}
		s := safeguarding.DefaultPatternSettings
		s.CSEIndicators, s.ConcernsDays = 1, 0
		p := s.Problems()
		if p["cse-indicators"] == "" || p["concerns-days"] == "" || len(p) != 2 {
			t.Errorf("problems: %v", p)
		}
	})
}

func TestPatternsToRaise(t *testing.T) {
	reviewed := time.Now()
	finding := safeguarding.PatternFinding{Rule: safeguarding.RuleManyConcerns, ConcernIDs: []int64{2, 3, 4}}
	cases := []struct {
		name        string
		flags       []safeguarding.PatternFlag
		raise, grow bool
	}{
		{"NoFlagRaises", nil, true, false},
		{"ReviewedSameConcernsDoesNot", []safeguarding.PatternFlag{{Rule: finding.Rule, ConcernIDs: []int64{2, 3, 4}, ReviewedAt: &reviewed}}, false, false},
		{"ReviewedNewConcernRaises", []safeguarding.PatternFlag{{Rule: finding.Rule, ConcernIDs: []int64{1, 2, 3}, ReviewedAt: &reviewed}}, true, false},
		{"OpenFlagGrows", []safeguarding.PatternFlag{{Rule: finding.Rule, ConcernIDs: []int64{1, 2, 3}}}, false, true},
		{"OpenFlagSameConcerns", []safeguarding.PatternFlag{{Rule: finding.Rule, ConcernIDs: []int64{2, 3, 4}}}, false, false},
		{"OtherRuleReviewedRaises", []safeguarding.PatternFlag{{Rule: safeguarding.RuleCSEAcrossStaff, ConcernIDs: []int64{2, 3, 4}, ReviewedAt: &reviewed}}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raise, grow := safeguarding.PatternsToRaise([]safeguarding.PatternFinding{finding}, c.flags)
			if (len(raise) > 0) != c.raise || (len(grow) > 0) != c.grow {
				t.Errorf("raise %v grow %v", raise, grow)
			}
		})
	}
}

func TestPatternReviewProblems(t *testing.T) {
	if p := (safeguarding.PatternReview{Decision: safeguarding.DecisionMonitor, Reason: "Spoke to her tutor"}).Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
	p := (safeguarding.PatternReview{Decision: "maybe"}).Problems()
	if p["decision"] == "" || p["reason"] == "" {
		t.Errorf("problems: %v", p)
	}
}

func TestMaySeePatternFlag(t *testing.T) {
	dsl := matrixViewers["DSL"]
	child := safeguarding.ConcernAccess{SchoolID: matrixSchool, Route: safeguarding.RouteChild, LoggedBy: matrixReferrerID}
	aboutDSL := safeguarding.ConcernAccess{SchoolID: matrixSchool, Route: safeguarding.RouteSafeguardingLead, LoggedBy: matrixReferrerID, SubjectPersonID: dsl.PersonID}
	if !safeguarding.MaySeePatternFlag(dsl, []safeguarding.ConcernAccess{child, child}) {
		t.Error("the DSL does not see a flag raised by concerns about a child")
	}
	if safeguarding.MaySeePatternFlag(dsl, []safeguarding.ConcernAccess{child, aboutDSL}) {
		t.Error("the DSL sees a flag raised partly by a concern about them")
	}
	if safeguarding.MaySeePatternFlag(matrixViewers["referrer"], []safeguarding.ConcernAccess{child}) {
		t.Error("the member of staff who logged the concern sees the flag")
	}
	if safeguarding.MaySeePatternFlag(dsl, nil) {
		t.Error("a flag with no concerns is seen")
	}
}

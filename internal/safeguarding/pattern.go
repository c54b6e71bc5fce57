package safeguarding

import (
	"slices"
	"sort"
	"strconv"
	"time"
)

// PatternRule is one of the rules that look across a child's concerns for
// what no single concern shows (policy §5.2, §6.1; DESIGN.md "Seeing
// patterns"). Its code is stored with each flag it raises: do not change it.
type PatternRule string

const (
	// RuleCSEAcrossStaff: several distinct CSE indicators recorded by more
	// than one member of staff within a span of days.
	RuleCSEAcrossStaff PatternRule = "cse_across_staff"
	// RuleManyConcerns: several concerns, of any category, within a span
	// of days.
	RuleManyConcerns PatternRule = "many_concerns"
	// RuleMissingWithCSE: going missing or unexplained absence recorded
	// within a span of days of another CSE indicator.
	RuleMissingWithCSE PatternRule = "missing_with_cse"
)

// PatternRules lists the rules in the order pages show them.
var PatternRules = []PatternRule{RuleCSEAcrossStaff, RuleManyConcerns, RuleMissingWithCSE}

// MissingIndicators are the §5.2 indicators that record a child going
// missing or absent: "Unexplained and/or regular school absences" and
// "Staying out late or going missing for periods of time". The category
// "Missing from education" (MissingCategory) records it too.
var MissingIndicators = []string{"absences", "missing"}

// MissingCategory is the concern category of a child missing from education.
const MissingCategory = "missing_education"

// PatternSettings are a school's thresholds for the rules; the DSL sets
// them (MayManagePatterns). The zero value is not valid: start from
// DefaultPatternSettings.
type PatternSettings struct {
	CSEOn         bool
	CSEIndicators int // distinct CSE indicators, at least
	CSEStaff      int // recorded by this many members of staff, at least
	CSEDays       int // within this many days

	ConcernsOn   bool
	ConcernsMany int // concerns, at least
	ConcernsDays int // within this many days

	MissingOn   bool
	MissingDays int // missing or absent within this many days of a CSE indicator

	UpdatedAt     time.Time // zero while the school keeps the defaults
	UpdatedByName string
}

// DefaultPatternSettings are the thresholds a school starts with.
var DefaultPatternSettings = PatternSettings{
	CSEOn: true, CSEIndicators: 3, CSEStaff: 2, CSEDays: 30,
	ConcernsOn: true, ConcernsMany: 3, ConcernsDays: 14,
	MissingOn: true, MissingDays: 30,
}

// Problems says, by the settings form's field names, what stops the
// settings being saved.
func (s PatternSettings) Problems() FieldProblems {
	p := FieldProblems{}
	check := func(field string, v, lo, hi int, what string) {
		if v < lo || v > hi {
			p[field] = what + " must be a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
		}
	}
	check("cse-indicators", s.CSEIndicators, 2, 26, "The number of indicators")
	check("cse-staff", s.CSEStaff, 1, 20, "The number of members of staff")
	check("cse-days", s.CSEDays, 1, 365, "The number of days")
	check("concerns-many", s.ConcernsMany, 2, 50, "The number of concerns")
	check("concerns-days", s.ConcernsDays, 1, 365, "The number of days")
	check("missing-days", s.MissingDays, 1, 365, "The number of days")
	return p
}

// Describe says what rule r looks for under these settings, for pages and
// notices' readers: "3 or more distinct CSE indicators recorded by 2 or
// more members of staff within 30 days".
func (s PatternSettings) Describe(r PatternRule) string {
	switch r {
	case RuleCSEAcrossStaff:
		return strconv.Itoa(s.CSEIndicators) + " or more distinct CSE indicators recorded by " + strconv.Itoa(s.CSEStaff) +
			" or more members of staff within " + days(s.CSEDays)
	case RuleManyConcerns:
		return strconv.Itoa(s.ConcernsMany) + " or more concerns of any category within " + days(s.ConcernsDays)
	case RuleMissingWithCSE:
		return "Going missing or unexplained absence recorded within " + days(s.MissingDays) + " of another CSE indicator"
	}
	return string(r)
}

// Label is the rule's short name.
func (r PatternRule) Label() string {
	switch r {
	case RuleCSEAcrossStaff:
		return "CSE indicators from several members of staff"
	case RuleManyConcerns:
		return "Several concerns in a short time"
	case RuleMissingWithCSE:
		return "Missing or absent alongside CSE indicators"
	}
	return string(r)
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// PatternFact is what one concern records for one child, as the rules read
// it: when it was logged and by whom, its categories, and the CSE
// indicators of that child's own part (none while a concern about several
// children waits for its parts to be recorded). Indicators recorded later
// by attribution were on the concern when it was logged, seen by whoever
// logged it, so they count from then and for them.
type PatternFact struct {
	ConcernID  int64
	LoggedAt   time.Time
	LoggedBy   int64
	Categories []string
	Indicators []string
}

// missing reports whether the fact records the child going missing or
// absent.
func (f PatternFact) missing() bool {
	return slices.Contains(f.Categories, MissingCategory) ||
		slices.ContainsFunc(f.Indicators, func(c string) bool { return slices.Contains(MissingIndicators, c) })
}

// otherCSE reports whether the fact records a CSE indicator other than
// going missing or absence.
func (f PatternFact) otherCSE() bool {
	return slices.ContainsFunc(f.Indicators, func(c string) bool { return !slices.Contains(MissingIndicators, c) })
}

// PatternFinding is a rule that fires for a child, and the concerns that
// made it fire, oldest first.
type PatternFinding struct {
	Rule       PatternRule
	ConcernIDs []int64
}

// daysApart is how many calendar days in England lie between a and b,
// later minus earlier: "within 30 days" means at most 30.
func daysApart(a, b time.Time) int {
	da, db := DateInEngland(a), DateInEngland(b)
	if db.Before(da) {
		da, db = db, da
	}
	return int(db.Sub(da).Hours()/24 + 0.5)
}

// EvaluatePatterns says which rules fire on a child's facts under s, each
// with the concerns of its latest firing: the window of days that ends
// with the latest concern at which the rule holds. A rule that is off, or
// holds nowhere, is left out.
func EvaluatePatterns(s PatternSettings, facts []PatternFact) []PatternFinding {
	facts = slices.Clone(facts)
	sort.SliceStable(facts, func(i, j int) bool {
		if !facts[i].LoggedAt.Equal(facts[j].LoggedAt) {
			return facts[i].LoggedAt.Before(facts[j].LoggedAt)
		}
		return facts[i].ConcernID < facts[j].ConcernID
	})
	var out []PatternFinding
	add := func(r PatternRule, ids []int64) {
		if len(ids) > 0 {
			out = append(out, PatternFinding{Rule: r, ConcernIDs: ids})
		}
	}
	if s.CSEOn {
		add(RuleCSEAcrossStaff, latestWindow(facts, s.CSEDays, func(w []PatternFact) []int64 {
			var inds []string
			staff := map[int64]bool{}
			var ids []int64
			for _, f := range w {
				if len(f.Indicators) == 0 {
					continue
				}
				inds = unionIndicators(inds, f.Indicators)
				staff[f.LoggedBy] = true
				ids = append(ids, f.ConcernID)
			}
			if len(inds) >= s.CSEIndicators && len(staff) >= s.CSEStaff {
				return ids
			}
			return nil
		}))
	}
	if s.ConcernsOn {
		add(RuleManyConcerns, latestWindow(facts, s.ConcernsDays, func(w []PatternFact) []int64 {
			ids := concernIDs(w, func(PatternFact) bool { return true })
			if len(ids) >= s.ConcernsMany {
				return ids
			}
			return nil
		}))
	}
	if s.MissingOn {
		add(RuleMissingWithCSE, latestWindow(facts, s.MissingDays, func(w []PatternFact) []int64 {
			// The window ends with its latest fact: it fires when that one
			// is missing and another CSE indicator is in the window, or the
			// other way round, so each pair is found once, by its later fact.
			last := w[len(w)-1]
			var ids []int64
			switch {
			case last.missing():
				ids = concernIDs(w, PatternFact.otherCSE)
			case last.otherCSE():
				ids = concernIDs(w, PatternFact.missing)
			}
			if len(ids) == 0 {
				return nil
			}
			return concernIDs(w, func(f PatternFact) bool {
				return slices.Contains(ids, f.ConcernID) || f.ConcernID == last.ConcernID
			})
		}))
	}
	return out
}

// latestWindow tries, from the latest fact back, each window of the facts
// logged within span days up to and including that fact, and returns what
// fires says of the first window it fires on (nil if none).
func latestWindow(facts []PatternFact, span int, fires func(window []PatternFact) []int64) []int64 {
	for end := len(facts) - 1; end >= 0; end-- {
		start := end
		for start > 0 && daysApart(facts[start-1].LoggedAt, facts[end].LoggedAt) <= span {
			start--
		}
		if ids := fires(facts[start : end+1]); len(ids) > 0 {
			return ids
		}
	}
	return nil
}

// concernIDs are the distinct concerns of the facts that keep admits, in
// order.
func concernIDs(facts []PatternFact, keep func(PatternFact) bool) []int64 {
	var ids []int64
	for _, f := range facts {
		if keep(f) && !slices.Contains(ids, f.ConcernID) {
			ids = append(ids, f.ConcernID)
		}
	}
	return ids
}

// PatternFlag is a child flagged for the DSL's review by a rule, and the
// concerns that raised it. A flag is open until reviewed; a later concern
// that makes the rule fire again raises a new one.
type PatternFlag struct {
	ID         int64
	SchoolID   int64
	PupilID    int64
	Pupil      PupilRef // filled in where the flag is shown
	Rule       PatternRule
	ConcernIDs []int64
	RaisedAt   time.Time

	ReviewedAt     *time.Time
	ReviewedBy     int64
	ReviewedByName string
	Decision       PatternDecision
	Reason         string
}

// Open reports whether the flag awaits review.
func (f PatternFlag) Open() bool { return f.ReviewedAt == nil }

// PatternsToRaise are the findings that raise a new flag, given the child's
// flags so far: a finding raises one unless a flag of its rule is open
// (whose concerns it then joins: the caller updates it) or was reviewed
// with every concern of the finding already in view, so an unchanged
// history never raises a reviewed flag again.
func PatternsToRaise(findings []PatternFinding, flags []PatternFlag) (raise []PatternFinding, grow []PatternFlag) {
	for _, fd := range findings {
		seen := map[int64]bool{}
		var open *PatternFlag
		for i, fl := range flags {
			if fl.Rule != fd.Rule {
				continue
			}
			if fl.Open() {
				open = &flags[i]
			}
			for _, id := range fl.ConcernIDs {
				seen[id] = true
			}
		}
		if open != nil {
			if merged := mergeIDs(open.ConcernIDs, fd.ConcernIDs); len(merged) > len(open.ConcernIDs) {
				g := *open
				g.ConcernIDs = merged
				grow = append(grow, g)
			}
			continue
		}
		if slices.ContainsFunc(fd.ConcernIDs, func(id int64) bool { return !seen[id] }) {
			raise = append(raise, fd)
		}
	}
	return raise, grow
}

func mergeIDs(a, b []int64) []int64 {
	out := slices.Clone(a)
	for _, id := range b {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// PatternDecision is what the DSL decided on reviewing a flag.
type PatternDecision string

const (
	DecisionAction    PatternDecision = "action"     // action taken or planned (a referral, a meeting, a plan)
	DecisionMonitor   PatternDecision = "monitor"    // keep watching; nothing more yet
	DecisionNoConcern PatternDecision = "no_concern" // the concerns are not connected; no further action
)

// PatternDecisions are the decisions in the order the review form offers them.
var PatternDecisions = []PatternDecision{DecisionAction, DecisionMonitor, DecisionNoConcern}

// Label is the decision as the form words it.
func (d PatternDecision) Label() string {
	switch d {
	case DecisionAction:
		return "Action taken or planned"
	case DecisionMonitor:
		return "Continue to monitor"
	case DecisionNoConcern:
		return "No further action: the concerns are not connected"
	}
	return string(d)
}

// PatternReview is the DSL's review of a flag.
type PatternReview struct {
	Decision PatternDecision
	Reason   string
}

// Problems says, by the review form's field names, what stops the review
// being recorded: a decision from the list, and the reason for it.
func (r PatternReview) Problems() FieldProblems {
	p := FieldProblems{}
	if !slices.Contains(PatternDecisions, r.Decision) {
		p["decision"] = "Select what you decided"
	}
	switch {
	case r.Reason == "":
		p["reason"] = "Enter the reason for your decision"
	case !maxRunes(r.Reason, 5000):
		p["reason"] = "The reason must be 5,000 characters or fewer"
	}
	return p
}

// PatternFlagRecord is a flag as its page shows it: the flag, the rule's
// thresholds as the school now sets them, and the concerns that raised it.
type PatternFlagRecord struct {
	Flag     PatternFlag
	Settings PatternSettings
	// Concerns are oldest first, each with when and by whom it was logged,
	// its categories, its status and the flagged pupil's own indicators.
	Concerns []Concern
}

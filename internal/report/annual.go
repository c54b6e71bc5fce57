package report

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Figures are one school-year's raw aggregates as the database works them
// out (internal/postgres AnnualFigures), keyed "figure/label", e.g.
// "category/cse" or "acknowledgement/median". A key not present is 0.
type Figures map[string]float64

func (f Figures) get(figure, label string) float64 { return f[figure+"/"+label] }
func (f Figures) count(figure, label string) int64 { return int64(f.get(figure, label)) }

// Labelled is a code Haven stores and the words the report prints for it.
type Labelled struct{ Code, Label string }

// Names are the words for the codes the figures are keyed by, in the order
// the report lists them.
type Names struct {
	Categories []Labelled
	Indicators []Labelled
	Agencies   []Labelled
}

// Annual builds a school's report for year from its figures for that year
// (this) and the year before (prev), every table suppressed.
func Annual(school string, year AcademicYear, generated time.Time, this, prev Figures, n Names) Report {
	b := builder{cols: []string{year.String(), year.Previous().String()}, years: [2]Figures{this, prev}}
	r := Report{School: school, Year: year, Generated: generated}
	r.Sections = []Section{
		{Title: "Concerns", Tables: []Table{b.byCategory(n), b.byMonth(), b.bySubject()}},
		{Title: "Child sexual exploitation indicators", Tables: []Table{b.indicators(n)}},
		{Title: "Referrals", Tables: []Table{b.byAgency(n), b.responses()}},
		{Title: "Timeliness", Tables: []Table{b.timeliness()}},
		{Title: "Pupils with an open concern at the end of the year", Tables: []Table{b.openByYearGroup(), b.openByNeed()}},
		{Title: "Training and policies", Tables: []Table{b.training(), b.leadTraining(), b.policies()}},
	}
	for i, s := range r.Sections {
		for j, t := range s.Tables {
			r.Sections[i].Tables[j] = Suppress(t)
		}
	}
	return r
}

// builder makes the tables, each with a column for this year and the last.
type builder struct {
	cols  []string
	years [2]Figures
}

// counts is a row of one count a year.
func (b builder) counts(label, figure, key string) Row {
	return b.row(label, func(f Figures) Figure { return Counted(f.count(figure, key)) })
}

func (b builder) row(label string, fig func(Figures) Figure) Row {
	return Row{Label: label, Figures: []Figure{fig(b.years[0]), fig(b.years[1])}}
}

func (b builder) total(figure, key string) Row {
	r := b.counts("Total", figure, key)
	r.Total = true
	return r
}

func (b builder) byCategory(n Names) Table {
	t := Table{ID: "concerns-by-category", Caption: "Concerns by category", Columns: b.cols, Chart: Bars,
		Note: "Concerns logged in the year. A concern can be about more than one category, so these do not add up to the number of concerns."}
	for _, c := range n.Categories {
		t.Rows = append(t.Rows, b.counts(c.Label, "category", c.Code))
	}
	return t
}

func (b builder) byMonth() Table {
	t := Table{ID: "concerns-by-month", Caption: "Concerns by month", Columns: b.cols, Chart: Columns,
		Note: "Concerns by the month they were logged (UK time)."}
	for i := range 12 {
		m := time.Month((int(time.September)-1+i)%12 + 1)
		t.Rows = append(t.Rows, b.counts(m.String(), "month", fmt.Sprint(int(m))))
	}
	t.Rows = append(t.Rows, b.total("concerns", "total"))
	return t
}

func (b builder) bySubject() Table {
	return Table{ID: "concerns-by-subject", Caption: "Concerns about children and allegations about adults", Columns: b.cols,
		Note: "Allegations about adults include those about the principal and the safeguarding leads; they are counted, never described.",
		Rows: []Row{
			b.counts("Concerns about children", "route", "child"),
			b.counts("Allegations about adults", "route", "adult"),
			b.total("concerns", "total"),
		}}
}

// indicators lists the CSE indicators most often recorded first. Counts
// the report suppresses sort as equals, so the order gives none away.
func (b builder) indicators(n Names) Table {
	t := Table{ID: "cse-indicators", Caption: "CSE indicators recorded, by frequency", Columns: b.cols, Chart: Bars,
		Note: "The number of concerns logged in the year that recorded each indicator of policy §5.2. A concern can record several."}
	shown := func(code string) float64 {
		v := b.years[0].get("indicator", code)
		if small(v) {
			return 1
		}
		return v
	}
	ind := slices.Clone(n.Indicators)
	slices.SortStableFunc(ind, func(x, y Labelled) int { return cmp.Compare(shown(y.Code), shown(x.Code)) })
	for _, i := range ind {
		t.Rows = append(t.Rows, b.counts(i.Label, "indicator", i.Code))
	}
	return t
}

func (b builder) byAgency(n Names) Table {
	t := Table{ID: "referrals-by-agency", Caption: "Referrals by agency", Columns: b.cols, Chart: Bars,
		Note: "Referrals recorded in the year, by the agency referred to."}
	for _, a := range n.Agencies {
		t.Rows = append(t.Rows, b.counts(a.Label, "referral_agency", a.Code))
	}
	t.Rows = append(t.Rows, b.total("referrals", "total"))
	return t
}

func (b builder) responses() Table {
	return Table{ID: "referral-responses", Caption: "Agencies' responses to referrals", Columns: b.cols,
		Note: "Whether the agency's response to each referral recorded in the year has been recorded.",
		Rows: []Row{
			b.counts("Response recorded", "referral_response", "recorded"),
			b.counts("No response recorded", "referral_response", "none"),
			b.total("referrals", "total"),
		}}
}

func (b builder) timeliness() Table {
	ack := func(label string) func(Figures) Figure {
		return func(f Figures) Figure {
			return Measure(f.get("acknowledgement", label), Hours, f.count("acknowledgement", "count"))
		}
	}
	return Table{ID: "timeliness", Caption: "Timeliness", Columns: b.cols,
		Note: "Acknowledgement: concerns about children logged in the year, from logging to a safeguarding lead's acknowledgement. " +
			"Response within one working day: the agency's response dated no later than the working day after the referral " +
			"(weekends, bank holidays and the school's closure days excluded), of all referrals recorded in the year. " +
			"Urgent concerns within the school's target: urgent concerns logged in the year, acknowledged within the school's " +
			"escalation time for an urgent concern as it is set now (15 minutes unless the school changed it).",
		Rows: []Row{
			b.row("Median time to acknowledgement", ack("median")),
			b.row("90th percentile time to acknowledgement", ack("p90")),
			b.row("Referrals with the agency's response within one working day", func(f Figures) Figure {
				return Share(f.count("referral_response", "within_working_day"), f.count("referrals", "total"))
			}),
			b.row("Urgent concerns acknowledged within the school's target", func(f Figures) Figure {
				return Share(f.count("urgent", "in_target"), f.count("urgent", "total"))
			}),
		}}
}

func (b builder) openByYearGroup() Table {
	t := Table{ID: "open-by-year-group", Caption: "Pupils with an open concern at the end of the year, by year group", Columns: b.cols, Chart: Bars,
		Note: "Pupils named in a concern about a child that was open on 31 August, whether closed since or not. " +
			"Each pupil's year group is the one Haven holds for them now, not the one they were in then."}
	for yg := 1; yg <= 14; yg++ {
		key := fmt.Sprint(yg)
		if b.years[0].get("open_year_group", key) == 0 && b.years[1].get("open_year_group", key) == 0 {
			continue
		}
		t.Rows = append(t.Rows, b.counts(fmt.Sprintf("Year %d", yg), "open_year_group", key))
	}
	t.Rows = append(t.Rows, b.total("open_pupils", "total"))
	return t
}

func (b builder) openByNeed() Table {
	return Table{ID: "open-by-need", Caption: "Pupils with an open concern at the end of the year, by vulnerability", Columns: b.cols,
		Note: "A pupil can be in more than one group. The groups are those Haven holds for each pupil now.",
		Rows: []Row{
			b.counts("Pupils with an open concern", "open_pupils", "total"),
			b.counts("Special educational needs and disabilities (SEND)", "open_flag", "send"),
			b.counts("Looked after", "open_flag", "looked_after"),
			b.counts("Previously looked after", "open_flag", "previously_looked_after"),
		}}
}

// inDate is a table of who was in date on the year's last day, or not
// recorded in a year with no training recorded at all.
func (b builder) inDate(id, caption, note, all, ok string) Table {
	fig := func(get func(f Figures) int64) func(Figures) Figure {
		return func(f Figures) Figure {
			if f.count("training", "records") == 0 {
				return NotRecordedFigure(Count)
			}
			return Counted(get(f))
		}
	}
	total := b.row("Total", fig(func(f Figures) int64 { return f.count("training", all) }))
	total.Total = true
	return Table{ID: id, Caption: caption, Columns: b.cols, Note: note, Rows: []Row{
		b.row("In date", fig(func(f Figures) int64 { return f.count("training", ok) })),
		b.row("Not in date", fig(func(f Figures) int64 { return f.count("training", all) - f.count("training", ok) })),
		total,
	}}
}

func (b builder) training() Table {
	return b.inDate("training-staff", "Staff safeguarding training on 31 August",
		"Active staff, safeguarding leads and the principal who had started by 31 August. In date: an induction (for staff whose start date is recorded) "+
			"and safeguarding training in the 12 months to 31 August (policy §4.1). Not recorded: no training recorded for anyone by then.",
		"staff", "staff_in_date")
}

func (b builder) leadTraining() Table {
	return b.inDate("training-leads", "DSL and deputy training on 31 August",
		"The DSL and deputies. In date: DSL training in the 2 years to 31 August and DSL training or an update in the 12 months to it (policy §4.7).",
		"leads", "leads_in_date")
}

func (b builder) policies() Table {
	fig := func(key string) func(Figures) Figure {
		return func(f Figures) Figure {
			if f.count("policies", "total") == 0 {
				return NotRecordedFigure(Count)
			}
			return Counted(f.count("policies", key))
		}
	}
	total := b.row("Total", fig("total"))
	total.Total = true
	return Table{ID: "policy-reviews", Caption: "Safeguarding policies on 31 August", Columns: b.cols,
		Note: "The school's policies then, by their latest approval by then (policy §13.1). Not recorded: no policy in the register.",
		Rows: []Row{
			b.row("Review in date", fig("in_date")),
			b.row("Review overdue", fig("overdue")),
			b.row("Never approved", fig("never")),
			total,
		}}
}

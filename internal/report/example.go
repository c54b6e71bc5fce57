package report

import "time"

// Example is a plausible report for a fictional school, with some figures
// suppressed and some not recorded, for tests of the page, the charts, the
// PDF and the CSV. Its figures are invented; it names no one.
func Example() Report {
	this, last := AcademicYear{2025}, AcademicYear{2024}
	years := []string{this.String(), last.String()}
	n := func(v float64) Figure { return Figure{Value: v} }
	pc := func(v float64) Figure { return Figure{Value: v, Unit: Percent} }
	hrs := func(v float64) Figure { return Figure{Value: v, Unit: Hours} }
	few := Figure{Suppressed: true}
	fewPC := Figure{Suppressed: true, Unit: Percent}
	none := Figure{NotRecorded: true}
	row := func(label string, f ...Figure) Row { return Row{Label: label, Figures: f} }
	total := func(f ...Figure) Row { return Row{Label: "Total", Figures: f, Total: true} }

	months := []string{"September", "October", "November", "December", "January", "February",
		"March", "April", "May", "June", "July", "August"}
	thisMonth := []Figure{n(14), n(21), n(18), n(9), n(16), n(19), n(22), few, n(17), n(20), n(11), few}
	lastMonth := []Figure{n(12), n(17), n(20), n(7), n(13), few, n(18), n(15), n(16), n(14), few, few}
	var byMonth []Row
	for i, m := range months {
		byMonth = append(byMonth, row(m, thisMonth[i], lastMonth[i]))
	}

	return Report{
		School:    "Oakfield Academy",
		Year:      this,
		Generated: time.Date(2026, time.September, 14, 9, 30, 0, 0, time.UTC),
		Sections: []Section{
			{Title: "Concerns", Tables: []Table{
				{ID: "concerns-by-category", Caption: "Concerns by category", Columns: years, Chart: Bars,
					Note: "A concern in more than one category is counted in each, so the categories add up to more than the total.",
					Rows: []Row{
						row("Emotional abuse", n(41), n(36)),
						row("Neglect", n(33), n(29)),
						row("Online safety", n(27), n(18)),
						row("Self-harm/mental health", n(24), n(26)),
						row("Child-on-child abuse", n(19), n(15)),
						row("Domestic abuse", n(12), n(14)),
						row("Child sexual exploitation (CSE)", n(6), few),
						row("Sharing nudes/semi-nudes", few, n(5)),
						row("Radicalisation", few, few),
						row("Female genital mutilation (FGM)", n(0), n(0)),
						total(n(171), n(148)),
					}},
				{ID: "concerns-by-month", Caption: "Concerns by month", Columns: years, Chart: Columns, Rows: byMonth},
				{ID: "concerns-by-subject", Caption: "Concerns about children and allegations about adults", Columns: years,
					Rows: []Row{
						row("Concerns about children", n(167), n(144)),
						row("Allegations about adults", few, few),
						total(n(171), n(148)),
					}},
			}},
			{Title: "Child sexual exploitation", Tables: []Table{
				{ID: "cse-indicators", Caption: "CSE indicators recorded, by frequency", Columns: years, Chart: Bars,
					Rows: []Row{
						row("Going missing for periods of time or regularly coming home late", n(9), n(7)),
						row("Unexplained gifts, money or new possessions", n(7), few),
						row("Associating with older young people or adults", n(5), n(6)),
						row("Changes in emotional well-being", few, n(5)),
						row("Use of drugs or alcohol", few, few),
					}},
			}},
			{Title: "Referrals", Tables: []Table{
				{ID: "referrals-by-agency", Caption: "Referrals by agency", Columns: years, Chart: Bars,
					Rows: []Row{
						row("Children's social care", n(23), n(19)),
						row("Early help", n(11), n(13)),
						row("Police", n(6), few),
						row("Local authority designated officer (LADO)", few, few),
						total(n(43), n(37)),
					}},
				{ID: "referrals-by-response", Caption: "Referrals by response", Columns: years,
					Rows: []Row{
						row("Accepted for assessment", n(21), n(18)),
						row("Signposted to early help", n(12), n(11)),
						row("No further action", n(7), n(5)),
						row("Awaiting a response at year end", few, few),
						total(n(43), n(37)),
					}},
			}},
			{Title: "Timeliness", Tables: []Table{
				{ID: "timeliness", Caption: "How quickly concerns were handled", Columns: years,
					Note: "Acknowledgement times count from the moment a concern was logged.",
					Rows: []Row{
						row("Median time to DSL acknowledgement", hrs(2.5), hrs(3.1)),
						row("90th percentile time to DSL acknowledgement", hrs(19.0), hrs(22.4)),
						row("Referrals with feedback within one working day", pc(81), pc(74)),
						row("Urgent concerns acknowledged within the school's target", pc(96), fewPC),
						row("Agency response time", none, none),
					}},
			}},
			{Title: "Pupils with an open concern at year end", Tables: []Table{
				{ID: "open-by-year-group", Caption: "Pupils with an open concern, by year group", Columns: years, Chart: Bars,
					Rows: []Row{
						row("Year 7", n(8), n(6)),
						row("Year 8", n(6), n(9)),
						row("Year 9", n(11), n(7)),
						row("Year 10", few, n(5)),
						row("Year 11", few, few),
						total(n(32), n(29)),
					}},
				{ID: "open-by-vulnerability", Caption: "Pupils with an open concern, by vulnerability", Columns: years,
					Rows: []Row{
						row("SEND", n(9), n(8)),
						row("Looked after", few, few),
						row("Previously looked after", few, n(0)),
					}},
			}},
			{Title: "Training and policies", Tables: []Table{
				{ID: "training", Caption: "Training in date at year end", Columns: years, Chart: Bars,
					Rows: []Row{
						row("Staff with safeguarding training in date", pc(92), pc(88)),
						row("DSL and deputies with DSL training in date", pc(100), pc(100)),
					}},
				{ID: "policy-reviews", Caption: "Policy reviews at year end", Columns: years,
					Rows: []Row{
						row("Policies reviewed on time", n(6), n(5)),
						row("Policies overdue for review", n(0), few),
					}},
			}},
		},
	}
}

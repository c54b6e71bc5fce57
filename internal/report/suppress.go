package report

// Suppression: the report is published to governors and may be shown
// beyond them, so no figure may single out a child or a member of staff.
//
// The rule (docs/annual-report.md says it for governors):
//   - a count from 1 to 4 is shown as "fewer than 5"; zero stays 0;
//   - in a table with a total row, whose other rows add up to it, a column
//     with exactly one count suppressed would give that count away as the
//     total less the others, so the next smallest count of the column is
//     suppressed too (and, when there is none to suppress, the total);
//   - a share or a duration worked out from fewer than 5 concerns is
//     suppressed, and so is a share whose part, or whose rest, is a count
//     from 1 to 4 (its base is published beside it).

// SmallestShown is the smallest count the report shows.
const SmallestShown = 5

// small reports whether a count must be suppressed on its own.
func small(v float64) bool { return v > 0 && v < SmallestShown }

// Counted is a count of concerns, pupils, people or policies, not yet
// suppressed: Suppress does that for the whole table.
func Counted(n int64) Figure { return Figure{Value: float64(n), Unit: Count} }

// NotRecordedFigure is a figure Haven does not record what it would need for.
func NotRecordedFigure(u Unit) Figure { return Figure{Unit: u, NotRecorded: true} }

// Share is part of base as a percentage, suppressed as the rule says. A
// share of nothing (base 0) is not recorded: there was nothing to measure.
func Share(part, base int64) Figure {
	f := Figure{Unit: Percent}
	switch {
	case base <= 0:
		f.NotRecorded = true
	case base < SmallestShown || small(float64(part)) || small(float64(base-part)):
		f.Suppressed = true
	default:
		f.Value = 100 * float64(part) / float64(base)
	}
	return f
}

// Measure is a duration (or other measure) worked out from base concerns,
// suppressed when they are fewer than 5 and not recorded when there are
// none.
func Measure(v float64, u Unit, base int64) Figure {
	f := Figure{Value: v, Unit: u}
	switch {
	case base <= 0:
		f.Value, f.NotRecorded = 0, true
	case base < SmallestShown:
		f.Value, f.Suppressed = 0, true
	}
	return f
}

// Suppress returns t with every count from 1 to 4 suppressed, and, in a
// table with a total row, the counts that would give a suppressed one away
// (the difference attack). Shares and measures are left as they are: they
// were suppressed when made. A suppressed figure keeps no value, so
// nothing drawn from the table can show it.
func Suppress(t Table) Table {
	out := t
	out.Rows = make([]Row, len(t.Rows))
	for i, r := range t.Rows {
		out.Rows[i] = r
		out.Rows[i].Figures = append([]Figure(nil), r.Figures...)
	}
	hasTotal := false
	for _, r := range out.Rows {
		hasTotal = hasTotal || r.Total
	}
	for col := range out.Columns {
		suppressColumn(out.Rows, col, hasTotal)
	}
	for i := range out.Rows {
		for j := range out.Rows[i].Figures {
			if out.Rows[i].Figures[j].Suppressed {
				out.Rows[i].Figures[j].Value = 0
			}
		}
	}
	return out
}

// suppressColumn suppresses one column's counts: the small ones, then, if
// a total would give a single suppressed one away, one more.
func suppressColumn(rows []Row, col int, hasTotal bool) {
	cell := func(i int) *Figure {
		if col >= len(rows[i].Figures) || rows[i].Figures[col].Unit != Count || rows[i].Figures[col].NotRecorded {
			return nil
		}
		return &rows[i].Figures[col]
	}
	for i := range rows {
		if f := cell(i); f != nil && small(f.Value) {
			f.Suppressed = true
		}
	}
	if !hasTotal {
		return
	}
	suppressed, total := 0, -1
	for i := range rows {
		f := cell(i)
		switch {
		case f == nil:
		case rows[i].Total:
			total = i
		case f.Suppressed:
			suppressed++
		}
	}
	if suppressed != 1 || total < 0 || cell(total).Suppressed {
		return
	}
	next := -1
	for i := range rows {
		f := cell(i)
		if f == nil || rows[i].Total || f.Suppressed || f.Value == 0 {
			continue
		}
		if next < 0 || f.Value < cell(next).Value {
			next = i
		}
	}
	if next < 0 {
		next = total
	}
	cell(next).Suppressed = true
}

package report

import (
	"reflect"
	"testing"
)

// shown is how a column of a suppressed table prints, row by row.
func shown(t Table, col int) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r.Figures[col].String())
	}
	return out
}

func table(total bool, counts ...int64) Table {
	t := Table{Columns: []string{"this year"}}
	var sum int64
	for _, n := range counts {
		t.Rows = append(t.Rows, Row{Label: "row", Figures: []Figure{Counted(n)}})
		sum += n
	}
	if total {
		t.Rows = append(t.Rows, Row{Label: "Total", Figures: []Figure{Counted(sum)}, Total: true})
	}
	return t
}

func TestSuppress(t *testing.T) {
	const few = "fewer than 5"
	for _, tc := range []struct {
		name string
		in   Table
		want []string
	}{
		{"ZeroStaysZero", table(false, 0, 5, 12), []string{"0", "5", "12"}},
		{"OneToFourSuppressed", table(false, 1, 2, 3, 4, 5), []string{few, few, few, few, "5"}},
		{"NoTotalNoDifferenceAttack", table(false, 3, 9, 20), []string{few, "9", "20"}},
		// 3 + 9 + 20 = 32: with 9 and 20 shown, 3 is 32 − 29.
		{"DifferenceAttackSuppressesNextSmallest", table(true, 3, 9, 20), []string{few, few, "20", "32"}},
		{"DifferenceAttackSkipsZeros", table(true, 0, 3, 0, 30, 7), []string{"0", few, "0", "30", few, "40"}},
		// Two suppressed cells are not worked out from the total alone.
		{"TwoSuppressedAreEnough", table(true, 2, 3, 30), []string{few, few, "30", "35"}},
		{"SmallTotalSuppressed", table(true, 3, 0), []string{few, "0", few}},
		{"NothingSmall", table(true, 5, 6), []string{"5", "6", "11"}},
		{"AllZero", table(true, 0, 0), []string{"0", "0", "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shown(Suppress(tc.in), 0)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("ColumnsApart", func(t *testing.T) {
		in := Table{Columns: []string{"this year", "last year"}, Rows: []Row{
			{Label: "a", Figures: []Figure{Counted(2), Counted(10)}},
			{Label: "b", Figures: []Figure{Counted(8), Counted(12)}},
			{Label: "Total", Figures: []Figure{Counted(10), Counted(22)}, Total: true},
		}}
		out := Suppress(in)
		if got, want := shown(out, 0), []string{few, few, "10"}; !reflect.DeepEqual(got, want) {
			t.Errorf("this year: got %q, want %q", got, want)
		}
		if got, want := shown(out, 1), []string{"10", "12", "22"}; !reflect.DeepEqual(got, want) {
			t.Errorf("last year: got %q, want %q", got, want)
		}
		if in.Rows[0].Figures[0].Suppressed {
			t.Error("Suppress changed the table it was given")
		}
	})

	t.Run("SuppressedKeepsNoValue", func(t *testing.T) {
		for _, r := range Suppress(table(true, 3, 9, 20)).Rows {
			if f := r.Figures[0]; f.Suppressed && f.Value != 0 {
				t.Errorf("a suppressed figure keeps its value %v", f.Value)
			}
		}
	})

	t.Run("SharesAndMeasuresLeftAlone", func(t *testing.T) {
		in := Table{Columns: []string{"x"}, Rows: []Row{{Label: "share", Figures: []Figure{{Value: 3, Unit: Percent}}}}}
		if got := shown(Suppress(in), 0); got[0] != "3%" {
			t.Errorf("a share of 3%% shows as %q", got[0])
		}
	})
}

func TestShare(t *testing.T) {
	for _, tc := range []struct {
		part, base int64
		want       string
	}{
		{0, 0, "not recorded"},
		{2, 4, "fewer than 5"},   // fewer than 5 concerns
		{3, 20, "fewer than 5"},  // the part is 3
		{18, 20, "fewer than 5"}, // the rest is 2
		{10, 20, "50%"},
		{0, 20, "0%"},
		{20, 20, "100%"},
	} {
		if got := Share(tc.part, tc.base).String(); got != tc.want {
			t.Errorf("Share(%d, %d) = %q, want %q", tc.part, tc.base, got, tc.want)
		}
	}
}

func TestMeasure(t *testing.T) {
	for _, tc := range []struct {
		base int64
		want string
	}{{0, "not recorded"}, {1, "fewer than 5"}, {4, "fewer than 5"}, {5, "2.5 hours"}} {
		if got := Measure(2.5, Hours, tc.base).String(); got != tc.want {
			t.Errorf("Measure(2.5, Hours, %d) = %q, want %q", tc.base, got, tc.want)
		}
	}
}

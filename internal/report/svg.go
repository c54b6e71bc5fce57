package report

// Charts for the report page, drawn on the server as SVG.
//
// The page (web/, built on this package) wraps the report in these classes,
// which web/styles/haven.scss styles for screen and for print:
//
//	.haven-report          the whole report; in print, A4 pages without the
//	                       site's header, navigation and footer
//	.haven-report__chart   the container of one chart (ChartSVG's output)
//	.haven-report__table   the table of a chart's numbers, which is what a
//	                       screen reader reads: the chart is one image with a
//	                       title, so the table must sit beside it
//
// ChartSVG's result is escaped already: embed it with templ.Raw. Its
// element ids come from Table.ID ("chart-<id>-title"), so each table's ID
// must be unique on the page.
//
// A chart is sized by its viewBox alone (width 100%, no pixel size), so it
// shrinks to a phone's width; its viewBox is as wide as a 390 px phone's
// content, so its 16-unit text is never smaller than 16 px there. Colours
// are GOV.UK's and carry no meaning alone: this year and the previous year
// also differ in thickness, and every bar has its figure written beside it.
// A suppressed or not-recorded figure draws no bar, only its words, so it
// can never be read as nought or as any number.

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	chartWidth    = 360.0
	chartFont     = 16.0
	chartLine     = 20.0
	chartFontList = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

	colourText     = "#0b0c0c" // GOV.UK black
	colourThisYear = "#1d70b8" // GOV.UK blue
	colourLastYear = "#5694ca" // GOV.UK light blue, also drawn thinner
	colourAxis     = "#505a5f" // GOV.UK dark grey
)

// ChartSVG draws t's chart as an SVG element, or returns "" when t has no
// chart or nothing to draw. Every label is escaped, so the result may be
// embedded in a page as it is (templ.Raw).
func ChartSVG(t Table) string {
	rows := chartRows(t)
	if len(rows) == 0 || len(t.Columns) == 0 {
		return ""
	}
	switch t.Chart {
	case Bars:
		return barChart(t, rows)
	case Columns:
		return columnChart(t, rows)
	default:
		return ""
	}
}

// chartSeries is how many figure columns a chart draws: this year and, when
// the table has it, the previous year.
func chartSeries(t Table) int { return min(len(t.Columns), 2) }

// chartRows are the rows a chart draws: all but totals.
func chartRows(t Table) []Row {
	var rows []Row
	for _, r := range t.Rows {
		if !r.Total {
			rows = append(rows, r)
		}
	}
	return rows
}

// figureAt is row r's figure in column c, or "not recorded" when the row
// is short of figures.
func figureAt(r Row, c int) Figure {
	if c < len(r.Figures) {
		return r.Figures[c]
	}
	return Figure{NotRecorded: true}
}

// drawn reports whether f is drawn as a bar: it has a value to draw.
func drawn(f Figure) bool { return !f.Suppressed && !f.NotRecorded }

// chartScale is the value a full-length bar stands for: 100 when every
// drawn figure is a percentage, otherwise the largest drawn figure.
func chartScale(rows []Row, series int) float64 {
	largest, allPercent := 0.0, true
	for _, r := range rows {
		for c := range series {
			f := figureAt(r, c)
			if !drawn(f) {
				continue
			}
			largest = math.Max(largest, f.Value)
			allPercent = allPercent && f.Unit == Percent
		}
	}
	if allPercent && largest <= 100 {
		return 100
	}
	return largest
}

// barLength is f's length on a scale where scale is full length.
func barLength(f Figure, scale, full float64) float64 {
	if !drawn(f) || scale <= 0 || f.Value <= 0 {
		return 0
	}
	return math.Min(f.Value/scale, 1) * full
}

// svgDoc collects an SVG's elements; it is small enough not to need a
// template, and writing it by hand keeps every label's escaping in one place.
type svgDoc struct{ b strings.Builder }

func (d *svgDoc) printf(format string, a ...any) { fmt.Fprintf(&d.b, format, a...) }

// text writes one line of text at (x, y), its baseline.
func (d *svgDoc) text(x, y float64, anchor, s string) {
	d.printf(`<text x="%s" y="%s"%s>%s</text>`+"\n", num(x), num(y), anchorAttr(anchor), esc(s))
}

// upright writes text turned to read upwards, starting at (x, y).
func (d *svgDoc) upright(x, y float64, s string) {
	d.printf(`<text transform="translate(%s %s) rotate(-90)">%s</text>`+"\n", num(x), num(y), esc(s))
}

func (d *svgDoc) rect(x, y, w, h float64, fill string) {
	d.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n", num(x), num(y), num(w), num(h), fill)
}

func (d *svgDoc) line(x1, y1, x2, y2 float64) {
	d.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`+"\n",
		num(x1), num(y1), num(x2), num(y2), colourAxis)
}

// wrap opens the svg element around body, with its title and description
// named by aria-labelledby.
func wrap(t Table, kind string, height float64, body string) string {
	id := chartID(t)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="%s" font-size="%s" fill="%s">`+"\n",
		num(chartWidth), num(math.Ceil(height)), id, id, chartFontList, num(chartFont), colourText)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`+"\n", id, esc(t.Caption))
	fmt.Fprintf(&b, `<desc id="%s-desc">%s of %s. The figures are in the table with it.</desc>`+"\n",
		id, kind, esc(strings.Join(t.Columns[:chartSeries(t)], " and ")))
	b.WriteString(body)
	b.WriteString("</svg>")
	return b.String()
}

// chartID is t's ID made safe for an id attribute, prefixed so that it
// cannot clash with the page's own ids.
func chartID(t Table) string {
	var b strings.Builder
	b.WriteString("chart-")
	for _, r := range strings.ToLower(t.ID) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// legend writes a key for the two years, a line or more each, and returns
// the height it took.
func legend(d *svgDoc, t Table, y float64) float64 {
	if chartSeries(t) < 2 {
		return 0
	}
	top := y
	for c, heading := range t.Columns[:2] {
		key := []float64{14, 6}[c]
		d.rect(0, y+11-key/2, 24, key, seriesColour(c))
		for _, l := range wrapText(heading, chartWidth-32) {
			d.text(32, y+16, "", l)
			y += chartLine
		}
		y += 4
	}
	return y - top + 4
}

// barChart draws a horizontal bar a row: the label on its own line(s),
// then this year's bar and, thinner and lighter, the previous year's, each
// with its figure written after it.
func barChart(t Table, rows []Row) string {
	series := chartSeries(t)
	scale := chartScale(rows, series)
	widest := 0.0
	for _, r := range rows {
		for c := range series {
			widest = math.Max(widest, textWidth(figureAt(r, c).String()))
		}
	}
	full := chartWidth - widest - 8

	var d svgDoc
	y := legend(&d, t, 0)
	for _, r := range rows {
		for _, l := range wrapText(r.Label, chartWidth) {
			y += chartLine
			d.text(0, y-5, "", l)
		}
		y += 4
		heights := []float64{18, 8}
		for c := range series {
			f := figureAt(r, c)
			length := barLength(f, scale, full)
			if length > 0 {
				fill := colourThisYear
				if c > 0 {
					fill = colourLastYear
				}
				d.rect(0, y+(chartLine-heights[c])/2, length, heights[c], fill)
			}
			x := length
			if length > 0 {
				x += 6
			}
			d.text(x, y+15, "", f.String())
			y += chartLine + 2
		}
		y += 10
	}
	return wrap(t, "Bar chart", y, d.b.String())
}

// columnChart draws a vertical column a row, in row order (months from
// September): this year's column and, thinner and lighter beside it, the
// previous year's. Figures go above their columns, turned upright when
// they would not fit across; a suppressed or not-recorded figure is
// written upright where its column would stand.
func columnChart(t Table, rows []Row) string {
	series := chartSeries(t)
	scale := chartScale(rows, series)
	slot := chartWidth / float64(len(rows))
	lane := slot / float64(series) // each series' share of the slot
	widths := []float64{lane * 0.8, lane * 0.4}
	if series == 1 {
		widths[0] = lane * 0.6
	}

	across := true // every drawn figure fits across its lane
	tallest := 0.0 // the longest figure, for the room above the columns
	for _, r := range rows {
		for c := range series {
			f := figureAt(r, c)
			w := textWidth(f.String())
			if drawn(f) {
				across = across && w <= lane+2
				tallest = math.Max(tallest, w)
			}
		}
	}
	above := chartLine
	if !across {
		above = tallest + 6
	}

	labels := make([]string, len(rows))
	labelsAcross := true
	longest := 0.0
	for i, r := range rows {
		labels[i] = shortMonth(r.Label)
		w := textWidth(labels[i])
		labelsAcross = labelsAcross && w <= slot+2
		longest = math.Max(longest, w)
	}
	below := chartLine + 4
	if !labelsAcross {
		below = longest + 10
	}

	var d svgDoc
	top := legend(&d, t, 0) + above
	plot := 160.0
	base := top + plot
	for i, r := range rows {
		left := float64(i) * slot
		for c := range series {
			f := figureAt(r, c)
			h := barLength(f, scale, plot)
			centre := left + (float64(c)+0.5)*lane
			x := centre - widths[c]/2
			switch {
			case !drawn(f):
				d.upright(centre+6, base-4, f.String())
			case across:
				if h > 0 {
					d.rect(x, base-h, widths[c], h, seriesColour(c))
				}
				d.text(centre, base-h-5, "middle", f.String())
			default:
				if h > 0 {
					d.rect(x, base-h, widths[c], h, seriesColour(c))
				}
				d.upright(centre+6, base-h-4, f.String())
			}
		}
		if labelsAcross {
			d.text(left+slot/2, base+chartLine, "middle", labels[i])
		} else {
			d.printf(`<text transform="translate(%s %s) rotate(-90)" text-anchor="end">%s</text>`+"\n",
				num(left+slot/2+6), num(base+6), esc(labels[i]))
		}
	}
	d.line(0, base, chartWidth, base)
	return wrap(t, "Column chart", base+below, d.b.String())
}

func seriesColour(c int) string {
	if c == 0 {
		return colourThisYear
	}
	return colourLastYear
}

// shortMonth is a month's name cut to three letters ("September 2025" →
// "Sep"), so that twelve columns fit a phone; any other label is kept.
func shortMonth(label string) string {
	first, _, _ := strings.Cut(label, " ")
	for _, m := range []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"} {
		if strings.EqualFold(first, m) {
			return m[:3]
		}
	}
	return label
}

// wrapText breaks s into lines no wider than width, at spaces where it can.
func wrapText(s string, width float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		for textWidth(w) > width { // a word longer than a line is cut
			cut := len(w) - 1
			for cut > 1 && (textWidth(w[:cut]) > width || !utf8.RuneStart(w[cut])) {
				cut--
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			lines = append(lines, w[:cut])
			w = w[cut:]
		}
		switch {
		case line == "":
			line = w
		case textWidth(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// textWidth estimates s's width at the chart's font size. Browsers measure
// text only once it is drawn, so the layout uses widths a little above
// those of common sans-serif fonts' letters rather than measure.
func textWidth(s string) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("iljI.,:;'!| ", r):
			em += 0.32
		case strings.ContainsRune("ftr()-/", r):
			em += 0.42
		case strings.ContainsRune("mwMW%", r):
			em += 1.0
		case unicode.IsUpper(r):
			em += 0.78
		case unicode.IsDigit(r):
			em += 0.64
		default:
			em += 0.62
		}
	}
	return em * chartFont
}

// num writes a coordinate with at most one decimal place.
func num(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

func anchorAttr(anchor string) string {
	if anchor == "" {
		return ""
	}
	return ` text-anchor="` + anchor + `"`
}

// esc makes s safe as XML text or an attribute value: the five special
// characters escaped and characters XML cannot hold (controls, broken
// UTF-8) replaced.
func esc(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			b.WriteRune('\uFFFD')
			continue
		}
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

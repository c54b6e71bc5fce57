package report

import (
	"io"
	"math"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
)

// The PDF is laid out in millimetres on A4 portrait.
const (
	pdfMargin   = 18.0
	pdfBottom   = 20.0 // room for the page number
	pdfRowLine  = 4.6  // one line of a table's text
	pdfFigureW  = 32.0 // a figure column's width
	pdfBarLabel = 62.0 // a bar chart's label column
	pdfBarValue = 24.0 // room after the longest bar for its figure
	pdfPlot     = 42.0 // a column chart's height
	pdfBarLine  = 3.8  // a bar chart's line: a label's line, or one bar
)

// pdfColour is an RGB colour; the same GOV.UK colours as the SVG charts.
type pdfColour struct{ r, g, b int }

var (
	pdfText     = pdfColour{11, 12, 12}
	pdfThisYear = pdfColour{29, 112, 184}
	pdfLastYear = pdfColour{86, 148, 202}
	pdfRule     = pdfColour{80, 90, 95}
)

// WritePDF writes r as an A4 PDF: a header with the school, the year and
// when it was generated, then every section's tables, each chart drawn
// above its table and never split across pages; a table too long for one
// page repeats its header row on the next. Pages are numbered "Page N of M".
func WritePDF(w io.Writer, r Report) error {
	return writePDF(w, r, true)
}

// writePDF is WritePDF with compression switchable, so that tests can read
// the text in the page streams.
func writePDF(w io.Writer, r Report, compress bool) error {
	return layOutPDF(r, compress).Output(w)
}

// layOutPDF draws r's pages.
func layOutPDF(r Report, compress bool) *pdfDoc {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfBottom)
	// Dated by the report, not the clock, so one report is one file.
	pdf.SetCreationDate(r.Generated)
	pdf.SetModificationDate(r.Generated)
	title := "Safeguarding oversight report " + r.Year.String()
	pdf.SetTitle(title, true)
	pdf.SetSubject(r.School, true)
	pdf.SetCreator("Haven", true)
	pdf.AliasNbPages("{nb}")

	// Helvetica is one of PDF's core fonts, so nothing is embedded; it
	// holds Windows-1252, which has the en dash and the pound sign.
	d := &pdfDoc{Fpdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	footer := r.School + " – " + title
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		d.font("", 8.5)
		pdf.CellFormat(d.width()/2, 5, d.tr(footer), "", 0, "L", false, 0, "")
		pdf.CellFormat(d.width()/2, 5, d.tr("Page "+strconv.Itoa(pdf.PageNo())+" of {nb}"), "", 0, "R", false, 0, "")
	})

	pdf.AddPage()
	d.header(r)
	for _, s := range r.Sections {
		d.section(s)
	}
	return d
}

// pdfDoc is the PDF being written, with the helpers its parts share.
type pdfDoc struct {
	*fpdf.Fpdf
	tr     func(string) string
	charts []chartSpan // where each chart was drawn, for tests
}

// chartSpan is where a chart was drawn: its page, top and bottom, and the
// page it finished on.
type chartSpan struct {
	page, endPage int
	top, bottom   float64
}

// width is the width between the margins.
func (d *pdfDoc) width() float64 {
	w, _ := d.GetPageSize()
	return w - 2*pdfMargin
}

// roomLeft is the height left on this page above the bottom margin.
func (d *pdfDoc) roomLeft() float64 {
	_, h := d.GetPageSize()
	return h - pdfBottom - d.GetY()
}

// keep starts a new page unless h more millimetres fit on this one.
func (d *pdfDoc) keep(h float64) {
	if d.roomLeft() < h {
		d.AddPage()
	}
}

func (d *pdfDoc) font(style string, size float64) {
	d.SetFont("Helvetica", style, size)
	d.colour(pdfText, false)
}

// colour sets the text colour, or the fill colour when fill is set.
func (d *pdfDoc) colour(c pdfColour, fill bool) {
	if fill {
		d.SetFillColor(c.r, c.g, c.b)
	} else {
		d.SetTextColor(c.r, c.g, c.b)
	}
}

// paragraph writes s wrapped to the page's width.
func (d *pdfDoc) paragraph(s, style string, size, lineH float64) {
	d.font(style, size)
	d.SetX(pdfMargin)
	d.MultiCell(d.width(), lineH, d.tr(s), "", "L", false)
}

func (d *pdfDoc) header(r Report) {
	d.paragraph("Safeguarding oversight report", "B", 20, 9)
	d.Ln(1)
	d.paragraph(r.School, "B", 13, 6.5)
	d.paragraph("Academic year "+r.Year.String()+" (1 September "+strconv.Itoa(r.Year.Start)+" to 31 August "+strconv.Itoa(r.Year.Start+1)+")", "", 11, 5.5)
	if !r.Generated.IsZero() {
		d.paragraph("Generated on "+r.Generated.Format("2 January 2006"), "", 11, 5.5)
	}
	d.Ln(2)
	d.paragraph("No child or member of staff is named in this report.", "B", 11, 5.5)
	d.paragraph("A figure from 1 to 4, or one from which such a figure could be worked out, is shown as \"fewer than 5\". A figure Haven does not record is shown as \"not recorded\".", "", 10, 5)
	d.Ln(3)
	d.rule()
	d.Ln(4)
}

// rule draws a line across the page at the current height.
func (d *pdfDoc) rule() {
	d.SetDrawColor(pdfRule.r, pdfRule.g, pdfRule.b)
	d.SetLineWidth(0.3)
	y := d.GetY()
	d.Line(pdfMargin, y, pdfMargin+d.width(), y)
}

func (d *pdfDoc) section(s Section) {
	// A heading stays with the start of what follows it.
	first := 20.0
	if len(s.Tables) > 0 {
		first = d.tableNeeds(s.Tables[0])
	}
	d.keep(10 + first)
	d.paragraph(s.Title, "B", 15, 7.5)
	d.Ln(2)
	if len(s.Tables) == 0 {
		d.paragraph("There are no figures in this section.", "", 10, 5)
		d.Ln(4)
	}
	for _, t := range s.Tables {
		d.table(t)
	}
	d.Ln(2)
}

// tableStart is the height of a table's caption, chart, header row and
// first row, which go on one page together.
func (d *pdfDoc) tableStart(t Table) float64 {
	if d.chartTooTall(t) {
		return d.captionHeight(t) + d.legendHeight(t) + d.barRowHeight(t, chartRows(t)[0])
	}
	h := d.captionHeight(t) + d.chartHeight(t) + d.headerHeight(t)
	if len(t.Rows) > 0 {
		h += d.rowHeight(t, t.Rows[0])
	}
	return h
}

func (d *pdfDoc) captionHeight(t Table) float64 {
	d.font("B", 11.5)
	return float64(len(d.lines(t.Caption, d.width())))*5.5 + 1.5
}

// tableHeight is the height of the whole table with its caption, chart
// and note.
func (d *pdfDoc) tableHeight(t Table) float64 {
	h := d.captionHeight(t) + d.chartHeight(t) + d.headerHeight(t)
	for _, row := range t.Rows {
		h += d.rowHeight(t, row)
	}
	if t.Note != "" {
		d.font("I", 9)
		h += 1.5 + float64(len(d.lines(t.Note, d.width())))*4.5
	}
	return h
}

// pageBody is the height between a page's top and bottom margins.
func (d *pdfDoc) pageBody() float64 {
	_, h := d.GetPageSize()
	return h - pdfMargin - pdfBottom
}

// tableNeeds is the room a table needs on the page it starts on: all of
// it when it is short (up to half a page, so that a few rows are not left
// on their own), else its start: caption, chart, header and first row.
func (d *pdfDoc) tableNeeds(t Table) float64 {
	if whole := d.tableHeight(t); whole <= d.pageBody()/2 {
		return whole
	}
	return d.tableStart(t)
}

// table writes t where tableNeeds says it fits; a row that would cross
// the page's foot goes on the next page, under the caption marked
// "(continued)" and the header row again.
func (d *pdfDoc) table(t Table) {
	d.keep(d.tableNeeds(t))
	d.caption(t.Caption)
	d.chart(t)
	d.headerRow(t)
	for _, row := range t.Rows {
		h := d.rowHeight(t, row)
		if d.roomLeft() < h {
			d.AddPage()
			d.caption(t.Caption + " (continued)")
			d.headerRow(t)
		}
		d.row(t, row, h)
	}
	if t.Note != "" {
		d.Ln(1.5)
		d.paragraph(t.Note, "I", 9, 4.5)
	}
	d.Ln(6)
}

func (d *pdfDoc) caption(s string) {
	d.paragraph(s, "B", 11.5, 5.5)
	d.Ln(1.5)
}

// columnWidths are the label column's width and each figure column's.
func (d *pdfDoc) columnWidths(t Table) (label, figure float64) {
	n := float64(len(t.Columns))
	figure = pdfFigureW
	if n > 0 && d.width()-n*figure < 60 {
		figure = (d.width() - 60) / n
	}
	return d.width() - n*figure, figure
}

func (d *pdfDoc) headerHeight(t Table) float64 {
	_, fw := d.columnWidths(t)
	d.font("B", 9.5)
	lines := 1
	for _, c := range t.Columns {
		lines = max(lines, len(d.lines(c, fw-2)))
	}
	return float64(lines)*pdfRowLine + 2
}

func (d *pdfDoc) headerRow(t Table) {
	lw, fw := d.columnWidths(t)
	h := d.headerHeight(t)
	y := d.GetY()
	d.font("B", 9.5)
	for i, c := range t.Columns {
		d.cellLines(pdfMargin+lw+float64(i)*fw, y, fw, "R", d.lines(c, fw-2))
	}
	d.SetY(y + h)
	d.rule()
}

func (d *pdfDoc) rowHeight(t Table, row Row) float64 {
	lw, _ := d.columnWidths(t)
	d.font(rowStyle(row), 9.5)
	return float64(len(d.lines(row.Label, lw-2)))*pdfRowLine + 2
}

func rowStyle(row Row) string {
	if row.Total {
		return "B"
	}
	return ""
}

func (d *pdfDoc) row(t Table, row Row, h float64) {
	lw, fw := d.columnWidths(t)
	if row.Total {
		d.rule()
	}
	y := d.GetY()
	d.font(rowStyle(row), 9.5)
	d.cellLines(pdfMargin, y, lw, "L", d.lines(row.Label, lw-2))
	for i := range t.Columns {
		d.cellLines(pdfMargin+lw+float64(i)*fw, y, fw, "R", []string{d.tr(figureAt(row, i).String())})
	}
	d.SetY(y + h)
	d.SetDrawColor(177, 180, 182) // GOV.UK mid grey, as the page's table lines
	d.SetLineWidth(0.1)
	d.Line(pdfMargin, y+h, pdfMargin+d.width(), y+h)
}

// lines is s wrapped to width w in the current font, each line
// translated for the font. (fpdf splits UTF-8, so the translation comes
// after.) Empty text is one empty line.
func (d *pdfDoc) lines(s string, w float64) []string {
	split := d.SplitText(s, w)
	if len(split) == 0 {
		return []string{""}
	}
	for i, l := range split {
		split[i] = d.tr(l)
	}
	return split
}

// cellLines writes lines of text in a cell of width w whose top is y.
func (d *pdfDoc) cellLines(x, y, w float64, align string, lines []string) {
	for i, l := range lines {
		d.SetXY(x, y+1+float64(i)*pdfRowLine)
		d.CellFormat(w, pdfRowLine, l, "", 0, align, false, 0, "")
	}
}

// chartHeight is the height chart will take, 0 when t has none.
func (d *pdfDoc) chartHeight(t Table) float64 {
	rows := chartRows(t)
	if len(rows) == 0 || len(t.Columns) == 0 {
		return 0
	}
	switch t.Chart {
	case Bars:
		h := d.legendHeight(t)
		for _, r := range rows {
			h += d.barRowHeight(t, r)
		}
		return h + 4
	case Columns:
		return d.legendHeight(t) + d.columnsAbove(t, rows) + pdfPlot + 10
	default:
		return 0
	}
}

// chart draws t's chart, if it has one, below the caption. A chart that
// fits a page is drawn on one (table has made room for it); a bar chart
// longer than a whole page goes on over pages a row at a time, its caption
// and key repeated, so that no bar is ever cut.
func (d *pdfDoc) chart(t Table) {
	h := d.chartHeight(t)
	if h == 0 {
		return
	}
	top, page := d.GetY(), d.PageNo()
	y := d.legend(t, top)
	if t.Chart == Bars {
		d.bars(t, top, y)
		return
	}
	d.columns(t, y)
	d.SetY(top + h)
	d.charts = append(d.charts, chartSpan{page: page, endPage: d.PageNo(), top: top, bottom: top + h})
}

// chartTooTall reports whether t's chart is longer than a page, so that
// it must go on over pages.
func (d *pdfDoc) chartTooTall(t Table) bool {
	return d.captionHeight(t)+d.chartHeight(t) > d.pageBody()
}

func (d *pdfDoc) legendHeight(t Table) float64 {
	if chartSeries(t) < 2 {
		return 0
	}
	return 7
}

// legend draws a key to the two years and returns the height below it.
func (d *pdfDoc) legend(t Table, y float64) float64 {
	if chartSeries(t) < 2 {
		return y
	}
	d.font("", 9)
	x := pdfMargin
	for c, heading := range t.Columns[:2] {
		h := []float64{3.5, 1.8}[c]
		d.colour(seriesPDFColour(c), true)
		d.Rect(x, y+2.5-h/2, 7, h, "F")
		d.SetXY(x+8.5, y)
		d.CellFormat(0, 5, d.tr(heading), "", 0, "L", false, 0, "")
		x += 8.5 + d.GetStringWidth(d.tr(heading)) + 8
	}
	return y + d.legendHeight(t)
}

func seriesPDFColour(c int) pdfColour {
	if c == 0 {
		return pdfThisYear
	}
	return pdfLastYear
}

// barRowHeight is one row's height in a bar chart: its label's lines or
// its bars, whichever is taller.
func (d *pdfDoc) barRowHeight(t Table, r Row) float64 {
	d.font("", 8.5)
	labels := float64(len(d.lines(r.Label, pdfBarLabel-3))) * pdfBarLine
	bars := float64(chartSeries(t)) * pdfBarLine
	return math.Max(labels, bars) + 2
}

// bars draws a horizontal bar chart from y, below its key, whose top is
// top: the label on the left, this year's bar and, thinner below it, the
// previous year's, each with its figure after it; a figure with no value
// has its words and no bar.
func (d *pdfDoc) bars(t Table, top, y float64) {
	rows := chartRows(t)
	series := chartSeries(t)
	scale := chartScale(rows, series)
	full := d.width() - pdfBarLabel - pdfBarValue
	x0 := pdfMargin + pdfBarLabel
	page, barsTop := d.PageNo(), y
	for _, r := range rows {
		h := d.barRowHeight(t, r)
		if d.SetY(y); d.roomLeft() < h {
			d.barAxis(x0, barsTop, y)
			d.charts = append(d.charts, chartSpan{page: page, endPage: d.PageNo(), top: top, bottom: y})
			d.AddPage()
			top = d.GetY()
			d.caption(t.Caption + " (continued)")
			y = d.legend(t, d.GetY())
			page, barsTop = d.PageNo(), y
		}
		d.font("", 8.5)
		d.cellLinesH(pdfMargin, y, pdfBarLabel-3, pdfBarLine, d.lines(r.Label, pdfBarLabel-3))
		by := y
		for c := range series {
			f := figureAt(r, c)
			thick := []float64{3.4, 1.8}[c]
			length := barLength(f, scale, full)
			if length > 0 {
				d.colour(seriesPDFColour(c), true)
				d.Rect(x0, by+(pdfBarLine-thick)/2, length, thick, "F")
			}
			d.font("", 8)
			d.SetXY(x0+length+1.5, by)
			d.CellFormat(pdfBarValue, pdfBarLine, d.tr(f.String()), "", 0, "L", false, 0, "")
			by += pdfBarLine
		}
		y += h
	}
	d.barAxis(x0, barsTop, y)
	d.SetY(y + 4)
	d.charts = append(d.charts, chartSpan{page: page, endPage: d.PageNo(), top: top, bottom: y + 4})
}

// barAxis draws the line the bars start from.
func (d *pdfDoc) barAxis(x, top, bottom float64) {
	d.SetDrawColor(pdfRule.r, pdfRule.g, pdfRule.b)
	d.SetLineWidth(0.2)
	d.Line(x, top, x, bottom)
}

// cellLinesH writes lines of text of height lineH from top y.
func (d *pdfDoc) cellLinesH(x, y, w, lineH float64, lines []string) {
	for i, l := range lines {
		d.SetXY(x, y+float64(i)*lineH)
		d.CellFormat(w, lineH, l, "", 0, "L", false, 0, "")
	}
}

// columnsAbove is the room above a column chart's plot for its figures:
// a line when every figure fits across its column, else their length
// turned upright.
func (d *pdfDoc) columnsAbove(t Table, rows []Row) float64 {
	across, longest := d.columnFiguresAcross(t, rows)
	if across {
		return 5
	}
	return longest + 2
}

func (d *pdfDoc) columnFiguresAcross(t Table, rows []Row) (bool, float64) {
	series := chartSeries(t)
	lane := d.width() / float64(len(rows)) / float64(series)
	d.font("", 7.5)
	across, longest := true, 0.0
	for _, r := range rows {
		for c := range series {
			f := figureAt(r, c)
			if !drawn(f) {
				continue
			}
			w := d.GetStringWidth(d.tr(f.String()))
			across = across && w <= lane-0.5
			longest = math.Max(longest, w)
		}
	}
	return across, longest
}

// columns draws a vertical column a row in row order, this year's and,
// thinner beside it, the previous year's; a figure with no value is
// written upright where its column would stand.
func (d *pdfDoc) columns(t Table, y float64) {
	rows := chartRows(t)
	series := chartSeries(t)
	scale := chartScale(rows, series)
	slot := d.width() / float64(len(rows))
	lane := slot / float64(series)
	across, _ := d.columnFiguresAcross(t, rows)
	base := y + d.columnsAbove(t, rows) + pdfPlot
	for i, r := range rows {
		left := pdfMargin + float64(i)*slot
		for c := range series {
			f := figureAt(r, c)
			h := barLength(f, scale, pdfPlot)
			centre := left + (float64(c)+0.5)*lane
			w := lane * []float64{0.75, 0.4}[c]
			if series == 1 {
				w = lane * 0.6
			}
			d.font("", 7.5)
			s := d.tr(f.String())
			switch {
			case !drawn(f):
				d.upright(centre+1.2, base-1, s)
			default:
				if h > 0 {
					d.colour(seriesPDFColour(c), true)
					d.Rect(centre-w/2, base-h, w, h, "F")
				}
				if across {
					d.Text(centre-d.GetStringWidth(s)/2, base-h-1, s)
				} else {
					d.upright(centre+1.2, base-h-1, s)
				}
			}
		}
		d.font("", 8)
		label := d.tr(shortMonth(r.Label))
		for d.GetStringWidth(label) > slot-0.5 && len(label) > 1 {
			label = label[:len(label)-1]
		}
		d.Text(left+(slot-d.GetStringWidth(label))/2, base+4.5, label)
	}
	d.SetDrawColor(pdfRule.r, pdfRule.g, pdfRule.b)
	d.SetLineWidth(0.3)
	d.Line(pdfMargin, base, pdfMargin+d.width(), base)
}

// upright writes s turned to read upwards from (x, y).
func (d *pdfDoc) upright(x, y float64, s string) {
	d.TransformBegin()
	d.TransformRotate(90, x, y)
	d.Text(x, y, s)
	d.TransformEnd()
}

// Package filepdf draws a child's child-protection file as a PDF for
// people: a case conference, an inspection, a court, or a school that does
// not run Haven. What it prints is what it is given: the caller has already
// left out every other pupil's name and words.
package filepdf

import (
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// File is a child's file as printed.
type File struct {
	PupilName string
	School    string
	Printed   time.Time // when it was exported; its date is on every page
	PrintedBy string
	Details   []Row // year group, date of birth, legal name…
	// Concerns are the concerns about the child, each with the child's own
	// part; other pupils are "another pupil".
	Concerns      []Concern
	Indicators    []Row // a CSE indicator and how often it was seen
	OpenReferrals []Row
	// Chronology is every entry about the child or a whole concern about
	// them, in the order things happened.
	Chronology []Entry
}

// Row is a label and its value.
type Row struct{ Key, Value string }

// Concern is one concern about the child.
type Concern struct {
	Title string // "Concern 12"
	Rows  []Row  // logged, by, categories, status, the child's part, also about
}

// Entry is one entry of the chronology, printed alike whatever its kind:
// its heading, when and by whom, its text and its details.
type Entry struct {
	Heading    string
	Concern    string // "Concern 12"
	Happened   string // when it happened, when earlier than Written
	Written    string
	Author     string
	BodyLabel  string
	Paragraphs []string
	Facts      []Row
	BodyMap    *BodyMap // a body map entry's outlines and marks
}

// BodyMap is a body map as recorded: the outlines of the front and the
// back, with the regions drawn on each, and the numbered marks placed on
// them. Coordinates are in Width × Height units, as the page's SVG has them.
type BodyMap struct {
	Width, Height float64
	Outlines      []Outline
	Marks         []Mark
}

// Outline is one side of the body map.
type Outline struct {
	Side, Label string // "front", "Front"
	Regions     []Shape
}

// Shape is a region drawn on an outline: an ellipse centred at X, Y with
// width W and height H, or a rectangle whose top left corner is X, Y.
type Shape struct {
	Ellipse    bool
	X, Y, W, H float64
}

// Mark is one mark on a body map: where on which side it was placed, and
// what it is, by the number drawn on the outline.
type Mark struct {
	Number             int
	Side               string
	X, Y               float64
	Where, Description string // "Front: left forearm", "A bruise the size of a 50p coin"
}

// Marking is the line at the head of every page.
const Marking = "Confidential: child protection"

// A4 portrait, in millimetres.
const (
	margin = 18.0
	bottom = 20.0
	keyW   = 52.0
)

// Write writes f as an A4 PDF.
func Write(w io.Writer, f File) error { return write(w, f, true) }

// write is Write with compression switchable, so that tests can read the
// text of the pages.
func write(w io.Writer, f File, compress bool) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetMargins(margin, margin+12, margin)
	pdf.SetAutoPageBreak(true, bottom)
	pdf.SetCreationDate(f.Printed)
	pdf.SetModificationDate(f.Printed)
	pdf.SetTitle(Marking, true)
	pdf.SetCreator("Haven", true)
	pdf.AliasNbPages("{nb}")
	// Helvetica is a core font, so nothing is embedded; the translator
	// maps text to Windows-1252, which holds curly quotes, dashes and the
	// accents of most European names. Anything beyond prints as "?".
	d := &doc{Fpdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	printed := f.Printed.Format("2 January 2006")
	pdf.SetHeaderFunc(func() {
		pdf.SetY(margin - 6)
		d.font("B", 10)
		pdf.CellFormat(d.width()/2, 5, d.tr(Marking), "", 0, "L", false, 0, "")
		d.font("", 10)
		pdf.CellFormat(d.width()/2, 5, d.tr(f.PupilName), "", 1, "R", false, 0, "")
		d.font("", 8.5)
		pdf.CellFormat(d.width(), 4.5, d.tr("Printed on "+printed), "", 1, "R", false, 0, "")
		pdf.SetY(margin + 12)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		d.font("", 8.5)
		pdf.CellFormat(d.width()/2, 5, d.tr(Marking), "", 0, "L", false, 0, "")
		pdf.CellFormat(d.width()/2, 5, d.tr("Page "+strconv.Itoa(pdf.PageNo())+" of {nb}"), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	d.front(f)
	d.heading("Concerns")
	if len(f.Concerns) == 0 {
		d.paragraph("There are no concerns on this file.", "", 10, 5)
	}
	for _, c := range f.Concerns {
		d.keep(20)
		d.paragraph(c.Title, "B", 11.5, 6)
		d.rows(c.Rows)
		d.Ln(3)
	}
	if len(f.Indicators) > 0 {
		d.heading("Signs of exploitation recorded over time")
		d.rows(f.Indicators)
	}
	if len(f.OpenReferrals) > 0 {
		d.heading("Referrals awaiting a response")
		d.rows(f.OpenReferrals)
	}
	d.heading("Chronology")
	d.paragraph("In the order things happened. Each entry shows when it happened and, when it was written later, when it was written.", "I", 9.5, 4.8)
	d.Ln(2)
	if len(f.Chronology) == 0 {
		d.paragraph("There are no entries.", "", 10, 5)
	}
	for _, e := range f.Chronology {
		d.entry(e)
	}
	return pdf.Output(w)
}

// doc is the PDF being written, with the helpers its parts share.
type doc struct {
	*fpdf.Fpdf
	tr func(string) string
}

func (d *doc) width() float64 {
	w, _ := d.GetPageSize()
	return w - 2*margin
}

// keep starts a new page unless h more millimetres fit on this one.
func (d *doc) keep(h float64) {
	_, ph := d.GetPageSize()
	if ph-bottom-d.GetY() < h {
		d.AddPage()
	}
}

func (d *doc) font(style string, size float64) {
	d.SetFont("Helvetica", style, size)
	d.SetTextColor(11, 12, 12)
}

// paragraph writes s wrapped to the page's width.
func (d *doc) paragraph(s, style string, size, lineH float64) {
	d.font(style, size)
	d.SetX(margin)
	d.MultiCell(d.width(), lineH, d.tr(s), "", "L", false)
}

func (d *doc) heading(s string) {
	d.Ln(3)
	d.keep(24)
	d.paragraph(s, "B", 15, 7.5)
	d.Ln(1.5)
}

func (d *doc) front(f File) {
	d.paragraph("Child protection file", "B", 20, 9)
	d.paragraph(f.PupilName, "B", 14, 7)
	d.Ln(2)
	rows := append([]Row{}, f.Details...)
	if f.School != "" {
		rows = append(rows, Row{"School", f.School})
	}
	rows = append(rows, Row{"Printed", f.Printed.Format("2 January 2006 at 3:04pm")})
	if f.PrintedBy != "" {
		rows = append(rows, Row{"Printed by", f.PrintedBy})
	}
	d.rows(rows)
	d.Ln(2)
	d.paragraph("Other children a concern is about are shown as \"another pupil\": their names and words are on their own files, never on this one. Keep this document secure and pass it only to those who need it to keep the child safe.", "", 9.5, 4.8)
}

// rows writes label and value pairs, the label in a column of its own.
func (d *doc) rows(rows []Row) {
	for _, r := range rows {
		d.font("", 10)
		lines := len(d.SplitText(d.tr(r.Value), d.width()-keyW))
		if keyLines := len(d.SplitText(d.tr(r.Key), keyW-2)); keyLines > lines {
			lines = keyLines
		}
		d.keep(float64(lines) * 5)
		y := d.GetY()
		d.font("B", 10)
		d.SetXY(margin, y)
		d.MultiCell(keyW-2, 5, d.tr(r.Key), "", "L", false)
		keyBottom := d.GetY()
		page := d.PageNo()
		d.font("", 10)
		d.SetXY(margin+keyW, y)
		d.MultiCell(d.width()-keyW, 5, d.tr(r.Value), "", "L", false)
		if d.PageNo() == page && d.GetY() < keyBottom {
			d.SetY(keyBottom)
		}
		d.Ln(0.8)
	}
}

// entry writes one entry of the chronology: whatever its kind, its heading,
// when and by whom, its text and its details, so that a kind added later
// prints as well as those there are now.
func (d *doc) entry(e Entry) {
	d.keep(22)
	d.SetDrawColor(80, 90, 95)
	d.SetLineWidth(0.2)
	y := d.GetY()
	d.Line(margin, y, margin+d.width(), y)
	d.Ln(1.5)
	d.paragraph(e.Heading, "B", 11.5, 5.8)
	when := e.Written
	if e.Happened != "" {
		when = "Happened " + e.Happened + ", written " + e.Written
	}
	d.paragraph(when+", by "+e.Author+" ("+e.Concern+")", "", 9, 4.6)
	d.Ln(1)
	if len(e.Paragraphs) > 0 {
		if e.BodyLabel != "" {
			d.paragraph(e.BodyLabel, "B", 10, 5)
		}
		for _, p := range e.Paragraphs {
			d.paragraph(p, "", 10, 5)
			d.Ln(0.8)
		}
	}
	if e.BodyMap != nil {
		d.bodyMap(*e.BodyMap)
	}
	d.rows(e.Facts)
	d.Ln(3)
}

// The body map's outlines as printed: each this many millimetres tall,
// side by side with a gap between.
const (
	bodyMapH   = 72.0
	bodyMapGap = 14.0
	markR      = 2.3 // a mark's radius, in millimetres
)

// bodyMap draws a body map's outlines, its marks numbered on them, then
// the marks in words by the same numbers, as the concern's page shows it.
func (d *doc) bodyMap(m BodyMap) {
	if m.Width <= 0 || m.Height <= 0 {
		return
	}
	scale := bodyMapH / m.Height
	d.keep(bodyMapH + 12)
	top := d.GetY() + 1
	for i, o := range m.Outlines {
		left := margin + float64(i)*(m.Width*scale+bodyMapGap)
		d.font("B", 9)
		d.SetXY(left, top)
		d.CellFormat(m.Width*scale, 4.5, d.tr(o.Label), "", 0, "C", false, 0, "")
		y0 := top + 5
		at := func(x, y float64) (float64, float64) { return left + x*scale, y0 + y*scale }
		d.SetDrawColor(80, 90, 95)
		d.SetLineWidth(0.25)
		for _, r := range o.Regions {
			x, y := at(r.X, r.Y)
			if r.Ellipse {
				d.Ellipse(x, y, r.W*scale/2, r.H*scale/2, 0, "D")
			} else {
				d.RoundedRect(x, y, r.W*scale, r.H*scale, 1.2, "1234", "D")
			}
		}
		for _, k := range m.Marks {
			if k.Side != o.Side {
				continue
			}
			x, y := at(k.X, k.Y)
			d.SetFillColor(212, 53, 28)
			d.Circle(x, y, markR, "F")
			d.SetFont("Helvetica", "B", 7.5)
			d.SetTextColor(255, 255, 255)
			d.SetXY(x-markR, y-markR)
			d.CellFormat(2*markR, 2*markR, strconv.Itoa(k.Number), "", 0, "CM", false, 0, "")
		}
	}
	d.SetY(top + 5 + bodyMapH + 3)
	marks := make([]Row, len(m.Marks))
	for i, k := range m.Marks {
		marks[i] = Row{Key: strconv.Itoa(k.Number) + ". " + k.Where, Value: k.Description}
	}
	d.rows(marks)
}

package httpserver

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/filepdf"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// childExportStore reads a child's whole file for export, and audits it.
type childExportStore interface {
	ExportChildFile(ctx context.Context, v safeguarding.Viewer, pupilID int64) (safeguarding.ChildFile, error)
}

// childFilePDFHref is where a child's file downloads as a PDF.
func childFilePDFHref(id int64) string { return pupilHref(id) + "/file.pdf" }

// childFilePDF sends the child's whole child-protection file as a PDF, to
// the DSL and deputies (safeguarding.MayExportChildFile); to anyone else
// it does not exist. The file is named by the pupil's number, never their
// name, which downloads folders and mail attachments show.
func (s *Server) childFilePDF(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 || !safeguarding.MayExportChildFile(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	f, err := s.db.ExportChildFile(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	categories, err := s.db.Categories(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := time.Now()
	var b bytes.Buffer
	if err := filepdf.Write(&b, childFileDocument(childPageView(f, categories, todayInEngland()), v, now)); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="child-protection-file-`+strconv.FormatInt(id, 10)+`.pdf"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b.Bytes())
}

// childFileDocument is the child's page as printed: the same concerns and
// entries, worded alike, except that every other pupil is "another pupil",
// whoever prints it (DESIGN.md "A concern": printed or exported, no other
// child is named).
func childFileDocument(c web.ChildPage, v safeguarding.Viewer, now time.Time) filepdf.File {
	f := filepdf.File{PupilName: c.Name, School: v.SchoolName, Printed: now.In(england()), PrintedBy: v.Name}
	f.Details = rowsOf(c.Details)
	for _, cn := range c.Concerns {
		rows := []filepdf.Row{{Key: "Logged", Value: cn.LoggedAt + " by " + cn.LoggedBy}, {Key: "Categories", Value: cn.Categories},
			{Key: "Status", Value: cn.Status.Label}, {Key: "Their part", Value: cn.Part}}
		if cn.Urgent {
			rows = append(rows, filepdf.Row{Key: "Immediate danger", Value: "Yes: marked urgent"})
		}
		also := "Also about"
		if cn.AboutAdult != "" {
			rows = append(rows, filepdf.Row{Key: "About an adult", Value: cn.AboutAdult})
			also = "Also involves"
		}
		if n := len(cn.AlsoAbout); n > 0 {
			rows = append(rows, filepdf.Row{Key: also, Value: anotherPupils(n)})
		}
		f.Concerns = append(f.Concerns, filepdf.Concern{Title: cn.Concern.Text, Rows: rows})
	}
	for _, i := range c.Indicators {
		f.Indicators = append(f.Indicators, filepdf.Row{Key: i.Label,
			Value: i.Times + " times, by " + i.Staff + " members of staff; first " + i.First + ", last " + i.Last})
	}
	for _, ref := range c.OpenReferrals {
		f.OpenReferrals = append(f.OpenReferrals, filepdf.Row{Key: ref.Agency,
			Value: "Referred on " + ref.ReferredOn + ", reference " + ref.Reference + " (" + ref.Concern.Text + ")"})
	}
	for _, e := range c.Chronology {
		f.Chronology = append(f.Chronology, filepdf.Entry{Heading: e.Heading, Concern: e.Concern.Text, Happened: e.Happened,
			Written: e.At, Author: e.Author, BodyLabel: e.BodyLabel, Paragraphs: e.Paragraphs, Facts: rowsOf(e.Facts),
			BodyMap: bodyMapDrawing(e.BodyMap)})
	}
	return f
}

// anotherPupils is n other pupils, unnamed.
func anotherPupils(n int) string {
	if n == 1 {
		return "another pupil"
	}
	return strconv.Itoa(n) + " other pupils (each shown as another pupil)"
}

func rowsOf(rows []web.SummaryRow) []filepdf.Row {
	out := make([]filepdf.Row, len(rows))
	for i, r := range rows {
		out[i] = filepdf.Row{Key: r.Key, Value: r.Value}
	}
	return out
}

// bodyMapDrawing is a body map entry's outlines and marks as the PDF draws
// them, or nil for any other entry.
func bodyMapDrawing(m *web.BodyMapView) *filepdf.BodyMap {
	if m == nil {
		return nil
	}
	out := &filepdf.BodyMap{Width: safeguarding.BodyMapWidth, Height: safeguarding.BodyMapHeight}
	for _, o := range m.Outlines {
		po := filepdf.Outline{Side: o.Side, Label: o.Label}
		for _, r := range o.Regions {
			po.Regions = append(po.Regions, filepdf.Shape{Ellipse: r.Ellipse,
				X: float64(r.X), Y: float64(r.Y), W: float64(r.W), H: float64(r.H)})
		}
		out.Outlines = append(out.Outlines, po)
	}
	for _, k := range m.Marks {
		out.Marks = append(out.Marks, filepdf.Mark{Number: k.Number, Side: k.Side, X: float64(k.X), Y: float64(k.Y),
			Where: k.Where, Description: k.Description})
	}
	return out
}

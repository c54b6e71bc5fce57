package httpserver

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// childFileStore reads a child's file, with the latest entries of its
// chronology (0 for all).
type childFileStore interface {
	ChildFile(ctx context.Context, v safeguarding.Viewer, pupilID int64, latest int) (safeguarding.ChildFile, error)
}

// childPage shows everything about one pupil that the viewer may see. Anyone
// who may not see children's files (or, for the chair, this child's file:
// one with no allegation they handle), like anyone asking for a pupil who
// does not exist or belongs to another school, is told the page does not
// exist.
func (s *Server) childPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	latest := childChronologyLatest
	if r.URL.Query().Get("all") == "1" {
		latest = 0
	}
	f, err := s.db.ChildFile(r.Context(), v, id, latest)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	categories, err := s.db.Categories(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	view := childPageView(f, categories, todayInEngland())
	if view.Transfer, err = s.childTransfer(r.Context(), v, id); err != nil {
		s.serverError(w, r, err)
		return
	}
	if safeguarding.MayExportChildFile(v.Roles) {
		view.ExportHref = childFilePDFHref(id)
	}
	if safeguarding.MayReadAudit(v.Roles, safeguarding.AuditChildren) {
		views, err := s.db.FileViews(r.Context(), v, id, fileViewsShown)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		view.ViewsShown, view.ViewsHref = true, web.AuditPath+"?pupil_id="+strconv.FormatInt(id, 10)
		for _, l := range views {
			view.Views = append(view.Views, web.FileView{When: clockDateTime(l.At), Who: l.Actor})
		}
	}
	s.render(w, r, http.StatusOK, web.ChildFilePage(page(r, view.Title()), view))
}

// childChronologyLatest is how many entries of the chronology the child's
// page shows unless asked for all of them (?all=1): the longest run to
// hundreds or more.
const childChronologyLatest = 100

// childPageView is the child's page for a file the store has already
// filtered to what the viewer may see.
func childPageView(f safeguarding.ChildFile, categories []safeguarding.Category, today time.Time) web.ChildPage {
	out := web.ChildPage{
		Reference:    strconv.FormatInt(f.Pupil.ID, 10),
		Name:         f.Pupil.Name(),
		Details:      []web.SummaryRow{{Key: "Year group", Value: "Year " + strconv.Itoa(f.Pupil.YearGroup)}},
		PatternFlags: patternFlagViews(f.PatternFlags),
	}
	if f.LegalName != "" {
		out.Details = append(out.Details, web.SummaryRow{Key: "Legal name", Value: f.LegalName})
	}
	if !f.LeftOn.IsZero() {
		out.Details = append(out.Details, web.SummaryRow{Key: "Left the school", Value: longDate(f.LeftOn)})
	}
	if f.RegistrationGroup != "" {
		out.Details = append(out.Details, web.SummaryRow{Key: "Registration group", Value: f.RegistrationGroup})
	}
	if len(f.Circumstances) > 0 {
		out.Details = append(out.Details, web.SummaryRow{Key: "Circumstances", Value: strings.Join(f.Circumstances, ", ")})
	}
	// The store leaves the date of birth (and group) out for a viewer who
	// sees the file only for a concern about an adult (the chair).
	if !f.DateOfBirth.IsZero() {
		out.Details = append(out.Details, web.SummaryRow{Key: "Date of birth", Value: longDate(f.DateOfBirth)},
			web.SummaryRow{Key: "Age", Value: strconv.Itoa(ageOn(f.DateOfBirth, today))})
	}
	for _, r := range f.OpenReferrals {
		ref := web.ChildReferral{Agency: r.AgencyName, Reference: orNotRecorded(r.Reference),
			ReferredOn: isoDate(r.ReferredOn), Concern: concernLinkTo(r.ConcernID)}
		if !r.Due.IsZero() {
			ref.Due = web.DueItem{Due: dueDay(r.Due), State: dueState(r.Due, today)}
		}
		out.OpenReferrals = append(out.OpenReferrals, ref)
	}
	for _, i := range f.Indicators {
		out.Indicators = append(out.Indicators, web.ChildIndicator{Label: i.Indicator.Label, Times: strconv.Itoa(i.Times),
			Staff: strconv.Itoa(i.Staff), First: longDate(i.First), Last: longDate(i.Last)})
	}
	concerns := make(map[int64]safeguarding.Concern, len(f.Concerns))
	out.Concerns = make([]web.ChildConcern, 0, len(f.Concerns))
	out.Chronology = make([]web.ChildEntry, 0, len(f.Chronology))
	for _, c := range f.Concerns {
		concerns[c.ID] = c
		row := web.ChildConcern{Concern: concernLinkTo(c.ID), LoggedAt: longDateTime(c.LoggedAt), LoggedBy: c.LoggedByName,
			Categories: strings.Join(concernCategoryLabels(categories, c.Categories), ", "), Status: statusTagFor(c.Status), Urgent: c.Urgent}
		if c.SubjectKind != safeguarding.SubjectPupils {
			row.AboutAdult = c.SubjectLabel()
		}
		row.Part = safeguarding.PartNotRecorded.Label()
		if own, ok := safeguarding.PartOf(c.Parts, f.Pupil.ID); ok {
			row.Part = own.Part.Label()
		}
		for _, p := range c.Pupils {
			switch {
			case p.ID == 0: // the viewer may not see their file
				row.AlsoAbout = append(row.AlsoAbout, web.SubjectName{Another: true})
			case p.ID != f.Pupil.ID:
				row.AlsoAbout = append(row.AlsoAbout, web.SubjectName{Name: p.Name(), Href: pupilHref(p.ID)})
			}
		}
		out.Concerns = append(out.Concerns, row)
	}
	labels := make(map[string]string, len(f.Indicators))
	for _, t := range f.Indicators {
		labels[t.Indicator.Code] = t.Indicator.Label
	}
	for _, e := range f.Chronology {
		out.Chronology = append(out.Chronology, childEntryView(e, concerns[e.ConcernID], f.Pupil.ID, categories, labels))
	}
	if f.ChronologyTotal > len(f.Chronology) {
		out.ShowAllHref = pupilHref(f.Pupil.ID) + "?all=1"
		out.ChronologyShown, out.ChronologyTotal = strconv.Itoa(len(f.Chronology)), strconv.Itoa(f.ChronologyTotal)
	}
	return out
}

// childEntryView is one line of the child's chronology, worded as the
// concern page words it (chronologyItem). The first entry of a concern holds
// the form as submitted, every pupil's part with it; here it is shown as the
// concern's categories, the shared account, and this pupil's own part,
// indicators (labels: code → the policy's words) and words.
func childEntryView(e safeguarding.Entry, c safeguarding.Concern, pupil int64, categories []safeguarding.Category, labels map[string]string) web.ChildEntry {
	item := chronologyItem(e, 0)
	out := web.ChildEntry{Heading: item.Heading, At: item.At, Happened: item.Happened, Author: item.Author, Concern: concernLinkTo(e.ConcernID),
		BodyLabel: item.BodyLabel, Paragraphs: item.Paragraphs, Facts: item.Facts, BodyMap: item.BodyMap}
	switch e.Kind {
	case safeguarding.EntryConcernLogged:
		out.Heading = "Concern logged: " + strings.Join(concernCategoryLabels(categories, c.Categories), ", ")
		out.Paragraphs, out.BodyLabel = paragraphs(c.WhatHappened), "What happened"
		if own, ok := safeguarding.PartOf(c.Parts, pupil); ok {
			out.Facts = append(out.Facts, ownPartRows(own, labels)...)
		}
		if c.Urgent {
			out.Facts = append(out.Facts, web.SummaryRow{Key: "Immediate danger", Value: "Yes: marked urgent"})
		}
	case safeguarding.EntryPartRecorded:
		// About this pupil alone (the store reads no other's).
		out.Facts = append(out.Facts, ownPartRows(safeguarding.PupilPart{Part: e.Details.Part, Indicators: e.Details.Indicators,
			ChildsWords: e.Details.ChildsWords}, labels)...)
	case safeguarding.EntryCorrection:
		// The concern page links a correction to the entry it corrects; across
		// concerns, name what kind of entry that was.
		if e.Details.CorrectsKind != "" {
			out.Facts = append(out.Facts, web.SummaryRow{Key: "Corrects", Value: safeguarding.EntryKind(e.Details.CorrectsKind).Label()})
		}
	}
	return out
}

// ownPartRows are a pupil's own part of a concern as summary rows: their
// part, the indicators seen in them (labels: code → the policy's words) and
// their own words. A part not yet recorded says so.
func ownPartRows(own safeguarding.PupilPart, labels map[string]string) []web.SummaryRow {
	part := own.Part.Label()
	if own.Part == safeguarding.PartNotRecorded {
		part = "Not yet recorded: the DSL has been asked to record each child's part"
	}
	rows := []web.SummaryRow{{Key: "Their part", Value: part}}
	if len(own.Indicators) > 0 {
		names := make([]string, len(own.Indicators))
		for i, code := range own.Indicators {
			if names[i] = labels[code]; names[i] == "" {
				names[i] = code
			}
		}
		rows = append(rows, web.SummaryRow{Key: "Signs of exploitation seen in them", Value: strings.Join(names, "; ")})
	}
	if strings.TrimSpace(own.ChildsWords) != "" {
		rows = append(rows, web.SummaryRow{Key: "Their own words", Value: own.ChildsWords})
	}
	return rows
}

// ageOn is a person's age in whole years on a day; someone born on 29
// February turns a year older on 1 March in other years.
func ageOn(born, day time.Time) int {
	age := day.Year() - born.Year()
	if day.Month() < born.Month() || (day.Month() == born.Month() && day.Day() < born.Day()) {
		age--
	}
	return age
}

// The helpers below are shared with my_concerns.go.

func pupilHref(id int64) string { return "/pupils/" + strconv.FormatInt(id, 10) }

func concernLinkTo(id int64) web.ConcernLink {
	n := strconv.FormatInt(id, 10)
	return web.ConcernLink{Text: "Concern " + n, Href: "/concerns/" + n}
}

// statusTagFor colours a status: new concerns stand out, closed ones recede.
func statusTagFor(s safeguarding.Status) web.StatusTag {
	var colour string
	switch s {
	case safeguarding.StatusNew:
		colour = "blue"
	case safeguarding.StatusAcknowledged:
		colour = "light-blue"
	case safeguarding.StatusInProgress:
		colour = "purple"
	case safeguarding.StatusReopened:
		colour = "orange"
	case safeguarding.StatusClosed:
		colour = "grey"
	}
	return web.StatusTag{Label: s.Label(), Colour: colour}
}

// longDate is a date as GOV.UK writes it, "4 June 2026", in the schools'
// time zone. A date stored without a time (midnight UTC) keeps its day.
func longDate(t time.Time) string { return t.In(england()).Format("2 January 2006") }

// longDateTime is a moment in the schools' time zone: "4 June 2026 at 2:30pm".
func longDateTime(t time.Time) string { return t.In(england()).Format("2 January 2006 at 3:04pm") }

// isoDate shows a stored YYYY-MM-DD date as a long date, or as stored if it
// is not one.
func isoDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return longDate(t)
}

func orNotRecorded(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Not recorded"
	}
	return s
}

// paragraphs splits text as typed into paragraphs, one per non-blank line.
func paragraphs(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

package httpserver

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// concernPageStore reads a concern with its chronology; wantLeads says
// whether to read whom it may be assigned to.
type concernPageStore interface {
	ConcernRecord(ctx context.Context, v safeguarding.Viewer, id int64, wantLeads func(safeguarding.Concern) bool) (safeguarding.ConcernRecord, error)
}

// concernBannerKey is the session key under which a successful entry form
// leaves its message for the concern's page.
func concernBannerKey(id int64) string { return "concern_banner:" + strconv.FormatInt(id, 10) }

// concernPage shows a concern as logged and its chronology, as much of both
// as the viewer may see, with the forms they may use. A concern they may
// not see does not exist.
func (s *Server) concernPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	view, rec, err := s.concernRecordView(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Banner = s.sessions.PopString(r.Context(), concernBannerKey(id))
	withKeptEntry(&view, rec.EntryDraft)
	if view.FullRecord {
		e, err := s.db.ConcernEscalation(r.Context(), v, id)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		view.Escalation = escalationLine(e)
	}
	// Opened: its notices have been read, and the header counts them so.
	if n, err := s.markConcernNoticesRead(r.Context(), v, id); err != nil {
		s.serverError(w, r, err)
		return
	} else if n > 0 {
		v.UnreadNotices = max(0, v.UnreadNotices-n)
		r = r.WithContext(context.WithValue(r.Context(), viewerKey, v))
	}
	s.render(w, r, http.StatusOK, web.ConcernPage(page(r, view.Title()), view))
}

// concernView reads what the page needs (the store checks access and
// audits the view) and returns it with the concern.
func (s *Server) concernView(ctx context.Context, v safeguarding.Viewer, id int64) (web.ConcernView, safeguarding.Concern, error) {
	view, rec, err := s.concernRecordView(ctx, v, id)
	return view, rec.Concern, err
}

// concernRecordView is concernView with all that the store read.
func (s *Server) concernRecordView(ctx context.Context, v safeguarding.Viewer, id int64) (web.ConcernView, safeguarding.ConcernRecord, error) {
	offersAssign := func(c safeguarding.Concern) bool {
		return safeguarding.Can(v, c.Access(), safeguarding.ActionTriage) && assignable(c)
	}
	rec, err := s.db.ConcernRecord(ctx, v, id, offersAssign)
	if err != nil {
		return web.ConcernView{}, rec, err
	}
	c := rec.Concern
	categories, err := s.db.Categories(ctx)
	if err != nil {
		return web.ConcernView{}, rec, err
	}
	indicators, err := s.db.Indicators(ctx)
	if err != nil {
		return web.ConcernView{}, rec, err
	}
	view := concernViewOf(v, c, rec.Entries, categories, indicators, rec.Leads)
	view.Attachments = attachmentRows(v, c, rec.Attachments, view.Chronology)
	if safeguarding.MayAttach(v, c.Access()) {
		view.Attach = &web.AttachForm{Action: "/concerns/" + view.Reference + "/attachments"}
		if view.Triage != nil {
			view.Attach.Entries = view.Triage.Entries
		}
	}
	safeguarding.SortDeadlines(rec.Deadlines, time.Now())
	view.Deadlines = dueView(rec.Deadlines, time.Now()).Items
	return view, rec, nil
}

// assignable: concerns that DSLs and deputies handle may be given to one of
// them. Those about the principal or a safeguarding lead are not theirs.
func assignable(c safeguarding.Concern) bool {
	return c.Status.Open() && safeguarding.Handles(safeguarding.Roles{safeguarding.RoleDSL}, c.Route)
}

// concernViewOf is the page for a concern and the entries the store let v
// see. What v may do is decided here, by the access rule, and nowhere else.
func concernViewOf(v safeguarding.Viewer, c safeguarding.Concern, entries []safeguarding.Entry,
	categories []safeguarding.Category, indicators []safeguarding.Indicator, leads []safeguarding.Assignee) web.ConcernView {
	access := c.Access()
	ref := strconv.FormatInt(c.ID, 10)
	view := web.ConcernView{
		Reference:     ref,
		EntriesAction: "/concerns/" + ref + "/entries",
		DraftAction:   "/concerns/" + ref + "/entries/draft",
		Author:        strconv.FormatInt(v.PersonID, 10),
		Subject:       c.SubjectLabel(),
		Status:        statusTagFor(c.Status),
		Urgent:        c.Urgent,
		Logged:        loggedConcernOf(v, c, categories, indicators),
		FullRecord:    safeguarding.SeesFullRecord(v, access),
		FeedbackGiven: c.FeedbackGiven,
		Chronology:    withPupils(chronologyOf(entries), entries, c, indicators),
		FurtherInformation: c.LoggedBy == v.PersonID &&
			safeguarding.CheckEntry(v, c, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation}) == nil,
		WhoSees: safeguarding.WhoSees(c.Route),
	}
	if safeguarding.CheckEntry(v, c, safeguarding.EntryInput{Kind: safeguarding.EntryBodyMap}) == nil {
		view.BodyMap = &web.BodyMapForm{Outlines: bodyOutlines}
	}
	if safeguarding.Can(v, access, safeguarding.ActionTriage) {
		view.Triage = triageControls(c, entries, leads)
	}
	// Whom an entry is about: a case handler's entries, and a body map,
	// which the member of staff who logged the concern may add too.
	if view.Triage != nil || view.BodyMap != nil {
		if len(c.Pupils) > 1 {
			for _, p := range c.Pupils {
				view.EntryPupils = append(view.EntryPupils, web.Choice{Value: strconv.FormatInt(p.ID, 10), Label: pupilLabel(p, c.Pupils)})
			}
		}
	}
	if safeguarding.Can(v, access, safeguarding.ActionMove) {
		view.MoveHref = "/concerns/" + ref + "/move"
	}
	return view
}

// loggedConcernOf is the concern exactly as logged: what the member of
// staff wrote, never anything added since.
func loggedConcernOf(v safeguarding.Viewer, c safeguarding.Concern, categories []safeguarding.Category, indicators []safeguarding.Indicator) web.LoggedConcern {
	out := web.LoggedConcern{
		Categories:   concernCategoryLabels(categories, c.Categories),
		WhatHappened: paragraphs(c.WhatHappened),
		ChildsWords:  paragraphs(c.ChildsWords),
		When:         longDate(c.HappenedOn),
		Where:        strings.TrimSpace(c.Location),
		OthersTold:   paragraphs(c.OthersTold),
		ActionsTaken: paragraphs(c.ActionsTaken),
		Urgent:       c.Urgent,
		LoggedBy:     c.LoggedByName,
		LoggedAt:     longDateTime(c.LoggedAt),
	}
	if c.HappenedTime != "" {
		out.When += " at " + c.HappenedTime
	}
	childFile := safeguarding.Can(v, c.Access(), safeguarding.ActionViewChildFile)
	var children []web.SubjectName
	for _, p := range c.Pupils {
		n := web.SubjectName{Name: pupilLabel(p, c.Pupils)}
		if childFile {
			n.Href = pupilHref(p.ID)
		}
		children = append(children, n)
	}
	loggedParts(&out, v, c, children, indicators)
	switch c.SubjectKind {
	case safeguarding.SubjectPupils:
		out.About = children
		out.AboutNote = yearGroupsOf(c.Pupils)
	default:
		// A concern about an adult is routed by the adult; the children it
		// involves are named beside it.
		out.Involves, out.InvolvesNote = children, yearGroupsOf(c.Pupils)
	}
	switch c.SubjectKind {
	case safeguarding.SubjectPupils:
	case safeguarding.SubjectStaff:
		out.About = []web.SubjectName{{Name: c.SubjectPersonName}}
		out.AboutNote = "Member of staff"
	default:
		out.About = []web.SubjectName{{Name: c.SubjectAdultName}}
		out.AboutNote = "Adult not on the staff roster"
		if role := strings.TrimSpace(c.SubjectAdultRole); role != "" {
			first, size := utf8.DecodeRuneInString(role)
			out.AboutNote = string(unicode.ToUpper(first)) + role[size:]
		}
	}
	return out
}

// loggedParts fills in the indicators and the child's words as the concern
// holds them: the one child's, with their part; each child's own, when it
// names several; or the concern's, when it names no child or they are not
// yet attributed, with the form that attributes them for a case handler.
// children are the concern's pupils as the page names them, in c's order.
func loggedParts(out *web.LoggedConcern, v safeguarding.Viewer, c safeguarding.Concern, children []web.SubjectName, indicators []safeguarding.Indicator) {
	labels := func(codes []string) []string {
		var ls []string
		for _, i := range indicators {
			if slices.Contains(codes, i.Code) {
				ls = append(ls, i.Label)
			}
		}
		return ls
	}
	switch {
	case len(c.Parts) == 0 || c.Unattributed():
		out.Indicators, out.ChildsWords, out.Unattributed = labels(c.Indicators), paragraphs(c.ChildsWords), c.Unattributed()
		if out.Unattributed && safeguarding.MayAttribute(v, c.Access()) {
			out.AttributeHref = "/concerns/" + strconv.FormatInt(c.ID, 10) + "/parts"
		}
	case len(c.Parts) == 1:
		p := c.Parts[0]
		out.Indicators, out.ChildsWords, out.PartLabel = labels(p.Indicators), paragraphs(p.ChildsWords), p.Part.Label()
	default:
		for i, p := range c.Parts {
			out.Parts = append(out.Parts, web.LoggedPart{Child: children[i], Part: p.Part.Label(),
				Indicators: labels(p.Indicators), Words: paragraphs(p.ChildsWords)})
		}
	}
}

// chronologyOf lists the entries in the order given (when they happened)
// and links each correction with the entry it corrects, both ways. Each is
// numbered in the order it was written, as the hash chain links them, so
// that "entry 4" still names the same entry after one is back-dated
// before it.
func chronologyOf(entries []safeguarding.Entry) []web.ChronologyItem {
	written := make([]int64, len(entries))
	at := make(map[int64]int, len(entries)) // id → index in entries
	for i, e := range entries {
		written[i], at[e.ID] = e.ID, i
	}
	slices.Sort(written)
	number := make(map[int64]int, len(entries))
	for n, id := range written {
		number[id] = n + 1
	}
	items := make([]web.ChronologyItem, len(entries))
	for i, e := range entries {
		items[i] = chronologyItem(e, number[e.ID])
	}
	for i, e := range entries {
		j, ok := at[e.CorrectsID]
		if e.CorrectsID == 0 || !ok {
			continue
		}
		items[i].Corrects = &web.EntryRef{Number: number[e.CorrectsID], Anchor: entryAnchor(e.CorrectsID)}
		items[j].CorrectedBy = append(items[j].CorrectedBy, web.EntryRef{Number: number[e.ID], Anchor: entryAnchor(e.ID)})
	}
	return items
}

// withPupils adds to each item of a concern's chronology whom its entry is
// about, when it names pupils of c, and the part a part_recorded entry
// records (pupilFacts).
func withPupils(items []web.ChronologyItem, entries []safeguarding.Entry, c safeguarding.Concern, indicators []safeguarding.Indicator) []web.ChronologyItem {
	names := make(map[int64]string, len(c.Pupils))
	for _, p := range c.Pupils {
		names[p.ID] = pupilLabel(p, c.Pupils)
	}
	for i, e := range entries {
		items[i].Facts = append(items[i].Facts, pupilFacts(e, names, indicators)...)
	}
	return items
}

// pupilFacts say whom an entry is about, when it names pupils (names: id →
// name; a pupil not in names is "another pupil"), and for a part_recorded
// entry the part, signs (in the policy's words) and words it records.
func pupilFacts(e safeguarding.Entry, names map[int64]string, indicators []safeguarding.Indicator) []web.SummaryRow {
	var rows []web.SummaryRow
	if len(e.PupilIDs) > 0 {
		var about []string
		for _, id := range e.PupilIDs {
			n, ok := names[id]
			if !ok {
				n = "another pupil"
			}
			about = append(about, n)
		}
		rows = append(rows, web.SummaryRow{Key: "About", Value: strings.Join(about, ", ")})
	}
	if e.Kind == safeguarding.EntryPartRecorded {
		rows = append(rows, web.SummaryRow{Key: "Their part", Value: e.Details.Part.Label()})
		var signs []string
		for _, i := range indicators {
			if slices.Contains(e.Details.Indicators, i.Code) {
				signs = append(signs, i.Label)
			}
		}
		if len(signs) > 0 {
			rows = append(rows, web.SummaryRow{Key: "Signs of exploitation seen in them", Value: strings.Join(signs, "; ")})
		}
		if strings.TrimSpace(e.Details.ChildsWords) != "" {
			rows = append(rows, web.SummaryRow{Key: "Their own words", Value: e.Details.ChildsWords})
		}
	}
	return rows
}

// pupilLabel names p among the pupils of its concern: by name, and with
// their year group when another pupil of the concern has the same name, so
// that two children called Arthur Wood can be told apart.
func pupilLabel(p safeguarding.PupilRef, pupils []safeguarding.PupilRef) string {
	for _, q := range pupils {
		if q.ID != p.ID && strings.EqualFold(q.Name(), p.Name()) {
			return p.Name() + ", Year " + strconv.Itoa(p.YearGroup)
		}
	}
	return p.Name()
}

func entryAnchor(id int64) string { return "entry-" + strconv.FormatInt(id, 10) }

// chronologyItem is one entry with its structured details. The first entry
// holds the form as submitted, which the page shows above as the concern
// itself; here it is only the fact of logging, by whom and when.
func chronologyItem(e safeguarding.Entry, number int) web.ChronologyItem {
	item := web.ChronologyItem{Anchor: entryAnchor(e.ID), Number: number, Heading: e.Kind.Label(),
		Author: e.AuthorName, At: longDateTime(e.At), Paragraphs: paragraphs(e.Body)}
	if e.BackDated() {
		item.At, item.Happened = clockDateTime(e.At), clockDateTime(e.HappenedAt)
	}
	d := e.Details
	switch e.Kind {
	case safeguarding.EntryConcernLogged:
		item.Paragraphs = nil
	case safeguarding.EntryDecision:
		item.BodyLabel = "Decision"
		item.Facts = []web.SummaryRow{{Key: "Reason", Value: d.Reason}}
	case safeguarding.EntryReferral:
		agency := d.Agency.Label()
		if d.Agency == safeguarding.AgencyOtherAgent && d.AgencyOther != "" {
			agency = d.AgencyOther
		}
		item.BodyLabel = "Notes"
		item.Facts = []web.SummaryRow{{Key: "Agency", Value: agency}, {Key: "Reference", Value: orNotRecorded(d.Reference)},
			{Key: "Date of the referral", Value: isoDate(d.ReferredOn)}}
	case safeguarding.EntryReferralResponse:
		item.BodyLabel = "Notes"
		item.Facts = []web.SummaryRow{{Key: "What the agency will do", Value: d.AgencyAction},
			{Key: "Who at the agency", Value: orNotRecorded(d.AgencyContact)}, {Key: "Date of the response", Value: isoDate(d.RespondedOn)}}
		if d.Statutory != "" {
			item.Facts = append(item.Facts, web.SummaryRow{Key: "Statutory investigation", Value: d.Statutory.Label()})
		}
		if d.NextStep != "" {
			item.Facts = append(item.Facts, web.SummaryRow{Key: "Next step", Value: d.NextStep.Label()},
				web.SummaryRow{Key: "Why", Value: d.NextStepReason})
		}
	case safeguarding.EntryContactParents:
		item.Facts = []web.SummaryRow{
			{Key: "Risk of telling them", Value: "Judged that telling them would not put the child or others at risk of harm"},
			{Key: "Why", Value: d.Judgement}}
	case safeguarding.EntryAssigned:
		item.Facts = []web.SummaryRow{{Key: "Assigned to", Value: d.AssigneeName}}
	case safeguarding.EntryStatusChanged:
		item.Facts = []web.SummaryRow{{Key: "Status", Value: d.FromStatus.Label() + " to " + d.ToStatus.Label()}}
	case safeguarding.EntryClosed:
		item.BodyLabel = "Outcome"
		if d.NoResponseWhy != "" {
			item.Facts = []web.SummaryRow{{Key: "Closed without a referral's response because", Value: d.NoResponseWhy}}
		}
	case safeguarding.EntryReopened:
		item.BodyLabel = "Reason for reopening"
	case safeguarding.EntryBodyMap:
		item.BodyMap = bodyMapView(d.Marks)
	case safeguarding.EntryMoved:
		item.BodyLabel = "Reason for moving it"
		item.Facts = []web.SummaryRow{{Key: "Now about", Value: d.ToSubject}}
	}
	if d.HappenedReason != "" {
		item.Facts = append(item.Facts, web.SummaryRow{Key: "Recorded more than 7 days later because", Value: d.HappenedReason})
	}
	return item
}

// triageControls are a case handler's forms for the concern as it stands.
func triageControls(c safeguarding.Concern, entries []safeguarding.Entry, leads []safeguarding.Assignee) *web.TriageControls {
	t := &web.TriageControls{
		Open:           c.Status.Open(),
		CanAcknowledge: c.Status.CanMoveTo(safeguarding.StatusAcknowledged),
		CanStart:       c.Status.CanMoveTo(safeguarding.StatusInProgress),
		ReferrerName:   c.LoggedByName,
	}
	if assignable(c) {
		t.Assignees = []web.Option{{Value: "", Label: "Choose a DSL or deputy"}}
		for _, l := range leads {
			if l.ID == c.SubjectPersonID {
				continue
			}
			t.Assignees = append(t.Assignees, web.Option{Value: strconv.FormatInt(l.ID, 10), Label: l.Name + ", " + l.Role.Label(),
				Selected: l.ID == c.AssignedTo})
		}
	}
	for _, a := range safeguarding.Agencies {
		t.Agencies = append(t.Agencies, web.Choice{Value: string(a), Label: a.Label()})
	}
	for _, k := range safeguarding.RecordableKinds {
		if k.MayBeBackDated() {
			t.TimedKinds = append(t.TimedKinds, string(k))
		}
	}
	t.Referrals, t.Awaiting = referralChoices(entries)
	for _, n := range safeguarding.NextSteps {
		t.NextSteps = append(t.NextSteps, web.Option{Value: string(n), Label: n.Label()})
	}
	t.Entries = []web.Option{{Value: "", Label: "Choose an entry"}}
	for i, e := range entries {
		t.Entries = append(t.Entries, web.Option{Value: strconv.FormatInt(e.ID, 10),
			Label: "Entry " + strconv.Itoa(i+1) + ": " + e.Kind.Label() + ", " + longDateTime(e.At)})
	}
	return t
}

// referralChoices are the concern's referrals, for the response form (none,
// and it has no response form), and those awaiting a response, for the
// close form.
func referralChoices(entries []safeguarding.Entry) (choices []web.Option, awaiting []string) {
	label := func(e safeguarding.Entry) string {
		return e.Details.AgencyName() + ", referred " + isoDate(e.Details.ReferredOn)
	}
	for _, e := range entries {
		if e.Kind == safeguarding.EntryReferral {
			choices = append(choices, web.Option{Value: strconv.FormatInt(e.ID, 10), Label: label(e)})
		}
	}
	if len(choices) > 0 {
		choices = append([]web.Option{{Value: "", Label: "Choose a referral"}}, choices...)
	}
	for _, e := range safeguarding.AwaitingResponse(entries) {
		awaiting = append(awaiting, label(e))
	}
	return choices, awaiting
}

// clockDateTime is a time on the 24-hour clock, as the entry form asks for
// it: the two times of a back-dated entry read alike.
func clockDateTime(t time.Time) string { return t.In(england()).Format("2 January 2006 15:04") }

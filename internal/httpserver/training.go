package httpserver

// The training register (policy §4.1, §4.7): the DSL, deputies and the
// principal see who is overdue or due soon (/training) and each person's
// records; the DSL keeps them, by hand or from a CSV file; everyone who
// needs training sees their own on their home page. What is due is
// safeguarding.TrainingStatus's, on today's date in England.

import (
	"cmp"
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// trainingStore reads and keeps the training register.
type trainingStore interface {
	TrainingRegister(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.TrainingPerson, error)
	TrainingPerson(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.TrainingPerson, error)
	AddTraining(ctx context.Context, v safeguarding.Viewer, personID int64, in safeguarding.TrainingInput, address string) (int64, error)
	UpdateTraining(ctx context.Context, v safeguarding.Viewer, personID, id int64, in safeguarding.TrainingInput, address string) error
	DeleteTraining(ctx context.Context, v safeguarding.Viewer, personID, id int64, address string) error
	SetStartedOn(ctx context.Context, v safeguarding.Viewer, personID int64, on time.Time, address string) error
	ImportTraining(ctx context.Context, v safeguarding.Viewer, rows []roster.TrainingRow, apply bool, address string) (roster.TrainingPlan, []roster.Problem, error)
}

func init() {
	for _, k := range safeguarding.TrainingKinds {
		web.TrainingKinds = append(web.TrainingKinds, [2]string{string(k), k.Label()})
	}
}

// trainingDone is what each change's banner says, named by ?done=.
var trainingDone = map[string]string{
	"added":   "Training record added.",
	"changed": "Training record changed.",
	"deleted": "Training record deleted.",
	"started": "Start date saved.",
}

// registerViewer is the signed-in person if they may see the register;
// to anyone else its pages do not exist.
func (s *Server) registerViewer(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MaySeeTrainingRegister(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// trainingEditor is the signed-in person if they keep the register.
func (s *Server) trainingEditor(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayEditTraining(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// trainingRegister lists who needs training: by default those overdue or
// due within 30 days, late first; ?show=all lists everyone.
func (s *Server) trainingRegister(w http.ResponseWriter, r *http.Request) {
	v, ok := s.registerViewer(w, r)
	if !ok {
		return
	}
	people, err := s.db.TrainingRegister(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := todayInEngland()
	t := web.TrainingRegister{All: r.URL.Query().Get("show") == "all", Total: len(people), MayEdit: safeguarding.MayEditTraining(v.Roles)}
	type row struct {
		p     safeguarding.TrainingPerson
		state safeguarding.TrainingState
		due   time.Time
		ss    []safeguarding.RequirementStatus
	}
	var rows []row
	for _, p := range people {
		ss := p.Status(today)
		state, due := safeguarding.WorstTraining(ss)
		if !t.All && !state.NeedsAttention() {
			continue
		}
		rows = append(rows, row{p, state, due, ss})
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(rank(b.state), rank(a.state)), a.due.Compare(b.due))
	})
	for _, x := range rows {
		t.People = append(t.People, web.TrainingListPerson{ID: x.p.ID, Name: x.p.Name, Roles: x.p.Roles.Label(),
			State: trainingTag(x.state), NextDue: nextDue(x.ss)})
	}
	s.render(w, r, http.StatusOK, web.TrainingRegisterPage(page(r, "Safeguarding training"), t))
}

// rank orders states for the list: late (overdue or never done) first.
func rank(s safeguarding.TrainingState) int {
	if s.Late() {
		return 2
	}
	return int(s)
}

func trainingTag(s safeguarding.TrainingState) web.TrainingTag {
	switch s {
	case safeguarding.TrainingDueSoon:
		return web.TrainingTag{Label: s.Label(), Colour: "yellow"}
	case safeguarding.TrainingOverdue, safeguarding.TrainingNeverDone:
		return web.TrainingTag{Label: s.Label(), Colour: "red"}
	}
	return web.TrainingTag{Label: s.Label(), Colour: "green"}
}

// nextDue says the most pressing requirement: the first late, else the
// first due soon, else the next due.
func nextDue(ss []safeguarding.RequirementStatus) string {
	var pick *safeguarding.RequirementStatus
	for i := range ss {
		s := &ss[i]
		if s.Due.IsZero() {
			continue
		}
		if pick == nil || rank(s.State) > rank(pick.State) || (rank(s.State) == rank(pick.State) && s.Due.Before(pick.Due)) {
			pick = s
		}
	}
	if pick == nil {
		return ""
	}
	return pick.Requirement.Label() + ": " + dueWords(*pick)
}

// dueWords says when a requirement is due, as the page's sentence does.
func dueWords(s safeguarding.RequirementStatus) string {
	switch {
	case s.Due.IsZero():
		return "done on " + longDay(s.Last)
	case s.State == safeguarding.TrainingNeverDone:
		return "never done, due since " + longDay(s.Due)
	case s.State == safeguarding.TrainingOverdue:
		return "overdue since " + longDay(s.Due)
	}
	return "due by " + longDay(s.Due)
}

// longDay writes a date (midnight UTC) as a school would.
func longDay(t time.Time) string { return t.Format("2 January 2006") }

// requirementDetail is a requirement's line on the person's page.
func requirementDetail(s safeguarding.RequirementStatus) string {
	if s.Last.IsZero() || s.Due.IsZero() {
		return capitalise(dueWords(s))
	}
	return "Last done " + longDay(s.Last) + "; " + dueWords(s)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// trainingPersonPage shows a person's training: to those who see the
// register, and to the person themselves.
func (s *Server) trainingPersonPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	f := web.TrainingForm{}
	s.showTrainingPerson(w, r, v, id, http.StatusOK, trainingDone[r.URL.Query().Get("done")], f, web.TrainingStartForm{})
}

// showTrainingPerson renders person id's page, with the add form and the
// start date as last posted.
func (s *Server) showTrainingPerson(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, id int64, status int, banner string,
	f web.TrainingForm, start web.TrainingStartForm) {
	if id == 0 || (id != v.PersonID && !safeguarding.MaySeeTrainingRegister(v.Roles)) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	p, err := s.db.TrainingPerson(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := web.TrainingPersonView{ID: p.ID, Name: p.Name, Roles: p.Roles.Label(), Own: p.ID == v.PersonID,
		MayEdit: safeguarding.MayEditTraining(v.Roles), Register: safeguarding.MaySeeTrainingRegister(v.Roles), Banner: banner, Form: f, Start: start,
		Started: longDay(p.Started()), StartedNote: "as recorded"}
	if p.StartedOn.IsZero() {
		view.StartedNote = "not recorded: the day they were added to Haven"
	}
	if start == (web.TrainingStartForm{}) && !p.StartedOn.IsZero() {
		view.Start = web.TrainingStartForm{Day: strconv.Itoa(p.StartedOn.Day()), Month: strconv.Itoa(int(p.StartedOn.Month())), Year: strconv.Itoa(p.StartedOn.Year())}
	}
	for _, st := range p.Status(todayInEngland()) {
		view.Requirements = append(view.Requirements, web.TrainingRequirementView{Label: st.Requirement.Label(), Tag: trainingTag(st.State), Detail: requirementDetail(st)})
	}
	for _, rec := range p.Records {
		view.Records = append(view.Records, web.TrainingRecordView{ID: rec.ID, Kind: rec.Kind.Label(), Date: longDay(rec.CompletedOn), Provider: rec.Provider, Notes: rec.Notes})
	}
	view.Errors = append(append(view.Errors, f.Errors...), startErrors(start)...)
	s.render(w, r, status, web.TrainingPersonPage(page(r, p.Name), view))
}

func startErrors(start web.TrainingStartForm) web.Errors {
	if start.Error == "" {
		return nil
	}
	return web.Errors{{Field: "started", Message: start.Error}}
}

// trainingFormFrom reads the add or edit form as posted.
func trainingFormFrom(vals map[string][]string) web.TrainingForm {
	get := func(k string) string {
		if v := vals[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	return web.TrainingForm{Kind: get("kind"), Day: get("completed-day"), Month: get("completed-month"), Year: get("completed-year"),
		Provider: get("provider"), Notes: get("notes")}
}

// validateTraining checks the form, in the order of its fields.
func validateTraining(f web.TrainingForm, today time.Time) (safeguarding.TrainingInput, web.Errors) {
	var form Form
	kind := safeguarding.TrainingKind(f.Kind)
	form.Check(slices.Contains(safeguarding.TrainingKinds, kind), "kind", "Select the type of training")
	on, ok := ParseDate(f.Day, f.Month, f.Year)
	switch {
	case !NotBlank(f.Day) && !NotBlank(f.Month) && !NotBlank(f.Year):
		form.Check(false, "completed", "Enter the date the training was completed")
	case !ok:
		form.Check(false, "completed", "Date completed must be a real date")
	case on.After(today):
		form.Check(false, "completed", "Date completed must be today or in the past")
	}
	form.Check(MaxChars(f.Provider, safeguarding.MaxTrainingProviderChars), "provider", "Provider must be 200 characters or fewer")
	form.Check(MaxChars(f.Notes, safeguarding.MaxTrainingNotesChars), "notes", "Notes must be 2,000 characters or fewer")
	return safeguarding.TrainingInput{Kind: kind, CompletedOn: on, Provider: f.Provider, Notes: f.Notes}, form.Errors
}

// addTraining records a training from the person's page.
func (s *Server) addTraining(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	f := trainingFormFrom(vals)
	in, errs := validateTraining(f, todayInEngland())
	if len(errs) > 0 {
		f.Errors = errs
		s.showTrainingPerson(w, r, v, id, http.StatusUnprocessableEntity, "", f, web.TrainingStartForm{})
		return
	}
	if _, err := s.db.AddTraining(r.Context(), v, id, in, clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.TrainingPersonPath(id)+"?done=added", http.StatusSeeOther)
}

// setStartedOn saves the day the person started (blank clears it).
func (s *Server) setStartedOn(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	start := web.TrainingStartForm{Day: vals.Get("started-day"), Month: vals.Get("started-month"), Year: vals.Get("started-year")}
	var on time.Time
	if NotBlank(start.Day) || NotBlank(start.Month) || NotBlank(start.Year) {
		d, ok := ParseDate(start.Day, start.Month, start.Year)
		if !ok {
			start.Error = "Start date must be a real date"
			s.showTrainingPerson(w, r, v, id, http.StatusUnprocessableEntity, "", web.TrainingForm{}, start)
			return
		}
		on = d
	}
	if err := s.db.SetStartedOn(r.Context(), v, id, on, clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.TrainingPersonPath(id)+"?done=started", http.StatusSeeOther)
}

// trainingRecordPage is the DSL's form to change or delete one record.
func (s *Server) trainingRecordPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	personID, id := pathID(chi.URLParam(r, "id")), pathID(chi.URLParam(r, "record"))
	p, err := s.db.TrainingPerson(r.Context(), v, personID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(p.Records, func(rec safeguarding.TrainingRecord) bool { return rec.ID == id })
	if i < 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	rec := p.Records[i]
	f := web.TrainingForm{PersonID: p.ID, ID: rec.ID, PersonName: p.Name, Kind: string(rec.Kind),
		Day: strconv.Itoa(rec.CompletedOn.Day()), Month: strconv.Itoa(int(rec.CompletedOn.Month())), Year: strconv.Itoa(rec.CompletedOn.Year()),
		Provider: rec.Provider, Notes: rec.Notes}
	s.render(w, r, http.StatusOK, web.TrainingRecordPage(page(r, "Change a training record"), f))
}

// changeTraining saves the edit form.
func (s *Server) changeTraining(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	personID, id := pathID(chi.URLParam(r, "id")), pathID(chi.URLParam(r, "record"))
	f := trainingFormFrom(vals)
	f.PersonID, f.ID = personID, id
	in, errs := validateTraining(f, todayInEngland())
	if len(errs) > 0 {
		p, err := s.db.TrainingPerson(r.Context(), v, personID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.PersonName, f.Errors = p.Name, errs
		s.render(w, r, http.StatusUnprocessableEntity, web.TrainingRecordPage(page(r, "Change a training record"), f))
		return
	}
	if err := s.db.UpdateTraining(r.Context(), v, personID, id, in, clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.TrainingPersonPath(personID)+"?done=changed", http.StatusSeeOther)
}

// deleteTraining deletes one record.
func (s *Server) deleteTraining(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	personID, id := pathID(chi.URLParam(r, "id")), pathID(chi.URLParam(r, "record"))
	if err := s.db.DeleteTraining(r.Context(), v, personID, id, clientAddress(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.TrainingPersonPath(personID)+"?done=deleted", http.StatusSeeOther)
}

// trainingSection is the home page's "Your safeguarding training": what
// is due when, for everyone who needs training.
func (s *Server) trainingSection(ctx context.Context, v safeguarding.Viewer) (web.HomeSection, bool, error) {
	if !safeguarding.NeedsTraining(v.Roles) {
		return web.HomeSection{}, false, nil
	}
	p, err := s.db.TrainingPerson(ctx, v, v.PersonID)
	if err != nil {
		return web.HomeSection{}, false, err
	}
	sec := web.HomeSection{Title: "Your safeguarding training", ID: "your-training",
		Href: web.TrainingPersonPath(v.PersonID), LinkText: "See your training records"}
	state, _ := safeguarding.WorstTraining(p.Status(todayInEngland()))
	switch {
	case state.Late():
		sec.Body = "Some of your safeguarding training is overdue: ask the DSL when the next session is."
	case state == safeguarding.TrainingDueSoon:
		sec.Body = "Some of your safeguarding training is due within 30 days."
	default:
		sec.Body = "Your safeguarding training is in date."
	}
	for _, st := range p.Status(todayInEngland()) {
		sec.Items = append(sec.Items, st.Requirement.Label()+": "+dueWords(st))
	}
	return sec, true, nil
}

// trainingImportForm shows the training import's upload form.
func (s *Server) trainingImportForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.trainingEditor(w, r); !ok {
		return
	}
	s.renderTrainingImport(w, r, http.StatusOK, web.TrainingImportForm{})
}

func (s *Server) renderTrainingImport(w http.ResponseWriter, r *http.Request, status int, f web.TrainingImportForm) {
	f.Columns = importColumns(roster.TrainingColumns())
	s.render(w, r, status, web.TrainingImportPage(page(r, "Import training records"), f))
}

// previewTrainingImport reads an uploaded training file and shows what
// importing it would add, or every problem it has.
func (s *Server) previewTrainingImport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	data, name, form := readUpload(r)
	if !form.Valid() {
		s.renderTrainingImport(w, r, http.StatusUnprocessableEntity, web.TrainingImportForm{Errors: form.Errors})
		return
	}
	s.runTrainingImport(w, r, v, name, data, false)
}

// applyTrainingImport imports the file the preview carried in its form.
func (s *Server) applyTrainingImport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.trainingEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	data, err := base64.RawURLEncoding.DecodeString(r.PostForm.Get("content"))
	if err != nil || len(data) == 0 {
		s.renderTrainingImport(w, r, http.StatusUnprocessableEntity, web.TrainingImportForm{
			Errors: web.Errors{{Field: "file", Message: "Upload the file again: the import did not receive it whole"}}})
		return
	}
	s.runTrainingImport(w, r, v, fileName(vals.Get("file-name")), data, true)
}

// runTrainingImport reads data as a training file and previews or applies
// it, showing the file's problems instead when it has any.
func (s *Server) runTrainingImport(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, name string, data []byte, apply bool) {
	rows, problems := roster.ParseTraining(data, todayInEngland())
	var summary roster.Summary
	if !hasFileProblem(problems) {
		// The lines that read well are matched to the school's people even
		// when others did not, so that every problem shows at once; a file
		// with any problem is never applied.
		plan, ps, err := s.db.ImportTraining(r.Context(), v, rows, apply && len(problems) == 0, clientAddress(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		problems = append(problems, ps...)
		slices.SortStableFunc(problems, func(a, b roster.Problem) int { return a.Line - b.Line })
		summary = plan.Summary(apply)
	}
	if name == "" {
		name = "the file"
	}
	if len(problems) > 0 {
		f := web.TrainingImportForm{FileName: name}
		for _, p := range problems {
			f.Problems = append(f.Problems, web.ImportProblem{Where: p.Where(), Message: p.Message})
		}
		msg := name + " has " + strconv.Itoa(len(problems)) + " problems: fix them and upload it again"
		if len(problems) == 1 {
			msg = name + " has a problem: fix it and upload it again"
		}
		f.Errors = web.Errors{{Field: "file", Message: msg}}
		s.renderTrainingImport(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	preview := web.ImportPreview{Kind: "training", What: "training records", FileName: name, Notes: summary.Notes, Done: apply}
	for _, c := range summary.Counts {
		preview.Counts = append(preview.Counts, web.SummaryRow{Key: c.Label, Value: strconv.Itoa(c.N)})
	}
	title := "Check the import"
	if apply {
		title = "Import complete"
	} else {
		preview.Content = base64.RawURLEncoding.EncodeToString(data)
	}
	s.render(w, r, http.StatusOK, web.TrainingImportPreviewPage(page(r, title), preview))
}

// hasFileProblem reports whether the file as a whole could not be read
// (no lines to match): a problem of the file or of its header line.
func hasFileProblem(ps []roster.Problem) bool {
	return slices.ContainsFunc(ps, func(p roster.Problem) bool { return p.Line <= 1 })
}

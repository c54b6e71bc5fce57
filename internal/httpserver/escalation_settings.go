package httpserver

// The school's escalation settings: when a concern nobody has acknowledged
// goes to the next person up, and who the vice-chair is. Set by the DSL or
// the administrator, as the school's other settings are.

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// escalationStore reads and sets the escalation settings, and what the
// concern and home pages show of escalations.
type escalationStore interface {
	EscalationSettings(ctx context.Context, v safeguarding.Viewer) (safeguarding.EscalationSettings, error)
	SetEscalationSettings(ctx context.Context, v safeguarding.Viewer, s safeguarding.EscalationSettings, address string) error
	Governors(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.Person, error)
	ConcernEscalation(ctx context.Context, v safeguarding.Viewer, concernID int64) (*safeguarding.ConcernEscalation, error)
	UnacknowledgedInTime(ctx context.Context, v safeguarding.Viewer) (int, error)
}

// escalationFields are the form's fields in page order.
var escalationFields = []string{"urgent-minutes", "others-hour", "vice-chair"}

// escalationSettingsForm shows the settings to change; "?saved=1" after
// they were saved.
func (s *Server) escalationSettingsForm(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	set, err := s.db.EscalationSettings(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := web.EscalationForm{UrgentMinutes: strconv.Itoa(int(set.UrgentAfter / time.Minute)), OthersHour: strconv.Itoa(set.OthersHour),
		Saved: r.URL.Query().Get("saved") != "", LastChanged: escalationLastChanged(set)}
	if f.ViceChairs, err = s.viceChairOptions(r.Context(), v, strconv.FormatInt(set.ViceChairID, 10)); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.EscalationSettingsPage(page(r, "Escalation"), f))
}

// setEscalationSettings saves the settings, or shows the form again with
// every value as typed and a message by each field that needs one.
func (s *Server) setEscalationSettings(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	f := web.EscalationForm{UrgentMinutes: vals.Get("urgent-minutes"), OthersHour: vals.Get("others-hour")}
	set := safeguarding.EscalationSettings{UrgentAfter: -1, OthersHour: -1}
	if m, err := strconv.Atoi(strings.TrimSpace(f.UrgentMinutes)); err == nil {
		set.UrgentAfter = time.Duration(m) * time.Minute
	}
	if h, err := strconv.Atoi(strings.TrimSpace(f.OthersHour)); err == nil {
		set.OthersHour = h
	}
	viceChair := vals.Get("vice-chair")
	if id, err := strconv.ParseInt(viceChair, 10, 64); err == nil && id > 0 {
		set.ViceChairID = id
	}
	var form Form
	problems := set.Problems()
	for _, field := range escalationFields {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		err := s.db.SetEscalationSettings(r.Context(), v, set, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.SettingsEscalationPath+"?saved=1", http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, "vice-chair", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	f.Errors = form.Errors
	var err error
	if f.ViceChairs, err = s.viceChairOptions(r.Context(), v, viceChair); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.EscalationSettingsPage(page(r, "Escalation"), f))
}

// viceChairOptions are the school's governors to choose from, with
// selected chosen, after "none".
func (s *Server) viceChairOptions(ctx context.Context, v safeguarding.Viewer, selected string) ([]web.Option, error) {
	governors, err := s.db.Governors(ctx, v)
	if err != nil {
		return nil, err
	}
	opts := []web.Option{{Value: "0", Label: "None named"}}
	for _, g := range governors {
		id := strconv.FormatInt(g.ID, 10)
		opts = append(opts, web.Option{Value: id, Label: g.Name, Selected: id == selected})
	}
	return opts, nil
}

// escalationLastChanged says who last set the settings and when; "" if
// nobody has.
func escalationLastChanged(set safeguarding.EscalationSettings) string {
	return lastChanged(safeguarding.SchoolContacts{UpdatedAt: set.UpdatedAt, UpdatedByName: set.UpdatedByName})
}

// escalationLine is what the concern page says of c's escalation, for
// those who read it in full.
func escalationLine(e *safeguarding.ConcernEscalation) string {
	if e == nil {
		return ""
	}
	if e.To == safeguarding.EscalatedToNobody {
		return "Nobody had acknowledged this concern by " + longDateTime(e.At) + ", its escalation time. There was no one further to tell."
	}
	how := "who may read it"
	if !e.WithAccess {
		how = "who was told to act and cannot read it"
	}
	return "Nobody had acknowledged this concern by " + longDateTime(e.At) + ", so it was escalated to " + e.To.Label() + ", " + how + "."
}

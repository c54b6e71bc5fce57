package httpserver

// The school's emergency contacts: the numbers the concern form shows when
// a child is in immediate danger, set by the DSL or the administrator.

import (
	"context"
	"net/http"
	"strings"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// schoolContactsStore reads and sets the school's emergency contacts.
type schoolContactsStore interface {
	SchoolContacts(ctx context.Context, v safeguarding.Viewer) (safeguarding.SchoolContacts, error)
	SetSchoolContacts(ctx context.Context, v safeguarding.Viewer, c safeguarding.SchoolContacts, address string) error
}

// contactsFields are the settings form's fields in page order.
var contactsFields = []string{"dsl-phone", "social-care-phone", "social-care-out-of-hours"}

// contactsEditor is the signed-in person if they may set the school's
// contacts; to anyone else the page does not exist.
func (s *Server) contactsEditor(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayEditSchoolContacts(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// schoolContactsForm shows the school's contacts to change; "?saved=1"
// after they were saved.
func (s *Server) schoolContactsForm(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	c, err := s.db.SchoolContacts(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := web.SchoolContactsForm{DSLPhone: c.DSLPhone, SocialCarePhone: c.SocialCarePhone,
		SocialCareOutOfHours: c.SocialCareOutOfHours, Saved: r.URL.Query().Get("saved") != "", LastChanged: lastChanged(c)}
	s.render(w, r, http.StatusOK, web.SchoolContactsPage(page(r, "Emergency contacts"), f))
}

// setSchoolContacts saves the numbers, or shows the form again with every
// value as typed and a message by each field that needs one.
func (s *Server) setSchoolContacts(w http.ResponseWriter, r *http.Request) {
	v, ok := s.contactsEditor(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	c := safeguarding.SchoolContacts{DSLPhone: vals.Get("dsl-phone"), SocialCarePhone: vals.Get("social-care-phone"),
		SocialCareOutOfHours: vals.Get("social-care-out-of-hours")}
	var form Form
	problems := c.Problems()
	for _, field := range contactsFields {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		err := s.db.SetSchoolContacts(r.Context(), v, c, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.SettingsContactsPath+"?saved=1", http.StatusSeeOther)
			return
		case safeguarding.EINVALID:
			form.Check(false, "dsl-phone", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.SchoolContactsPage(page(r, "Emergency contacts"), web.SchoolContactsForm{
		DSLPhone: c.DSLPhone, SocialCarePhone: c.SocialCarePhone, SocialCareOutOfHours: c.SocialCareOutOfHours, Errors: form.Errors}))
}

// lastChanged says who last set the contacts and when; "" if nobody has.
func lastChanged(c safeguarding.SchoolContacts) string {
	if c.UpdatedAt.IsZero() {
		return ""
	}
	who := strings.TrimSpace(c.UpdatedByName)
	if who == "" {
		who = "someone who has left"
	}
	return who + " on " + longDateTime(c.UpdatedAt)
}

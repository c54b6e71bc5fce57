package httpserver

// One person's page for the administrator: their details and history, and
// the changes an administrator makes to them (roles, deactivating and
// reactivating, their invitation). Each change posts, then comes back to
// the page with what it did; a change the rules refuse comes back with why.

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// personDone is what each change's success banner says, named by ?done=.
var personDone = map[string]string{
	"invited":     "Invitation sent.",
	"roles":       "Roles saved.",
	"deactivated": "Deactivated. They have been signed out and can no longer sign in.",
	"reactivated": "Reactivated. They can sign in again with their password.",
	"resent":      "A new invitation has been sent. The link in the earlier one no longer works.",
	"revoked":     "Invitation withdrawn. Its link no longer works.",
	// second_factor_reset.go
	noticeSecondFactorReset: "Two-factor sign-in reset. They have been signed out, and must set it up again when they next sign in.",
}

// personPage shows one person.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.administrator(w, r)
	if !ok {
		return
	}
	s.showPerson(w, r, v, http.StatusOK, personDone[r.URL.Query().Get("done")], nil, nil)
}

// showPerson renders person {id}'s page with a notice or errors; roles, if
// not nil, are the roles as last submitted, shown ticked in place of those
// held.
func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, notice string, errs web.Errors, roles safeguarding.Roles) {
	d, err := s.db.Person(r.Context(), v, pathID(chi.URLParam(r, "id")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if roles == nil {
		roles = d.Roles
	}
	pp := web.PersonPage{ID: d.ID, Name: d.Name, Tags: personTags(d.PersonSummary), Facts: personFacts(d), Notice: notice, Errors: errs,
		Roles: roleChoices(roles), Active: d.Active, Self: d.ID == v.PersonID, SecondFactor: d.SecondFactor,
		Resend: !d.HasPassword && d.Active, Revoke: d.Invitation == safeguarding.InvitationPending}
	for _, e := range d.History {
		pp.History = append(pp.History, web.PersonEvent{When: longDateTime(e.At), What: personEventLabel(e.Action), Who: e.Actor, Detail: personEventDetail(e)})
	}
	s.render(w, r, status, web.PersonDetailPage(page(r, d.Name), pp))
}

// personFacts are a person's details as a summary list.
func personFacts(d safeguarding.PersonDetails) []web.SummaryRow {
	rows := []web.SummaryRow{{Key: "E-mail address", Value: d.Email}}
	if d.JobTitle != "" {
		rows = append(rows, web.SummaryRow{Key: "Job title", Value: d.JobTitle})
	}
	if d.KnownAs != "" {
		rows = append(rows, web.SummaryRow{Key: "Known as", Value: d.KnownAs})
	}
	roles := d.Roles.Label()
	if roles == "" {
		roles = "None"
	}
	twoFactor := "Not set up"
	if d.SecondFactor {
		twoFactor = "Set up"
	}
	rows = append(rows,
		web.SummaryRow{Key: "Roles", Value: roles},
		web.SummaryRow{Key: "Last signed in", Value: strings.TrimPrefix(lastSignIn(d.LastSignIn), "Last signed in ")},
		web.SummaryRow{Key: "Two-factor sign-in", Value: twoFactor},
		web.SummaryRow{Key: "Added", Value: longDateTime(d.Added)})
	switch d.Invitation {
	case safeguarding.InvitationPending:
		rows = append(rows, web.SummaryRow{Key: "Invitation", Value: "Sent; the link works until " + longDateTime(d.InvitationExpires)})
	case safeguarding.InvitationExpired:
		rows = append(rows, web.SummaryRow{Key: "Invitation", Value: "Expired before it was used"})
	case safeguarding.InvitationRevoked:
		rows = append(rows, web.SummaryRow{Key: "Invitation", Value: "Withdrawn"})
	}
	return rows
}

// personEventLabel names an audited change to a person.
func personEventLabel(action string) string {
	if l, ok := map[string]string{
		"invited":             "Invited",
		"roles_changed":       "Roles changed",
		"deactivated":         "Deactivated",
		"reactivated":         "Reactivated",
		"invitation_resent":   "Invitation sent again",
		"invitation_revoked":  "Invitation withdrawn",
		"invitation_accepted": "Accepted the invitation and set a password",
		"second_factor_reset": "Two-factor sign-in reset",
		"account_unlocked":    "Account unlocked",
		// training.go
		"training_added":   "Training record added",
		"training_changed": "Training record changed",
		"training_deleted": "Training record deleted",
		"start_date_set":   "Start date set",
	}[action]; ok {
		return l
	}
	return strings.ReplaceAll(action, "_", " ")
}

// personEventDetail is an event's detail for a reader: roles by their
// names rather than their codes.
func personEventDetail(e safeguarding.PersonEvent) string {
	if e.Action != "roles_changed" && e.Action != "invited" {
		return e.Detail
	}
	return roleCodes.Replace(e.Detail)
}

// roleCodes turns the role codes the audit log keeps into their names;
// the longer code first, so deputy_dsl is not read as dsl.
var roleCodes = func() *strings.Replacer {
	var pairs []string
	for _, r := range []safeguarding.Role{safeguarding.RoleDeputyDSL, safeguarding.RoleDSL, safeguarding.RoleStaff, safeguarding.RolePrincipal,
		safeguarding.RoleChair, safeguarding.RoleGovernor, safeguarding.RoleAdmin} {
		pairs = append(pairs, string(r), r.Label())
	}
	pairs = append(pairs, "before:", "Before:", "roles:", "Roles:")
	return strings.NewReplacer(pairs...)
}()

// changePerson runs one change to person {id}, then goes back to their
// page with done's banner; a change the rules refuse shows the page with
// why, by field.
func (s *Server) changePerson(done, field string, change func(ctx context.Context, v safeguarding.Viewer, id int64, address string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := s.administrator(w, r)
		if !ok {
			return
		}
		id := pathID(chi.URLParam(r, "id"))
		err := change(r.Context(), v, id, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.PersonPath(id)+"?done="+done, http.StatusSeeOther)
		case safeguarding.ECONFLICT, safeguarding.EINVALID:
			s.showPerson(w, r, v, http.StatusConflict, "", web.Errors{{Field: field, Message: safeguarding.ErrorMessage(err)}}, nil)
		default:
			s.fail(w, r, err)
		}
	}
}

// changeRoles gives the person exactly the roles ticked.
func (s *Server) changeRoles(w http.ResponseWriter, r *http.Request) {
	v, ok := s.administrator(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	rs, known := safeguarding.RolesNamed(vals["roles"])
	msg := safeguarding.RolesProblem(rs)
	if msg == "" && !known {
		msg = "Select roles from the list"
	}
	if msg == "" {
		err := s.db.ChangeRoles(r.Context(), v, id, rs, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.PersonPath(id)+"?done=roles", http.StatusSeeOther)
			return
		case safeguarding.ECONFLICT, safeguarding.EINVALID:
			msg = safeguarding.ErrorMessage(err)
		default:
			s.fail(w, r, err)
			return
		}
	}
	if rs == nil {
		rs = safeguarding.Roles{}
	}
	s.showPerson(w, r, v, http.StatusUnprocessableEntity, "", web.Errors{{Field: "roles", Message: msg}}, rs)
}

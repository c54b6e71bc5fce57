package httpserver

// The administrator's people: the list of the school's staff and governors,
// and the invitation of a new person. To anyone else neither page exists.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// peopleStore lists, reads and changes the school's people.
type peopleStore interface {
	People(ctx context.Context, v safeguarding.Viewer, f safeguarding.PeopleFilter) ([]safeguarding.PersonSummary, bool, error)
	Person(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.PersonDetails, error)
	InvitePerson(ctx context.Context, v safeguarding.Viewer, in safeguarding.InviteInput, address string) (int64, error)
	ChangeRoles(ctx context.Context, v safeguarding.Viewer, id int64, rs safeguarding.Roles, address string) error
	Deactivate(ctx context.Context, v safeguarding.Viewer, id int64, address string) error
	Reactivate(ctx context.Context, v safeguarding.Viewer, id int64, address string) error
	ResendInvitation(ctx context.Context, v safeguarding.Viewer, id int64, address string) error
	RevokeInvitation(ctx context.Context, v safeguarding.Viewer, id int64, address string) error
}

// peoplePageSize is how many people one page of the list shows.
const peoplePageSize = 50

// administrator is the signed-in person if they administer the school's
// people; to anyone else the page does not exist.
func (s *Server) administrator(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayAdministerPeople(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// people lists the school's people by name, those matching ?q= if given,
// a page (?page=) at a time.
func (s *Server) people(w http.ResponseWriter, r *http.Request) {
	v, ok := s.administrator(w, r)
	if !ok {
		return
	}
	q := strings.TrimSpace(cleanText(r.URL.Query().Get("q")))
	if len([]rune(q)) > safeguarding.MaxEmailLength {
		q = string([]rune(q)[:safeguarding.MaxEmailLength])
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pageNo = max(pageNo, 1)
	people, more, err := s.db.People(r.Context(), v, safeguarding.PeopleFilter{Query: q, Offset: (pageNo - 1) * peoplePageSize, Limit: peoplePageSize})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := web.PeopleList{Query: q, Summary: peopleSummary(len(people), more, pageNo, q)}
	for _, p := range people {
		l.People = append(l.People, personRow(p))
	}
	pageURL := func(n int) string {
		vals := url.Values{}
		if q != "" {
			vals.Set("q", q)
		}
		if n > 1 {
			vals.Set("page", strconv.Itoa(n))
		}
		if len(vals) == 0 {
			return web.PeoplePath
		}
		return web.PeoplePath + "?" + vals.Encode()
	}
	if pageNo > 1 {
		l.Prev = pageURL(pageNo - 1)
	}
	if more {
		l.Next = pageURL(pageNo + 1)
	}
	s.render(w, r, http.StatusOK, web.PeoplePage(page(r, "People"), l))
}

// peopleSummary says what the list shows.
func peopleSummary(n int, more bool, pageNo int, q string) string {
	switch {
	case n == 0 && q != "":
		return fmt.Sprintf("No one matches “%s”.", q)
	case n == 0:
		return "No one is on this page."
	case more || pageNo > 1:
		first := (pageNo-1)*peoplePageSize + 1
		return fmt.Sprintf("People %d to %d, by name.", first, first+n-1)
	case q != "":
		return fmt.Sprintf("%s %s “%s”.", plural(n, "person", "people"), map[bool]string{true: "matches", false: "match"}[n == 1], q)
	}
	return plural(n, "person", "people") + ", by name."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// personRow is one person as the list shows them.
func personRow(p safeguarding.PersonSummary) web.PersonRow {
	row := web.PersonRow{Href: web.PersonPath(p.ID), Name: p.Name, Email: p.Email, JobTitle: p.JobTitle,
		Roles: p.Roles.Label(), LastSignIn: lastSignIn(p.LastSignIn), TwoFactor: "No two-factor sign-in", Tags: personTags(p)}
	if p.SecondFactor {
		row.TwoFactor = "Two-factor sign-in set up"
	}
	return row
}

func lastSignIn(t time.Time) string {
	if t.IsZero() {
		return "Never signed in"
	}
	return "Last signed in " + longDateTime(t)
}

// personTags are a person's state at a glance: active or deactivated, and
// their invitation while it is outstanding.
func personTags(p safeguarding.PersonSummary) []web.TagText {
	tags := []web.TagText{{Text: "Active", Colour: "green"}}
	if !p.Active {
		tags = []web.TagText{{Text: "Deactivated", Colour: "grey"}}
	}
	switch p.Invitation {
	case safeguarding.InvitationPending:
		tags = append(tags, web.TagText{Text: "Invitation sent", Colour: "blue"})
	case safeguarding.InvitationExpired:
		tags = append(tags, web.TagText{Text: "Invitation expired", Colour: "orange"})
	case safeguarding.InvitationRevoked:
		tags = append(tags, web.TagText{Text: "Invitation withdrawn", Colour: "red"})
	}
	return tags
}

// roleChoices are the seven roles as checkboxes, those in checked ticked.
func roleChoices(checked safeguarding.Roles) []web.Choice {
	var out []web.Choice
	for _, r := range inviteRoleOrder {
		out = append(out, web.Choice{Value: string(r), Label: r.Label(), Checked: checked.Has(r)})
	}
	return out
}

// inviteRoleOrder lists the roles as a school thinks of them: most people
// first.
var inviteRoleOrder = []safeguarding.Role{safeguarding.RoleStaff, safeguarding.RoleDSL, safeguarding.RoleDeputyDSL,
	safeguarding.RolePrincipal, safeguarding.RoleChair, safeguarding.RoleGovernor, safeguarding.RoleAdmin}

// inviteForm shows the empty invitation form.
func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.administrator(w, r); !ok {
		return
	}
	s.render(w, r, http.StatusOK, web.InvitePage(page(r, "Invite a person"), web.InviteForm{Roles: roleChoices(nil)}))
}

// inviteFields are the invitation form's fields in page order.
var inviteFields = []string{"email", "name", "job_title", "roles"}

// invite invites a person and goes to their page; a form with problems
// (a taken e-mail address among them) comes back with everything typed.
func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	v, ok := s.administrator(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	rs, known := safeguarding.RolesNamed(vals["roles"])
	in := safeguarding.InviteInput{Email: strings.TrimSpace(vals.Get("email")), Name: strings.TrimSpace(vals.Get("name")),
		JobTitle: strings.TrimSpace(vals.Get("job_title")), Roles: rs}
	var form Form
	problems := in.Problems()
	if !known && problems["roles"] == "" {
		problems["roles"] = "Select roles from the list"
	}
	for _, field := range inviteFields {
		msg, bad := problems[field]
		form.Check(!bad, field, msg)
	}
	if form.Valid() {
		id, err := s.db.InvitePerson(r.Context(), v, in, clientAddress(r))
		switch safeguarding.ErrorCode(err) {
		case "":
			http.Redirect(w, r, web.PersonPath(id)+"?done=invited", http.StatusSeeOther)
			return
		case safeguarding.ECONFLICT, safeguarding.EINVALID:
			form.Check(false, "email", safeguarding.ErrorMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.InvitePage(page(r, "Invite a person"), web.InviteForm{
		Email: in.Email, Name: in.Name, JobTitle: in.JobTitle, Roles: roleChoices(rs), Errors: form.Errors}))
}

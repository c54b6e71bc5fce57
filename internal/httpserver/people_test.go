package httpserver_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// personID is the id of the demo person with that e-mail address.
func (f *concernFixture) personID(t *testing.T, email string) int64 {
	t.Helper()
	return f.viewer(t, email).PersonID
}

// invitationLink issues the newest invitation of email's link, as the
// e-mail job does, and returns its path.
func (f *concernFixture) invitationLink(t *testing.T, email string) string {
	t.Helper()
	var school, invitation int64
	if err := f.owner.QueryRow(t.Context(), `SELECT i.school_id, i.id FROM invitations i JOIN people p ON p.id = i.person_id
		WHERE p.email = $1 ORDER BY i.id DESC LIMIT 1`, email).Scan(&school, &invitation); err != nil {
		t.Fatal(err)
	}
	_, token, err := f.app.DB.IssueInvitationLink(t.Context(), school, invitation)
	if err != nil || token == "" {
		t.Fatalf("issue the link: %q, %v", token, err)
	}
	return "/invitation/" + token
}

// The people pages exist for the administrator alone, linked from their
// home page; to every other role each of them, and each change, is 404.
func TestPeoplePagesAccess(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.personID(t, "staff02@demo.test")
	person := fmt.Sprintf("/people/%d", staff)
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			may := safeguarding.MayAdministerPeople(v.Roles)
			if links := strings.Contains(c.get("/home").Body, `href="/people"`); links != may {
				t.Errorf("the home page links to people: %v, want %v", links, may)
			}
			for _, path := range []string{"/people", "/people?q=staff", "/people/invite", person} {
				res := c.get(path)
				if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[may]; res.StatusCode != want {
					t.Errorf("GET %s: status %d, want %d", path, res.StatusCode, want)
				}
			}
			if may {
				return
			}
			for path, form := range map[string]url.Values{
				"/people/invite":              {"email": {"x@demo.test"}, "name": {"X"}, "roles": {"staff"}},
				person + "/roles":             {"roles": {"dsl"}},
				person + "/deactivate":        nil,
				person + "/reactivate":        nil,
				person + "/invitation/resend": nil,
				person + "/invitation/revoke": nil,
			} {
				if res := c.post(path, form); res.StatusCode != http.StatusNotFound {
					t.Errorf("POST %s: status %d, want 404", path, res.StatusCode)
				}
			}
		})
	}
	var roles []string
	if err := fx.owner.QueryRow(t.Context(), `SELECT coalesce(array_agg(role), '{}') FROM person_roles WHERE person_id = $1`, staff).Scan(&roles); err != nil ||
		len(roles) != 1 || roles[0] != "staff" {
		t.Errorf("after everyone else tried, staff02 holds %v (%v)", roles, err)
	}
	var n int
	if err := fx.owner.QueryRow(t.Context(), `SELECT count(*) FROM people WHERE email = 'x@demo.test'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d people invited by those who may not (%v)", n, err)
	}
}

// The list shows each person's roles, last sign-in and two-factor, and
// finds people by name or e-mail address.
func TestPeopleList(t *testing.T) {
	fx := newConcernFixture(t)
	if _, err := fx.owner.Exec(t.Context(), `UPDATE people SET second_factor_at = now() WHERE email = 'dsl@demo.test'`); err != nil {
		t.Fatal(err)
	}
	c := fx.app.signIn(t, "admin@demo.test")
	body := html.UnescapeString(c.get("/people").Body)
	for _, want := range []string{"Invite a person", "Alex Admin", "admin@demo.test", "Last signed in", "Never signed in",
		"Two-factor sign-in set up", "No two-factor sign-in", "Designated Safeguarding Lead", "Active"} {
		if !strings.Contains(body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	found := html.UnescapeString(c.get("/people?q=DSL%40demo").Body)
	if !strings.Contains(found, "dsl@demo.test") || strings.Contains(found, "admin@demo.test") || !strings.Contains(found, "1 person matches") {
		t.Errorf("a search for the DSL's address:\n%s", found)
	}
	none := html.UnescapeString(c.get("/people?q=nobody-at-all").Body)
	if !strings.Contains(none, "No one matches “nobody-at-all”") || !strings.Contains(none, `value="nobody-at-all"`) {
		t.Error("a search that finds no one does not say so, with the search kept")
	}
}

// Inviting: every problem by its field with everything typed kept, a
// taken address refused, and an invitation whose link sets a password
// once, then sends the person to sign in; a used or unknown link gets a
// page saying what to do, not an error.
func TestInviteAndAccept(t *testing.T) {
	fx := newConcernFixture(t)
	admin := fx.app.signIn(t, "admin@demo.test")

	res := admin.post("/people/invite", url.Values{"email": {"not an address"}, "name": {""}, "job_title": {"Librarian"}})
	body := html.UnescapeString(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad invitation: status %d", res.StatusCode)
	}
	for _, want := range []string{"There is a problem", `href="#email"`, `href="#name"`, `href="#roles"`, "Enter an e-mail address in the correct format",
		"Enter their full name", "Select at least one role", `value="not an address"`, `value="Librarian"`, "<title>Error: "} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	res = admin.post("/people/invite", url.Values{"email": {"DSL@demo.test"}, "name": {"Someone Else"}, "roles": {"staff", "governor"}})
	body = html.UnescapeString(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "An account with the e-mail address DSL@demo.test already exists") ||
		!strings.Contains(body, `value="governor" checked`) {
		t.Errorf("a taken address: status %d\n%s", res.StatusCode, body)
	}

	res = admin.post("/people/invite", url.Values{"email": {"new.teacher@demo.test"}, "name": {"Nia Newcomer"}, "job_title": {"Teacher"}, "roles": {"staff"}})
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/people/\d+\?done=invited$`).MatchString(res.Header.Get("Location")) {
		t.Fatalf("invite: status %d, to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := html.UnescapeString(admin.get(res.Header.Get("Location")).Body)
	for _, want := range []string{"Invitation sent.", "Nia Newcomer", "Invited", "by Alex Admin", "Roles: Member of staff", "Send a new invitation", "Withdraw the invitation"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new person's page lacks %q", want)
		}
	}

	link := fx.invitationLink(t, "new.teacher@demo.test")
	visitor := fx.app.newClient(t)
	if got := visitor.get(link); got.StatusCode != http.StatusOK || !strings.Contains(got.Body, "Set your password") {
		t.Fatalf("the link: status %d", got.StatusCode)
	}
	for _, tc := range []struct{ password, confirm, want string }{
		{"", "", "Enter a password"},
		{"short", "short", "Password must be 12 characters or more"},
		{"passwordpassword", "passwordpassword", "stolen in data breaches"},
		{"a long enough passphrase", "a long enough passphrasf", "Enter the same password again"},
	} {
		res := visitor.post(link, url.Values{"password": {tc.password}, "confirm": {tc.confirm}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.Body), tc.want) {
			t.Errorf("password %q: status %d, want 422 with %q", tc.password, res.StatusCode, tc.want)
		}
	}
	res = visitor.post(link, url.Values{"password": {"a long enough passphrase"}, "confirm": {"a long enough passphrase"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?notice=password-set" {
		t.Fatalf("set the password: status %d, to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := visitor.get("/sign-in?notice=password-set"); !strings.Contains(got.Body, "Your password is set") {
		t.Error("the sign-in page does not say the password is set")
	}
	res = visitor.post("/sign-in", url.Values{"email": {"new.teacher@demo.test"}, "password": {"a long enough passphrase"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/home" {
		t.Fatalf("sign in: status %d, to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// Followed in a browser where the administrator is signed in, the
	// link warns that setting the password signs them out, and does.
	if res := admin.post("/people/invite", url.Values{"email": {"second@demo.test"}, "name": {"Sam Second"}, "roles": {"governor"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite a second person: status %d", res.StatusCode)
	}
	again := fx.invitationLink(t, "second@demo.test")
	if got := html.UnescapeString(admin.get(again).Body); !strings.Contains(got, "You are signed in as Alex Admin. Setting this password signs you out") {
		t.Error("the link does not warn the signed-in administrator")
	}
	if res := admin.post(again, url.Values{"password": {"yet another passphrase"}, "confirm": {"yet another passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set the password again: status %d", res.StatusCode)
	}
	if res := admin.get("/people"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("the administrator's browser after the link: status %d to %q, want signed out", res.StatusCode, res.Header.Get("Location"))
	}

	for _, l := range []string{link, "/invitation/NOTATOKEN"} {
		got := fx.app.newClient(t).get(l)
		if got.StatusCode != http.StatusNotFound || !strings.Contains(html.UnescapeString(got.Body), "Ask your school's Haven administrator to send you a new invitation") {
			t.Errorf("%s: status %d, want the page saying to ask for a new invitation", l, got.StatusCode)
		}
		if res := fx.app.newClient(t).post(l, url.Values{"password": {"another long passphrase"}, "confirm": {"another long passphrase"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", l, res.StatusCode)
		}
	}
}

// A person's page: roles changed and audited, with before and after, in
// their history; the last administrator kept; an administrator cannot
// deactivate themselves; a deactivated person's open session ends at its
// next request, and reactivating lets them sign in again.
func TestPersonPage(t *testing.T) {
	fx := newConcernFixture(t)
	admin := fx.app.signIn(t, "admin@demo.test")
	staff := fx.personID(t, "staff02@demo.test")
	person := fmt.Sprintf("/people/%d", staff)

	res := admin.post(person+"/roles", url.Values{"roles": {"staff", "deputy_dsl"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != person+"?done=roles" {
		t.Fatalf("change roles: status %d, to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := html.UnescapeString(admin.get(person + "?done=roles").Body)
	for _, want := range []string{"Roles saved.", "Roles changed", "by Alex Admin", "Before: Member of staff; after: Deputy Designated Safeguarding Lead, Member of staff",
		`value="deputy_dsl" checked`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page after a role change lacks %q", want)
		}
	}
	if res := admin.post(person+"/roles", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Select at least one role") {
		t.Errorf("no roles: status %d", res.StatusCode)
	}

	self := fmt.Sprintf("/people/%d", fx.personID(t, "admin@demo.test"))
	res = admin.post(self+"/roles", url.Values{"roles": {"staff"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "The school must keep at least one active administrator") {
		t.Errorf("the last administrator steps down: status %d", res.StatusCode)
	}
	selfPage := admin.get(self).Body
	if strings.Contains(selfPage, `action="`+self+`/deactivate"`) {
		t.Error("the administrator's own page offers to deactivate them")
	}
	if res := admin.post(self+"/deactivate", nil); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "You cannot deactivate your own account") {
		t.Errorf("deactivate oneself: status %d", res.StatusCode)
	}

	// The second factor's reset button shows only for someone with one.
	if strings.Contains(admin.get(person).Body, "Reset two-factor sign-in") {
		t.Error("a person with no second factor is offered a reset")
	}
	if err := twofactortest.Enrol(t.Context(), fx.owner, "staff02@demo.test"); err != nil {
		t.Fatal(err)
	}
	if p := admin.get(person).Body; !strings.Contains(p, `action="`+person+`/second-factor/reset"`) || !strings.Contains(p, "Reset two-factor sign-in") {
		t.Error("a person with a second factor is not offered a reset")
	}

	leaver := fx.app.signIn(t, "staff02@demo.test")
	if res := leaver.get("/my-concerns"); res.StatusCode != http.StatusOK {
		t.Fatalf("before: status %d", res.StatusCode)
	}
	if res := admin.post(person+"/deactivate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: status %d", res.StatusCode)
	}
	if res := leaver.get("/my-concerns"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("the leaver's open session: status %d to %q, want sent to sign in", res.StatusCode, res.Header.Get("Location"))
	}
	if res := fx.app.newClient(t).post("/sign-in", url.Values{"email": {"staff02@demo.test"}, "password": {demoPassword}}); res.StatusCode == http.StatusSeeOther {
		t.Error("the leaver signs in")
	}
	page = html.UnescapeString(admin.get(person + "?done=deactivated").Body)
	for _, want := range []string{"They have been signed out", "Deactivated", "Reactivate"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page after deactivating lacks %q", want)
		}
	}
	if res := admin.post(person+"/reactivate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: status %d", res.StatusCode)
	}
	fx.app.signIn(t, "staff02@demo.test")
	if res := admin.post(person+"/invitation/revoke", nil); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "There is no invitation waiting") {
		t.Errorf("withdraw an invitation that is not there: status %d", res.StatusCode)
	}
	if res := admin.get("/people/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such person: status %d", res.StatusCode)
	}
}

// The administrator manages people but never reads a concern, its
// chronology or a child's file: every such page is 404 to them, the
// concern's and the child's alike, whichever concern.
func TestAdministratorReadsNoConcern(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	var concerns, pupils []int64
	for _, year := range []int{7, 10} {
		p := fx.pupil(t, year).ID
		concerns, pupils = append(concerns, logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{p}})), append(pupils, p)
	}
	admin := fx.app.signIn(t, "admin@demo.test")
	dsl := fx.app.signIn(t, "dsl@demo.test")
	paths := []string{"/queue"}
	for i := range concerns {
		paths = append(paths, fmt.Sprintf("/concerns/%d", concerns[i]), fmt.Sprintf("/pupils/%d", pupils[i]))
	}
	for _, p := range paths {
		if res := admin.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("the administrator opens %s: status %d, want 404", p, res.StatusCode)
		}
		if res := dsl.get(p); res.StatusCode != http.StatusOK {
			t.Errorf("the DSL opens %s: status %d, want 200 (the page exists)", p, res.StatusCode)
		}
	}
}

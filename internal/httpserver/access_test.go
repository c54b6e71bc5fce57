package httpserver_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// The access matrix through HTTP, against the real server and database. The
// expectations are accesstest's, written out by hand once and not computed
// from safeguarding.Can; the rule in Go and the store check the same table.

// The matrix is accesstest's: its viewers and subjects are people of the
// demo school.
var (
	httpAccessSubjects = accesstest.Subjects
	httpAccessExpected = accesstest.Expected
)

// httpAccessEmails are the matrix's viewers by name.
var httpAccessEmails = accesstest.Emails()

// missingRecordID is an id no concern and no pupil has.
const missingRecordID = 999999999

// accessApp is the demo school served over HTTP with the matrix's viewers
// signed in.
type accessApp struct {
	*concernFixture
	clients map[string]*client
	viewers map[string]safeguarding.Viewer
	people  map[string]int64 // subject name → person id (0 for the pupil)
	pupilID int64
	// pupils are the pupils linked to the concerns of the subjects that
	// have one, by subject: each a pupil of their own.
	pupils map[string]int64
}

func newAccessApp(t *testing.T) *accessApp {
	t.Helper()
	a := &accessApp{concernFixture: newConcernFixture(t), clients: map[string]*client{}, viewers: map[string]safeguarding.Viewer{}, people: map[string]int64{}}
	for name, email := range httpAccessEmails {
		a.clients[name] = a.app.signIn(t, email)
		a.viewers[name] = a.viewer(t, email)
	}
	for _, s := range httpAccessSubjects {
		if s.Email != "" {
			a.people[s.Name] = a.viewer(t, s.Email).PersonID
		}
	}
	if err := a.owner.QueryRow(t.Context(), `SELECT min(id) FROM pupils`).Scan(&a.pupilID); err != nil {
		t.Fatal(err)
	}
	a.pupils = map[string]int64{"pupil": a.pupilID}
	for i, s := range httpAccessSubjects {
		if s.Pupil && s.Name != "pupil" {
			var id int64
			if err := a.owner.QueryRow(t.Context(), `SELECT id FROM pupils ORDER BY id OFFSET $1 LIMIT 1`, i).Scan(&id); err != nil {
				t.Fatal(err)
			}
			a.pupils[s.Name] = id
		}
	}
	return a
}

// logConcern files a concern about the named subject as the referrer,
// through the store: what is tested here is who sees it, not the form.
func (a *accessApp) logConcern(t *testing.T, subject string) int64 {
	t.Helper()
	in := safeguarding.ConcernInput{Categories: []string{"cse"}, WhatHappened: "Access matrix: a concern about the " + subject + ".", HappenedOn: time.Now()}
	s := accesstest.SubjectNamed(subject)
	if s.Person == "" {
		in.SubjectKind = safeguarding.SubjectPupils
	} else {
		in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, a.people[subject]
	}
	if s.Pupil {
		in.PupilIDs = []int64{a.pupils[subject]}
	}
	return logConcern(t, a.app.DB, a.viewers["referrer"], in)
}

// entries counts a concern's chronology entries, as the owner.
func (a *accessApp) entries(t *testing.T, id int64) (n int, status string) {
	t.Helper()
	err := a.owner.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM chronology_entries WHERE concern_id = $1), status FROM concerns WHERE id = $1`, id).
		Scan(&n, &status)
	if err != nil {
		t.Fatal(err)
	}
	return n, status
}

// nextPageLink finds a list page's link to the page after it.
var nextPageLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)

// fetchListPages fetches a list and every page after it; nil if c may not open it.
func fetchListPages(t *testing.T, c *client, path string) []string {
	t.Helper()
	var pages []string
	for range 500 {
		res := c.get(path)
		if res.StatusCode == http.StatusNotFound {
			return pages
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		pages = append(pages, res.Body)
		m := nextPageLink.FindStringSubmatch(res.Body)
		if m == nil {
			return pages
		}
		path = html.UnescapeString(m[1])
	}
	t.Fatalf("GET %s: more than 500 pages", path)
	return nil
}

// linksToConcern reports whether any of the pages links to the concern.
func linksToConcern(pages []string, id int64) bool {
	link := `/concerns/` + strconv.FormatInt(id, 10) + `"`
	for _, p := range pages {
		if strings.Contains(p, link) {
			return true
		}
	}
	return false
}

// firstLineDiff shows the first line at which two pages differ.
func firstLineDiff(was, is string) string {
	a, b := strings.Split(was, "\n"), strings.Split(is, "\n")
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("line %d was\n\t%s\nand is\n\t%s", i+1, strings.TrimSpace(x), strings.TrimSpace(y))
		}
	}
	return "no difference"
}

// checkLooksMissing fails unless res is the very page a missing record gives.
func checkLooksMissing(t *testing.T, what string, res, missing response) {
	t.Helper()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("%s: status %d, want 404", what, res.StatusCode)
		return
	}
	if missing.StatusCode != http.StatusNotFound || !strings.Contains(missing.Body, "Page not found") {
		t.Fatalf("%s: a missing record answered %d, want the 404 page", what, missing.StatusCode)
	}
	if res.Body != missing.Body {
		t.Errorf("%s: the 404 page differs from a missing record's: %s", what, firstLineDiff(missing.Body, res.Body))
	}
}

func TestAccessMatrixHTTP(t *testing.T) {
	for viewer := range httpAccessEmails {
		for _, s := range httpAccessSubjects {
			if _, ok := httpAccessExpected[[2]string{viewer, s.Name}]; !ok {
				t.Fatalf("the matrix has no row for the %s and a concern about the %s", viewer, s.Name)
			}
		}
	}
	ctx := context.Background()
	a := newAccessApp(t)
	concerns := map[string]int64{}
	for _, s := range httpAccessSubjects {
		concerns[s.Name] = a.logConcern(t, s.Name)
	}
	may := func(viewer, subject, letter string) bool {
		return strings.Contains(httpAccessExpected[[2]string{viewer, subject}], letter)
	}

	t.Run("list", func(t *testing.T) {
		for viewer, c := range a.clients {
			queue := append(fetchListPages(t, c, "/queue"), fetchListPages(t, c, "/queue?status=all")...)
			mine, home := fetchListPages(t, c, "/my-concerns"), fetchListPages(t, c, "/home")
			for _, s := range httpAccessSubjects {
				id, want := concerns[s.Name], may(viewer, s.Name, "L")
				name := fmt.Sprintf("%s, concern about the %s", viewer, s.Name)
				switch {
				case viewer == "referrer":
					if !linksToConcern(mine, id) {
						t.Errorf("%s: /my-concerns does not link to it", name)
					}
				case want:
					if !linksToConcern(queue, id) {
						t.Errorf("%s: /queue (%d pages) does not link to it", name, len(queue))
					}
				}
				for path, pages := range map[string][]string{"/queue": queue, "/my-concerns": mine, "/home": home} {
					if !want && linksToConcern(pages, id) {
						t.Errorf("%s: %s links to it", name, path)
					}
				}
			}
		}
	})

	t.Run("view", func(t *testing.T) {
		// The member of staff who logged it sees what they wrote, never
		// what the DSL decided; those who read the whole record do.
		const decision = "Refer to children's social care today"
		addEntry(t, a.app.DB, a.viewers["DSL"], concerns["pupil"], safeguarding.EntryInput{Kind: safeguarding.EntryDecision,
			Body: decision, Details: safeguarding.EntryDetails{Reason: "Several CSE indicators"}})
		for viewer, want := range map[string]bool{"referrer": false, "DSL": true, "deputy": true, "principal": true} {
			res := a.clients[viewer].get(fmt.Sprintf("/concerns/%d", concerns["pupil"]))
			if got := strings.Contains(res.Body, html.EscapeString(decision)); got != want {
				t.Errorf("%s, concern about the pupil: the page shows the DSL's decision = %v, want %v", viewer, got, want)
			}
		}
		for viewer, c := range a.clients {
			missing := c.get(fmt.Sprintf("/concerns/%d", missingRecordID))
			for _, s := range httpAccessSubjects {
				name := fmt.Sprintf("%s, concern about the %s", viewer, s.Name)
				res := c.get(fmt.Sprintf("/concerns/%d", concerns[s.Name]))
				if may(viewer, s.Name, "V") {
					if res.StatusCode != http.StatusOK {
						t.Errorf("%s: GET /concerns/{id} answered %d, want 200", name, res.StatusCode)
					}
					continue
				}
				checkLooksMissing(t, name+": GET /concerns/{id}", res, missing)
			}
		}
	})

	// Each case of a change gets a concern of its own, so that none
	// depends on another.
	type change struct {
		letter, kind, body string
		closed             bool // closed by a handler first
	}
	tryChange := func(t *testing.T, viewer, subject, closer string, ch change) {
		t.Helper()
		c := a.clients[viewer]
		name := fmt.Sprintf("%s, concern about the %s, %s entry", viewer, subject, ch.kind)
		id := a.logConcern(t, subject)
		if ch.closed {
			if err := a.app.DB.AddEntry(ctx, a.viewers[closer], id, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "Closed for the matrix"}); err != nil {
				t.Fatalf("%s closes the concern about the %s: %v", closer, subject, err)
			}
		}
		form := url.Values{"kind": {ch.kind}, "body": {ch.body}}
		if ch.letter == "A" {
			// Keeping the entry as it is typed (entry_draft.go) follows the
			// same rule as adding it.
			draftPath := fmt.Sprintf("/concerns/%d/entries/draft", id)
			res := c.post(draftPath, form)
			if may(viewer, subject, "A") {
				if res.StatusCode != http.StatusNoContent {
					t.Errorf("%s: POST %s answered %d, want 204", name, draftPath, res.StatusCode)
				}
			} else {
				checkLooksMissing(t, name+": POST /concerns/{id}/entries/draft", res, c.post(fmt.Sprintf("/concerns/%d/entries/draft", missingRecordID), form))
			}
		}
		before, status := a.entries(t, id)
		res := c.post(fmt.Sprintf("/concerns/%d/entries", id), form)
		after, statusAfter := a.entries(t, id)
		if may(viewer, subject, ch.letter) {
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: POST answered %d, want 303", name, res.StatusCode)
			} else if after != before+1 {
				t.Errorf("%s: %d entries after, %d before", name, after, before)
			}
			return
		}
		checkLooksMissing(t, name+": POST /concerns/{id}/entries", res, c.post(fmt.Sprintf("/concerns/%d/entries", missingRecordID), form))
		if after != before || statusAfter != status {
			t.Errorf("%s: refused, yet the concern changed: %d → %d entries, status %s → %s", name, before, after, status, statusAfter)
		}
	}
	changes := map[string]func(viewer string) change{
		"add entry": func(viewer string) change {
			if viewer == "referrer" {
				return change{letter: "A", kind: "further_information", body: "She was picked up again today."}
			}
			return change{letter: "A", kind: "action", body: "Spoke to the form tutor."}
		},
		"triage": func(string) change { return change{letter: "T", kind: "acknowledged"} },
		"close": func(string) change {
			return change{letter: "C", kind: "closed", body: "No further action: the worry was explained."}
		},
		"reopen": func(string) change {
			return change{letter: "R", kind: "reopened", body: "New information from the form tutor.", closed: true}
		},
	}
	for action, changeFor := range changes {
		t.Run(action, func(t *testing.T) {
			for viewer := range a.clients {
				for _, s := range httpAccessSubjects {
					tryChange(t, viewer, s.Name, s.Closer, changeFor(viewer))
				}
			}
		})
	}

	t.Run("move", func(t *testing.T) {
		form := url.Values{"move-subject": {"other_adult"}, "move-adult-name": {"Someone else"}, "move-reason": {"Misnamed"}}
		for viewer, c := range a.clients {
			for _, s := range httpAccessSubjects {
				name := fmt.Sprintf("%s, concern about the %s, move", viewer, s.Name)
				id := a.logConcern(t, s.Name)
				before, _ := a.entries(t, id)
				page := c.get(fmt.Sprintf("/concerns/%d/move", id))
				res := c.post(fmt.Sprintf("/concerns/%d/move", id), form)
				after, _ := a.entries(t, id)
				if may(viewer, s.Name, "M") {
					if page.StatusCode != http.StatusOK || res.StatusCode != http.StatusSeeOther || after != before+1 {
						t.Errorf("%s: GET %d, POST %d, %d → %d entries; want 200, 303 and one entry more", name, page.StatusCode, res.StatusCode, before, after)
					}
					continue
				}
				checkLooksMissing(t, name+": GET", page, c.get(fmt.Sprintf("/concerns/%d/move", missingRecordID)))
				checkLooksMissing(t, name+": POST", res, c.post(fmt.Sprintf("/concerns/%d/move", missingRecordID), form))
				if after != before {
					t.Errorf("%s: refused, yet %d → %d entries", name, before, after)
				}
			}
		}
	})

	t.Run("record parts", func(t *testing.T) {
		// A concern logged before each pupil's part was recorded: its case
		// handlers (who triage it) record the part; to anyone else the form
		// does not exist and nothing changes.
		for viewer, c := range a.clients {
			for _, s := range httpAccessSubjects {
				if !s.Pupil {
					continue
				}
				name := fmt.Sprintf("%s, concern about the %s, record parts", viewer, s.Name)
				id := a.logConcern(t, s.Name)
				if _, err := a.owner.Exec(t.Context(), `UPDATE concern_pupils SET part = 'not_recorded' WHERE concern_id = $1`, id); err != nil {
					t.Fatal(err)
				}
				form := url.Values{fmt.Sprintf("child-%d-part", a.pupils[s.Name]): {"witness"}}
				before, _ := a.entries(t, id)
				page := c.get(fmt.Sprintf("/concerns/%d/parts", id))
				res := c.post(fmt.Sprintf("/concerns/%d/parts", id), form)
				after, _ := a.entries(t, id)
				if may(viewer, s.Name, "T") {
					if page.StatusCode != http.StatusOK || res.StatusCode != http.StatusSeeOther || after != before+1 {
						t.Errorf("%s: GET %d, POST %d, %d → %d entries; want 200, 303 and one entry more", name, page.StatusCode, res.StatusCode, before, after)
					}
					continue
				}
				checkLooksMissing(t, name+": GET", page, c.get(fmt.Sprintf("/concerns/%d/parts", missingRecordID)))
				checkLooksMissing(t, name+": POST", res, c.post(fmt.Sprintf("/concerns/%d/parts", missingRecordID), form))
				if after != before {
					t.Errorf("%s: refused, yet %d → %d entries", name, before, after)
				}
			}
		}
	})

	t.Run("view child file", func(t *testing.T) {
		// Each pupil linked to a concern, on their own page: the concern is
		// there for those who read it in full; for everyone else the page
		// shows nothing of it, or (for those who open a child's file only
		// for the concerns they read) does not exist.
		for _, s := range httpAccessSubjects {
			if !s.Pupil {
				continue
			}
			id, pupil := concerns[s.Name], a.pupils[s.Name]
			for viewer, c := range a.clients {
				name := fmt.Sprintf("%s, the page of the pupil of the concern about the %s", viewer, s.Name)
				res := c.get(fmt.Sprintf("/pupils/%d", pupil))
				opens := may(viewer, s.Name, "F") || may(viewer, "pupil", "F")
				if !opens {
					checkLooksMissing(t, name, res, c.get(fmt.Sprintf("/pupils/%d", missingRecordID)))
					continue
				}
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d, want 200", name, res.StatusCode)
					continue
				}
				if got, want := linksToConcern([]string{res.Body}, id), may(viewer, s.Name, "F"); got != want {
					t.Errorf("%s: links to the concern = %v, want %v", name, got, want)
				}
				for _, other := range httpAccessSubjects {
					if other.Name != s.Name && linksToConcern([]string{res.Body}, concerns[other.Name]) {
						t.Errorf("%s: links to the concern about the %s", name, other.Name)
					}
				}
			}
		}
	})
}

// pageNoise matches what may differ between two loads of the same page
// without saying anything about the concerns behind it: one-time tokens,
// and the queue's ages, which move on with the clock ("just now" becomes
// "1 min ago").
var pageNoise = regexp.MustCompile(`(?i)(name="(csrf|token|submission_token)[^"]*" value=")[^"]*"|nonce="[^"]*"|just now|\d+ (min|h|days?) ago`)

// blindViews matches the lines of a child's file's "who has opened this
// file" that the comparison's own loads add: views by the principal, the
// DSL and the deputy. Anyone else's view (the chair's) is kept, and would
// tell of the concern about the principal.
var blindViews = regexp.MustCompile(`<tr class="govuk-table__row"><td class="govuk-table__cell">[^<]*</td><td class="govuk-table__cell"><bdi>(Pat Principal|Dana Lead|Dev Deputy)</bdi></td></tr>`)

// The principal cannot tell that a concern about them exists: their lists
// and home page read the same before it is logged and after, however it is
// worked. Nor can the DSL or a deputy, who do not see it either.
func TestAccessPrincipalCannotTellConcernAboutThemExists(t *testing.T) {
	a := newAccessApp(t)
	// Something on every list, so that the pages are not trivially empty.
	var others []int64
	for _, s := range []string{"pupil", "staff", "DSL"} {
		others = append(others, a.logConcern(t, s))
	}
	for _, viewer := range []string{"principal", "DSL", "deputy"} {
		logConcern(t, a.app.DB, a.viewers[viewer], safeguarding.ConcernInput{
			SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{a.pupilID}, Categories: []string{"cse"},
			WhatHappened: "Logged by the " + viewer + ".", HappenedOn: time.Now()})
	}

	blind := []string{"principal", "DSL", "deputy"}
	// The pupil the allegation involves: their page, and the queue by their
	// year group, read the same too.
	var year int
	child := a.pupils["principal, with a child"]
	if err := a.owner.QueryRow(t.Context(), `SELECT year_group FROM pupils WHERE id = $1`, child).Scan(&year); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/home", "/my-concerns", "/queue", "/queue?status=all", "/queue?status=new", "/queue?status=acknowledged",
		"/queue?status=all&category=cse", fmt.Sprintf("/pupils/%d", child), fmt.Sprintf("/pupils/%d?all=1", child),
		fmt.Sprintf("/queue?status=all&year=%d", year)}
	snapshot := func(viewer string) map[string]string {
		out := map[string]string{}
		for _, path := range paths {
			pages := fetchListPages(t, a.clients[viewer], path)
			if len(pages) == 0 {
				t.Fatalf("the %s may not open %s", viewer, path)
			}
			out[path] = blindViews.ReplaceAllString(pageNoise.ReplaceAllString(strings.Join(pages, "\n"), "$1"), "")
		}
		return out
	}
	before := map[string]map[string]string{}
	for _, viewer := range blind {
		before[viewer] = snapshot(viewer)
	}
	if shown := []string{before["principal"]["/queue"]}; !linksToConcern(shown, others[0]) || !linksToConcern(shown, others[2]) {
		t.Fatal("the principal's queue does not show the concerns they read and handle; the comparison would prove nothing")
	}

	id := a.logConcern(t, "principal, with a child")
	chair := a.viewers["chair"]
	for _, in := range []safeguarding.EntryInput{
		{Kind: safeguarding.EntryAcknowledged},
		{Kind: safeguarding.EntryDecision, Body: "Refer to the LADO", Details: safeguarding.EntryDetails{Reason: "Allegation meets the harm threshold"}},
	} {
		addEntry(t, a.app.DB, chair, id, in)
	}
	// The concern is on a list: the chair's.
	if !linksToConcern(fetchListPages(t, a.clients["chair"], "/queue"), id) {
		t.Fatal("the chair's queue does not show the concern about the principal")
	}
	// And on the pupil's page: the chair's.
	if !linksToConcern(fetchListPages(t, a.clients["chair"], fmt.Sprintf("/pupils/%d", child)), id) {
		t.Fatal("the pupil's page does not show the chair the concern about the principal")
	}

	for _, viewer := range blind {
		after := snapshot(viewer)
		for _, path := range paths {
			if after[path] != before[viewer][path] {
				t.Errorf("the %s's %s changed after a concern about the principal was logged: %s",
					viewer, path, firstLineDiff(before[viewer][path], after[path]))
			}
		}
	}
}

package httpserver_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

var (
	titleText   = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	recordLinks = regexp.MustCompile(`href="(/(?:concerns|pupils)/\d+)"`)
)

// No page's <title> carries the name of a pupil, a member of staff or an
// adult a concern is about: a browser shows titles in its tabs, history and
// bookmarks, to whoever is looking. Each of the DSL, the principal and the
// chair walks their main pages and every concern and child's file the queue
// links to.
func TestTitlesNameNoOne(t *testing.T) {
	f := newConcernFixture(t)
	staffV := f.viewer(t, "staff@demo.test")
	logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectOtherAdult,
		SubjectAdultName: "Wendell Outsider", SubjectAdultRole: "visitor", Categories: []string{"physical_abuse"}})
	logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff,
		SubjectPersonID: f.viewer(t, "principal@demo.test").PersonID, Categories: []string{"physical_abuse"}})
	logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{PupilIDs: []int64{f.pupil(t, 9).ID, f.pupil(t, 10).ID}})

	// Every name on the roster, and every adult a concern names, word by word.
	names := map[string]bool{}
	rows, err := f.owner.Query(t.Context(), `SELECT first_name || ' ' || last_name FROM pupils
		UNION ALL SELECT full_name FROM people UNION ALL SELECT subject_adult_name FROM concerns`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		for _, w := range strings.Fields(name) {
			names[w] = true
		}
	}
	if rows.Close(); rows.Err() != nil || !names["Wendell"] || !names["Principal"] || len(names) < 50 {
		t.Fatalf("the roster's names (err %v): %d words", rows.Err(), len(names))
	}

	for _, email := range []string{"dsl@demo.test", "principal@demo.test", "chair@demo.test"} {
		c := f.app.signIn(t, email)
		// The main pages (those a role has), then every concern and child's
		// file they link to, and those these link to, up to 60 records.
		paths := []string{"/home", "/queue", "/queue?status=all", "/my-concerns", "/concerns/new"}
		seen := map[string]bool{}
		records := 0
		for i := 0; i < len(paths); i++ {
			path := paths[i]
			res := c.get(path)
			if res.StatusCode == http.StatusNotFound && i < 5 {
				continue // a page this role does not have
			}
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: GET %s: status %d", email, path, res.StatusCode)
				continue
			}
			m := titleText.FindStringSubmatch(res.Body)
			if m == nil {
				t.Errorf("%s: GET %s: no title", email, path)
				continue
			}
			title := html.UnescapeString(m[1])
			for _, w := range strings.FieldsFunc(title, func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' }) {
				if names[w] {
					t.Errorf("%s: GET %s: the title %q names someone (%q)", email, path, title, w)
				}
			}
			for _, link := range recordLinks.FindAllStringSubmatch(res.Body, -1) {
				if !seen[link[1]] && records < 60 {
					seen[link[1]] = true
					records++
					paths = append(paths, link[1])
				}
			}
		}
		if records == 0 {
			t.Errorf("%s: no page links to a concern or a child's file", email)
		}
		if email == "dsl@demo.test" && !slices.ContainsFunc(paths, func(p string) bool { return strings.HasPrefix(p, "/pupils/") }) {
			t.Errorf("%s: no page links to a child's file", email)
		}
	}
}

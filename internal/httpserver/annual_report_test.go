package httpserver_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/report"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// mayReadReport is who opens the annual report, written out by hand in
// the access matrix.
var mayReadReport = accesstest.ReadsAnnualReport

// mainContent is the page's <main>, without the header that names the
// person signed in.
func mainContent(t *testing.T, body string) string {
	t.Helper()
	start, end := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if start < 0 || end < start {
		t.Fatalf("no <main> in %.300q", body)
	}
	return body[start:end]
}

func TestAnnualReportPage(t *testing.T) {
	f := newConcernFixture(t)
	// The demo school's past, as `make run` loads it: this academic year
	// and the last.
	if err := demo.PlanHistory(time.Now()).Load(t.Context(), f.app.DB, f.app.Demo); err != nil {
		t.Fatal(err)
	}

	t.Run("WhoOpensIt", func(t *testing.T) {
		for _, v := range accesstest.Viewers {
			res := f.app.signIn(t, v.Email).get("/reports/annual")
			want := http.StatusNotFound
			if mayReadReport[v.Name] {
				want = http.StatusOK
			}
			if res.StatusCode != want {
				t.Errorf("%s opens the annual report: status %d, want %d", v.Name, res.StatusCode, want)
			}
			home := f.app.signIn(t, v.Email).get("/home")
			if links := strings.Contains(home.Body, `href="/reports/annual"`); links != mayReadReport[v.Name] {
				t.Errorf("%s's home links to the annual report: %v", v.Name, links)
			}
		}
	})

	gov := f.app.signIn(t, "governor@demo.test")
	t.Run("LastCompleteYearByDefault", func(t *testing.T) {
		res := gov.get("/reports/annual")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		for _, want := range []string{"Concerns by category", "Concerns by month", "CSE indicators recorded", "Referrals by agency",
			"Timeliness", "by year group", "Staff safeguarding training", "Safeguarding policies", "Urgent concerns acknowledged within"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the report has no %q", want)
			}
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
		}
		selected := regexp.MustCompile(`<option value="(\d+)" selected`).FindStringSubmatch(res.Body)
		if selected == nil {
			t.Fatal("no year is chosen in the year chooser")
		}
		// The demo history covers this year and the last: last year's is the one shown.
		other := gov.get("/reports/annual?year=" + selected[1])
		if other.StatusCode != http.StatusOK {
			t.Errorf("the chosen year again: status %d", other.StatusCode)
		}
	})

	t.Run("Downloads", func(t *testing.T) {
		page := gov.get("/reports/annual").Body
		for _, d := range []struct{ link, contentType, start, ext string }{
			{"/reports/annual.pdf?year=", "application/pdf", "%PDF-", ".pdf"},
			{"/reports/annual.csv?year=", "text/csv; charset=utf-8", "\ufeffSection,Table,Row,", ".csv"},
		} {
			link := regexp.MustCompile(regexp.QuoteMeta(d.link) + `\d+`).FindString(page)
			if link == "" {
				t.Errorf("the page has no link to %s", d.link)
				continue
			}
			res := gov.get(link)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != d.contentType || !strings.HasPrefix(res.Body, d.start) {
				t.Errorf("GET %s: status %d, %s, starting %q", link, res.StatusCode, res.Header.Get("Content-Type"), res.Body[:min(len(res.Body), 20)])
			}
			if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, d.ext) {
				t.Errorf("GET %s: Content-Disposition %q", link, cd)
			}
			if res := f.app.signIn(t, "staff@demo.test").get(link); res.StatusCode != http.StatusNotFound {
				t.Errorf("a member of staff downloads %s: status %d, want 404", link, res.StatusCode)
			}
		}
	})

	t.Run("AYearWithoutFiguresIsNotFound", func(t *testing.T) {
		for _, y := range []string{"1990", "x", "2025'"} {
			if res := gov.get("/reports/annual?year=" + y); res.StatusCode != http.StatusNotFound {
				t.Errorf("?year=%s: status %d, want 404", y, res.StatusCode)
			}
		}
	})

	t.Run("NoNameAnywhere", func(t *testing.T) {
		var names []string
		rows, err := f.owner.Query(t.Context(), `SELECT first_name || ' ' || last_name FROM pupils
			UNION SELECT coalesce(nullif(preferred_first_name, ''), first_name) || ' ' || coalesce(nullif(preferred_last_name, ''), last_name) FROM pupils
			UNION SELECT last_name FROM pupils WHERE length(last_name) > 3
			UNION SELECT full_name FROM people UNION SELECT known_as FROM people WHERE known_as <> ''`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		if err := rows.Err(); err != nil || len(names) < 50 {
			t.Fatalf("read %d names: %v", len(names), err)
		}
		for _, path := range []string{"/reports/annual", "/reports/annual?year=" + fmt.Sprint(report.YearOf(time.Now()).Start)} {
			res := gov.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, res.StatusCode)
			}
			body := mainContent(t, res.Body)
			if csv := gov.get(strings.Replace(path, "/reports/annual", "/reports/annual.csv", 1)); csv.StatusCode != http.StatusOK {
				t.Fatalf("the CSV of %s: status %d", path, csv.StatusCode)
			} else {
				body += csv.Body
			}
			for _, n := range names {
				if regexp.MustCompile(`\b` + regexp.QuoteMeta(n) + `\b`).MatchString(body) {
					t.Errorf("GET %s shows the name %q", path, n)
				}
			}
		}
	})

	t.Run("GovernorSeesNoConcernChildOrQueue", func(t *testing.T) {
		var paths []string
		rows, err := f.owner.Query(t.Context(), `SELECT '/concerns/' || id FROM concerns
			UNION ALL SELECT '/concerns/' || id || '/logged' FROM concerns
			UNION ALL SELECT '/concerns/' || id || '/move' FROM concerns
			UNION ALL SELECT '/concerns/' || id || '/parts' FROM concerns
			UNION ALL SELECT '/pupils/' || id FROM pupils`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		if rows.Err() != nil || len(paths) < 100 {
			t.Fatalf("%d paths: %v", len(paths), rows.Err())
		}
		paths = append(paths, "/queue", "/queue?status=closed", "/my-concerns", "/concerns/new")
		for _, p := range paths {
			if res := gov.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("the governor opens %s: status %d, want 404", p, res.StatusCode)
			}
		}
	})
}

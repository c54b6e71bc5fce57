package httpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// hostilePayloads are what an attacker, a careless paste or a broken client
// might put in a free-text field.
var hostilePayloads = []struct{ name, value string }{
	{"script", `<script>alert(1)</script>`},
	{"attribute", `"><img src=x onerror=alert(1)>`},
	{"textarea", `</textarea><script>alert(2)</script><textarea>`},
	{"entities", `&lt;b&gt; &amp; &#60;script&#62; &quot;`},
	{"sql-drop", `'; DROP TABLE concerns; --`},
	{"sql-delete", `Robert'); DELETE FROM pupils;--`},
	{"sql-like", `%_\' OR '1'='1' --`},
	{"nul", "before\x00after"},
	{"controls", "bell\a esc\x1b[31m vt\v ff\f bs\b del\x7f nel\u0085 end"},
	{"rtl-override", "harmless\u202etxt.exe\u202c"},
	{"emoji", "élève Émilie 👩\u200d👧 said 😢 🏳️\u200d🌈 Zoë ñ ǆ"},
	{"long", strings.Repeat("He said it again. ", 556)[:10000]},
	{"crlf", "line one\r\nSet-Cookie: haven_evil=1\r\n\r\n<h1>injected</h1>"},
	{"not-utf8", "caf\xe9 \xff\xfe end"},
	{"separators", "one\u2028two\u2029three"},
}

// keptText is what Haven documents it keeps of typed text (cleanText in
// text.go): bytes that are not UTF-8 become U+FFFD and control characters
// other than tab, line feed and carriage return are dropped. Everything
// else is kept byte for byte.
func keptText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hostileChecker checks each response to hostile input.
type hostileChecker struct {
	t *testing.T
}

// status fails unless res has one of the statuses.
func (h hostileChecker) status(what string, res response, want ...int) {
	h.t.Helper()
	for _, w := range want {
		if res.StatusCode == w {
			h.headers(what, res)
			if !utf8.ValidString(res.Body) {
				h.t.Errorf("%s: the page is not valid UTF-8", what)
			}
			return
		}
	}
	h.t.Errorf("%s: status %d, want %v: %s", what, res.StatusCode, want, pageTitle(res.Body))
}

var titlePattern = regexp.MustCompile(`<title>([^<]*)</title>`)

// pageTitle is a page's title, enough to tell which page it is.
func pageTitle(body string) string {
	if m := titlePattern.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return fmt.Sprintf("%.200q", body)
}

// headers fails if a response header carries an injected line: a header
// or cookie named by a payload, a second Location, or a raw CR or LF.
func (h hostileChecker) headers(what string, res response) {
	h.t.Helper()
	for name, values := range res.Header {
		for _, v := range values {
			if strings.Contains(strings.ToLower(name), "haven_evil") || strings.ContainsAny(v, "\r\n") ||
				(name == "Set-Cookie" && strings.Contains(v, "haven_evil")) {
				h.t.Errorf("%s: injected header %s: %q", what, name, v)
			}
		}
	}
	if n := len(res.Header.Values("Location")); n > 1 {
		h.t.Errorf("%s: %d Location headers", what, n)
	}
}

// escaped fails unless every line of value is on the page, HTML-escaped,
// and no line holding markup appears raw.
func (h hostileChecker) escaped(what, body, value string) {
	h.t.Helper()
	for _, line := range strings.Split(value, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.Contains(body, html.EscapeString(line)) {
			h.t.Errorf("%s: the page does not show %.80q escaped", what, line)
		}
		if strings.ContainsAny(line, `<>"'&`) && strings.Contains(body, line) {
			h.t.Errorf("%s: the page holds %.80q unescaped", what, line)
		}
	}
	for _, raw := range []string{"<script>alert", "<img src=x", "<h1>injected", "</textarea><script", "<textarea>\n<"} {
		if strings.Contains(body, raw) {
			h.t.Errorf("%s: the page holds raw markup %q", what, raw)
		}
	}
}

// same fails unless got is exactly want.
func (h hostileChecker) same(what, got, want string) {
	h.t.Helper()
	if got != want {
		h.t.Errorf("%s: stored %.120q, want %.120q", what, got, want)
	}
}

type hostileApp struct {
	*concernFixture
	check hostileChecker
}

// counts are the rows of the tables hostile input might damage.
func (a *hostileApp) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"schools", "people", "person_roles", "pupils", "concerns", "concern_pupils", "chronology_entries", "concern_drafts", "categories", "cse_indicators"} {
		out[table] = a.count(t, `SELECT count(*) FROM `+table)
	}
	return out
}

// hostileConcern is a complete concern about another adult, so that every
// free-text field of the form, the adult's name and role included, is used.
func hostileConcern(hidden url.Values) url.Values {
	yesterday := time.Now().AddDate(0, 0, -1)
	return url.Values{
		"token":          {hidden.Get("token")},
		"author":         {hidden.Get("author")},
		"subject":        {"other_adult"},
		"adult-name":     {"A visitor"},
		"adult-role":     {"visitor"},
		"category":       {"neglect"},
		"what-happened":  {"Seen at the gate."},
		"childs-words":   {"I don't like him."},
		"happened-day":   {strconv.Itoa(yesterday.Day())},
		"happened-month": {strconv.Itoa(int(yesterday.Month()))},
		"happened-year":  {strconv.Itoa(yesterday.Year())},
		"happened-time":  {"14:30"},
		"location":       {"Main gates"},
		"others-told":    {"Form tutor"},
		"actions-taken":  {"None yet"},
		"urgent":         {"no"},
	}
}

// concernTextFields are the concern form's free-text fields: the column
// each is stored in, whether the store keeps it trimmed, its limit, and
// the draft's name for it.
var concernTextFields = []struct {
	field, column, draft string
	trimmed              bool
	max                  int // characters; 0 for a field that is not free text (the time)
}{
	{"what-happened", "what_happened", "WhatHappened", true, 20000},
	{"childs-words", "childs_words", "ChildsWords", false, 20000},
	{"location", "location", "Location", true, 500},
	{"others-told", "others_told", "OthersTold", true, 5000},
	{"actions-taken", "actions_taken", "ActionsTaken", true, 5000},
	{"adult-name", "subject_adult_name", "AdultName", true, 200},
	{"adult-role", "subject_adult_role", "AdultRole", true, 100},
	{"happened-time", "happened_time", "HappenedTime", true, 0},
}

// TestHostileInput posts script, HTML, SQL and control-character payloads
// into every free-text field of every form, and checks that each answer is
// a redirect or a form with errors (never a server error), that the pages
// showing the value back escape it, that the database holds it byte for
// byte (apart from the documented cleaning of control characters), that no
// response header carries an injected line, and that the database is
// intact afterwards.
func TestHostileInput(t *testing.T) {
	a := &hostileApp{concernFixture: newConcernFixture(t), check: hostileChecker{t}}
	ctx := t.Context()
	before := a.counts(t)
	staff := a.app.signIn(t, "staff@demo.test")
	dsl := a.app.signIn(t, "dsl@demo.test")
	staffID := a.viewer(t, "staff@demo.test").PersonID
	concernsLogged, entriesAdded := 0, 0

	t.Run("ConcernForm", func(t *testing.T) {
		check := hostileChecker{t}
		for _, field := range concernTextFields {
			for _, p := range hostilePayloads {
				what := field.field + " " + p.name
				form := hostileConcern(openForm(t, staff))
				form.Set(field.field, p.value)
				res := staff.post("/concerns", form)
				kept := keptText(p.value)
				stored := kept
				if field.trimmed {
					stored = strings.TrimSpace(kept)
				}
				if field.max == 0 || len([]rune(stored)) > field.max {
					// The time is not a time, or the text is too long:
					// the form comes back with the value as typed.
					check.status(what, res, http.StatusUnprocessableEntity)
					check.escaped(what, res.Body, kept)
					var draft string
					if err := a.owner.QueryRow(ctx, `SELECT form->>$1 FROM concern_drafts WHERE person_id = $2`, field.draft, staffID).Scan(&draft); err != nil {
						t.Errorf("%s: the draft was not kept: %v", what, err)
					}
					check.same(what+" (draft)", draft, kept)
					continue
				}
				check.status(what, res, http.StatusSeeOther)
				if res.StatusCode != http.StatusSeeOther {
					continue
				}
				concernsLogged++
				id := loggedID(t, res)
				var got string
				if err := a.owner.QueryRow(ctx, `SELECT `+field.column+` FROM concerns WHERE id = $1`, id).Scan(&got); err != nil {
					t.Fatal(err)
				}
				check.same(what, got, stored)
				page := staff.get("/concerns/" + strconv.FormatInt(id, 10))
				check.status(what+" (page)", page, http.StatusOK)
				shown := stored
				if field.field == "adult-role" { // shown as a note with a capital letter
					r := []rune(stored)
					shown = strings.ToUpper(string(r[:1])) + string(r[1:])
				}
				check.escaped(what+" (page)", page.Body, shown)
			}
		}
	})

	t.Run("PupilSearch", func(t *testing.T) {
		check := hostileChecker{t}
		for _, p := range hostilePayloads {
			what := "pupil-query " + p.name
			form := openForm(t, staff)
			form.Set("action", "find")
			form.Set("subject", "pupils")
			form.Set("pupil-query", p.value)
			res := staff.post("/concerns", form)
			check.status(what, res, http.StatusOK)
			kept := keptText(p.value)
			check.escaped(what, res.Body, kept)
			var draft string
			if err := a.owner.QueryRow(ctx, `SELECT form->>'PupilQuery' FROM concern_drafts WHERE person_id = $1`, staffID).Scan(&draft); err != nil {
				t.Fatalf("%s: the draft was not kept: %v", what, err)
			}
			check.same(what+" (draft)", draft, kept)
		}
		// A search for nothing in particular finds nobody, however it is spelt.
		for _, q := range []string{"%", "_", `\`, "%%", "%_%"} {
			form := openForm(t, staff)
			form.Set("action", "find")
			form.Set("pupil-query", q)
			res := staff.post("/concerns", form)
			check.status("pupil-query "+q, res, http.StatusOK)
			if !strings.Contains(res.Body, "No pupils found") {
				t.Errorf("a search for %q found pupils: LIKE wildcards are not escaped", q)
			}
		}
	})

	// One concern about a child, handled by the DSL, receives every entry.
	concern := triageLog(t, a.app.DB, a.viewer(t, "staff@demo.test"), safeguarding.ConcernInput{
		PupilIDs: []int64{a.pupil(t, 9).ID}, WhatHappened: "Came to school hungry again."})
	concernsLogged++
	concernPath := "/concerns/" + strconv.FormatInt(concern, 10)
	var firstEntry int64
	if err := a.owner.QueryRow(ctx, `SELECT min(id) FROM chronology_entries WHERE concern_id = $1`, concern).Scan(&firstEntry); err != nil {
		t.Fatal(err)
	}

	t.Run("EntryForms", func(t *testing.T) {
		check := hostileChecker{t}
		yesterday := time.Now().AddDate(0, 0, -1)
		for _, p := range hostilePayloads {
			kept := keptText(p.value)
			stored := strings.TrimSpace(kept)
			tooLong := len([]rune(stored)) > 5000 // the limit of every field but the body
			forms := []struct {
				c      *client
				values url.Values
				fields []string // the free-text fields filled with the payload
			}{
				{dsl, url.Values{"kind": {"action"}}, []string{"body"}},
				{dsl, url.Values{"kind": {"conversation_with_child"}}, []string{"body"}},
				{dsl, url.Values{"kind": {"contact_with_parents"}, "safe_to_tell": {"yes"}}, []string{"body", "judgement"}},
				{dsl, url.Values{"kind": {"decision"}}, []string{"body", "reason"}},
				{dsl, url.Values{"kind": {"referral"}, "agency": {"other"}, "referred_on-day": {strconv.Itoa(yesterday.Day())},
					"referred_on-month": {strconv.Itoa(int(yesterday.Month()))}, "referred_on-year": {strconv.Itoa(yesterday.Year())}},
					[]string{"body", "agency_other", "reference"}},
				{dsl, url.Values{"kind": {"feedback"}}, []string{"body"}},
				{dsl, url.Values{"kind": {"outcome"}}, []string{"body"}},
				{dsl, url.Values{"kind": {"correction"}, "corrects": {strconv.FormatInt(firstEntry, 10)}}, []string{"body"}},
				{staff, url.Values{"kind": {"further_information"}}, []string{"body"}},
				{dsl, url.Values{"kind": {"closed"}, "no_response_reason": {"The agency answers by letter."}}, []string{"body"}},
				{dsl, url.Values{"kind": {"reopened"}}, []string{"body"}},
			}
			for _, f := range forms {
				kind := f.values.Get("kind")
				what := kind + " " + p.name
				long := false
				for _, name := range f.fields {
					f.values.Set(name, p.value)
					long = long || (name != "body" && tooLong)
				}
				res := f.c.post(concernPath+"/entries", f.values)
				if long {
					check.status(what, res, http.StatusUnprocessableEntity)
					check.escaped(what, res.Body, kept)
					continue
				}
				check.status(what, res, http.StatusSeeOther)
				if res.StatusCode != http.StatusSeeOther {
					continue
				}
				entriesAdded++
				var body string
				var raw []byte
				err := a.owner.QueryRow(ctx, `SELECT body, details FROM chronology_entries WHERE concern_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`,
					concern, kind).Scan(&body, &raw)
				if err != nil {
					t.Fatal(err)
				}
				var d safeguarding.EntryDetails
				if err := json.Unmarshal(raw, &d); err != nil {
					t.Fatal(err)
				}
				got := map[string]string{"body": body, "judgement": d.Judgement, "reason": d.Reason, "agency_other": d.AgencyOther, "reference": d.Reference}
				for _, name := range f.fields {
					check.same(what+" "+name, got[name], stored)
				}
			}
			page := dsl.get(concernPath)
			check.status(p.name+" (concern page)", page, http.StatusOK)
			check.escaped(p.name+" (concern page)", page.Body, stored)
			mine := staff.get(concernPath)
			check.status(p.name+" (concern page, referrer)", mine, http.StatusOK)
			check.escaped(p.name+" (concern page, referrer)", mine.Body, stored) // the feedback and further information
		}
	})

	t.Run("SignIn", func(t *testing.T) {
		check := hostileChecker{t}
		for _, p := range hostilePayloads {
			what := "email " + p.name
			// Each payload is a first attempt: throttling is TestSignInDelaysGrow's.
			if _, err := a.owner.Exec(ctx, `DELETE FROM sign_in_failures`); err != nil {
				t.Fatal(err)
			}
			c := a.app.newClient(t)
			res := c.post("/sign-in", url.Values{"email": {p.value}, "password": {"not the password"}})
			check.status(what, res, http.StatusUnprocessableEntity)
			kept := strings.TrimSpace(keptText(p.value))
			check.escaped(what, res.Body, kept)
			if utf8.RuneCountInString(kept) > safeguarding.MaxEmailLength {
				if !strings.Contains(res.Body, "Email address must be 254 characters or fewer") {
					t.Errorf("%s: no message that the e-mail address is too long", what)
				}
				continue // refused before any account is looked up
			}
			var detail string
			if err := a.owner.QueryRow(ctx, `SELECT detail FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id DESC LIMIT 1`).Scan(&detail); err != nil {
				t.Fatal(err)
			}
			check.same(what+" (audit)", detail, postgres.NormaliseEmail(kept))
		}
	})

	t.Run("QueryAndPath", func(t *testing.T) {
		check := hostileChecker{t}
		for _, p := range hostilePayloads {
			q := url.Values{}
			for _, name := range []string{"status", "category", "year", "assignee", "after", "before"} {
				q.Set(name, p.value)
			}
			res := dsl.get("/queue?" + q.Encode())
			check.status("queue "+p.name, res, http.StatusOK)
			check.escaped("queue "+p.name, res.Body, "")
			res = staff.get("/my-concerns?after=" + url.QueryEscape(p.value))
			check.status("my-concerns "+p.name, res, http.StatusOK)
			for _, path := range []string{"/concerns/%s", "/concerns/%s/logged", "/pupils/%s"} {
				target := strings.Replace(path, "%s", url.PathEscape(p.value), 1)
				res := dsl.get(target)
				check.status(target, res, http.StatusNotFound)
				check.escaped(target, res.Body, "")
			}
		}
	})

	t.Run("HeaderInjection", func(t *testing.T) {
		check := hostileChecker{t}
		// Where someone was going is kept across sign-in and becomes a
		// Location header: a CR LF in it must not start a new header.
		for _, target := range []string{
			"/queue?x=%0D%0ASet-Cookie:%20haven_evil=1",
			"/concerns/new%0D%0ASet-Cookie:%20haven_evil=1",
			"/my-concerns?after=1%0d%0aLocation:%20https://evil.example/%0d%0ahaven_evil:1",
		} {
			c := a.app.newClient(t)
			res := c.get(target)
			check.status(target, res, http.StatusSeeOther)
			_, res = signInFrom(t, c, res.Header.Get("Location"), "dsl@demo.test")
			check.status(target+" (sign-in)", res, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
				t.Errorf("%s: signed in to %q, not a page of Haven", target, loc)
			}
		}
	})

	t.Run("DatabaseIntact", func(t *testing.T) {
		after := a.counts(t)
		want := maps.Clone(before)
		want["concerns"] += concernsLogged
		want["chronology_entries"] += concernsLogged + entriesAdded // each concern's first entry, then those added
		want["concern_pupils"]++                                    // the one concern about a child
		for table, n := range want {
			if table == "concern_drafts" {
				continue
			}
			if after[table] != n {
				t.Errorf("%s: %d rows, want %d", table, after[table], n)
			}
		}
		checked, breaks, err := postgres.VerifyChronology(context.Background(), a.app.ConnStr)
		if err != nil {
			t.Fatal(err)
		}
		if len(breaks) > 0 || checked < want["chronology_entries"] {
			t.Errorf("hash chains: %d entries checked, breaks %v", checked, breaks)
		}
		if n := a.count(t, `SELECT count(*) FROM people WHERE active`); n == 0 {
			t.Error("no active accounts are left")
		}
		// Haven still works.
		for _, path := range []string{"/queue", "/queue?status=all", concernPath, "/my-concerns", "/concerns/new"} {
			if res := dsl.get(path); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s after the hostile input: status %d", path, res.StatusCode)
			}
		}
	})
}

// Names come from the roster and from what staff type, and may be written
// right to left or carry a direction control. Shown inline, a name must not
// reorder the page's own words around it ("by …, 3 March"; "Concern about
// … (visitor)"): every name is shown inside <bdi>, which isolates it.
func TestNamesAreIsolated(t *testing.T) {
	f := newConcernFixture(t)
	ctx := t.Context()
	const rlo = "\u202e" // RIGHT-TO-LEFT OVERRIDE: reverses what follows it
	pupil := f.pupil(t, 9)
	pupilName := "Zara " + rlo + "Nasser"
	staffName := "Sam " + rlo + "Teacher"
	adultName := "Ann " + rlo + "Visitor"
	if _, err := f.owner.Exec(ctx, `UPDATE pupils SET first_name = 'Zara', last_name = $2 WHERE id = $1`, pupil.ID, rlo+"Nasser"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.owner.Exec(ctx, `UPDATE people SET full_name = $1 WHERE email = 'staff@demo.test'`, staffName); err != nil {
		t.Fatal(err)
	}
	staffV := f.viewer(t, "staff@demo.test")
	aboutPupil := logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}})
	aboutAdult := logConcern(t, f.app.DB, staffV, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectOtherAdult,
		SubjectAdultName: adultName, SubjectAdultRole: "visitor", Categories: []string{"physical_abuse"}})

	staff, dsl := f.app.signIn(t, "staff@demo.test"), f.app.signIn(t, "dsl@demo.test")
	title := regexp.MustCompile(`(?s)<title>.*?</title>`)
	for _, tc := range []struct {
		who   *client
		path  string
		names []string // each must be on the page, and only inside <bdi>
	}{
		{dsl, "/queue", []string{pupilName, staffName, adultName}},
		{dsl, "/concerns/" + strconv.FormatInt(aboutPupil, 10), []string{pupilName, staffName}},
		{dsl, "/concerns/" + strconv.FormatInt(aboutAdult, 10), []string{adultName, staffName}},
		{dsl, "/pupils/" + strconv.FormatInt(pupil.ID, 10), []string{pupilName, staffName}},
		{staff, "/my-concerns", []string{pupilName, adultName, staffName}},
		{staff, "/concerns/" + strconv.FormatInt(aboutPupil, 10), []string{pupilName, staffName}},
	} {
		res := tc.who.get(tc.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.path, res.StatusCode)
			continue
		}
		body := title.ReplaceAllString(res.Body, "") // a title holds text only
		for _, name := range tc.names {
			parts := strings.Split(body, name)
			if len(parts) == 1 {
				t.Errorf("%s: %q is not on the page", tc.path, name)
			}
			for _, before := range parts[:len(parts)-1] {
				if !strings.HasSuffix(before, "<bdi>") {
					t.Errorf("%s: %q shown without <bdi>, after %q", tc.path, name, before[max(0, len(before)-60):])
				}
			}
		}
	}
}

package httpserver_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// childWorld is the demo school with pupils of its own, whom no demo
// concern is about, and a way to log concerns at chosen times.
type childWorld struct {
	*concernFixture
	now time.Time // the clock of db
	db  *postgres.DB
}

func newChildWorld(t *testing.T) *childWorld {
	t.Helper()
	w := &childWorld{concernFixture: newConcernFixture(t)}
	w.db = w.app.DB.WithClock(func() time.Time { return w.now })
	return w
}

// addPupil adds a pupil to school and returns their id.
func (w *childWorld) addPupil(t *testing.T, school int64, first, last string, year int, born time.Time) int64 {
	t.Helper()
	ids, err := w.app.DB.AddPupils(t.Context(), school, []postgres.PupilInput{{FirstName: first, LastName: last, YearGroup: year, DateOfBirth: born}})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

// logConcern files a concern by v about pupils at w.now.
// The indicators are the first pupil's, the child harmed or at risk; any
// other pupil is a witness.
func (w *childWorld) logConcern(t *testing.T, v safeguarding.Viewer, categories, indicators []string, pupils ...int64) int64 {
	t.Helper()
	in := safeguarding.ConcernInput{PupilIDs: pupils, Categories: categories, Indicators: indicators,
		WhatHappened: "Waiting at the gate for a car she would not talk about."}
	if len(pupils) > 1 {
		in.Indicators = nil
		in.Parts = []safeguarding.PupilPart{{PupilID: pupils[0], Part: safeguarding.PartHarmed, Indicators: indicators}}
		for _, p := range pupils[1:] {
			in.Parts = append(in.Parts, safeguarding.PupilPart{PupilID: p, Part: safeguarding.PartWitness})
		}
	}
	return logConcern(t, w.db, v, in)
}

// between is the part of body from the first from to the next to after it.
func between(t *testing.T, body, from, to string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, from)
	if !ok {
		t.Fatalf("the page has no %q", from)
	}
	part, _, _ := strings.Cut(rest, to)
	return part
}

// inOrder fails unless each of want appears in s, each after the one before.
func inOrder(t *testing.T, s string, want ...string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := strings.Index(s[at:], w)
		if i < 0 {
			t.Errorf("%q does not appear after %q", w, s[:at][max(0, at-80):])
			return
		}
		at += i + len(w)
	}
}

func TestChildPage(t *testing.T) {
	w := newChildWorld(t)
	ctx := t.Context()
	staff, colleague := w.viewer(t, "staff@demo.test"), w.viewer(t, "staff01@demo.test")
	dsl := w.viewer(t, "dsl@demo.test")
	zeph := w.addPupil(t, w.app.SchoolID, "Zephyrine", "Quillfeather", 9, time.Date(2011, 4, 3, 0, 0, 0, 0, time.UTC))
	bart := w.addPupil(t, w.app.SchoolID, "Bartholomew", "Quillfeather", 7, time.Date(2013, 9, 20, 0, 0, 0, 0, time.UTC))
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }

	// Two members of staff, days apart, both see Zephyrine being secretive.
	w.now = day(2, 9)
	first := w.logConcern(t, staff, []string{"cse"}, []string{"secretive", "unexplained_gifts"}, zeph)
	w.now = day(4, 10)
	second := w.logConcern(t, colleague, []string{"cse", "online_safety"}, []string{"secretive"}, zeph, bart)
	// The DSL works on both; the first concern's entries interleave with the second's.
	w.now = day(5, 11)
	addEntry(t, w.db, dsl, first, safeguarding.EntryInput{Kind: safeguarding.EntryReferral, Body: "Phoned the MASH.",
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-0042", ReferredOn: "2026-03-05"}})
	w.now = day(6, 12)
	addEntry(t, w.db, dsl, second, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyPolice, Reference: "POL-77", ReferredOn: "2026-03-06"}})
	w.now = day(7, 13)
	addEntry(t, w.db, dsl, second, safeguarding.EntryInput{Kind: safeguarding.EntryClosed, Body: "Police took no further action.",
		Details: safeguarding.EntryDetails{NoResponseWhy: "The police answer by letter, which has not come yet."}})
	w.now = day(8, 14)
	addEntry(t, w.db, staff, first, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: "She had a new phone today."})

	path := "/pupils/" + strconv.FormatInt(zeph, 10)
	dslClient := w.app.signIn(t, "dsl@demo.test")
	res := dslClient.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("DSL: status %d", res.StatusCode)
	}

	t.Run("ThePupil", func(t *testing.T) {
		checkStrictCSP(t, res.Body)
		for _, want := range []string{"<h1 class=\"govuk-heading-l\"><bdi>Zephyrine Quillfeather</bdi></h1>", "Year 9", "3 April 2011", "<title>Child&#39;s file " + strconv.FormatInt(zeph, 10) + " – Haven</title>"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		age := time.Now().Year() - 2011
		if time.Now().Before(time.Date(time.Now().Year(), 4, 3, 0, 0, 0, 0, time.UTC)) {
			age--
		}
		if !regexp.MustCompile(`Age</dt>\s*<dd class="govuk-summary-list__value">` + strconv.Itoa(age) + `</dd>`).MatchString(res.Body) {
			t.Errorf("age %d not shown", age)
		}
	})

	t.Run("ConcernsFromBothStaffNewestFirst", func(t *testing.T) {
		concerns := between(t, res.Body, ">Concerns</h2>", "<h2")
		inOrder(t, concerns, fmt.Sprintf(`href="/concerns/%d"`, second), fmt.Sprintf(`href="/concerns/%d"`, first))
		for _, want := range []string{"Sam Teacher", colleague.Name, "Child sexual exploitation (CSE), Online safety", ">Closed<", ">New<"} {
			if !strings.Contains(concerns, want) {
				t.Errorf("concern list lacks %q", want)
			}
		}
		if !strings.Contains(concerns, fmt.Sprintf(`<a href="/pupils/%d" class="govuk-link"><bdi>Bartholomew Quillfeather</bdi></a>`, bart)) {
			t.Error("the other pupil of the second concern is not linked to their page")
		}
	})

	t.Run("ChronologyInTimeOrder", func(t *testing.T) {
		chronology := between(t, res.Body, ">Chronology</h2>", "</main>")
		inOrder(t, chronology,
			"Concern logged: Child sexual exploitation (CSE)<", fmt.Sprintf(`/concerns/%d"`, first),
			"Concern logged: Child sexual exploitation (CSE), Online safety<", fmt.Sprintf(`/concerns/%d"`, second),
			"MASH-0042", "POL-77", "Police took no further action.", "She had a new phone today.")
		if strings.Contains(res.Body, "SubmissionToken") || strings.Contains(res.Body, "{&#34;") {
			t.Error("the logged concern's stored snapshot is shown raw")
		}
		if !strings.Contains(chronology, "Waiting at the gate") {
			t.Error("the chronology does not say what happened")
		}
	})

	t.Run("IndicatorCounts", func(t *testing.T) {
		indicators := between(t, res.Body, ">CSE indicators recorded</h2>", "<h2")
		value := func(key, v string) string {
			return key + `</dt>\s*<dd class="govuk-summary-list__value">` + v + `</dd>.*?`
		}
		row := func(label string, times, staff int, first, last string) *regexp.Regexp {
			return regexp.MustCompile(regexp.QuoteMeta(label) + `</h3>.*?` + value("Times recorded", strconv.Itoa(times)) +
				value("Members of staff", strconv.Itoa(staff)) + value("First recorded", first) + value("Last recorded", last))
		}
		if !row("Being secretive", 2, 2, "2 March 2026", "4 March 2026").MatchString(indicators) {
			t.Errorf("\"Being secretive\" is not shown as 2 times by 2 staff from 2 to 4 March:\n%s", indicators)
		}
		if !row("Unexplained gifts, money or new possessions", 1, 1, "2 March 2026", "2 March 2026").MatchString(indicators) {
			t.Error("\"Unexplained gifts\" is not shown as once by 1 member of staff on 2 March")
		}
		inOrder(t, indicators, "Being secretive", "Unexplained gifts") // the policy's order
		if strings.Contains(indicators, "Acting withdrawn") {
			t.Error("an indicator nobody ticked is listed")
		}
	})

	t.Run("ReferralsAwaitingResponse", func(t *testing.T) {
		open := between(t, res.Body, ">Referrals awaiting a response</h2>", "<h2")
		if !strings.Contains(open, "MASH-0042") || !strings.Contains(open, "Children&#39;s social care (CSCS)") || !strings.Contains(open, "5 March 2026") {
			t.Errorf("the open concern's referral is not listed:\n%s", open)
		}
		if !strings.Contains(open, "POL-77") {
			t.Error("the closed concern's referral, which has no response, is not listed")
		}
	})

	t.Run("Audited", func(t *testing.T) {
		log := w.app.auditLog(t, w.app.SchoolID, 50)
		i := slices.IndexFunc(log, func(e safeguarding.AuditEvent) bool {
			return e.Action == "view_child_file" && e.Object == "pupil:"+strconv.FormatInt(zeph, 10) && e.ActorID == dsl.PersonID
		})
		if i < 0 {
			t.Error("the DSL's view of the child's page was not audited")
		}
	})

	t.Run("PrincipalReads", func(t *testing.T) {
		res := w.app.signIn(t, "principal@demo.test").get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if !strings.Contains(res.Body, fmt.Sprintf(`href="/concerns/%d"`, first)) || !strings.Contains(res.Body, "MASH-0042") {
			t.Error("the principal does not see the concerns")
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		for _, email := range []string{"staff@demo.test", "staff01@demo.test", "governor@demo.test", "admin@demo.test", "chair@demo.test"} {
			if res := w.app.signIn(t, email).get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", email, res.StatusCode)
			} else if strings.Contains(res.Body, "Quillfeather") {
				t.Errorf("%s: the 404 page names the pupil", email)
			}
		}
		for _, p := range []string{"/pupils/999999999", "/pupils/0", "/pupils/not-a-number"} {
			if res := dslClient.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, res.StatusCode)
			}
		}
	})

	t.Run("NotFoundInAnotherSchool", func(t *testing.T) {
		other, err := w.app.DB.CreateSchool(ctx, "Hilltop School")
		if err != nil {
			t.Fatal(err)
		}
		theirs := w.addPupil(t, other, "Ada", "Hilltop", 8, time.Date(2012, 6, 1, 0, 0, 0, 0, time.UTC))
		res := dslClient.get("/pupils/" + strconv.FormatInt(theirs, 10))
		if res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "Hilltop") {
			t.Errorf("another school's pupil: status %d, want 404 naming no one", res.StatusCode)
		}
	})
}

func TestMyConcerns(t *testing.T) {
	w := newChildWorld(t)
	ctx := t.Context()
	staff, colleague, dsl := w.viewer(t, "staff@demo.test"), w.viewer(t, "staff01@demo.test"), w.viewer(t, "dsl@demo.test")
	pupil := w.addPupil(t, w.app.SchoolID, "Marigold", "Featherstonehaugh", 10, time.Date(2010, 1, 9, 0, 0, 0, 0, time.UTC))

	w.now = time.Now()
	var logged []int64
	for range 60 {
		logged = append(logged, w.logConcern(t, staff, []string{"neglect"}, nil, pupil))
	}
	theirs := w.logConcern(t, colleague, []string{"cse"}, nil, pupil)
	// Whatever the demo school's history holds, the list is every concern the
	// member of staff logged, newest first.
	rows, err := w.owner.Query(ctx, `SELECT id FROM concerns WHERE logged_by = $1 ORDER BY id DESC`, staff.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`<a href="/concerns/(\d+)" class="govuk-link">`)
	next := regexp.MustCompile(`href="(/my-concerns\?after=\d+)" rel="next"`)
	c := w.app.signIn(t, "staff@demo.test")

	t.Run("EveryConcernOnceAcrossPages", func(t *testing.T) {
		var seen []int64
		path := "/my-concerns"
		for pages := 1; ; pages++ {
			res := c.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", path, res.StatusCode)
			}
			checkStrictCSP(t, res.Body)
			found := links.FindAllStringSubmatch(res.Body, -1)
			if len(found) > 25 {
				t.Errorf("%s lists %d concerns, want at most 25", path, len(found))
			}
			for _, m := range found {
				id, _ := strconv.ParseInt(m[1], 10, 64)
				seen = append(seen, id)
			}
			m := next.FindStringSubmatch(res.Body)
			if m == nil {
				break
			}
			path = strings.ReplaceAll(m[1], "&amp;", "&")
			if pages > len(want)/25+2 {
				t.Fatal("the pages do not end")
			}
		}
		if !slices.Equal(seen, want) {
			t.Errorf("listed %d concerns %v\nwant %d %v", len(seen), seen, len(want), want)
		}
		for _, id := range logged {
			if !slices.Contains(seen, id) {
				t.Errorf("concern %d is missing", id)
			}
		}
		if slices.Contains(seen, theirs) {
			t.Error("a colleague's concern is listed")
		}
	})

	t.Run("FeedbackGiven", func(t *testing.T) {
		newest := logged[len(logged)-1]
		row := regexp.MustCompile(fmt.Sprintf(`(?s)href="/concerns/%d".*?</tr>`, newest))
		if strings.Contains(row.FindString(c.get("/my-concerns").Body), "Feedback given") {
			t.Fatal("feedback is shown before any was given")
		}
		addEntry(t, w.db, dsl, newest, safeguarding.EntryInput{Kind: safeguarding.EntryFeedback, Body: "We have spoken to her family."})
		body := c.get("/my-concerns").Body
		if !strings.Contains(row.FindString(body), "Feedback given") {
			t.Error("the concern with feedback has no \"Feedback given\" tag")
		}
		if n := strings.Count(body, "Feedback given"); n != 1 {
			t.Errorf("\"Feedback given\" appears %d times, want once", n)
		}
	})

	t.Run("PupilNamesLinkOnlyForThoseWhoMaySeeTheChildsPage", func(t *testing.T) {
		body := c.get("/my-concerns").Body
		if !strings.Contains(body, "Marigold Featherstonehaugh") {
			t.Error("the subject is not named")
		}
		if strings.Contains(body, "/pupils/") {
			t.Error("a member of staff is offered a link to a child's page they cannot see")
		}
		w.logConcern(t, dsl, []string{"neglect"}, nil, pupil)
		body = w.app.signIn(t, "dsl@demo.test").get("/my-concerns").Body
		if !strings.Contains(body, fmt.Sprintf(`<a href="/pupils/%d" class="govuk-link"><bdi>Marigold Featherstonehaugh</bdi></a>`, pupil)) {
			t.Error("the DSL's own concern does not link the pupil to their page")
		}
	})

	t.Run("NotFoundForThoseWhoDoNotLogConcerns", func(t *testing.T) {
		for _, email := range []string{"governor@demo.test", "admin@demo.test", "chair@demo.test"} {
			if res := w.app.signIn(t, email).get("/my-concerns"); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", email, res.StatusCode)
			}
		}
	})

	t.Run("LinkedFromHome", func(t *testing.T) {
		if !strings.Contains(c.get("/home").Body, `<a href="/my-concerns" class="govuk-link">`) {
			t.Error("the staff home page does not link to My concerns")
		}
	})

	// Everyone who has a queue reaches it from their home page, and nobody
	// else is offered it.
	t.Run("QueueLinkedFromHome", func(t *testing.T) {
		for email, want := range map[string]bool{"dsl@demo.test": true, "deputy@demo.test": true, "principal@demo.test": true,
			"chair@demo.test": true, "staff@demo.test": false, "governor@demo.test": false, "admin@demo.test": false} {
			body := w.app.signIn(t, email).get("/home").Body
			if got := strings.Contains(body, `<a href="/queue" class="govuk-link">`); got != want {
				t.Errorf("%s: the home page links to the queue: %v, want %v", email, got, want)
			}
		}
	})
}

// TestChildPageLatestEntries: a long chronology shows its latest entries
// with a link to the whole of it, while the open referrals and indicator
// counts still cover every entry.
func TestChildPageLatestEntries(t *testing.T) {
	w := newChildWorld(t)
	staff, dsl := w.viewer(t, "staff@demo.test"), w.viewer(t, "dsl@demo.test")
	pupil := w.addPupil(t, w.app.SchoolID, "Ottoline", "Brackenridge", 8, time.Date(2012, 2, 1, 0, 0, 0, 0, time.UTC))
	w.now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	concern := w.logConcern(t, staff, []string{"cse"}, []string{"secretive"}, pupil)
	w.now = w.now.Add(time.Hour)
	addEntry(t, w.db, dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryReferral,
		Details: safeguarding.EntryDetails{Agency: safeguarding.AgencyCSCS, Reference: "MASH-EARLY", ReferredOn: "2026-03-02"}})
	const latest = 100 // what the page shows unless asked for all
	const notes = latest + 5
	for i := 1; i <= notes; i++ {
		w.now = w.now.Add(time.Minute)
		addEntry(t, w.db, staff, concern, safeguarding.EntryInput{Kind: safeguarding.EntryFurtherInformation, Body: fmt.Sprintf("Note %03d", i)})
	}
	total := notes + 2 // the concern logged and the referral
	path := "/pupils/" + strconv.FormatInt(pupil, 10)
	client := w.app.signIn(t, "dsl@demo.test")

	res := client.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	chronology := between(t, res.Body, ">Chronology</h2>", "</main>")
	if got := strings.Count(chronology, "<li>"); got != latest {
		t.Errorf("the chronology shows %d entries, want the latest %d", got, latest)
	}
	link := fmt.Sprintf(`href="%s?all=1">Show all %d entries</a>`, path, total)
	if !strings.Contains(chronology, link) {
		t.Errorf("no link %q to the whole chronology", link)
	}
	first := fmt.Sprintf(">Note %03d<", notes-latest+1)
	inOrder(t, chronology, first, fmt.Sprintf(">Note %03d<", notes))
	for _, gone := range []string{fmt.Sprintf(">Note %03d<", notes-latest), "Waiting at the gate", "Concern logged:"} {
		if strings.Contains(chronology, gone) {
			t.Errorf("an entry older than the latest %d is shown: %q", latest, gone)
		}
	}
	if open := between(t, res.Body, ">Referrals awaiting a response</h2>", "<h2"); !strings.Contains(open, "MASH-EARLY") {
		t.Errorf("a referral older than the latest entries is not listed as open:\n%s", open)
	}
	if !strings.Contains(between(t, res.Body, ">CSE indicators recorded</h2>", "</table>"), "Being secretive") {
		t.Error("the indicators of the concern are not counted")
	}

	all := client.get(path + "?all=1")
	if all.StatusCode != http.StatusOK {
		t.Fatalf("?all=1: status %d", all.StatusCode)
	}
	chronology = between(t, all.Body, ">Chronology</h2>", "</main>")
	if got := strings.Count(chronology, "<li>"); got != total {
		t.Errorf("?all=1 shows %d entries, want all %d", got, total)
	}
	inOrder(t, chronology, "Concern logged:", "MASH-EARLY", ">Note 001<", fmt.Sprintf(">Note %03d<", notes))
	if strings.Contains(chronology, "Show all") {
		t.Error("the whole chronology still offers to show all entries")
	}
}

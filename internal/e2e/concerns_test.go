package e2e

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/safeguarding"
)

// concern is what a member of staff types into the concern form.
type concern struct {
	Pupil        string // a pupil's full name, found with the pupil search: the subject, or involved
	Principal    bool   // or the concern is about the principal
	StaffMember  string // or a member of staff, as the list shows them
	AdultName    string // or another adult
	AdultRole    string
	Category     string   // as labelled on the form
	Indicators   []string // CSE indicators, as labelled
	WhatHappened string
	ChildsWords  string
	Day, Month   string
	Year         string
	Time         string
	Location     string
	OthersTold   string
	ActionsTaken string
	Urgent       bool
}

// Legends of the concern form's groups of choices.
const (
	subjectLegend    = "Who is the concern about?"
	pupilsLegend     = "Choose the child or children"
	categoryLegend   = "What kind of concern is it?"
	indicatorsLegend = "Signs of child sexual exploitation"
	// indicatorsSummary opens the folded checklist.
	indicatorsSummary = "Signs of child sexual exploitation (policy §5.2)"
	whenLegend        = "When did it happen?"
	urgentLegend      = "Is the child in immediate danger or at risk of immediate serious harm?"
)

// urgentFieldset is the question whether a child is in immediate danger,
// which is worded for the subject chosen: found by its radios.
const urgentFieldset = "//fieldset[.//input[@name='urgent']]"

// fillConcern fills the concern form by its labels, as a member of staff
// would, without submitting it.
func (b *tab) fillConcern(c concern) {
	b.t.Helper()
	subject := b.within(fieldset(subjectLegend))
	switch {
	case c.Principal:
		subject.checkByLabel("The principal (headteacher)")
	case c.StaffMember != "":
		subject.checkByLabel("A member of staff")
		b.selectByLabel("Member of staff", c.StaffMember)
	case c.AdultName != "":
		subject.checkByLabel("Another adult (visitor, contractor, volunteer)")
		b.fillByLabel("Their name", c.AdultName)
		b.fillByLabel("Their role (optional)", c.AdultRole)
	case c.Pupil != "":
		subject.checkByLabel("A child or children")
	}
	// The children: those the concern is about, or those a concern about
	// an adult involves.
	if c.Pupil != "" {
		b.fillByLabel("Search for a pupil by name", c.Pupil)
		b.clickButton("Find pupils")
		b.within(fieldset(pupilsLegend)).checkByLabel(c.Pupil)
	}
	b.within(fieldset(categoryLegend)).checkByLabel(c.Category)
	if len(c.Indicators) > 0 {
		// One action away: the checklist is folded until opened.
		b.openDetails(indicatorsSummary)
	}
	for _, ind := range c.Indicators {
		b.within(fieldset(indicatorsLegend)).checkByLabel(ind)
	}
	b.fillByLabel("What happened?", c.WhatHappened)
	if c.ChildsWords != "" {
		b.fillByLabel("What the child said, in their own words (optional)", c.ChildsWords)
	}
	when := b.within(fieldset(whenLegend))
	when.fillByLabel("Day", c.Day)
	when.fillByLabel("Month", c.Month)
	when.fillByLabel("Year", c.Year)
	if c.Time != "" {
		b.fillByLabel("Time (optional)", c.Time)
	}
	if c.Location != "" {
		b.fillByLabel("Where did it happen? (optional)", c.Location)
	}
	if c.OthersTold != "" {
		b.fillByLabel("Who else have you told? (optional)", c.OthersTold)
	}
	if c.ActionsTaken != "" {
		b.fillByLabel("What have you already done? (optional)", c.ActionsTaken)
	}
	answer := "No"
	if c.Urgent {
		answer = "Yes"
	}
	b.within(urgentFieldset).checkByLabel(answer)
}

var loggedPath = regexp.MustCompile(`^/concerns/(\d+)/logged$`)

// logConcern fills in and submits the concern form and returns the new
// concern's reference from the confirmation page.
func (b *tab) logConcern(c concern) int64 {
	b.t.Helper()
	b.visit("/concerns/new")
	// A draft the autosave kept of an earlier form is offered first.
	if strings.HasPrefix(b.heading(), "You started a concern on ") {
		b.clickButton("Start again")
	}
	b.fillConcern(c)
	b.clickButton("Log concern")
	m := loggedPath.FindStringSubmatch(b.path())
	if m == nil {
		b.fatalf("logging the concern did not reach its confirmation page; errors: %v", b.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if got := b.heading(); got != "Concern logged" {
		b.fatalf("confirmation heading %q", got)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	if ref := b.text("//*[contains(@class,'govuk-panel__body')]/strong"); ref != m[1] {
		b.t.Errorf("confirmation shows reference %q, want %s", ref, m[1])
	}
	return id
}

// today is the date in England, as the form's three fields.
func today() (day, month, year string) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		loc = time.Local
	}
	d := time.Now().In(loc)
	return strconv.Itoa(d.Day()), strconv.Itoa(int(d.Month())), strconv.Itoa(d.Year())
}

// owner connects to the test's database as its owner, past row-level
// security, to check what the app stored.
func (a *app) owner(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), a.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// pupil is one of the demo pupils.
type pupil struct {
	ID   int64
	Name string
}

// uniquePupils returns n demo pupils whose full names no other pupil
// shares, so that a search for the name finds one child.
func (a *app) uniquePupils(t *testing.T, n int) []pupil {
	t.Helper()
	rows, err := a.owner(t).Query(t.Context(), `
		SELECT min(id), first_name || ' ' || last_name FROM pupils
		GROUP BY first_name, last_name HAVING count(*) = 1 ORDER BY 1 LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pupil])
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < n {
		t.Fatalf("the demo school has only %d pupils with a name of their own, want %d", len(ps), n)
	}
	return ps
}

// logAsStaff files a concern about a pupil straight through the store, as
// email, so that a journey starts from a school that already has concerns.
func (a *app) logAsStaff(t *testing.T, email string, pupilID int64, what string) int64 {
	t.Helper()
	v, err := a.DB.SignIn(t.Context(), email, demoPassword, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := a.DB.LogConcern(t.Context(), v, safeguarding.ConcernInput{
		SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectPupils, PupilIDs: []int64{pupilID},
		Categories: []string{"neglect"}, WhatHappened: what, HappenedOn: time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1),
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// newToken is a fresh submission token, a random UUID.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// banner is the text of the page's success banner, if any.
func (b *tab) banner() string {
	b.t.Helper()
	return b.text("//*[contains(@class,'govuk-notification-banner__content')]")
}

// chronology is the headings of the concern page's entries, in order.
func (b *tab) chronology() []string {
	b.t.Helper()
	var out []string
	for _, h := range b.texts("//*[@id='chronology']/following-sibling::ol[1]/li/h3") {
		// "Entry 3 Decision" → "Decision"
		if f := strings.Fields(h); len(f) > 2 && f[0] == "Entry" {
			h = strings.Join(f[2:], " ")
		}
		out = append(out, h)
	}
	return out
}

// The words of the log → triage → refer → feedback → close journey.
const (
	cseWhat         = "At 15:20 I saw her get into a silver car outside the side gate. The driver was an adult man I did not recognise. She had a new phone and said it was from a friend."
	cseWords        = "He's my boyfriend, he's 24, it's fine, he buys me stuff."
	cseConversation = "Spoke with the child in the pastoral room. She said she feels safe with him and does not want her mum told. She wants to keep going to college."
	cseDecision     = "Refer to children's social care today."
	cseReason       = "Four CSE indicators, an adult of 24, gifts and a car: significant harm is likely (policy 5.2, 11.6)."
	cseReference    = "CSC-2026-0412"
	cseFeedback     = "Thank you for logging this. I have referred it to children's social care today and will keep you informed of what you need to know."
	cseOutcome      = "Children's social care opened a child and family assessment; a safety plan is in place with college."
	cseClosing      = "Referral accepted; safety plan agreed with the family and college. Closing here; the plan is reviewed at the child's next meeting."
	cseCall         = "Phoned the MASH duty desk before writing anything down."
	cseResponse     = "A child and family assessment, starting this week."
)

// TestConcernJourney is the core loop of issue 3 in a real browser: a
// member of staff logs a CSE concern with four indicators; the DSL finds
// it at the top of the queue, acknowledges it, records a conversation with
// the child, a decision with its reason, a referral to children's social
// care, feedback to the member of staff and an outcome, and closes it; the
// member of staff then sees the feedback, and nothing else the DSL wrote.
func TestConcernJourney(t *testing.T) {
	a := newApp(t)
	ps := a.uniquePupils(t, 2)
	child, other := ps[0], ps[1]
	// The queue is not empty: an older concern waits, unacknowledged.
	older := a.logAsStaff(t, "staff01@demo.test", other.ID, "Came to college hungry three days this week.")

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	day, month, year := today()
	indicators := []string{
		"Unexplained gifts, money or new possessions",
		"Having older boyfriends or girlfriends",
		"Entering or leaving vehicles driven by unknown adults",
		"Unexplained and/or regular school absences",
	}
	id := staff.logConcern(concern{
		Pupil: child.Name, Category: "Child sexual exploitation (CSE)", Indicators: indicators,
		WhatHappened: cseWhat, ChildsWords: cseWords, Day: day, Month: month, Year: year, Time: "15:20",
		Location: "Side gate, Elm Road", OthersTold: "Nobody yet.", ActionsTaken: "Spoke to the DSL on the phone.",
		Urgent: true,
	})
	ref := strconv.FormatInt(id, 10)
	if !strings.Contains(staff.bodyText(), "Refer to children's social care and/or the police now") {
		t.Error("the confirmation of an urgent concern does not tell the member of staff to contact children's social care or the police now")
	}

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit("/queue")
	rows := dsl.texts("//table/tbody/tr/td[1]//a")
	if len(rows) < 2 {
		t.Fatalf("queue lists %v, want the new concern and the older one", rows)
	}
	first := "//table/tbody/tr[1]"
	if got := dsl.text(first + "/td[1]//a"); got != child.Name {
		t.Errorf("top of the queue is %q, want the urgent concern about %s", got, child.Name)
	}
	if !strings.Contains(dsl.text(first), "Urgent") {
		t.Errorf("the urgent concern is not flagged urgent in the queue: %q", dsl.text(first))
	}
	if href := dsl.attr(first+"/td[1]//a", "href"); href != "/concerns/"+ref {
		t.Errorf("top row links to %q, want /concerns/%s (the older concern is %d)", href, ref, older)
	}
	dsl.within(first).clickLink(child.Name)
	if got := dsl.path(); got != "/concerns/"+ref {
		t.Fatalf("the queue's link led to %s", got)
	}
	page := dsl.bodyText()
	for _, want := range append([]string{cseWhat, cseWords, "Side gate, Elm Road"}, indicators...) {
		if !strings.Contains(page, want) {
			t.Errorf("the concern page lacks %q as logged", want)
		}
	}

	dsl.clickButton("Acknowledge")
	if got := dsl.banner(); got != "Concern acknowledged" {
		t.Errorf("after acknowledging, the banner says %q", got)
	}
	f := dsl.openDetails("A conversation with the child")
	f.fillByLabel("What the child said, including their wishes and feelings", cseConversation)
	f.clickButton("Add the conversation")

	f = dsl.openDetails("A decision")
	f.fillByLabel("Decision", cseDecision)
	f.fillByLabel("Reason for the decision", cseReason)
	f.clickButton("Add the decision")

	f = dsl.openDetails("A referral")
	f.within(fieldset("Agency")).checkByLabel("Children's social care (CSCS)")
	f.fillByLabel("Reference (optional)", cseReference)
	referred := f.within(fieldset("Date of the referral"))
	referred.fillByLabel("Day", day)
	referred.fillByLabel("Month", month)
	referred.fillByLabel("Year", year)
	f.clickButton("Add the referral")

	// A call made earlier, recorded now, says when it happened; the page
	// comes back at it (focus.js).
	called := time.Now().Add(-2 * time.Hour)
	f = dsl.openDetails("An action taken")
	f.fillByLabel("What was done", cseCall)
	dsl.fillHappenedAt(f, called)
	f.clickButton("Add the action")
	dsl.checkReturnedToNewEntry()
	if want := "Happened " + called.In(london).Format("2 January 2006 15:04") + " · written "; !strings.Contains(dsl.bodyText(), want) {
		t.Errorf("the back-dated call does not show both times (%q)", want)
	}

	f = dsl.openDetails("Feedback to Sam Teacher")
	f.fillByLabel("Feedback for Sam Teacher", cseFeedback)
	f.clickButton("Add the feedback")

	f = dsl.openDetails("An outcome")
	f.fillByLabel("Outcome", cseOutcome)
	f.clickButton("Add the outcome")

	// Closing asks for the agency's response to the referral first.
	f = dsl.openDetails("Close the concern")
	f.fillByLabel("Outcome", cseClosing)
	f.clickButton("Close the concern")
	if got := dsl.text("//*[contains(@class,'govuk-error-summary')]//li"); got != "Record the agency's response to each referral, or say why the concern is closed without it" {
		t.Errorf("closing with a referral awaiting its response: error %q", got)
	}
	f = dsl.openDetails("A response to a referral")
	f.selectByLabel("Referral", "Children's social care (CSCS), referred "+time.Now().In(london).Format("2 January 2006"))
	f.fillByLabel("What the agency will do", cseResponse)
	responded := f.within(fieldset("Date of the response"))
	responded.fillByLabel("Day", day)
	responded.fillByLabel("Month", month)
	responded.fillByLabel("Year", year)
	f.within(fieldset("Will the agency carry out a statutory investigation?")).checkByLabel("Yes")
	f.clickButton("Add the response")
	dsl.checkReturnedToNewEntry()

	f = dsl.openDetails("Close the concern")
	if got := f.valueByLabel("Outcome"); got != cseClosing {
		t.Errorf("the refused close form kept %q", got)
	}
	f.clickButton("Close the concern")
	if got := dsl.banner(); got != "Concern closed" {
		t.Errorf("after closing, the banner says %q", got)
	}

	wantEntries := []string{"Action taken", "Concern logged", "Acknowledged", "Conversation with the child", "Decision", "Referral",
		"Feedback to the member of staff", "Outcome", "Response to a referral", "Closed"}
	if got := dsl.chronology(); !slices.Equal(got, wantEntries) {
		t.Errorf("chronology:\n got %q\nwant %q", got, wantEntries)
	}
	page = dsl.bodyText()
	for _, want := range []string{cseConversation, cseDecision, cseReason, cseReference, "Children's social care (CSCS)", cseFeedback, cseOutcome, cseClosing,
		cseCall, cseResponse} {
		if !strings.Contains(page, want) {
			t.Errorf("the chronology lacks %q", want)
		}
	}
	if !strings.Contains(dsl.text("//h1/following-sibling::p[1]"), "Closed") {
		t.Errorf("status after closing: %q", dsl.text("//h1/following-sibling::p[1]"))
	}
	// With its response recorded, the referral no longer awaits one on the
	// child's file.
	dsl.visit("/pupils/" + strconv.FormatInt(child.ID, 10))
	if !strings.Contains(dsl.bodyText(), "No referral is awaiting the agency's response.") {
		t.Error("the child's file lists a referral whose response is recorded")
	}
	// Closed, it has left the open queue.
	dsl.visit("/queue")
	if slices.Contains(dsl.texts("//table/tbody/tr/td[1]//a"), child.Name) {
		t.Error("the closed concern is still in the open queue")
	}

	// The member of staff sees the feedback, and nothing else the DSL wrote.
	staff.visit("/my-concerns")
	row := "//table/tbody/tr[.//a[normalize-space()=" + xpathString(ref) + " or contains(@href, " + xpathString("/concerns/"+ref) + ")]]"
	if !staff.exists(row) {
		t.Fatalf("My concerns does not list concern %s: %v", ref, staff.texts("//table/tbody/tr"))
	}
	if got := staff.text(row); !strings.Contains(got, "Feedback given") {
		t.Errorf("My concerns row %q does not say feedback was given", got)
	}
	staff.navigate("open the concern from My concerns", staff.clickAt(row+"//a"))
	if got := staff.path(); got != "/concerns/"+ref {
		t.Fatalf("My concerns' link led to %s", got)
	}
	page = staff.bodyText()
	if !strings.Contains(page, cseFeedback) {
		t.Error("the member of staff does not see the DSL's feedback")
	}
	for _, secret := range []string{cseConversation, cseDecision, cseReason, cseReference, cseOutcome, cseClosing, cseCall, cseResponse} {
		if strings.Contains(page, secret) {
			t.Errorf("the member of staff sees %q, which the DSL recorded for the safeguarding team only", secret)
		}
	}
}

// TestConcernFormKeepsValues submits a concern with one field missing: the
// form comes back with an error summary and everything typed still there.
func TestConcernFormKeepsValues(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	b := newTab(t, a)
	b.signIn("staff@demo.test")
	day, month, year := today()
	c := concern{
		Pupil: child.Name, Category: "Child sexual exploitation (CSE)",
		Indicators:   []string{"Being secretive", "Consuming alcohol or drugs"},
		WhatHappened: "", // forgotten
		ChildsWords:  "  I don't want to go home   tonight.  ",
		Day:          day, Month: month, Year: year, Time: "09:05",
		Location: "Library", OthersTold: "My line manager, Ms O'Brien.",
		ActionsTaken: "Walked her to reception <and> stayed with her & her friend.",
		Urgent:       true,
	}
	b.visit("/concerns/new")
	b.fillConcern(c)
	res := b.clickButton("Log concern")
	if res.Status != 422 {
		t.Errorf("status %d, want 422", res.Status)
	}
	if got := b.texts("//*[contains(@class,'govuk-error-summary')]//li"); !slices.Equal(got, []string{"Describe what happened"}) {
		t.Errorf("error summary lists %q, want just \"Describe what happened\"", got)
	}
	if got := b.path(); loggedPath.MatchString(got) {
		t.Fatal("a concern without what happened was logged")
	}

	if !b.within(fieldset(subjectLegend)).isCheckedByLabel("A child or children") {
		t.Error("the subject is no longer chosen")
	}
	if !b.within(fieldset(pupilsLegend)).isCheckedByLabel(child.Name) {
		t.Errorf("%s is no longer ticked", child.Name)
	}
	if !b.within(fieldset(categoryLegend)).isCheckedByLabel(c.Category) {
		t.Error("the category is no longer ticked")
	}
	for _, ind := range c.Indicators {
		if !b.within(fieldset(indicatorsLegend)).isCheckedByLabel(ind) {
			t.Errorf("indicator %q is no longer ticked", ind)
		}
	}
	for label, want := range map[string]string{
		"What the child said, in their own words (optional)": c.ChildsWords,
		"Time (optional)":                        c.Time,
		"Where did it happen? (optional)":        c.Location,
		"Who else have you told? (optional)":     c.OthersTold,
		"What have you already done? (optional)": c.ActionsTaken,
		"Search for a pupil by name":             child.Name,
	} {
		if got := b.valueByLabel(label); got != want {
			t.Errorf("%q holds %q, want %q", label, got, want)
		}
	}
	when := b.within(fieldset(whenLegend))
	for label, want := range map[string]string{"Day": day, "Month": month, "Year": year} {
		if got := when.valueByLabel(label); got != want {
			t.Errorf("date %s holds %q, want %q", label, got, want)
		}
	}
	if !b.within(urgentFieldset).isCheckedByLabel("Yes") {
		t.Error("the answer to immediate danger is no longer chosen")
	}

	// Put it right and the same form files the concern.
	b.fillByLabel("What happened?", "She was upset and would not say why.")
	b.clickButton("Log concern")
	if !loggedPath.MatchString(b.path()) {
		t.Fatalf("the corrected form did not log the concern: %v", b.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	var words string
	// The one child's words are theirs (concern_pupils), kept exactly.
	if err := a.owner(t).QueryRow(t.Context(), `SELECT cp.childs_words FROM concerns c
		JOIN concern_pupils cp ON cp.school_id = c.school_id AND cp.concern_id = c.id WHERE c.what_happened = $1`,
		"She was upset and would not say why.").Scan(&words); err != nil {
		t.Fatal(err)
	}
	if words != c.ChildsWords {
		t.Errorf("stored child's words %q, want exactly %q", words, c.ChildsWords)
	}
}

// TestDoubleClickFilesOneConcern double-clicks "Log concern": one concern
// is filed. Without JavaScript nothing in the page stops the second
// submission, so that run proves the server's one-time token.
func TestDoubleClickFilesOneConcern(t *testing.T) {
	a := newApp(t)
	ps := a.uniquePupils(t, 2)
	for i, script := range []bool{true, false} {
		name := "with JavaScript"
		if !script {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			b := newTab(t, a)
			b.signIn("staff@demo.test")
			if !script {
				b.scriptsOff()
			}
			day, month, year := today()
			what := fmt.Sprintf("Double-click test %d: bruise on the left forearm, said she fell.", i)
			b.visit("/concerns/new")
			b.fillConcern(concern{Pupil: ps[i].Name, Category: "Physical abuse", WhatHappened: what,
				Day: day, Month: month, Year: year})
			x := b.buttonXPath("Log concern")
			if b.count(x) != 1 {
				t.Fatal("no single \"Log concern\" button")
			}
			// Two presses as fast as a double-click sends them, at one spot:
			// the second lands while the first submission is on its way.
			before := a.postsTo("/concerns")
			ctx, cancel := context.WithTimeout(b.ctx, loadTimeout)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				xy, err := chromedp.Evaluate[[]float64](jsCenter(x))(ctx, tg)
				if err != nil || len(xy) != 2 {
					return fmt.Errorf("find the button: %v", err)
				}
				if _, err := chromedp.MouseClickXY(xy[0], xy[1])(ctx, tg); err != nil {
					return err
				}
				_, err = chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2))(ctx, tg)
				return err
			})); err != nil {
				t.Fatal(err)
			}
			// The second press may cut the first page load short, so
			// wait for where the browser ends up rather than for one load.
			b.waitForPath(loggedPath)
			b.checkA11y()
			var n int
			if err := a.owner(t).QueryRow(t.Context(), `SELECT count(*) FROM concerns WHERE what_happened = $1`, what).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("a double-click filed %d concerns, want 1", n)
			}
			// GOV.UK Frontend's button lets one click through; without
			// JavaScript, Chromium itself sends one submission while the
			// first is pending. TestResentConcernFilesOne puts the
			// server's one-time token to the test.
			t.Logf("%d submission(s) reached the server; %d concern filed", a.postsTo("/concerns")-before, n)
		})
	}
}

// TestPrincipalCannotSeeConcernAboutThem logs a concern about the principal
// and looks for it everywhere the principal can look: it is not there, and
// its address answers exactly like a concern that does not exist. The chair
// of governors, who handles it, does see it, so its absence is the access
// rule at work and not an empty page.
func TestPrincipalCannotSeeConcernAboutThem(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	// A concern about the child that the principal may read, so the
	// child's page has something to show.
	visible := a.logAsStaff(t, "staff02@demo.test", child.ID, "Visible test concern: often late and tired.")

	staff := newTab(t, a)
	staff.signIn("staff@demo.test")
	day, month, year := today()
	secret := "Principal test concern: the principal was seen alone in a car with " + child.Name + " after college."
	id := staff.logConcern(concern{StaffMember: "Pat Principal – Principal", Category: "Sexual abuse",
		WhatHappened: secret, Day: day, Month: month, Year: year})
	if !strings.Contains(staff.bodyText(), "chair of governors only") {
		t.Error("the confirmation does not say a concern about the principal goes to the chair only")
	}
	ref := strconv.FormatInt(id, 10)

	chair := newTab(t, a)
	chair.signIn("chair@demo.test")
	chair.visit("/queue")
	if !strings.Contains(chair.bodyText(), "Pat Principal") {
		t.Fatalf("the chair's queue does not list the concern about the principal")
	}
	if res := chair.visit("/concerns/" + ref); res.Status != 200 || !strings.Contains(chair.bodyText(), secret) {
		t.Fatalf("the chair cannot open the concern about the principal (status %d)", res.Status)
	}

	p := newTab(t, a)
	p.signIn("principal@demo.test")
	absent := func(path string) {
		t.Helper()
		res := p.visit(path)
		html := p.html()
		for _, leak := range []string{secret, "/concerns/" + ref + `"`, "Concern about Pat Principal"} {
			if strings.Contains(html, leak) {
				t.Errorf("%s (status %d) shows the principal %q", path, res.Status, leak)
			}
		}
	}
	absent("/home")
	absent("/queue")
	absent("/queue?status=all")
	absent("/my-concerns")
	absent(fmt.Sprintf("/pupils/%d", child.ID))
	if !strings.Contains(p.bodyText(), "Visible test concern") {
		t.Errorf("the principal's view of %s's page does not show concern %d, which the principal may read: the absence above proves nothing", child.Name, visible)
	}

	// The concern's own address: the 404 page, the same as for a concern
	// that does not exist.
	res := p.visit("/concerns/" + ref)
	if res.Status != 404 || p.heading() != "Page not found" {
		t.Errorf("/concerns/%s for the principal: status %d, heading %q; want the 404 page", ref, res.Status, p.heading())
	}
	notThere := p.html()
	res = p.visit("/concerns/99999999")
	if res.Status != 404 {
		t.Errorf("a missing concern: status %d", res.Status)
	}
	if strip(notThere) != strip(p.html()) {
		t.Error("the principal's 404 for the concern about them differs from the 404 for a concern that does not exist")
	}
	absent("/concerns/" + ref + "/logged")
}

// strip removes what differs between any two renderings of one page.
func strip(html string) string {
	return regexp.MustCompile(`value="[0-9a-f-]{36}"`).ReplaceAllString(html, "")
}

// TestKeyboardOnlyConcern logs a concern and triages it without the mouse:
// Tab to each control, type, Space to tick or choose, Enter to submit.
func TestKeyboardOnlyConcern(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	b := newTab(t, a)
	b.signIn("staff@demo.test")
	b.visit("/concerns/new")

	b.within(fieldset(subjectLegend)).tabToLabel("A child or children")
	b.press(" ")
	b.tabToLabel("Search for a pupil by name")
	b.press(child.Name)
	// Enter in the search field presses the form's first button: "Find pupils".
	b.pressEnterAndWait()
	b.within(fieldset(pupilsLegend)).tabToLabel(child.Name)
	b.press(" ")
	b.within(fieldset(categoryLegend)).tabToLabel("Neglect")
	b.press(" ")
	b.tabToLabel("What happened?")
	what := "Keyboard test: came in without a coat again, in the snow."
	b.press(what)
	day, month, year := today()
	when := b.within(fieldset(whenLegend))
	when.tabToLabel("Day")
	b.press(day)
	when.tabToLabel("Month")
	b.press(month)
	when.tabToLabel("Year")
	b.press(year)
	// Tab reaches a group of radios at its first; the arrow keys choose.
	b.within(urgentFieldset).tabToLabel("Yes")
	b.press(kb.ArrowDown)
	if !b.within(urgentFieldset).isCheckedByLabel("No") {
		t.Error("the arrow key did not choose \"No\"")
	}
	b.tabToButton("Log concern")
	b.pressEnterAndWait()
	m := loggedPath.FindStringSubmatch(b.path())
	if m == nil {
		t.Fatalf("keyboard-only concern led to %s: %v", b.path(), b.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}

	// The DSL acknowledges it and records a decision, by keyboard alone.
	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit("/concerns/" + m[1])
	dsl.tabToButton("Acknowledge")
	dsl.pressEnterAndWait()
	if got := dsl.banner(); got != "Concern acknowledged" {
		t.Errorf("after acknowledging by keyboard, the banner says %q", got)
	}
	dsl.tabTo(`the section "A decision"`, func(_, text string) bool { return text == "A decision" })
	dsl.press(kb.Enter) // opens the <details>
	f := dsl.within(details("A decision"))
	f.tabToLabel("Decision")
	dsl.press("Keep in school; speak to the family.")
	f.tabToLabel("Reason for the decision")
	dsl.press("No sign of harm beyond the coat; the family asked for help with uniform.")
	dsl.tabToButton("Add the decision")
	dsl.pressEnterAndWait()
	if got := dsl.chronology(); !slices.Contains(got, "Decision") {
		t.Errorf("chronology after a keyboard-only decision: %q", got)
	}
}

// TestResentConcernFilesOne loses the answer to a submitted concern, as a
// dropped connection would, after the server has filed it. The browser
// sends the form again (Chromium retries a request whose kept-alive
// connection closed unanswered; otherwise the member of staff reloads),
// and the server's one-time token keeps it to one concern, showing its
// confirmation.
func TestResentConcernFilesOne(t *testing.T) {
	a := newApp(t)
	child := a.uniquePupils(t, 1)[0]
	b := newTab(t, a)
	b.signIn("staff@demo.test")
	day, month, year := today()
	what := "Resend test: said her stepdad shouted and threw a plate."
	b.visit("/concerns/new")
	b.fillConcern(concern{Pupil: child.Name, Category: "Domestic abuse", WhatHappened: what, Day: day, Month: month, Year: year})

	before := a.postsTo("/concerns") // "Find pupils" posts the form too
	a.dropNextPost("/concerns")
	res, err := chromedp.RunResponse(b.ctx, b.clickAt(b.buttonXPath("Log concern")))
	if err != nil {
		t.Logf("the dropped submission showed an error (%v); reloading sends it again", err)
		if res, err = chromedp.RunResponse(b.ctx, chromedp.Reload()); err != nil {
			t.Fatalf("reload: %v", err)
		}
	}
	b.checkA11y()
	if got := a.postsTo("/concerns") - before; got != 2 {
		t.Fatalf("the server received %d submissions, want the first and the resent one", got)
	}
	if !loggedPath.MatchString(b.path()) || res.Status != 200 {
		t.Errorf("the resent form led to %s (status %d), want the confirmation", b.path(), res.Status)
	}
	var n int
	if err := a.owner(t).QueryRow(t.Context(), `SELECT count(*) FROM concerns WHERE what_happened = $1`, what).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("sending the form twice filed %d concerns, want 1", n)
	}
}

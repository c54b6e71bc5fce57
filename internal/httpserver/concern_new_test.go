package httpserver_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// policyIndicators are the 26 CSE indicators of policy §5.2, word for word.
var policyIndicators = []string{
	"Being secretive",
	"Acting withdrawn and isolated",
	"Unexplained gifts, money or new possessions",
	"Unexplained and/or regular school absences",
	"Staying out late or going missing for periods of time",
	"Consuming alcohol or drugs",
	"Acting hostile or aggressive",
	"Associating with gangs",
	"Displaying inappropriate sexualised behaviour beyond expected sexual development",
	"Developing relationships, particularly of a sexual nature, with a significantly older person",
	"Having older boyfriends or girlfriends",
	"Changing their physical appearance",
	"Changes in emotional well-being",
	"Acting in a defensive manner",
	"Lack of participation in education",
	"Becoming involved in petty crime",
	"Self-harming or displaying significant changes in emotional well-being",
	"Having physical injuries without plausible explanation",
	"Suffering from sexually transmitted infections or become pregnant",
	"Trying to conceal marks or scars on their body",
	"Refusing to uncover parts of their body",
	"Entering or leaving vehicles driven by unknown adults",
	"Having a lack of positive relationships",
	"Using the internet and social media in a manner which causes concern",
	"Associating with other young people involved in exploitation",
	"Misuse of drugs and/or alcohol",
}

const urgentMessage = "The child is in immediate danger: get help now. Do not wait for the DSL."

var hiddenField = regexp.MustCompile(`name="(token|author)" value="([^"]*)"`)

// openForm opens the concern form and returns its hidden fields.
func openForm(t *testing.T, c *client) url.Values {
	t.Helper()
	res := c.get("/concerns/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /concerns/new: status %d", res.StatusCode)
	}
	// A person with a draft is offered it first; they continue it.
	if shows(res.Body, "You started a concern on ") {
		res = c.get("/concerns/new?draft=continue")
	}
	vals := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(res.Body, -1) {
		vals.Set(m[1], m[2])
	}
	if vals.Get("token") == "" || vals.Get("author") == "" {
		t.Fatalf("the form has no submission token or author:\n%s", res.Body)
	}
	return vals
}

// cseConcern is a complete concern about pupil: CSE, with four indicators.
func cseConcern(hidden url.Values, pupil safeguarding.PupilRef) url.Values {
	yesterday := time.Now().AddDate(0, 0, -1)
	v := url.Values{
		"token":          {hidden.Get("token")},
		"author":         {hidden.Get("author")},
		"subject":        {"pupils"},
		"pupil":          {strconv.FormatInt(pupil.ID, 10)},
		"category":       {"cse"},
		"indicator":      {"unexplained_gifts", "vehicles", "missing", "older_partner"},
		"what-happened":  {"Seen getting into a silver car outside the gates after school; new phone and trainers this week."},
		"childs-words":   {"He's my boyfriend, he's 22, he buys me stuff."},
		"happened-day":   {strconv.Itoa(yesterday.Day())},
		"happened-month": {strconv.Itoa(int(yesterday.Month()))},
		"happened-year":  {strconv.Itoa(yesterday.Year())},
		"happened-time":  {"3:45pm"},
		"location":       {"Main gates"},
		"others-told":    {"Form tutor"},
		"actions-taken":  {"None yet"},
		"urgent":         {"no"},
	}
	return v
}

// shows reports whether the page displays text (however it is escaped).
func shows(body, text string) bool { return strings.Contains(html.UnescapeString(body), text) }

// checked reports whether the page has a ticked checkbox or radio name=value.
func checked(body, name, value string) bool {
	re := regexp.MustCompile(`<input[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*value="` + regexp.QuoteMeta(value) + `"[^>]*\bchecked\b`)
	return re.MatchString(body)
}

func loggedID(t *testing.T, res response) int64 {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /concerns: status %d, want 303; body:\n%s", res.StatusCode, res.Body)
	}
	m := regexp.MustCompile(`^/concerns/(\d+)/logged$`).FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirected to %q, want /concerns/{id}/logged", res.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestLogConcern(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 9)

	t.Run("OK", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		res := c.post("/concerns", cseConcern(openForm(t, c), pupil))
		id := loggedID(t, res)

		page := c.get(res.Header.Get("Location"))
		if page.StatusCode != http.StatusOK {
			t.Fatalf("confirmation: status %d", page.StatusCode)
		}
		for _, want := range []string{`<h1 class="govuk-panel__title">Concern logged</h1>`, "<strong>" + strconv.FormatInt(id, 10) + "</strong>", pupil.Name()} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("confirmation lacks %q", want)
			}
		}
		if shows(page.Body, "contact children's social care and/or the police now") {
			t.Error("a concern that is not urgent tells the member of staff to call the police now")
		}
		if !shows(page.Body, "The DSL and the deputy DSLs have been told by e-mail") || strings.Contains(page.Body, "alerted") {
			t.Error("the confirmation of a concern that is not urgent does not say plainly who has been told by e-mail")
		}

		staff := fx.viewer(t, "staff@demo.test")
		got, err := fx.app.DB.Concern(t.Context(), staff, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Route != safeguarding.RouteChild || len(got.Pupils) != 1 || got.Pupils[0].ID != pupil.ID {
			t.Errorf("route %s, pupils %+v; want the child route and %s", got.Route, got.Pupils, pupil.Name())
		}
		if want := []string{"missing", "older_partner", "unexplained_gifts", "vehicles"}; !slices.Equal(slices.Sorted(slices.Values(got.Indicators)), want) {
			t.Errorf("indicators %q, want %q", got.Indicators, want)
		}
		if !slices.Equal(got.Categories, []string{"cse"}) || got.Urgent || got.LoggedBy != staff.PersonID {
			t.Errorf("categories %q, urgent %v, logged by %d", got.Categories, got.Urgent, got.LoggedBy)
		}
		// The one child's words are theirs, as the child harmed or at risk.
		if len(got.Parts) != 1 || got.Parts[0].Part != safeguarding.PartHarmed || got.ChildsWords != "" ||
			got.Parts[0].ChildsWords != "He's my boyfriend, he's 22, he buys me stuff." || got.HappenedTime != "15:45" || got.Location != "Main gates" {
			t.Errorf("stored %+v (and %q on the concern) at %q in %q", got.Parts, got.ChildsWords, got.HappenedTime, got.Location)
		}
		entries, err := fx.app.DB.Chronology(t.Context(), staff, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Kind != safeguarding.EntryConcernLogged || entries[0].AuthorID != staff.PersonID {
			t.Errorf("chronology %+v, want the concern_logged entry first", entries)
		}

		// The concern is filed: the form is empty again, with a new token.
		again := c.get("/concerns/new")
		if shows(again.Body, "We have restored") || shows(again.Body, "You started a concern") || strings.Contains(again.Body, "silver car") {
			t.Error("the filed concern came back as a draft")
		}
	})

	t.Run("AboutThePrincipal", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		principal := fx.viewer(t, "principal@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("subject", "staff")
		form.Set("subject-person", strconv.FormatInt(principal.PersonID, 10))
		form.Set("category", "other")
		form.Del("indicator")
		id := loggedID(t, c.post("/concerns", form))
		got, err := fx.app.DB.Concern(t.Context(), fx.viewer(t, "staff@demo.test"), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Route != safeguarding.RoutePrincipal || got.SubjectPersonID != principal.PersonID {
			t.Errorf("route %s about %d, want the chair's route about the principal", got.Route, got.SubjectPersonID)
		}
		if page := c.get(fmt.Sprintf("/concerns/%d/logged", id)); !shows(page.Body, "chair of governors only") {
			t.Error("the confirmation does not say the concern goes to the chair")
		}
	})

	t.Run("AboutAnotherAdult", func(t *testing.T) {
		c := fx.app.signIn(t, "deputy@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("subject", "other_adult")
		form.Set("adult-name", "Man in a grey van")
		form.Set("adult-role", "visitor")
		id := loggedID(t, c.post("/concerns", form))
		got, err := fx.app.DB.Concern(t.Context(), fx.viewer(t, "deputy@demo.test"), id)
		if err != nil {
			t.Fatal(err)
		}
		// The pupil ticked is a child the concern involves: linked to it,
		// and the route still the adult's.
		if got.Route != safeguarding.RouteAdult || got.SubjectAdultName != "Man in a grey van" || got.SubjectAdultRole != "visitor" ||
			len(got.Pupils) != 1 || got.Pupils[0].ID != pupil.ID {
			t.Errorf("stored %+v", got)
		}
	})

	t.Run("ErrNobodyChoosesThemselves", func(t *testing.T) {
		c := fx.app.signIn(t, "principal@demo.test")
		principal := fx.viewer(t, "principal@demo.test")
		hidden := openForm(t, c)
		if form := c.get("/concerns/new"); strings.Contains(form.Body, fmt.Sprintf(`<option value="%d"`, principal.PersonID)) {
			t.Error("the principal is offered themselves as the subject")
		}
		form := cseConcern(hidden, pupil)
		form.Set("subject", "staff")
		form.Set("subject-person", strconv.FormatInt(principal.PersonID, 10))
		res := c.post("/concerns", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose the member of staff the concern is about") {
			t.Errorf("status %d, want 422 with a message", res.StatusCode)
		}
	})

	t.Run("ErrStoreRefusesAPupilOfNoSchool", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("pupil", "987654321")
		res := c.post("/concerns", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		if !strings.Contains(res.Body, `<a href="#pupil-query">Choose the child or children the concern is about</a>`) {
			t.Error("the store's EINVALID is not shown against the pupil search")
		}
	})
}

func TestConcernFormOffersEveryIndicator(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "staff@demo.test")
	res := c.get("/concerns/new")
	body := html.UnescapeString(res.Body)

	labels := regexp.MustCompile(`<label class="govuk-label govuk-checkboxes__label" for="indicator(?:-\d+)?">([^<]*)</label>`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range labels {
		got = append(got, m[1])
	}
	if !slices.Equal(got, policyIndicators) {
		t.Errorf("the form's CSE indicators differ from policy §5.2:\n got %q\nwant %q", got, policyIndicators)
	}
	for _, want := range []string{
		"Tick any you have noticed (policy §5.2)",
		"Child sexual exploitation (CSE)", "Self-harm or mental health", // first and last but one category
		"A child or children", "A member of staff", "Another adult (visitor, contractor, volunteer)",
		"Never upload, copy, forward or screenshot an image that may be an indecent image of a child",
		"Word for word, even if it is rude or unclear",
		"Is the child in immediate danger or at risk of immediate serious harm?",
		`formaction="/concerns/draft"`, `name="action" value="find"`,
		">Pat Principal – Principal</option>", // a concern about the principal can be logged by anyone
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	checkStrictCSP(t, res.Body)
	if strings.Contains(body, `type="file"`) {
		t.Error("the form has a file upload")
	}
	if regexp.MustCompile(`<option value="\d+">Sam Teacher`).MatchString(body) {
		t.Error("the form offers the member of staff themselves as the subject")
	}
}

func TestLogConcernValidation(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 10)
	c := fx.app.signIn(t, "staff@demo.test")
	words := `He said "stop it" & <script>alert('x')</script> then ran`

	form := cseConcern(openForm(t, c), pupil)
	form.Del("category")
	form.Set("what-happened", "   ")
	form.Set("childs-words", words)
	form.Set("happened-month", "13")
	form.Set("happened-time", "25:00")
	form.Del("urgent")
	res := c.post("/concerns", form)

	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	if !strings.Contains(res.Body, `class="govuk-error-summary"`) || !strings.Contains(res.Body, "<title>Error: Log a concern") {
		t.Error("no error summary, or the title does not start with Error:")
	}
	for field, msg := range map[string]string{
		"category":      "Select at least one category",
		"what-happened": "Describe what happened",
		"happened":      "The date it happened must be a real date",
		"happened-time": "Enter the time on the 24-hour clock",
		"urgent":        "Select yes if the child is in immediate danger",
	} {
		if !regexp.MustCompile(`<a href="#` + field + `">` + regexp.QuoteMeta(msg)).MatchString(res.Body) {
			t.Errorf("the error summary lacks %q linked to #%s", msg, field)
		}
	}
	if strings.Contains(res.Body, "<script>alert") {
		t.Fatal("the child's words were echoed unescaped")
	}
	if !strings.Contains(res.Body, html.EscapeString(words)) {
		t.Error("the child's words were not kept exactly")
	}
	for _, kept := range []string{`value="` + form.Get("happened-day") + `"`, `value="13"`, `value="25:00"`, `value="Main gates"`, ">Form tutor</textarea>", ">None yet</textarea>"} {
		if !strings.Contains(res.Body, kept) {
			t.Errorf("the typed value %s was not kept", kept)
		}
	}
	for name, values := range map[string][]string{"subject": {"pupils"}, "pupil": {strconv.FormatInt(pupil.ID, 10)}, "indicator": form["indicator"]} {
		for _, v := range values {
			if !checked(res.Body, name, v) {
				t.Errorf("%s=%s is no longer ticked", name, v)
			}
		}
	}
	if !shows(res.Body, pupil.Name()) {
		t.Error("the chosen pupil is no longer listed by name")
	}
	if !strings.Contains(res.Body, `value="`+form.Get("token")+`"`) {
		t.Error("the submission token changed on re-render")
	}

	t.Run("FutureDate", func(t *testing.T) {
		form := cseConcern(openForm(t, c), pupil)
		next := time.Now().AddDate(0, 0, 3)
		form.Set("happened-day", strconv.Itoa(next.Day()))
		form.Set("happened-month", strconv.Itoa(int(next.Month())))
		form.Set("happened-year", strconv.Itoa(next.Year()))
		if res := c.post("/concerns", form); !strings.Contains(res.Body, "The date it happened must be today or in the past") {
			t.Errorf("a future date was accepted: status %d", res.StatusCode)
		}
	})

	t.Run("EverythingMissing", func(t *testing.T) {
		res := c.post("/concerns", url.Values{"token": {form.Get("token")}})
		for _, msg := range []string{"Select who the concern is about", "Select at least one category", "Describe what happened", "Enter the date it happened", "Select yes if the child is in immediate danger"} {
			if !strings.Contains(res.Body, msg) {
				t.Errorf("missing %q", msg)
			}
		}
		form := url.Values{"token": {form.Get("token")}, "subject": {"pupils"}}
		if res := c.post("/concerns", form); !strings.Contains(res.Body, "Choose the child or children the concern is about") {
			t.Error("no message for a child concern without a child")
		}
	})

	if n := fx.count(t, `SELECT count(*) FROM concerns`); n != 0 {
		t.Errorf("%d concerns filed by invalid forms", n)
	}
}

func TestLogConcernTwiceFilesOne(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 8)
	c := fx.app.signIn(t, "staff@demo.test")

	t.Run("Resent", func(t *testing.T) {
		form := cseConcern(openForm(t, c), pupil)
		first, second := c.post("/concerns", form), c.post("/concerns", form)
		if a, b := loggedID(t, first), loggedID(t, second); a != b {
			t.Errorf("the resent form went to concern %d, the first to %d", b, a)
		}
		if n := fx.count(t, `SELECT count(*) FROM concerns WHERE submission_token = $1`, form.Get("token")); n != 1 {
			t.Errorf("%d concerns filed, want 1", n)
		}
	})

	t.Run("DoubleClick", func(t *testing.T) {
		form := cseConcern(openForm(t, c), pupil)
		var wg sync.WaitGroup
		locations := make([]string, 4)
		for i := range locations {
			wg.Go(func() {
				req, _ := http.NewRequest(http.MethodPost, fx.app.URL+"/concerns", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				res, err := c.http.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				locations[i] = fmt.Sprint(res.StatusCode, " ", res.Header.Get("Location"))
			})
		}
		wg.Wait()
		for _, l := range locations[1:] {
			if l != locations[0] || !strings.HasPrefix(l, "303 /concerns/") {
				t.Errorf("simultaneous submissions answered %q", locations)
				break
			}
		}
		if n := fx.count(t, `SELECT count(*) FROM concerns WHERE submission_token = $1`, form.Get("token")); n != 1 {
			t.Errorf("%d concerns filed, want 1", n)
		}
	})
}

func TestFindPupils(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 11)
	c := fx.app.signIn(t, "staff@demo.test")
	hidden := openForm(t, c)

	// Part of the surname, in capitals, filtered by the pupil's year group.
	part := strings.ToUpper(pupil.LastName[1:4])
	form := url.Values{
		"token": {hidden.Get("token")}, "author": {hidden.Get("author")}, "action": {"find"},
		"pupil-query": {part}, "pupil-year": {"11"},
		"what-happened": {"Crying in the toilets at break"}, "category": {"emotional_abuse"}, "location": {"Toilets by the hall"},
	}
	res := c.post("/concerns", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	if !regexp.MustCompile(`name="pupil" type="checkbox" value="` + strconv.FormatInt(pupil.ID, 10) + `"`).MatchString(res.Body) {
		t.Fatalf("%s is not offered as a checkbox after searching for %q in year 11", pupil.Name(), part)
	}
	if checked(res.Body, "pupil", strconv.FormatInt(pupil.ID, 10)) {
		t.Error("a pupil the search found is ticked before anyone ticked them")
	}
	for _, kept := range []string{">Crying in the toilets at break</textarea>", `value="Toilets by the hall"`, `value="` + part + `"`, `<option value="11" selected`} {
		if !strings.Contains(res.Body, kept) {
			t.Errorf("%s was not kept", kept)
		}
	}
	if !checked(res.Body, "category", "emotional_abuse") || !checked(res.Body, "subject", "pupils") {
		t.Error("the category or the subject was lost")
	}
	if found := strings.Count(res.Body, `name="pupil" type="checkbox"`); found > 30 {
		t.Errorf("%d pupils listed, want at most 30", found)
	}
	hints := regexp.MustCompile(`<div id="pupil(?:-\d+)?-item-hint" class="govuk-hint govuk-checkboxes__hint">([^<]*)</div>`).FindAllStringSubmatch(res.Body, -1)
	if len(hints) == 0 {
		t.Error("the pupils found have no details beneath their names")
	}
	for _, other := range hints {
		// Each pupil found says enough to tell them from another of the
		// same name: year, registration group (the demo's are "11H" and
		// the like) and date of birth.
		if !regexp.MustCompile(`^Year 11, registration group 11[A-Z]+, born \d{1,2} [A-Z][a-z]+ \d{4}$`).MatchString(other[1]) {
			t.Errorf("the search for year 11 listed a pupil as %q", other[1])
		}
	}

	t.Run("TickedPupilsStayListed", func(t *testing.T) {
		other := fx.pupil(t, 7)
		form.Set("pupil", strconv.FormatInt(pupil.ID, 10))
		form.Set("pupil-query", other.LastName)
		form.Set("pupil-year", "7")
		res := c.post("/concerns", form)
		if !checked(res.Body, "pupil", strconv.FormatInt(pupil.ID, 10)) {
			t.Error("a ticked pupil was dropped by a new search")
		}
		if !regexp.MustCompile(`name="pupil" type="checkbox" value="` + strconv.FormatInt(other.ID, 10) + `"`).MatchString(res.Body) {
			t.Error("the second search found nobody")
		}
	})

	t.Run("SavesTheDraft", func(t *testing.T) {
		if offer := c.get("/concerns/new"); !shows(offer.Body, "You started a concern on ") {
			t.Error("a search did not save the draft")
		}
		page := c.get("/concerns/new?draft=continue")
		if !strings.Contains(page.Body, "Crying in the toilets at break") {
			t.Error("continuing the draft lost what was typed")
		}
		if !strings.Contains(page.Body, `value="`+hidden.Get("token")+`"`) {
			t.Error("the restored draft lost its submission token")
		}
	})

	t.Run("ErrNothingToSearchFor", func(t *testing.T) {
		res := c.post("/concerns", url.Values{"token": {hidden.Get("token")}, "action": {"find"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter part of a name or choose a year group") {
			t.Errorf("status %d for an empty search", res.StatusCode)
		}
	})
}

func TestConcernDraft(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 12)

	t.Run("SaveDraftButton", func(t *testing.T) {
		c := fx.app.signIn(t, "staff@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("action", "draft")
		res := c.post("/concerns/draft", form)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Draft saved") {
			t.Fatalf("status %d, or no Draft saved banner", res.StatusCode)
		}
		if !strings.Contains(res.Body, "silver car") {
			t.Error("the form was not shown again with what was typed")
		}
		page := c.get("/concerns/new?draft=continue")
		if !strings.Contains(page.Body, "silver car") || !checked(page.Body, "indicator", "vehicles") || !checked(page.Body, "pupil", strconv.FormatInt(pupil.ID, 10)) {
			t.Error("the draft was not restored with its ticks")
		}
		if n := fx.count(t, `SELECT count(*) FROM concerns`); n != 0 {
			t.Errorf("saving a draft filed %d concerns", n)
		}

		t.Run("Discard", func(t *testing.T) {
			res := c.post("/concerns", url.Values{"action": {"discard"}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/concerns/new?draft=discarded" {
				t.Fatalf("discard: status %d to %q", res.StatusCode, res.Header.Get("Location"))
			}
			page := c.get(res.Header.Get("Location"))
			if strings.Contains(page.Body, "silver car") || shows(page.Body, "We have restored") || shows(page.Body, "You started a concern") {
				t.Error("the discarded draft came back")
			}
			if !shows(page.Body, "The concern you started has been deleted") {
				t.Error("starting again does not say the draft is gone")
			}
			if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 0 {
				t.Errorf("%d drafts left after starting again", n)
			}
		})
	})

	t.Run("Autosave", func(t *testing.T) {
		c := fx.app.signIn(t, "dsl@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		req, _ := http.NewRequest(http.MethodPost, fx.app.URL+"/concerns/draft", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Haven-Autosave", "1")
		if res := c.do(req); res.StatusCode != http.StatusNoContent {
			t.Fatalf("autosave: status %d, want 204", res.StatusCode)
		}
		if n := fx.count(t, `SELECT count(*) FROM concern_drafts WHERE form::text LIKE '%silver car%'`); n != 1 {
			t.Errorf("%d drafts stored, want 1", n)
		}
		loggedID(t, c.post("/concerns", form))
		if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 0 {
			t.Errorf("%d drafts left after the concern was logged", n)
		}
	})
}

// expireSessions ends every session as the idle timeout does: the row stays
// for a while, past its expiry.
func (f *concernFixture) expireSessions(t *testing.T) {
	t.Helper()
	if _, err := f.owner.Exec(t.Context(), `UPDATE sessions SET expiry = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
}

var nextField = regexp.MustCompile(`name="next" value="([^"]*)"`)

// signInFrom opens the sign-in page at location, as the browser redirected
// there would, and signs in as email with the page's form.
func signInFrom(t *testing.T, c *client, location, email string) (page, res response) {
	t.Helper()
	page = c.get(location)
	form := url.Values{"email": {email}, "password": {demoPassword}}
	if m := nextField.FindStringSubmatch(page.Body); m != nil {
		form.Set("next", html.UnescapeString(m[1]))
	}
	res = c.post("/sign-in", form)
	if res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/sign-in/code" {
		// Where they were going survives the second step.
		res = c.post("/sign-in/code", url.Values{"code": {c.app.code(t, email)}})
	}
	return page, res
}

func TestConcernSurvivesSessionExpiry(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 13)
	c := fx.app.signIn(t, "staff@demo.test")
	form := cseConcern(openForm(t, c), pupil)
	form.Set("what-happened", "Typed slowly, over forty minutes")

	// The session ends while the member of staff is typing.
	fx.expireSessions(t)
	res := c.post("/concerns", form)
	location := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(location, "/sign-in?") {
		t.Fatalf("status %d to %q, want a redirect to sign in", res.StatusCode, location)
	}
	if n := fx.count(t, `SELECT count(*) FROM concerns`); n != 0 {
		t.Fatal("a concern was filed without a session")
	}
	page, res := signInFrom(t, c, location, "staff@demo.test")
	if !strings.Contains(page.Body, "the concern you were writing has been kept") {
		t.Error("the sign-in page does not say the concern was kept")
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/concerns/new?draft=kept" {
		t.Fatalf("sign in: status %d to %q, want /concerns/new?draft=kept", res.StatusCode, res.Header.Get("Location"))
	}
	restored := c.get(res.Header.Get("Location"))
	if !shows(restored.Body, "We have restored the concern you were writing") || !strings.Contains(restored.Body, "Typed slowly, over forty minutes") {
		t.Fatal("the concern typed before the session ended was not restored")
	}
	if !checked(restored.Body, "indicator", "older_partner") || !strings.Contains(restored.Body, `value="`+form.Get("token")+`"`) {
		t.Error("the restored concern lost its ticks or its token")
	}
	if n := fx.count(t, `SELECT count(*) FROM sessions WHERE expiry <= now()`); n != 0 {
		t.Errorf("%d expired sessions outlived signing in again", n)
	}
	loggedID(t, c.post("/concerns", form))
}

func TestPendingConcernIsOnlyForItsAuthor(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 13)
	c := fx.app.signIn(t, "staff@demo.test")
	form := cseConcern(openForm(t, c), pupil)
	fx.expireSessions(t)
	location := c.post("/concerns", form).Header.Get("Location")

	// A colleague signs in on the same browser before the author comes back.
	if _, res := signInFrom(t, c, location, "staff01@demo.test"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", res.StatusCode)
	}
	if page := c.get("/concerns/new"); strings.Contains(page.Body, "silver car") || shows(page.Body, "We have restored") || shows(page.Body, "You started a concern") {
		t.Error("a colleague was shown a concern someone else was writing")
	}
	if n := fx.count(t, `SELECT count(*) FROM concern_drafts WHERE person_id <> $1`, fx.viewer(t, "staff@demo.test").PersonID); n != 0 {
		t.Errorf("%d drafts saved for the wrong person", n)
	}

	// The author gets it back, on another browser.
	author := fx.app.signIn(t, "staff@demo.test")
	if page := author.get("/concerns/new"); !shows(page.Body, "You started a concern on ") {
		t.Error("the author was not offered the concern they were writing")
	}
	if page := author.get("/concerns/new?draft=continue"); !strings.Contains(page.Body, "silver car") {
		t.Error("the author did not get back the concern they were writing")
	}
}

// A signed-out browser cannot make Haven keep anything: no session row for
// a post, nor a draft planted for someone else to find.
func TestSignedOutPostsStoreNothing(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 13)
	staff := fx.viewer(t, "staff@demo.test")

	t.Run("NoSessionRows", func(t *testing.T) {
		c := fx.app.newClient(t)
		big := url.Values{"what-happened": {strings.Repeat("x", 500<<10)}, "author": {strconv.FormatInt(staff.PersonID, 10)}}
		c.post("/concerns/draft", big)
		c.post("/concerns/draft", url.Values{"what-happened": {"Anything at all"}})
		c.post("/concerns", url.Values{"what-happened": {"Anything at all"}})
		c.get("/pupils/1")
		c.get("/sign-in")
		c.post("/sign-in", url.Values{"email": {"staff@demo.test"}, "password": {"wrong password"}})
		if n := fx.count(t, `SELECT count(*) FROM sessions`); n != 0 {
			t.Errorf("signed-out requests left %d session rows", n)
		}
		if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 0 {
			t.Errorf("signed-out requests left %d drafts", n)
		}
	})

	t.Run("PlantedDraftIsNotShown", func(t *testing.T) {
		c := fx.app.newClient(t)
		planted := cseConcern(url.Values{"author": {strconv.FormatInt(staff.PersonID, 10)}}, pupil)
		planted.Set("what-happened", "Planted by someone else")
		res := c.post("/concerns/draft", planted)
		if res.StatusCode != http.StatusSeeOther || strings.Contains(res.Header.Get("Location"), "concern-kept") {
			t.Fatalf("status %d to %q, want a plain redirect to sign in", res.StatusCode, res.Header.Get("Location"))
		}
		_, res = signInFrom(t, c, res.Header.Get("Location"), "staff@demo.test")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") == "/concerns/new" {
			t.Errorf("sign in: status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if page := c.get("/concerns/new"); strings.Contains(page.Body, "Planted by someone else") || shows(page.Body, "We have restored") || shows(page.Body, "You started a concern") {
			t.Error("a draft posted while signed out was shown as the person's own")
		}
	})

	t.Run("ErrTooLargeToKeep", func(t *testing.T) {
		c := fx.app.signIn(t, "staff01@demo.test")
		form := cseConcern(openForm(t, c), pupil)
		form.Set("what-happened", strings.Repeat("Far too long. ", 300<<10/14))
		fx.expireSessions(t)
		res := c.post("/concerns/draft", form)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "The form was too large") {
			t.Errorf("status %d, want 413 and the page saying the form was too large", res.StatusCode)
		}
		if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 0 {
			t.Errorf("%d drafts kept of a form too large to keep", n)
		}
	})
}

func TestUrgentConcernConfirmation(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "staff@demo.test")
	form := cseConcern(openForm(t, c), fx.pupil(t, 9))
	form.Set("urgent", "yes")
	page := c.get(fmt.Sprintf("/concerns/%d/logged", loggedID(t, c.post("/concerns", form))))
	if !shows(page.Body, ">"+urgentMessage+"</p>") {
		t.Error("the urgent confirmation does not tell the member of staff to contact social care or the police now")
	}
	if !shows(page.Body, "The DSL sees urgent concerns at the top of their queue") {
		t.Error("the urgent confirmation does not say where the DSL sees it")
	}
	if n := fx.count(t, `SELECT count(*) FROM concerns WHERE urgent`); n != 1 {
		t.Errorf("%d urgent concerns stored, want 1", n)
	}
}

func TestConcernLoggedPageIsTheLoggersOnly(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "staff@demo.test")
	path := fmt.Sprintf("/concerns/%d/logged", loggedID(t, c.post("/concerns", cseConcern(openForm(t, c), fx.pupil(t, 9)))))

	for _, email := range []string{"staff01@demo.test", "dsl@demo.test", "principal@demo.test", "chair@demo.test", "governor@demo.test", "admin@demo.test"} {
		if res := fx.app.signIn(t, email).get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opened someone else's confirmation: status %d", email, res.StatusCode)
		}
	}
	for _, p := range []string{"/concerns/999999/logged", "/concerns/abc/logged", "/concerns/0/logged"} {
		if res := c.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
		}
	}
	if res := fx.app.newClient(t).get(path); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: status %d, want a redirect to sign in", res.StatusCode)
	}
}

func TestOnlyPeopleWhoWorkWithChildrenLogConcerns(t *testing.T) {
	fx := newConcernFixture(t)
	for email, may := range map[string]bool{
		"staff@demo.test": true, "dsl@demo.test": true, "deputy@demo.test": true, "principal@demo.test": true,
		"chair@demo.test": false, "governor@demo.test": false, "admin@demo.test": false,
	} {
		c := fx.app.signIn(t, email)
		res := c.get("/concerns/new")
		if may != (res.StatusCode == http.StatusOK) {
			t.Errorf("%s: GET /concerns/new answered %d", email, res.StatusCode)
		}
		home := c.get("/home")
		if may != strings.Contains(home.Body, `href="/concerns/new"`) {
			t.Errorf("%s: the home page's link to the form is wrong", email)
		}
		if may {
			continue
		}
		for _, p := range []string{"/concerns", "/concerns/draft"} {
			if res := c.post(p, url.Values{"what-happened": {"x"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: POST %s answered %d, want 404", email, p, res.StatusCode)
			}
		}
	}
	if n := fx.count(t, `SELECT count(*) FROM concern_drafts`); n != 0 {
		t.Errorf("%d drafts saved by people who may not log concerns", n)
	}
}

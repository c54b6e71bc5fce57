package httpserver_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEachPupilsOwnPart files a concern about two pupils through the form,
// every field of each pupil's own marked with that pupil's marker (ALPHA-,
// BRAVO-), adds entries about each of them and about the whole concern,
// and reads each pupil's file from the store and as the page: neither ever
// holds the other's marker, and both hold what is shared.
func TestEachPupilsOwnPart(t *testing.T) {
	w := newChildWorld(t)
	w.now = time.Now().UTC()
	born := time.Date(2011, 2, 3, 0, 0, 0, 0, time.UTC)
	alpha := w.addPupil(t, w.app.SchoolID, "Ada", "Pemberton", 9, born)
	bravo := w.addPupil(t, w.app.SchoolID, "Bea", "Quantock", 9, born)
	a, b := strconv.FormatInt(alpha, 10), strconv.FormatInt(bravo, 10)

	staff := w.app.signIn(t, "staff@demo.test")
	hidden := openForm(t, staff)
	form := url.Values{"token": {hidden.Get("token")}, "author": {hidden.Get("author")}, "subject": {"pupils"},
		"pupil": {a, b}, "category": {"child_on_child"}, "what-happened": {"SHARED-account: a fight by the lockers."},
		"happened-day": {"2"}, "happened-month": {"3"}, "happened-year": {"2026"}, "urgent": {"no"},
		"childs-words": {"Whose words are these?"}}

	t.Run("SeveralChildrenAskEachOnesPart", func(t *testing.T) {
		// Ticked after the form was drawn: the words typed in the one box
		// are kept, and each child gets a section of their own.
		res := staff.post("/concerns", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for _, want := range []string{`name="child-` + a + `-part"`, `name="child-` + b + `-words"`, `name="child-` + a + `-indicator"`,
			"Whose words are these?", "Write each child&#39;s words in that child&#39;s own section", `href="#child-` + b + `-part"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})

	form.Del("childs-words")
	form.Set("child-"+a+"-part", "harmed")
	form["child-"+a+"-indicator"] = []string{"secretive", "withdrawn"}
	form.Set("child-"+a+"-words", "ALPHA-words: they always wait for me.")
	form.Set("child-"+b+"-part", "harmed_others")
	form["child-"+b+"-indicator"] = []string{"vehicles"}
	form.Set("child-"+b+"-words", "BRAVO-words: it was a joke.")
	id := loggedID(t, staff.post("/concerns", form))
	path := "/concerns/" + strconv.FormatInt(id, 10)

	dsl := w.app.signIn(t, "dsl@demo.test")
	t.Run("TheConcernPageShowsEveryChildsPart", func(t *testing.T) {
		page := dsl.get(path)
		for _, want := range []string{"ALPHA-words", "BRAVO-words", "The child who harmed", "The child harmed or at risk",
			"Entering or leaving vehicles driven by unknown adults", "Being secretive", "SHARED-account"} {
			if !shows(page.Body, want) {
				t.Errorf("the concern page lacks %q", want)
			}
		}
	})

	entry := func(vals url.Values) response {
		return dsl.post(path+"/entries", vals)
	}
	t.Run("AConversationNamesTheChild", func(t *testing.T) {
		res := entry(url.Values{"kind": {"conversation_with_child"}, "body": {"ALPHA-conversation: wants it to stop."}})
		if res.StatusCode != http.StatusUnprocessableEntity || !shows(res.Body, "Choose the child or children the conversation was with") ||
			!strings.Contains(res.Body, `href="#conversation_with_child-about"`) {
			t.Errorf("a conversation with no child named: status %d", res.StatusCode)
		}
		if !shows(res.Body, "ALPHA-conversation: wants it to stop.") {
			t.Error("what was typed is lost")
		}
	})
	for _, vals := range []url.Values{
		{"kind": {"conversation_with_child"}, "about": {a}, "body": {"ALPHA-conversation: wants it to stop."}},
		{"kind": {"decision"}, "about": {b}, "body": {"BRAVO-decision: restorative meeting."}, "reason": {"BRAVO-reason: first time."}},
		{"kind": {"referral"}, "about": {b}, "agency": {"early_help"}, "reference": {"BRAVO-REF-7"}, "referred_on-day": {"3"},
			"referred_on-month": {"3"}, "referred_on-year": {"2026"}, "body": {"BRAVO-referral notes"}},
		{"kind": {"action"}, "body": {"SHARED-action: spoke to both form tutors."}},
	} {
		if res := entry(vals); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add %s: status %d\n%s", vals.Get("kind"), res.StatusCode, res.Body)
		}
	}

	v := w.viewer(t, "dsl@demo.test")
	for _, tc := range []struct {
		name          string
		pupil         int64
		own, other    string
		ownIndicators []string
	}{
		{"Alpha", alpha, "ALPHA-", "BRAVO-", []string{"secretive", "withdrawn"}},
		{"Bravo", bravo, "BRAVO-", "ALPHA-", []string{"vehicles"}},
	} {
		t.Run(tc.name+"sFileIsTheirOwn", func(t *testing.T) {
			f, err := w.app.DB.ChildFile(t.Context(), v, tc.pupil, 0)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(stored), tc.other) {
				t.Errorf("the store's file holds the other pupil's %q:\n%s", tc.other, stored)
			}
			for _, want := range []string{tc.own + "words", "SHARED-account", "SHARED-action"} {
				if !strings.Contains(string(stored), want) {
					t.Errorf("the store's file lacks %q", want)
				}
			}
			var tallied []string
			for _, i := range f.Indicators {
				tallied = append(tallied, i.Indicator.Code)
			}
			if !slices.Equal(slices.Sorted(slices.Values(tallied)), tc.ownIndicators) {
				t.Errorf("indicators tallied %q, want only their own %q", tallied, tc.ownIndicators)
			}

			page := dsl.get("/pupils/" + strconv.FormatInt(tc.pupil, 10))
			if page.StatusCode != http.StatusOK {
				t.Fatalf("status %d", page.StatusCode)
			}
			if strings.Contains(page.Body, tc.other) {
				t.Errorf("the page holds the other pupil's %q", tc.other)
			}
			for _, want := range []string{tc.own + "words", "SHARED-account", "SHARED-action", `<span class="haven-print-only">another pupil</span>`} {
				if !shows(page.Body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
	t.Run("ReferralAboutOneIsOnlyOnTheirFile", func(t *testing.T) {
		if page := dsl.get("/pupils/" + a); strings.Contains(page.Body, "BRAVO-REF-7") {
			t.Error("the referral about Bravo is on Alpha's file")
		}
		if page := dsl.get("/pupils/" + b); !strings.Contains(page.Body, "BRAVO-REF-7") {
			t.Error("the referral about Bravo is not on Bravo's file")
		}
	})
}

// TestChildPartsDraft: each child's own fields are kept in the draft as the
// person types (draft.js posts the whole form), and come back in place.
func TestChildPartsDraft(t *testing.T) {
	w := newChildWorld(t)
	born := time.Date(2011, 2, 3, 0, 0, 0, 0, time.UTC)
	a := strconv.FormatInt(w.addPupil(t, w.app.SchoolID, "Ada", "Pemberton", 9, born), 10)
	b := strconv.FormatInt(w.addPupil(t, w.app.SchoolID, "Bea", "Quantock", 9, born), 10)
	c := w.app.signIn(t, "staff@demo.test")
	hidden := openForm(t, c)
	form := url.Values{"token": {hidden.Get("token")}, "author": {hidden.Get("author")}, "subject": {"pupils"}, "pupil": {a, b},
		"child-" + a + "-part": {"harmed"}, "child-" + b + "-part": {"witness"}, "child-" + b + "-words": {"BRAVO-draft words"},
		"child-" + b + "-indicator": {"missing"}}
	req, _ := http.NewRequest(http.MethodPost, w.app.URL+"/concerns/draft", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Haven-Autosave", "1")
	if res := c.do(req); res.StatusCode != http.StatusNoContent {
		t.Fatalf("autosave: status %d, want 204", res.StatusCode)
	}
	page := c.get("/concerns/new?draft=continue") // "Continue it", as the draft is offered
	if !shows(page.Body, "BRAVO-draft words") || !checked(page.Body, "child-"+b+"-part", "witness") || !checked(page.Body, "child-"+b+"-indicator", "missing") {
		t.Errorf("the second child's own fields did not come back with the draft")
	}
}

package httpserver

// Fuzz targets for every decoder of what a browser (or anyone pretending to
// be one) sends Haven. Each asserts what the rest of Haven relies on, not
// only that nothing panics. Their seeds run with the ordinary tests; `make
// fuzz` runs each target for a while.

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// fuzzToday is the date the validators are told it is.
var fuzzToday = time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)

// nastyStrings are values worth putting in any field.
var nastyStrings = []string{
	"", " ", "\t\r\n", "0", "-1", "+1", "1e3", "0x10", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `'; DROP TABLE concerns; --`, `Robert'); DELETE FROM pupils;--`,
	"before\x00after", "\x00", "esc\x1b[31m", "caf\xe9\xff", "\u202eevil\u202c", "👩\u200d👧 Zoë", "\r\nSet-Cookie: evil=1",
	"%00", "%ZZ", "&amp;", "a=b&c=d", strings.Repeat("x", 20001),
}

// renderedIDs renders c and returns its HTML and the ids of its elements.
func renderedIDs(t testing.TB, c templ.Component) (string, map[string]bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(buf.String(), -1) {
		ids[html.UnescapeString(m[1])] = true
	}
	return buf.String(), ids
}

var idAttr = regexp.MustCompile(`\sid="([^"]*)"`)

// pageIDs caches the ids of the elements of a page, by the page's name:
// they do not depend on what was typed, and rendering a page for every
// fuzz input would leave little time for fuzzing.
var pageIDs sync.Map

func idsOf(t testing.TB, name string, c func() templ.Component) map[string]bool {
	if ids, ok := pageIDs.Load(name); ok {
		return ids.(map[string]bool)
	}
	_, ids := renderedIDs(t, c())
	pageIDs.Store(name, ids)
	return ids
}

// checkErrorLinks fails unless each error is for a different field, has a
// message, and names an element the page has, so that the error summary's
// link (href="#field") lands on the field.
func checkErrorLinks(t *testing.T, errs web.Errors, ids map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range errs {
		if seen[e.Field] {
			t.Errorf("two messages for field %q", e.Field)
		}
		seen[e.Field] = true
		if e.Message == "" {
			t.Errorf("field %q has an empty message", e.Field)
		}
		if !ids[e.Field] {
			t.Errorf("the error for %q (%q) links to no element of the page", e.Field, e.Message)
		}
	}
}

// TestErrorSummaryLinksToFields renders each form with an error for every
// field and checks the summary links to it, so that the fuzz targets may
// check error fields against the ids of the page alone.
func TestErrorSummaryLinksToFields(t *testing.T) {
	var errs web.Errors
	for _, field := range []string{"subject", "pupil-query", "subject-person", "adult-name", "adult-role", "category", "indicator",
		"what-happened", "childs-words", "happened", "happened-time", "location", "others-told", "actions-taken", "urgent"} {
		errs = append(errs, web.FieldError{Field: field, Message: "Problem with " + field})
	}
	pages := map[string]templ.Component{"concern form": concernFuzzPage(web.ConcernForm{}, errs)}
	for _, kind := range postedKinds {
		var errs web.Errors
		for _, field := range entryFieldOrder {
			errs = append(errs, web.FieldError{Field: web.EntryFieldID(string(kind), field), Message: "Problem with " + field})
		}
		pages[string(kind)] = entryFuzzPage(string(kind), errs, web.EntryDraft{Kind: string(kind)})
	}
	for name, c := range pages {
		page, ids := renderedIDs(t, c)
		for _, e := range errs {
			if ids[e.Field] && !strings.Contains(page, `href="#`+html.EscapeString(e.Field)+`"`) {
				t.Errorf("%s: the error summary has no link to #%s", name, e.Field)
			}
		}
		if name == "concern form" {
			for _, e := range errs {
				if !ids[e.Field] {
					t.Errorf("the concern form has no field %q", e.Field)
				}
			}
		}
	}
}

// checkClean fails unless s can be stored as PostgreSQL text and jsonb, as
// cleanText promises.
func checkClean(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not UTF-8: %q", what, s)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return !keptRune(r) }) {
		t.Errorf("%s holds a control character: %q", what, s)
	}
}

// concernFuzzOptions are reference lists and a roster like the demo school's.
var concernFuzzOptions = concernOptions{
	ConcernChoices: safeguarding.ConcernChoices{
		Categories: []safeguarding.Category{{Code: "cse", Label: "Child sexual exploitation"}, {Code: "neglect", Label: "Neglect"},
			{Code: "self_harm", Label: "Self-harm"}, {Code: "other", Label: "Other"}},
		Indicators: []safeguarding.Indicator{{Code: "unexplained_gifts", Label: "Unexplained gifts"}, {Code: "vehicles", Label: "Vehicles"},
			{Code: "missing", Label: "Going missing"}},
		Staff: []safeguarding.StaffMember{{ID: 4, Name: "Sam Teacher", JobTitle: "Teacher"}, {ID: 9, Name: "Pat Principal", JobTitle: "Principal"}},
	},
	years: []int{7, 8, 9, 10, 11, 12, 13},
}

func concernFuzzPage(f web.ConcernForm, errs web.Errors) templ.Component {
	return concernFuzzPageOf(web.ConcernFormPage{Form: f, Errors: errs})
}

// concernFuzzPageOf is the concern form p with the fuzz tests' lists.
func concernFuzzPageOf(p web.ConcernFormPage) templ.Component {
	p.YearGroups, p.Pupils = concernFuzzOptions.years, []web.PupilChoice{{ID: 12, Name: "Ann Example", YearGroup: 9}}
	for _, m := range concernFuzzOptions.Staff {
		p.Staff = append(p.Staff, web.StaffChoice{ID: m.ID, Name: m.Name, JobTitle: m.JobTitle})
	}
	for _, c := range concernFuzzOptions.Categories {
		p.Categories = append(p.Categories, web.CodeLabel{Code: c.Code, Label: c.Label})
	}
	for _, i := range concernFuzzOptions.Indicators {
		p.Indicators = append(p.Indicators, web.CodeLabel{Code: i.Code, Label: i.Label})
	}
	return web.NewConcernPage(web.Page{Title: "Log a concern", SignedIn: true}, p)
}

// aConcern is a complete, valid concern form.
func aConcern() url.Values {
	return url.Values{
		"token": {"0b9c7a52-3f1e-4d6a-9c1b-2a7e5f3d8c41"}, "author": {"4"}, "subject": {"pupils"}, "pupil": {"12", "31"},
		"category": {"cse"}, "indicator": {"vehicles", "missing"}, "what-happened": {"Seen getting into a silver car after school."},
		"childs-words": {"He's my boyfriend, he's 22."}, "happened-day": {"26"}, "happened-month": {"3"}, "happened-year": {"2026"},
		"happened-time": {"3:45pm"}, "location": {"Main gates"}, "others-told": {"Form tutor"}, "actions-taken": {"None yet"}, "urgent": {"no"},
	}
}

// FuzzConcernForm posts arbitrary concern forms through the decoder and the
// validator.
func FuzzConcernForm(f *testing.F) {
	f.Add(aConcern().Encode())
	staff := aConcern()
	staff.Set("subject", "staff")
	staff.Set("subject-person", "9")
	f.Add(staff.Encode())
	adult := aConcern()
	adult.Set("subject", "other_adult")
	adult.Set("adult-name", "A visitor")
	adult.Set("adult-role", "élève")
	f.Add(adult.Encode())
	f.Add("")
	f.Add("subject=pupils&pupil=0&pupil=-1&pupil=99999999999999999999&category=nope&indicator=vehicles&indicator=vehicles")
	f.Add("subject=other_adult&adult-name=%00&what-happened=%FF%FE&happened-day=31&happened-month=2&happened-year=2026&urgent=yes")
	f.Add("subject=staff&subject-person=4&category=cse&category=cse&what-happened=x&happened-day=28&happened-month=3&happened-year=2026&urgent=no")
	f.Add("what-happened=%3Cscript%3Ealert(1)%3C%2Fscript%3E&happened-time=25:00&happened-day=+1&happened-month=%201&happened-year=1899")
	f.Add("token=;&author=%0D%0A&subject=%22%3E%3Cimg&happened-time=12am&urgent=maybe&%00=%00")
	for _, s := range nastyStrings {
		v := aConcern()
		for _, field := range []string{"what-happened", "childs-words", "location", "happened-time", "happened-day", "pupil", "category", "subject"} {
			v.Set(field, s)
		}
		f.Add(v.Encode())
	}

	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return // r.ParseForm fails and the handler answers before decoding
		}
		form := postedConcernForm(vals)

		// The decoder keeps what was typed, cleaned, and nothing else.
		if !validToken(form.Token) {
			t.Fatalf("the submission token %q is not a token", form.Token)
		}
		if form.WhatHappened != cleanText(vals.Get("what-happened")) || form.ChildsWords != cleanText(vals.Get("childs-words")) ||
			form.AdultName != cleanText(vals.Get("adult-name")) || form.Location != cleanText(vals.Get("location")) {
			t.Fatal("the decoder changed what was typed")
		}
		for _, ss := range [][]string{form.PupilIDs, form.Categories, form.Indicators} {
			if slices.Contains(ss, "") || len(slices.Compact(slices.Sorted(slices.Values(ss)))) != len(ss) {
				t.Fatalf("repeated or empty choices: %q", ss)
			}
		}
		b, err := json.Marshal(form)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{form.Token, form.Author, form.Subject, form.PupilQuery, form.PupilYear, form.SubjectPerson,
			form.AdultName, form.AdultRole, form.WhatHappened, form.ChildsWords, form.HappenedDay, form.HappenedMonth,
			form.HappenedYear, form.HappenedTime, form.Location, form.OthersTold, form.ActionsTaken, form.Urgent} {
			checkClean(t, "a form field", s)
		}
		// The draft (jsonb) gives back the same form.
		if bytes.Contains(b, []byte(`\u0000`)) {
			t.Fatalf("the draft holds NUL, which jsonb refuses: %s", b)
		}
		var restored web.ConcernForm
		if err := json.Unmarshal(b, &restored); err != nil {
			t.Fatal(err)
		}
		if !formsEqual(restored, form) {
			t.Fatalf("the draft does not restore the form:\n%+v\n%+v", restored, form)
		}

		in, checked := validateConcern(form, concernFuzzOptions, fuzzToday)
		// The page shows the pupil on the roll (12) if ticked; each message
		// is placed where the page has its field, as renderConcernForm does.
		page := web.ConcernFormPage{Form: form, Errors: checked.Errors}
		if slices.Contains(form.PupilIDs, "12") {
			page.Chosen = []web.PupilChoice{{ID: 12, Name: "Ann Example", YearGroup: 9}}
		}
		page.PlaceErrors()
		_, ids := renderedIDs(t, concernFuzzPageOf(page))
		checkErrorLinks(t, page.Errors, ids)
		if !checked.Valid() {
			return
		}

		// A concern that passes is one the store may file.
		for _, s := range []string{in.SubjectAdultName, in.SubjectAdultRole, in.WhatHappened, in.ChildsWords, in.HappenedTime,
			in.Location, in.OthersTold, in.ActionsTaken} {
			checkClean(t, "a filed field", s)
		}
		switch in.SubjectKind {
		case safeguarding.SubjectPupils:
			if len(in.PupilIDs) == 0 || slices.ContainsFunc(in.PupilIDs, func(id int64) bool { return id <= 0 }) {
				t.Fatalf("pupils %v", in.PupilIDs)
			}
		case safeguarding.SubjectStaff:
			if !slices.ContainsFunc(concernFuzzOptions.Staff, func(m safeguarding.StaffMember) bool { return m.ID == in.SubjectPersonID }) {
				t.Fatalf("member of staff %d is not on the roster", in.SubjectPersonID)
			}
		case safeguarding.SubjectOtherAdult:
			if strings.TrimSpace(in.SubjectAdultName) == "" || !MaxChars(in.SubjectAdultName, 200) || !MaxChars(in.SubjectAdultRole, 100) {
				t.Fatalf("adult %q (%q)", in.SubjectAdultName, in.SubjectAdultRole)
			}
		default:
			t.Fatalf("subject kind %q", in.SubjectKind)
		}
		if len(in.Categories) == 0 {
			t.Fatal("a valid concern has no category")
		}
		for _, c := range in.Categories {
			if !slices.ContainsFunc(concernFuzzOptions.Categories, func(x safeguarding.Category) bool { return x.Code == c }) {
				t.Fatalf("category %q is not on the list", c)
			}
		}
		for _, i := range in.Indicators {
			if !slices.ContainsFunc(concernFuzzOptions.Indicators, func(x safeguarding.Indicator) bool { return x.Code == i }) {
				t.Fatalf("indicator %q is not on the list", i)
			}
		}
		if strings.TrimSpace(in.WhatHappened) == "" || !MaxChars(in.WhatHappened, 20000) || !MaxChars(in.ChildsWords, 20000) {
			t.Fatal("what happened is blank or too long")
		}
		if in.HappenedOn.IsZero() || in.HappenedOn.After(fuzzToday) || in.HappenedOn.Year() < 1900 {
			t.Fatalf("happened on %v", in.HappenedOn)
		}
		if in.HappenedTime != "" && !clock24.MatchString(in.HappenedTime) {
			t.Fatalf("time %q", in.HappenedTime)
		}
		if !MaxChars(in.Location, 500) || !MaxChars(in.OthersTold, 5000) || !MaxChars(in.ActionsTaken, 5000) {
			t.Fatal("a text is over its limit")
		}
		if in.Urgent != (form.Urgent == "yes") || (form.Urgent != "yes" && form.Urgent != "no") {
			t.Fatalf("urgent %v from %q", in.Urgent, form.Urgent)
		}
		if in.SubmissionToken != form.Token {
			t.Fatal("the submission token is lost")
		}
	})
}

func formsEqual(a, b web.ConcernForm) bool {
	norm := func(f web.ConcernForm) web.ConcernForm {
		for _, ss := range []*[]string{&f.PupilIDs, &f.Categories, &f.Indicators} {
			if len(*ss) == 0 {
				*ss = nil
			}
		}
		return f
	}
	x, _ := json.Marshal(norm(a))
	y, _ := json.Marshal(norm(b))
	return bytes.Equal(x, y)
}

var clock24 = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// FuzzParseClock: a time that parses is HH:MM on the 24-hour clock, and
// parses again to itself.
func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"14:30", "9.05", "2:30pm", "2pm", "12am", "12pm", "0:00", "23:59", "24:00", "13pm", "0am", "9",
		"2:30 p.m.", "2.30PM", " 07:05 ", "99:99", "1:5", "١٢:٣٠", "12:30\n", "02:30am\x00"} {
		f.Add(s)
	}
	for _, s := range nastyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseClock(s)
		if !ok {
			if got != "" {
				t.Fatalf("parseClock(%q) failed but returned %q", s, got)
			}
			return
		}
		if !clock24.MatchString(got) {
			t.Fatalf("parseClock(%q) = %q", s, got)
		}
		if again, ok := parseClock(got); !ok || again != got {
			t.Fatalf("parseClock(%q) = %q, which parses to %q, %v", s, got, again, ok)
		}
	})
}

// FuzzParseIDs: the ids a form names are positive, distinct, and each is
// what one of the values says.
func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{"12,31", "12,12,0,-4", "007,7", "+5", "9223372036854775807,9223372036854775808", ",,,", "1 ,2", "١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		values := strings.Split(list, ",")
		ids := parseIDs(values)
		seen := map[int64]bool{}
		for _, id := range ids {
			if id <= 0 || seen[id] {
				t.Fatalf("parseIDs(%q) = %v", values, ids)
			}
			seen[id] = true
			if !slices.ContainsFunc(values, func(v string) bool { n, err := strconv.ParseInt(v, 10, 64); return err == nil && n == id }) {
				t.Fatalf("id %d is in none of %q", id, values)
			}
		}
		for _, v := range values {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && !seen[n] {
				t.Fatalf("parseIDs(%q) lost %d", values, n)
			}
		}
	})
}

// FuzzPathID: an id from a URL (a concern, a pupil, "My concerns"' after)
// is positive or 0, and the links Haven makes with it lead back to it.
func FuzzPathID(f *testing.F) {
	for _, s := range []string{"42", "0", "-1", "+42", "042", "4.2", "42abc", "9223372036854775807", "9223372036854775808", " 42", "%34%32"} {
		f.Add(s)
	}
	for _, s := range nastyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := pathID(s)
		if id < 0 {
			t.Fatalf("pathID(%q) = %d", s, id)
		}
		if id == 0 {
			return
		}
		if n, err := strconv.ParseInt(s, 10, 64); err != nil || n != id {
			t.Fatalf("pathID(%q) = %d", s, id)
		}
		canonical := strconv.FormatInt(id, 10)
		if pathID(canonical) != id {
			t.Fatalf("pathID(%q) != %d", canonical, id)
		}
		// The "My concerns" next-page link carries the id in its query.
		next, err := url.Parse("/my-concerns?after=" + canonical)
		if err != nil || pathID(next.Query().Get("after")) != id {
			t.Fatalf("the link after %d does not lead back to it", id)
		}
	})
}

// FuzzParseDate: a date that parses is a real date at midnight UTC with the
// day, month and year typed.
func FuzzParseDate(f *testing.F) {
	for _, d := range [][3]string{{"27", "3", "2026"}, {"31", "2", "2026"}, {"29", "2", "2024"}, {"29", "2", "2100"}, {"0", "1", "2026"},
		{"1", "13", "2026"}, {"1", "1", "1899"}, {"31", "12", "9999"}, {"1", "1", "10000"}, {" 07 ", "+3", "2026"}, {"", "", ""},
		{"9223372036854775807", "1", "2026"}, {"1", "1", "-2026"}, {"1\x00", "1", "2026"}, {"١", "1", "2026"}} {
		f.Add(d[0], d[1], d[2])
	}
	f.Fuzz(func(t *testing.T, day, month, year string) {
		got, ok := ParseDate(day, month, year)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("ParseDate(%q, %q, %q) failed but returned %v", day, month, year, got)
			}
			return
		}
		num := func(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }
		if got.Day() != num(day) || int(got.Month()) != num(month) || got.Year() != num(year) {
			t.Fatalf("ParseDate(%q, %q, %q) = %v", day, month, year, got)
		}
		if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q, %q, %q) = %v, not a UTC midnight", day, month, year, got)
		}
		if got.Year() < 1900 || got.Year() > 9999 {
			t.Fatalf("ParseDate(%q, %q, %q) = %v", day, month, year, got)
		}
		again, ok := ParseDate(strconv.Itoa(got.Day()), strconv.Itoa(int(got.Month())), strconv.Itoa(got.Year()))
		if !ok || !again.Equal(got) {
			t.Fatalf("%v does not round-trip: %v, %v", got, again, ok)
		}
		if _, err := time.Parse(time.DateOnly, got.Format(time.DateOnly)); err != nil {
			t.Fatalf("%v is not a date the store reads back: %v", got, err)
		}
	})
}

// entryFuzzPage is the concern page as a case handler sees it when the form
// for kind is on it: a concern that is open, or closed for reopening.
func entryFuzzPage(kind string, errs web.Errors, typed web.EntryDraft) templ.Component {
	v := web.ConcernView{Reference: "1", EntriesAction: "/concerns/1/entries", Subject: "Ann Example",
		Errors: errs, Typed: typed, FullRecord: true, FurtherInformation: kind == string(safeguarding.EntryFurtherInformation),
		Triage: &web.TriageControls{Open: kind != string(safeguarding.EntryReopened), CanAcknowledge: true, CanStart: true,
			Assignees:    []web.Option{{Value: "", Label: "Choose a DSL or deputy"}, {Value: "7", Label: "Dana Lead"}},
			Entries:      []web.Option{{Value: "", Label: "Choose an entry"}, {Value: "3", Label: "Entry 1: Concern logged"}},
			ReferrerName: "Sam Teacher", TimedKinds: []string{"action", "conversation_with_child", "contact_with_parents", "decision",
				"referral", "referral_response", "feedback", "outcome"},
			Referrals: []web.Option{{Value: "", Label: "Choose a referral"}, {Value: "4", Label: "Police, referred 26 March 2026"}},
			Awaiting:  []string{"Police, referred 26 March 2026"}}}
	for _, a := range safeguarding.Agencies {
		v.Triage.Agencies = append(v.Triage.Agencies, web.Choice{Value: string(a), Label: a.Label()})
	}
	if v.Triage.Open {
		v.BodyMap = &web.BodyMapForm{Outlines: bodyOutlines}
	}
	return web.ConcernPage(web.Page{Title: v.Title(), SignedIn: true}, v)
}

// anEntry is a valid form for each kind of entry the page posts.
var anEntry = map[safeguarding.EntryKind]url.Values{
	safeguarding.EntryFurtherInformation: {"body": {"She said it happened again on Friday."}},
	safeguarding.EntryAcknowledged:       {},
	safeguarding.EntryAssigned:           {"assignee": {"7"}},
	safeguarding.EntryStatusChanged:      {"to_status": {"in_progress"}},
	safeguarding.EntryAction:             {"body": {"Phoned the form tutor."}},
	safeguarding.EntryConversationChild:  {"body": {"She wants her mum told."}},
	safeguarding.EntryContactParents:     {"body": {"Spoke to mum."}, "safe_to_tell": {"yes"}, "judgement": {"No risk from mum."}},
	safeguarding.EntryDecision:           {"body": {"Refer to CSC."}, "reason": {"Meets the threshold."}},
	safeguarding.EntryReferral: {"agency": {"other"}, "agency_other": {"School nurse"}, "reference": {"REF-1"},
		"referred_on-day": {"26"}, "referred_on-month": {"3"}, "referred_on-year": {"2026"}, "body": {"Sent by e-mail."}},
	safeguarding.EntryReferralResponse: {"referral": {"4"}, "agency_action": {"An assessment."}, "agency_contact": {"A social worker"},
		"responded_on-day": {"26"}, "responded_on-month": {"3"}, "responded_on-year": {"2026"},
		"statutory": {"no"}, "next_step": {"early_help"}, "next_step_reason": {"The family agreed."}},
	safeguarding.EntryFeedback:   {"body": {"Thank you: we have referred it."}},
	safeguarding.EntryOutcome:    {"body": {"Support in place."}},
	safeguarding.EntryCorrection: {"corrects": {"3"}, "body": {"The date was the 25th."}},
	safeguarding.EntryClosed:     {"body": {"Support in place; closed."}},
	safeguarding.EntryReopened:   {"body": {"New information."}},
	safeguarding.EntryBodyMap:    {"region": {"front:left_forearm"}, "x": {"150"}, "y": {"190"}, "description": {"Bruise, 3 cm."}},
}

// FuzzEntryForm posts arbitrary chronology entry forms through the decoder
// and the validator.
func FuzzEntryForm(f *testing.F) {
	entry := func(kind safeguarding.EntryKind) url.Values {
		v := url.Values{"kind": {string(kind)}}
		for name, values := range anEntry[kind] {
			v[name] = values
		}
		return v
	}
	for _, kind := range postedKinds {
		f.Add(entry(kind).Encode())
	}
	for i, s := range nastyStrings { // each nasty value in every field of one kind of form
		v := entry(postedKinds[i%len(postedKinds)])
		for _, name := range []string{"body", "reason", "judgement", "reference", "agency_other", "referred_on-day", "corrects", "assignee",
			"agency_action", "agency_contact", "no_response_reason", "happened_reason", "happened_at-time", "referral",
			"region", "x", "description"} {
			v.Set(name, s)
		}
		f.Add(v.Encode())
	}
	f.Add("kind=referral&agency=nope&referred_on-day=31&referred_on-month=2&referred_on-year=2026")
	f.Add("kind=referral&agency=police&referred_on-day=1&referred_on-month=1&referred_on-year=2027")
	f.Add("kind=contact_with_parents&safe_to_tell=no&judgement=%20")
	f.Add("kind=status_changed&to_status=closed")
	f.Add("kind=concern_logged&body=x")
	for _, kind := range []string{"acknowledged", "assigned", "status_changed"} { // forms with no text, sent some
		f.Add("kind=" + kind + "&assignee=7&to_status=in_progress&body=" + strings.Repeat("x", maxEntryBody+1))
	}

	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		draft := entryDraftFrom(vals)
		for _, s := range []string{draft.Kind, draft.Body, draft.Reason, draft.Judgement, draft.Agency, draft.AgencyOther, draft.Reference,
			draft.ReferredDay, draft.ReferredMonth, draft.ReferredYear, draft.Corrects, draft.Assignee,
			draft.AgencyAction, draft.AgencyContact, draft.NoResponseWhy, draft.HappenedReason, draft.HappenedTime, draft.Referral,
			draft.Region, draft.X, draft.Y, draft.Description} {
			checkClean(t, "an entry field", s)
		}
		if draft.Body != cleanText(vals.Get("body")) || draft.Reason != cleanText(vals.Get("reason")) {
			t.Fatal("the decoder changed what was typed")
		}
		kind := safeguarding.EntryKind(draft.Kind)
		if !slices.Contains(postedKinds, kind) {
			return // the handler answers 404 before validating
		}
		in, checked := validateEntry(draft, vals.Get("to_status"), fuzzToday)
		if in.Kind != kind {
			t.Fatalf("kind %q became %q", kind, in.Kind)
		}
		checkErrorLinks(t, checked.Errors, idsOf(t, draft.Kind, func() templ.Component { return entryFuzzPage(draft.Kind, nil, web.EntryDraft{}) }))
		if !checked.Valid() {
			return
		}

		// An entry that passes is one the domain accepts, with only the
		// details its kind has.
		if p := in.Problems(fuzzToday); len(p) > 0 {
			t.Fatalf("a valid form has problems %v", p)
		}
		d := in.Details
		for _, s := range []string{in.Body, d.Reason, d.Judgement, d.AgencyOther, d.Reference, d.AgencyAction, d.AgencyContact, d.NoResponseWhy, d.HappenedReason} {
			checkClean(t, "an entry's text", s)
			if s != strings.TrimSpace(s) {
				t.Fatalf("%q is not trimmed", s)
			}
		}
		if !MaxChars(in.Body, maxEntryBody) || !MaxChars(d.Reason, maxEntryField) || !MaxChars(d.Judgement, maxEntryField) ||
			!MaxChars(d.AgencyOther, maxEntryField) || !MaxChars(d.Reference, maxEntryField) {
			t.Fatal("a text is over its limit")
		}
		if (d.Reason != "") != (kind == safeguarding.EntryDecision) && d.Reason != "" {
			t.Fatalf("a %s has a reason", kind)
		}
		if kind != safeguarding.EntryContactParents && (d.Judgement != "" || d.SafeToTell) {
			t.Fatalf("a %s has a judgement", kind)
		}
		if kind != safeguarding.EntryReferral && (d.Agency != "" || d.AgencyOther != "" || d.Reference != "" || d.ReferredOn != "") {
			t.Fatalf("a %s has referral details", kind)
		}
		if !in.HappenedAt.IsZero() && (!kind.MayBeBackDated() || in.HappenedAt.After(fuzzToday)) {
			t.Fatalf("a %s said to happen at %s", kind, in.HappenedAt)
		}
		if d.AgencyOther != "" && d.Agency != safeguarding.AgencyOtherAgent {
			t.Fatalf("agency %q with another agency named", d.Agency)
		}
		if kind == safeguarding.EntryReferral {
			on, err := time.Parse(time.DateOnly, d.ReferredOn)
			if err != nil || on.After(fuzzToday) {
				t.Fatalf("a referral on %q", d.ReferredOn)
			}
		}
		if (in.CorrectsID != 0) != (kind == safeguarding.EntryCorrection) || in.CorrectsID < 0 {
			t.Fatalf("a %s corrects %d", kind, in.CorrectsID)
		}
		if (d.AssigneeID != 0) != (kind == safeguarding.EntryAssigned) || d.AssigneeID < 0 {
			t.Fatalf("a %s assigns %d", kind, d.AssigneeID)
		}
		if b, err := json.Marshal(d); err != nil || bytes.Contains(b, []byte(`\u0000`)) {
			t.Fatalf("details %s cannot be stored as jsonb: %v", b, err)
		}
	})
}

// FuzzQueueChoice: the queue's filter reads any query, and the links the
// page makes with it lead back to the same filter.
func FuzzQueueChoice(f *testing.F) {
	for _, s := range []string{"", "status=all", "status=closed&category=cse&year=9&assignee=me", "assignee=none", "assignee=7",
		"assignee=-7&year=-9&status=bogus", "year=+9&assignee=007", "year=99999999999999999999", "category=%00", "category=%FF",
		"category=%3Cscript%3E&status=new&after=MC4xLjE", "status=open&status=all", "year=0&assignee=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return // the handler reads what parses; r.URL.Query drops the rest
		}
		c := queueChoiceFrom(q)
		if !slices.ContainsFunc(queueStatuses, func(o web.Option) bool { return o.Value == c.Status }) {
			t.Fatalf("status %q is not a choice", c.Status)
		}
		checkClean(t, "the category", c.Category)
		if c.Year != "" {
			if y, err := strconv.Atoi(c.Year); err != nil || y <= 0 || strconv.Itoa(y) != c.Year {
				t.Fatalf("year %q", c.Year)
			}
		}
		filter := c.filter(safeguarding.Viewer{PersonID: 4})
		if filter.AssignedTo < 0 || filter.YearGroup < 0 || (filter.Unassigned && filter.AssignedTo != 0) {
			t.Fatalf("filter %+v", filter)
		}
		at := safeguarding.QueuePosition{Group: 1, Key: -12345, ID: 67}
		for _, param := range []string{"", "after", "before"} {
			href := c.href(param, at)
			u, err := url.Parse(href)
			if err != nil || u.Path != "/queue" {
				t.Fatalf("href %q", href)
			}
			back := queueChoiceFrom(u.Query())
			if back != c {
				t.Fatalf("the link %q leads to %+v, not %+v", href, back, c)
			}
			if param != "" {
				if p, ok := safeguarding.ParseQueuePosition(u.Query().Get(param)); !ok || p != at {
					t.Fatalf("the link %q does not carry the position", href)
				}
			}
		}
	})
}

// FuzzSignInForm posts arbitrary sign-in forms through the decoder.
func FuzzSignInForm(f *testing.F) {
	for _, s := range []string{"email=staff%40demo.test&password=secret", "email=&password=", "email=+STAFF%40Demo.Test+&password=%20",
		"email=%00&password=%00", "email=%3Cscript%3Ealert(1)%3C%2Fscript%3E&password=x", "email=%FF%FE&password=%FF",
		"email=a%0D%0ASet-Cookie:%20evil%3D1&password=x", "password=only", "email=only%40x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form, password := signInFormFrom(vals)
		checkClean(t, "the e-mail address", form.Email)
		if form.Email != strings.TrimSpace(form.Email) {
			t.Fatalf("e-mail %q is not trimmed", form.Email)
		}
		if password != vals.Get("password") {
			t.Fatal("the password is not exactly as typed")
		}
		badEmail := form.Email == "" || utf8.RuneCountInString(form.Email) > safeguarding.MaxEmailLength
		if (form.Errors.Get("email") != "") != badEmail || (form.Errors.Get("password") != "") != (password == "") {
			t.Fatalf("errors %v for %q", form.Errors, body)
		}
		page, ids := renderedIDs(t, web.SignInPage(web.Page{Title: "Sign in"}, form))
		checkErrorLinks(t, form.Errors, ids)
		if form.Email != "" && !strings.Contains(page, html.EscapeString(form.Email)) {
			t.Fatalf("the page does not show the e-mail %q back", form.Email)
		}
		if len(password) >= 4 && !strings.Contains(form.Email, password) && strings.Contains(page, html.EscapeString(password)) &&
			!strings.Contains(signInPageWithout, html.EscapeString(password)) {
			t.Fatalf("the page shows the password %q", password)
		}
	})
}

// signInPageWithout is the sign-in page with nothing typed, to tell a
// password shown back from one that happens to be a word on the page.
var signInPageWithout = func() string {
	var buf bytes.Buffer
	web.SignInPage(web.Page{Title: "Sign in"}, web.SignInForm{Errors: web.Errors{{Field: "email", Message: "Enter your e-mail address"},
		{Field: "password", Message: "Enter your password"}}}).Render(context.Background(), &buf)
	return buf.String()
}()

// FuzzCleanText: cleaned text is what PostgreSQL stores, cleaning is
// idempotent, and clean text is left alone.
func FuzzCleanText(f *testing.F) {
	for _, s := range nastyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := cleanText(s)
		checkClean(t, "cleaned text", c)
		if cleanText(c) != c {
			t.Fatalf("cleanText is not idempotent on %q", s)
		}
		if isCleanText(s) != (c == s) {
			t.Fatalf("isCleanText(%q) = %v but cleanText changes it to %q", s, isCleanText(s), c)
		}
		vals := url.Values{"a": {s, "ok"}}
		cleaned := cleanValues(vals)
		if cleaned["a"][0] != c || cleaned["a"][1] != "ok" || vals["a"][0] != s {
			t.Fatalf("cleanValues(%q) = %q and changed its argument to %q", s, cleaned["a"], vals["a"])
		}
	})
}

package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

var (
	// A <script> tag without a src attribute is an inline script, which the
	// Content-Security-Policy would block.
	scriptTag   = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	styleAttr   = regexp.MustCompile(`(?i)\sstyle\s*=`)
	inlineEvent = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
)

// checkCSP fails if html has anything a strict Content-Security-Policy
// (default-src 'self', no 'unsafe-inline') would block.
func checkCSP(t *testing.T, html string) {
	t.Helper()
	for _, tag := range scriptTag.FindAllString(html, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("inline script: %s", tag)
		}
	}
	if styleAttr.MatchString(html) {
		t.Error("page has a style attribute")
	}
	if strings.Contains(strings.ToLower(html), "<style") {
		t.Error("page has a <style> element")
	}
	if m := inlineEvent.FindString(html); m != "" {
		t.Errorf("page has an inline event handler: %q", m)
	}
}

func TestSignInPageWithErrors(t *testing.T) {
	p := Page{Title: "Sign in", SchoolName: "Hillside Primary School"}
	f := SignInForm{
		Email: "head@example.sch.uk",
		Errors: Errors{
			{Field: "email", Message: "Enter an email address in the correct format, like name@example.com"},
			{Field: "password", Message: "Enter your password"},
		},
	}
	html := render(t, SignInPage(p, f))

	checkCSP(t, html)
	for _, want := range []string{
		`<html lang="en" class="govuk-template">`,
		`<title>Error: Sign in – Haven</title>`,
		`href="/static/haven.css"`,
		`<script type="module" src="/static/app.js"></script>`,
		`<a href="#email">Enter an email address in the correct format, like name@example.com</a>`,
		`<a href="#password">Enter your password</a>`,
		`value="head@example.sch.uk"`,
		`autocomplete="username"`,
		`autocomplete="current-password"`,
		`aria-describedby="email-error"`,
		`govuk-form-group--error`,
		`<form method="post" action="/sign-in" novalidate>`,
		`Hillside Primary School`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("sign-in page lacks %q", want)
		}
	}

	// The password input must never carry a value, whatever the caller did.
	pw := regexp.MustCompile(`<input[^>]*type="password"[^>]*>`).FindString(html)
	if pw == "" {
		t.Fatal("no password input")
	}
	if strings.Contains(pw, "value=") {
		t.Errorf("password input has a value: %s", pw)
	}

	// Not signed in: no sign-out form.
	if strings.Contains(html, `action="/sign-out"`) {
		t.Error("signed-out page offers Sign out")
	}
}

func TestSignInPageNoErrors(t *testing.T) {
	html := render(t, SignInPage(Page{}, SignInForm{Notice: "You have been signed out."}))
	checkCSP(t, html)
	if strings.Contains(html, "govuk-error-summary") || strings.Contains(html, "govuk-form-group--error") {
		t.Error("error markup without errors")
	}
	if !strings.Contains(html, "<title>Sign in – Haven</title>") {
		t.Error("default title missing")
	}
	if !strings.Contains(html, "You have been signed out.") {
		t.Error("notice missing")
	}
}

func TestLayoutSignedIn(t *testing.T) {
	p := Page{
		Title:      "Home",
		SignedIn:   true,
		UserName:   "Sam Patel",
		RoleLabel:  "Designated Safeguarding Lead",
		SchoolName: "Hillside Primary School",
		Nav:        []NavLink{{Href: "/", Label: "Home", Current: true}, {Href: "/concerns", Label: "Concerns"}},
	}
	html := render(t, HomePage(p, Home{
		Heading: "Safeguarding",
		Sections: []HomeSection{
			{Title: "Record a concern", Href: "/concerns/new", LinkText: "Record a concern"},
			{Title: "Reports", Body: "Termly reports for governors.", Href: "/reports", NotBuiltYet: true},
		},
	}))
	checkCSP(t, html)
	for _, want := range []string{
		`<form method="post" action="/sign-out"`,
		"govuk-button--secondary",
		"Sam Patel",
		"Designated Safeguarding Lead",
		`aria-current="page"`,
		`href="/concerns/new"`,
		`govuk-tag--grey">Not built yet`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	// A section that is not built yet must not link anywhere.
	if strings.Contains(html, `href="/reports"`) {
		t.Error("unbuilt section is linked")
	}
	if strings.Contains(html, "GOV.UK") {
		t.Error("page claims GOV.UK branding")
	}
}

func TestErrorPageDefaults(t *testing.T) {
	html := render(t, ErrorPage(Page{}, ErrorInfo{Status: http.StatusNotFound}))
	checkCSP(t, html)
	if !strings.Contains(html, "<title>Page not found – Haven</title>") || !strings.Contains(html, `<h1 class="govuk-heading-l">Page not found</h1>`) {
		t.Error("404 wording missing")
	}
	html = render(t, ErrorPage(Page{}, ErrorInfo{Status: http.StatusInternalServerError}))
	if !strings.Contains(html, "Sorry, there is a problem with the service") || !strings.Contains(html, "call 999") {
		t.Error("500 wording missing")
	}
}

func TestComponents(t *testing.T) {
	html := render(t, templ.Join(
		Checkboxes(Choices{Name: "kinds", Legend: "Kind", Error: "Select a kind", Items: []Choice{{Value: "a", Label: "A"}, {Value: "b", Label: "B", Hint: "More", Checked: true}}}),
		Radios(Choices{Name: "urgent", Legend: "Urgent?", Items: []Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}, Small: true}),
		DateInput(DateFields{Name: "when", Legend: "When", Hint: "For example, 27 3 2025", Error: "Enter a date", Day: "27"}),
		Textarea(Input{Name: "what", Label: "What happened", Value: "a < b"}),
		Select(SelectField{Name: "year", Label: "Year group", Options: []Option{{Value: "1", Label: "Year 1"}, {Value: "2", Label: "Year 2", Selected: true}}}),
		TextInput(Input{Name: "secret", Label: "Secret", Type: "password", Value: "hunter2"}),
		SummaryList([]SummaryRow{{Key: "Name", Value: "Alex"}}),
		Tag("Open", "not-a-colour"),
		Pagination("", "/page/2"),
		Pagination("", ""),
		ErrorSummary(nil),
	))
	checkCSP(t, html)
	for _, want := range []string{
		`id="kinds" name="kinds" type="checkbox" value="a"`,
		`id="kinds-2" name="kinds" type="checkbox" value="b" checked aria-describedby="kinds-2-item-hint"`,
		`<fieldset class="govuk-fieldset" aria-describedby="kinds-error">`,
		`govuk-radios govuk-radios--small`,
		`id="when" name="when-day" type="text" inputmode="numeric" value="27"`,
		`name="when-month"`,
		`govuk-input--width-4 govuk-input--error" id="when-year" name="when-year"`,
		`aria-describedby="when-hint when-error"`,
		`rows="5">a &lt; b</textarea>`,
		`<option value="2" selected>Year 2</option>`,
		`<dt class="govuk-summary-list__key">Name</dt>`,
		`<strong class="govuk-tag">Open</strong>`,
		`href="/page/2" rel="next"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("components lack %q", want)
		}
	}
	if strings.Contains(html, "hunter2") {
		t.Error("password value rendered")
	}
	if strings.Contains(html, "govuk-error-summary") || strings.Contains(html, `rel="prev"`) {
		t.Error("empty components rendered something")
	}
}

func TestErrors(t *testing.T) {
	var none Errors
	if none.Any() || none.Get("x") != "" {
		t.Error("nil Errors misbehaves")
	}
	e := Errors{{"a", "first"}, {"a", "second"}}
	if !e.Any() || e.Get("a") != "first" {
		t.Error("Get should return the first message")
	}
}

func TestStaticHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/static/", StaticHandler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(body)
	}

	for _, path := range []string{"/static/haven.css", "/static/app.js", "/static/govuk-frontend.min.js", "/static/assets/images/favicon.svg"} {
		res, _ := get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=86400" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
	}

	res, css := get("/static/haven.css")
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("haven.css Content-Type %q", ct)
	}
	if !strings.Contains(css, ".govuk-button") {
		t.Error("haven.css lacks GOV.UK Frontend styles")
	}
	if strings.Contains(css, "GDS Transport") || strings.Contains(css, "@font-face") {
		t.Error("haven.css uses the GOV.UK typeface")
	}
	if res, _ := get("/static/app.js"); !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
		t.Errorf("app.js Content-Type %q", res.Header.Get("Content-Type"))
	}

	for _, path := range []string{"/static/", "/static/assets/", "/static/assets/images", "/static/missing.css", "/static/../web_test.go"} {
		if res, _ := get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
		}
	}
}

// Every GOV.UK Frontend tag colour gets its modifier class; anything else,
// the default tag. The text is escaped.
func TestTagColours(t *testing.T) {
	for _, colour := range []string{"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"} {
		want := `<strong class="govuk-tag govuk-tag--` + colour + `">a &lt; b</strong>`
		if got := render(t, Tag("a < b", colour)); got != want {
			t.Errorf("Tag(%q) = %s, want %s", colour, got, want)
		}
	}
	for _, colour := range []string{"", "Red", "not-a-colour", `red" onclick="x`} {
		if got, want := render(t, Tag("Open", colour)), `<strong class="govuk-tag">Open</strong>`; got != want {
			t.Errorf("Tag(%q) = %s, want %s", colour, got, want)
		}
	}
}

package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/havenapp/haven/internal/demo"
)

// homeHeadings is the heading each demo account lands on after signing in.
var homeHeadings = map[string]string{
	"staff@demo.test":     "Safeguarding",
	"dsl@demo.test":       "Safeguarding",
	"deputy@demo.test":    "Safeguarding",
	"principal@demo.test": "Principal",
	"chair@demo.test":     "Chair of governors",
	"governor@demo.test":  "Governor",
	"admin@demo.test":     "Administration",
}

// TestSignInEveryRole signs in as every demo account, by the labels of the
// sign-in form, and expects that person's home page under their name.
func TestSignInEveryRole(t *testing.T) {
	a := newApp(t)
	for _, acc := range demo.Accounts {
		t.Run(acc.Email, func(t *testing.T) {
			b := newTab(t, a)
			b.signIn(acc.Email)
			want, ok := homeHeadings[acc.Email]
			if !ok {
				t.Fatalf("no expected home heading for demo account %s: add it to homeHeadings", acc.Email)
			}
			if got := b.heading(); got != want {
				t.Errorf("home heading = %q, want %q", got, want)
			}
			if got := b.text("//header//strong"); got != acc.Name {
				t.Errorf("header names %q, want %q", got, acc.Name)
			}
		})
	}
}

// TestSignInErrors submits the sign-in form empty and then with a wrong
// password.
func TestSignInErrors(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.visit("/sign-in")

	// Nothing typed.
	{
		res := b.clickButton("Sign in")
		if res.Status != 422 {
			t.Errorf("status %d, want 422", res.Status)
		}
		if got := b.text("//*[contains(@class,'govuk-error-summary')]//h2"); got != "There is a problem" {
			t.Fatalf("error summary title = %q", got)
		}
		// GOV.UK Frontend moves the focus to the summary, so a screen
		// reader announces it at once.
		if !eval[bool](b, "find the focus", `!!(document.activeElement && document.activeElement.closest(".govuk-error-summary"))`) {
			t.Error("focus is not on the error summary after a failed submit")
		}
		for _, c := range []struct{ message, field string }{
			{"Enter your e-mail address", "Email address"},
			{"Enter your password", "Password"},
		} {
			id := b.controlFor(c.field)
			link := "//*[contains(@class,'govuk-error-summary')]//a[normalize-space()=" + xpathString(c.message) + "]"
			if got := b.text(link); got == "" {
				t.Errorf("error summary lacks the link %q", c.message)
				continue
			}
			if href := b.attr(link, "href"); href != "#"+id {
				t.Errorf("summary link %q goes to %q, want #%s", c.message, href, id)
			}
			// The message also sits by the field, tied to it for screen readers.
			described := b.attr(byID(id), "aria-describedby")
			if !strings.Contains(b.text(byID(id+"-error")), c.message) || !strings.Contains(described, id+"-error") {
				t.Errorf("field %q lacks its error message %q (aria-describedby %q)", c.field, c.message, described)
			}
			// Following the summary's link puts the cursor in the field.
			b.click(link, "the summary's link")
			if got, _ := b.focused(); got != id {
				t.Errorf("after following %q the focus is on #%s, want #%s", c.message, got, id)
			}
		}
		if title := b.title(); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("title %q does not start with \"Error: \"", title)
		}
	}

	// A wrong password.
	{
		b.fillByLabel("Email address", "staff@demo.test")
		b.fillByLabel("Password", "not the password")
		res := b.clickButton("Sign in")
		if res.Status != 422 {
			t.Errorf("status %d, want 422", res.Status)
		}
		if got := b.text("//*[contains(@class,'govuk-error-summary')]//a"); got != "Enter a correct e-mail address and password" {
			t.Errorf("error summary says %q", got)
		}
		if got := b.valueByLabel("Email address"); got != "staff@demo.test" {
			t.Errorf("e-mail field holds %q after a wrong password, want the e-mail typed", got)
		}
		if got := b.valueByLabel("Password"); got != "" {
			t.Errorf("password field holds %q: a password is never sent back", got)
		}
		if strings.Contains(b.bodyText(), "Sign out") {
			t.Error("a wrong password signed in")
		}
	}
}

// TestNotFound shows the 404 page to a visitor and to a signed-in person.
func TestNotFound(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	for _, signedIn := range []bool{false, true} {
		if signedIn {
			b.signIn("staff@demo.test")
		}
		res := b.visit("/no-such-page")
		if res.Status != 404 {
			t.Errorf("status %d, want 404", res.Status)
		}
		if got := b.heading(); got != "Page not found" {
			t.Errorf("heading %q, want \"Page not found\"", got)
		}
		if !b.exists("//a[@href='/']") {
			t.Error("the 404 page offers no way back home")
		}
	}
}

// TestSignOut signs out and goes back: the browser must not show the
// signed-in page from its cache, and reloading it asks to sign in.
func TestSignOut(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.signIn("dsl@demo.test")
	res := b.visit("/home")
	// The browser joins repeated headers with a newline.
	cc, _ := res.Headers["Cache-Control"].(string)
	if !slices.Contains(strings.FieldsFunc(cc, func(r rune) bool { return r == '\n' || r == ',' || r == ' ' }), "no-store") {
		t.Errorf("home page Cache-Control = %q, want no-store", cc)
	}
	const name = "Dana Lead"
	if !strings.Contains(b.bodyText(), name) {
		t.Fatalf("home page does not name %s", name)
	}

	b.signOut()
	if !strings.Contains(b.bodyText(), "You have been signed out.") {
		t.Error("no \"You have been signed out.\" notice")
	}

	back := func(what string, action chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.ctx, action); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if strings.Contains(b.html(), name) {
			t.Errorf("after signing out, %s shows %s's name (page %s)", what, name, b.path())
		}
		if got := b.heading(); got != "Sign in" {
			t.Errorf("after signing out, %s shows %q, want the sign-in page", what, got)
		}
	}
	back("going back", chromedp.NavigateBack())
	back("reloading", chromedp.Reload())
	b.visit("/home")
	if got := b.path(); got != "/sign-in?next=%2Fhome" {
		t.Errorf("/home after signing out went to %s, want /sign-in?next=%%2Fhome", got)
	}
}

// TestKeyboardOnly signs in without touching the mouse: Tab to each field,
// type, Tab to the button, Enter.
func TestKeyboardOnly(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.visit("/sign-in")

	// The first Tab reaches the skip link.
	b.press(kb.Tab)
	if _, text := b.focused(); text != "Skip to main content" {
		t.Errorf("first Tab focuses %q, want the skip link", text)
	}
	b.tabToLabel("Email address")
	b.press("staff@demo.test")
	b.tabToLabel("Password")
	b.press(demoPassword)
	b.tabToButton("Sign in")
	b.pressEnterAndWait()
	if got := b.path(); got != "/home" {
		t.Fatalf("keyboard sign-in led to %s, want /home", got)
	}
	if got := b.heading(); got != homeHeadings["staff@demo.test"] {
		t.Errorf("home heading %q", got)
	}
}

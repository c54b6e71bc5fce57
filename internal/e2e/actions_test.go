package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// What a person does with a page: find a field by the words of its label,
// type, tick, choose, press a button with a given text. Every helper fails
// the test with what it was looking for and where.

// findTimeout is how long a helper waits for something that should already
// be on a loaded page, so a missing label fails in seconds, not at the
// test's deadline.
const findTimeout = 5 * time.Second

// quick returns a context for one lookup on the current page.
func (b *tab) quick() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, findTimeout)
}

// fatalf fails the test, naming the page the tab is on.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s (on %s)", fmt.Sprintf(format, args...), b.path())
}

// path is the path and query of the tab's current page.
func (b *tab) path() string {
	ctx, cancel := b.quick()
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	u, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	return u.RequestURI()
}

// xpathString quotes s as an XPath 1.0 string literal.
func xpathString(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "concat('" + strings.ReplaceAll(s, "'", `', "'", '`) + "')"
}

// byID selects the element with this id; ids of Haven's fields are plain,
// but XPath needs no escaping of CSS's special characters either way.
func byID(id string) chromedp.Search {
	return chromedp.Search("//*[@id=" + xpathString(id) + "]")
}

// exists reports whether the XPath matches anything on the page now.
func (b *tab) exists(xpath string) bool { b.t.Helper(); return b.count(xpath) > 0 }

// count is how many elements the XPath matches on the page now.
func (b *tab) count(xpath string) int {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`document.evaluate(`+jsString(xpath)+`, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null).snapshotLength`))
	if err != nil {
		b.fatalf("evaluate %s: %v", xpath, err)
	}
	return n
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// within narrows the helpers to the part of the page the XPath finds, for
// a label that appears on several forms of one page ("Outcome").
func (b *tab) within(xpath string) *tab {
	c := *b
	c.scope = b.scope + xpath
	return &c
}

// fieldset is the XPath of the fieldset whose legend reads legend.
func fieldset(legend string) string {
	return "//fieldset[legend[normalize-space()=" + xpathString(legend) + "]]"
}

// details is the XPath of the <details> whose summary reads summary.
func details(summary string) string {
	return "//details[summary[normalize-space()=" + xpathString(summary) + "]]"
}

// labelXPath finds a <label> by its visible text, within the tab's scope.
func (b *tab) labelXPath(label string) string {
	return b.scope + "//label[normalize-space()=" + xpathString(label) + "]"
}

// controlFor returns the id of the control that the label is for.
func (b *tab) controlFor(label string) string {
	b.t.Helper()
	x := b.labelXPath(label)
	if n := b.count(x); n != 1 {
		what := fmt.Sprintf("label %q", label)
		if b.scope != "" {
			what += " in " + b.scope
		}
		if n > 1 {
			b.fatalf("%d of %s: narrow it with within", n, what)
		}
		b.fatalf("no %s; the labels are: %s", what, strings.Join(b.texts(b.scope+"//label"), " | "))
	}
	ctx, cancel := b.quick()
	defer cancel()
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.Search(x), "for"))
	if err != nil || !attr.Exists || attr.Value == "" {
		b.fatalf("label %q is not for any control (%v)", label, err)
	}
	if !b.exists("//*[@id=" + xpathString(attr.Value) + "]") {
		b.fatalf("label %q is for #%s, which is not on the page", label, attr.Value)
	}
	return attr.Value
}

// fillByLabel types value into the text field labelled label, replacing
// what was there.
func (b *tab) fillByLabel(label, value string) {
	b.t.Helper()
	id := b.controlFor(label)
	ctx, cancel := context.WithTimeout(b.ctx, findTimeout+time.Duration(len(value))*5*time.Millisecond)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById(`+jsString(id)+`).value = ""`),
		chromedp.SendKeys(byID(id), value),
	); err != nil {
		b.fatalf("type into %q: %v", label, err)
	}
}

// valueByLabel is the current value of the field labelled label.
func (b *tab) valueByLabel(label string) string {
	b.t.Helper()
	id := b.controlFor(label)
	ctx, cancel := b.quick()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(byID(id)))
	if err != nil {
		b.fatalf("read %q: %v", label, err)
	}
	return v
}

// checkByLabel ticks the checkbox or chooses the radio labelled label, by
// clicking its label as a person would.
func (b *tab) checkByLabel(label string) {
	b.t.Helper()
	id := b.controlFor(label)
	if b.checked(id) {
		return
	}
	b.click(b.labelXPath(label), fmt.Sprintf("label %q", label))
	if !b.checked(id) {
		b.fatalf("clicking the label %q did not select it", label)
	}
}

// isCheckedByLabel reports whether the checkbox or radio labelled label is
// selected.
func (b *tab) isCheckedByLabel(label string) bool {
	b.t.Helper()
	return b.checked(b.controlFor(label))
}

func (b *tab) checked(id string) bool {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	on, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](byID(id), "checked", chromedp.NodeReady))
	if err != nil {
		b.fatalf("read #%s: %v", id, err)
	}
	return on
}

// selectByLabel chooses the option reading option in the drop-down list
// labelled label.
func (b *tab) selectByLabel(label, option string) {
	b.t.Helper()
	id := b.controlFor(label)
	opt := "//select[@id=" + xpathString(id) + "]/option[normalize-space()=" + xpathString(option) + "]"
	if !b.exists(opt) {
		b.fatalf("list %q has no option %q; it has: %s", label, option,
			strings.Join(b.texts("//select[@id="+xpathString(id)+"]/option"), " | "))
	}
	ctx, cancel := b.quick()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.Search(opt)))
	if err != nil {
		b.fatalf("option %q: %v", option, err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(byID(id), v)); err != nil {
		b.fatalf("choose %q in %q: %v", option, label, err)
	}
}

// selectedByLabel is the text of the chosen option of the drop-down list
// labelled label.
func (b *tab) selectedByLabel(label string) string {
	b.t.Helper()
	id := b.controlFor(label)
	ctx, cancel := b.quick()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(s => s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].text.trim())(document.getElementById(`+jsString(id)+`))`))
	if err != nil {
		b.fatalf("read %q: %v", label, err)
	}
	return s
}

// openDetails opens the folded section (<details>) whose summary reads
// summary, by clicking the summary.
func (b *tab) openDetails(summary string) *tab {
	b.t.Helper()
	x := b.scope + details(summary)
	if !b.exists(x) {
		b.fatalf("no section %q; the sections are: %s", summary, strings.Join(b.texts(b.scope+"//details/summary"), " | "))
	}
	if !b.exists(x + "[@open]") {
		b.click(x+"/summary", fmt.Sprintf("section %q", summary))
	}
	if !b.exists(x + "[@open]") {
		b.fatalf("clicking %q did not open it", summary)
	}
	return b.within(details(summary))
}

// center scrolls the first element the XPath finds into view and returns
// the middle of it, in the window's coordinates.
func (b *tab) center(xpath string) (x, y float64) {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.Search(xpath), chromedp.NodeVisible))
	if err != nil {
		b.fatalf("find %s: %v", xpath, err)
	}
	if _, err := chromedp.Call(ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{NodeID: nodes[0].NodeID}); err != nil {
		b.fatalf("scroll to %s: %v", xpath, err)
	}
	q, err := chromedp.Call(ctx, dom.GetContentQuads, dom.GetContentQuadsParams{NodeID: nodes[0].NodeID})
	if err != nil || len(q.Quads) == 0 || len(q.Quads[0]) < 8 {
		b.fatalf("where is %s: %v", xpath, err)
	}
	c := q.Quads[0]
	return (c[0] + c[2] + c[4] + c[6]) / 4, (c[1] + c[3] + c[5] + c[7]) / 4
}

// scriptsOff makes the tab load pages with JavaScript disabled, as some
// school networks and old browsers do. axe-core is still let run.
func (b *tab) scriptsOff() {
	b.t.Helper()
	b.setScripts(false)
	*b.noScript = true
}

func (b *tab) setScripts(on bool) {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.fatalf("turn scripts on=%v: %v", on, err)
	}
}

// click clicks the first element the XPath finds, without waiting for a
// new page.
func (b *tab) click(xpath, what string) {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.Search(xpath))); err != nil {
		b.fatalf("click %s: %v", what, err)
	}
}

// buttonXPath finds a button by its visible text, within the tab's scope.
func (b *tab) buttonXPath(text string) string {
	s := xpathString(text)
	return b.scope + "//button[normalize-space()=" + s + "] | " + b.scope + "//input[(@type='submit' or @type='button') and @value=" + s + "]"
}

// clickButton presses the button reading text and waits for the page it
// leads to, which it checks for accessibility.
func (b *tab) clickButton(text string) *network.Response {
	b.t.Helper()
	x := b.buttonXPath(text)
	if n := b.count(x); n != 1 {
		if n > 1 {
			b.fatalf("%d buttons %q: narrow it with within", n, text)
		}
		b.fatalf("no button %q; the buttons are: %s", text, strings.Join(b.texts(b.scope+"//button | "+b.scope+"//input[@type='submit']"), " | "))
	}
	return b.navigate(fmt.Sprintf("press %q", text), chromedp.Click(chromedp.Search(x)))
}

// clickLink follows the link reading text and waits for the page it leads
// to, which it checks for accessibility.
func (b *tab) clickLink(text string) *network.Response {
	b.t.Helper()
	x := b.scope + "//a[normalize-space()=" + xpathString(text) + "]"
	if !b.exists(x) {
		b.fatalf("no link %q", text)
	}
	return b.navigate(fmt.Sprintf("follow %q", text), chromedp.Click(chromedp.Search(x)))
}

// visit opens path as a person typing it into the address bar would, and
// checks the page for accessibility.
func (b *tab) visit(path string) *network.Response {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.app.URL+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if res == nil {
		b.t.Fatalf("open %s: no response", path)
	}
	b.checkA11y()
	return res
}

// navigate runs an action that leads to a new page, waits for it and checks
// it for accessibility.
func (b *tab) navigate(what string, action chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, action)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if res == nil {
		b.fatalf("%s: the page did not load", what)
	}
	b.checkA11y()
	return res
}

// press sends keys to whatever has the focus, as on a keyboard. kb holds
// the names of special keys (kb.Tab, kb.Enter).
func (b *tab) press(keys string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, findTimeout+time.Duration(len(keys))*5*time.Millisecond)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		b.fatalf("press %q: %v", keys, err)
	}
}

// pressEnterAndWait presses Enter on the focused element and waits for the
// page it submits or follows.
func (b *tab) pressEnterAndWait() *network.Response {
	b.t.Helper()
	return b.navigate("press Enter", chromedp.KeyEvent(kb.Enter))
}

// focused describes the element that has the keyboard focus: its id and
// its text (or value, for an input).
func (b *tab) focused() (id, text string) {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`(e => [e.id || "", (e.tagName === "INPUT" ? e.value : e.innerText || "").trim()])(document.activeElement || document.body)`))
	if err != nil {
		b.fatalf("read the focused element: %v", err)
	}
	return got[0], got[1]
}

// tabTo presses Tab until the focus is on the element that matches, and
// fails if it never gets there: every control must be reachable by keyboard.
func (b *tab) tabTo(what string, matches func(id, text string) bool) {
	b.t.Helper()
	const limit = 60
	var seen []string
	for range limit {
		b.press(kb.Tab)
		id, text := b.focused()
		if matches(id, text) {
			return
		}
		seen = append(seen, "#"+id+" "+shorten(text, 30))
	}
	b.fatalf("%d presses of Tab never reached %s; the focus went to: %s", limit, what, strings.Join(seen, ", "))
}

// tabToLabel tabs to the control labelled label.
func (b *tab) tabToLabel(label string) {
	b.t.Helper()
	want := b.controlFor(label)
	b.tabTo(fmt.Sprintf("the field %q", label), func(id, _ string) bool { return id == want })
}

// tabToButton tabs to the button reading text.
func (b *tab) tabToButton(text string) {
	b.t.Helper()
	b.tabTo(fmt.Sprintf("the button %q", text), func(_, got string) bool { return got == text })
}

// text is the visible text of the first element the XPath matches, or ""
// when nothing does.
func (b *tab) text(xpath string) string {
	b.t.Helper()
	if !b.exists(xpath) {
		return ""
	}
	ctx, cancel := b.quick()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(xpath), chromedp.NodeReady))
	if err != nil {
		b.fatalf("read %s: %v", xpath, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// texts is the visible text of every element the XPath matches.
func (b *tab) texts(xpath string) []string {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`(r => Array.from({length: r.snapshotLength}, (_, i) => (r.snapshotItem(i).innerText || r.snapshotItem(i).textContent || "").replace(/\s+/g, " ").trim()))(document.evaluate(`+
			jsString(xpath)+`, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null))`))
	if err != nil {
		b.fatalf("read %s: %v", xpath, err)
	}
	return got
}

// heading is the page's <h1>.
func (b *tab) heading() string { b.t.Helper(); return b.text("//h1") }

// title is the document's <title>.
func (b *tab) title() string {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		b.fatalf("read the title: %v", err)
	}
	return s
}

// bodyText is everything the page shows, and nothing it hides.
func (b *tab) bodyText() string {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		b.fatalf("read the page: %v", err)
	}
	return s
}

// html is the whole document as the browser holds it now.
func (b *tab) html() string {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		b.fatalf("read the page: %v", err)
	}
	return s
}

// signIn signs in as email with the demo password, by the labels of the
// sign-in form, and expects the home page.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.visit("/sign-in")
	b.fillByLabel("Email address", email)
	b.fillByLabel("Password", demoPassword)
	res := b.clickButton("Sign in")
	if res.Status != 200 || b.path() != "/home" {
		b.fatalf("signing in as %s led to status %d", email, res.Status)
	}
}

// signOut presses "Sign out" and expects the sign-in page.
func (b *tab) signOut() {
	b.t.Helper()
	b.clickButton("Sign out")
	if got := b.path(); got != "/sign-in" {
		b.fatalf("signing out led to %s", got)
	}
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

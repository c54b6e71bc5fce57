package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// What a person does with a page: find a field by the words of its label,
// type, tick, choose, press a button with a given text. Every helper fails
// the test with what it was looking for and where.
//
// Elements are found with XPath in the page (document.evaluate) rather than
// with chromedp's node queries, which mirror the whole DOM in Go after every
// navigation: on the concern page, with its dozen forms, that was most of a
// journey's time. Typing and clicking are still real input events.

// findTimeout bounds one look at a loaded page, and loadTimeout the wait
// for a page to load, so that a broken page fails in seconds, not at the
// test's deadline.
const (
	findTimeout = 15 * time.Second
	loadTimeout = time.Minute
)

// quick returns a context for one look at the current page.
func (b *tab) quick() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, findTimeout)
}

// fatalf fails the test, naming the page the tab is on.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s (on %s)", fmt.Sprintf(format, args...), b.path())
}

// eval runs a JavaScript expression in the page and decodes its result.
func eval[T any](b *tab, what, js string) T {
	b.t.Helper()
	ctx, cancel := b.quick()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return v
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

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// jsNodes is a JavaScript expression for the array of elements the XPath
// finds, in document order.
func jsNodes(xpath string) string {
	return `((r) => Array.from({length: r.snapshotLength}, (_, i) => r.snapshotItem(i)))(document.evaluate(` +
		jsString(xpath) + `, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null))`
}

// jsNode is a JavaScript expression for the first element the XPath finds.
func jsNode(xpath string) string {
	return `document.evaluate(` + jsString(xpath) + `, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue`
}

// byID is the XPath of the element with this id.
func byID(id string) string { return "//*[@id=" + xpathString(id) + "]" }

// exists reports whether the XPath matches anything on the page now.
func (b *tab) exists(xpath string) bool { b.t.Helper(); return b.count(xpath) > 0 }

// count is how many elements the XPath matches on the page now.
func (b *tab) count(xpath string) int {
	b.t.Helper()
	return eval[int](b, "look for "+xpath, jsNodes(xpath)+`.length`)
}

// attr is the attribute name of the first element the XPath finds, or "".
func (b *tab) attr(xpath, name string) string {
	b.t.Helper()
	return eval[string](b, "read "+xpath, `((e) => (e && e.getAttribute(`+jsString(name)+`)) || "")(`+jsNode(xpath)+`)`)
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
		b.fatalf("no %s; the labels there are: %s", what, strings.Join(b.texts(b.scope+"//label"), " | "))
	}
	id := b.attr(x, "for")
	if id == "" {
		b.fatalf("label %q is not for any control", label)
	}
	if !b.exists(byID(id)) {
		b.fatalf("label %q is for #%s, which is not on the page", label, id)
	}
	return id
}

// fillByLabel types value into the text field labelled label, replacing
// what was there.
func (b *tab) fillByLabel(label, value string) {
	b.t.Helper()
	id := b.controlFor(label)
	eval[bool](b, "focus "+label, `((e) => { e.scrollIntoView({block: "center"}); e.focus(); e.value = ""; return true })(`+jsNode(byID(id))+`)`)
	if got, _ := b.focused(); got != id {
		b.fatalf("the field %q did not take the focus (#%s has it)", label, got)
	}
	b.press(value)
}

// valueByLabel is the current value of the field labelled label.
func (b *tab) valueByLabel(label string) string {
	b.t.Helper()
	id := b.controlFor(label)
	return eval[string](b, "read "+label, jsNode(byID(id))+`.value`)
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
	return eval[bool](b, "read #"+id, jsNode(byID(id))+`.checked`)
}

// selectByLabel chooses the option reading option in the drop-down list
// labelled label.
func (b *tab) selectByLabel(label, option string) {
	b.t.Helper()
	id := b.controlFor(label)
	opt := byID(id) + "/option[normalize-space()=" + xpathString(option) + "]"
	if !b.exists(opt) {
		b.fatalf("list %q has no option %q; it has: %s", label, option, strings.Join(b.texts(byID(id)+"/option"), " | "))
	}
	eval[bool](b, "choose "+option, `((s, o) => { s.focus(); s.value = o.value; s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true})); return true })(`+jsNode(byID(id))+`, `+jsNode(opt)+`)`)
}

// openDetails opens the folded section (<details>) whose summary reads
// summary, by clicking the summary, and returns the tab narrowed to it.
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

// jsCenter scrolls the element to the middle of the window, arms a flag
// that its next click sets, and returns the middle of its first line box.
func jsCenter(xpath string) string {
	return `((e) => { if (!e) return [];
		e.scrollIntoView({block: "center", inline: "center"});
		window.e2eClicked = false;
		e.addEventListener("click", () => { window.e2eClicked = true }, {capture: true, once: true});
		const r = e.getClientRects()[0] || e.getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2] })(` + jsNode(xpath) + `)`
}

// errMissed is a click that did not reach its element: the page moved
// under the pointer (the concern form's "Draft saved" line appears above
// its buttons as the person types).
var errMissed = errors.New("the click missed: the page moved under the pointer")

// clickAt is a mouse click at the middle of the first element the XPath
// finds, as an action, so that RunResponse can wait for the page it leads
// to. It fails with errMissed if the click landed elsewhere (which it can
// only tell while the page runs scripts).
func (b *tab) clickAt(xpath string) chromedp.Action[chromedp.Void] {
	verify := !*b.noScript
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		xy, err := chromedp.Evaluate[[]float64](jsCenter(xpath))(ctx, t)
		if err != nil {
			return err
		}
		if len(xy) != 2 {
			return fmt.Errorf("nothing at %s", xpath)
		}
		if _, err := chromedp.MouseClickXY(xy[0], xy[1])(ctx, t); err != nil {
			return err
		}
		if !verify {
			return nil
		}
		// false: missed; true: hit; undefined: a new page already.
		missed, err := chromedp.Evaluate[bool](`window.e2eClicked === false`)(ctx, t)
		if err == nil && missed {
			return errMissed
		}
		return nil // hit, or the page is already on its way out
	})
}

// click clicks the first element the XPath finds, without waiting for a
// new page.
func (b *tab) click(xpath, what string) {
	b.t.Helper()
	for range 3 {
		ctx, cancel := b.quick()
		err := chromedp.Do(ctx, b.clickAt(xpath))
		cancel()
		if errors.Is(err, errMissed) {
			continue
		}
		if err != nil {
			b.fatalf("click %s: %v", what, err)
		}
		return
	}
	b.fatalf("click %s: %v, three times", what, errMissed)
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
		b.fatalf("no button %q; the buttons there are: %s", text, strings.Join(b.texts(b.scope+"//button | "+b.scope+"//input[@type='submit']"), " | "))
	}
	return b.navigate(fmt.Sprintf("press %q", text), b.clickAt(x))
}

// clickLink follows the link reading text and waits for the page it leads
// to, which it checks for accessibility.
func (b *tab) clickLink(text string) *network.Response {
	b.t.Helper()
	x := b.scope + "//a[normalize-space()=" + xpathString(text) + "]"
	if !b.exists(x) {
		b.fatalf("no link %q", text)
	}
	return b.navigate(fmt.Sprintf("follow %q", text), b.clickAt(x))
}

// visit opens path as a person typing it into the address bar would, and
// checks the page for accessibility.
func (b *tab) visit(path string) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, loadTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.app.URL+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if res == nil {
		b.t.Fatalf("open %s: no response", path)
	}
	b.checkPage()
	return res
}

// navigate runs an action that leads to a new page, waits for it and checks
// it for accessibility. A click that missed is tried again.
func (b *tab) navigate(what string, action chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, loadTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, action)
	for try := 1; errors.Is(err, errMissed) && try < 3; try++ {
		res, err = chromedp.RunResponse(ctx, action)
	}
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if res == nil {
		b.fatalf("%s: the page did not load", what)
	}
	b.checkPage()
	return res
}

// waitForPath waits until the tab has loaded a page whose path matches.
func (b *tab) waitForPath(re *regexp.Regexp) {
	b.t.Helper()
	deadline := time.Now().Add(loadTimeout)
	for {
		if re.MatchString(b.path()) && eval[string](b, "read the page state", `document.readyState`) == "complete" {
			return
		}
		if time.Now().After(deadline) {
			b.fatalf("never reached a page like %s", re)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// press sends keys to whatever has the focus, as on a keyboard. kb holds
// the names of special keys (kb.Tab, kb.Enter).
func (b *tab) press(keys string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, findTimeout+time.Duration(len(keys))*10*time.Millisecond)
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
	got := eval[[]string](b, "read the focused element",
		`((e) => [e.id || "", (e.tagName === "INPUT" ? e.value : e.innerText || "").trim()])(document.activeElement || document.body)`)
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
	got := b.texts(xpath)
	if len(got) == 0 {
		return ""
	}
	return got[0]
}

// texts is the visible text of every element the XPath matches, each with
// its white space collapsed.
func (b *tab) texts(xpath string) []string {
	b.t.Helper()
	return eval[[]string](b, "read "+xpath,
		jsNodes(xpath)+`.map((e) => (e.innerText || e.textContent || "").replace(/\s+/g, " ").trim())`)
}

// heading is the page's <h1>.
func (b *tab) heading() string { b.t.Helper(); return b.text("//h1") }

// title is the document's <title>.
func (b *tab) title() string {
	b.t.Helper()
	return eval[string](b, "read the title", `document.title`)
}

// bodyText is everything the page shows, and nothing it hides.
func (b *tab) bodyText() string {
	b.t.Helper()
	return eval[string](b, "read the page", `document.body ? document.body.innerText : ""`)
}

// html is the whole document as the browser holds it now.
func (b *tab) html() string {
	b.t.Helper()
	return eval[string](b, "read the page", `document.documentElement.outerHTML`)
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

// signIn signs in as email with the demo password, by the labels of the
// sign-in form, and expects the home page.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.visit("/sign-in")
	b.fillByLabel("Email address", email)
	b.fillByLabel("Password", demoPassword)
	res := b.clickButton("Sign in")
	if b.path() == "/sign-in/code" {
		res = b.enterCode(email)
	}
	if res.Status != 200 || b.path() != "/home" {
		b.fatalf("signing in as %s led to status %d", email, res.Status)
	}
}

// enterCode answers the page that asks a person with a second factor for
// their code, with a right one.
func (b *tab) enterCode(email string) *network.Response {
	b.t.Helper()
	b.fillByLabel("Enter the code from your authenticator app", b.app.code(b.t, email))
	return b.clickButton("Continue")
}

// code is a code the person, enrolled with the tests' secret, can sign in
// with now (twofactortest.Code).
func (a *app) code(t *testing.T, email string) string {
	t.Helper()
	code, err := twofactortest.Code(t.Context(), a.owner(t), email)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// signOut presses "Sign out" and expects the sign-in page.
func (b *tab) signOut() {
	b.t.Helper()
	b.clickButton("Sign out")
	if got := b.path(); got != "/sign-in?notice=signed-out" {
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

package e2e

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core's browser build; testdata/README.md says which
// version and under what licence.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2 at
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeRun runs axe on the whole document and keeps what a report needs.
var axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + jsStrings(axeTags) + `}, resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : String(t)).join(", "),
		html: n.html,
		summary: n.failureSummary || "",
	})),
})))`

type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// checkA11y runs axe-core on the tab's page and fails the test, going on
// with the journey, for every violation of the WCAG 2.2 AA rules.
func (b *tab) checkA11y() {
	b.t.Helper()
	start := time.Now()
	// A page exactly like one already checked (the sign-in page, an
	// empty form) is not checked again: same markup, same result.
	sum := sha256.Sum256([]byte(volatile.ReplaceAllString(b.html(), "")))
	checked.Lock()
	seen := checked.pages[sum]
	checked.pages[sum] = true
	checked.Unlock()
	if seen {
		b.a11y.same++
		return
	}
	violations := b.axe()
	b.a11y.pages++
	b.a11y.time += time.Since(start)
	if os.Getenv("E2E_AXE_DEBUG") != "" {
		b.t.Logf("axe-core on %s (%q): %v", b.path(), b.heading(), time.Since(start).Round(time.Millisecond))
	}
	if len(violations) == 0 {
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "axe-core: %d accessibility violation(s) on %s (%q):", len(violations), b.path(), b.heading())
	for _, v := range violations {
		fmt.Fprintf(&sb, "\n  %s [%s] %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "\n    at %s: %s", n.Target, shorten(n.HTML, 160))
			if n.Summary != "" {
				fmt.Fprintf(&sb, "\n      %s", strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n      "))
			}
		}
	}
	b.t.Error(sb.String())
}

// axe runs axe-core on the page as it is now and returns its violations.
// The script goes in through the DevTools protocol (Runtime.evaluate),
// which the page's Content-Security-Policy does not govern.
func (b *tab) axe() []axeViolation {
	b.t.Helper()
	if *b.noScript {
		// Let axe run; the page's own scripts stay unrun, having been
		// skipped as it loaded.
		b.setScripts(true)
		defer b.setScripts(false)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		b.fatalf("load axe-core: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("run axe-core: %v", err)
	}
	return violations
}

// checked holds the pages axe-core has passed or failed in this test
// binary, by a hash of their markup.
var checked = struct {
	sync.Mutex
	pages map[[32]byte]bool
}{pages: map[[32]byte]bool{}}

// volatile matches what differs between two renderings of one page: the
// one-time submission token of a form.
var volatile = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// jsStrings is a JavaScript array literal of strings.
func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = jsString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// TestAxeFindsViolations breaks the sign-in page in the browser and expects
// axe-core to say so: proof that a journey's clean report means something.
func TestAxeFindsViolations(t *testing.T) {
	a := newApp(t)
	b := newTab(t, a)
	b.visit("/sign-in")
	if v := b.axe(); len(v) != 0 {
		t.Fatalf("the sign-in page has violations before it is broken: %+v", v)
	}
	ctx, cancel := b.quick()
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`
		document.querySelector('label[for="email"]').remove();
		document.documentElement.removeAttribute('lang');`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range b.axe() {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"label", "html-has-lang"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe-core reported %q, want %q among them", ids, want)
		}
	}
}

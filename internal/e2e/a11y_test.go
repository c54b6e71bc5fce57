package e2e

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
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
var axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + jsStrings(axeTags) + `}}).then(r => r.violations.map(v => ({
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
// with the journey, for every violation of the WCAG 2.2 AA rules. The
// script goes in through the DevTools protocol (Runtime.evaluate), which
// the page's Content-Security-Policy does not govern.
func (b *tab) checkA11y() {
	b.t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		b.fatalf("load axe-core: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("run axe-core: %v", err)
	}
	b.a11y.pages++
	b.a11y.time += time.Since(start)
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

// jsStrings is a JavaScript array literal of strings.
func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = jsString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

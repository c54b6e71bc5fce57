package e2e

// Every page the journeys reach is checked on a phone's width: no page may
// scroll sideways at 390 CSS pixels (issue 13).

import (
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"strconv"
)

// phoneWidth makes the tab's window as narrow as a phone's, 390 CSS pixels,
// for the rest of the test.
func (b *tab) phoneWidth() {
	b.t.Helper()
	b.emulatePhone()
	*b.phone = true
}

// emulatePhone gives the tab a phone's window: 390 by 844 CSS pixels.
func (b *tab) emulatePhone() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride,
		emulation.SetDeviceMetricsOverrideParams{Width: phoneWidthPx, Height: 844, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		b.fatalf("narrow the window: %v", err)
	}
}

// phoneWidthPx is a phone's width in CSS pixels (an iPhone 12 to 15).
const phoneWidthPx = 390

// noSidewaysScroll fails the test if the page is wider than the window.
func (b *tab) noSidewaysScroll() {
	b.t.Helper()
	// The last elements that stick out name what to fix.
	wide := eval[string](b, "measure the page", `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		const over = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1);
		return w + " CSS pixels: " + over.slice(-3).map(e => e.tagName.toLowerCase() + "." + [...e.classList].join(".") + " " + Math.round(e.getBoundingClientRect().right) + "px").join(", ");
	})()`)
	if wide != "" {
		b.t.Errorf("%s scrolls sideways at %s", b.path(), wide)
	}
}

// checkPage runs the checks every page a journey reaches must pass:
// axe-core's, and no sideways scrolling on a phone.
func (b *tab) checkPage() {
	b.t.Helper()
	b.checkA11y()
	b.checkPhoneWidth()
}

// checkPhoneWidth fails the test if the page scrolls sideways at a phone's
// width. A tab at a desktop's width is narrowed for the measurement and
// then given its own window back, so the journey goes on as it was.
func (b *tab) checkPhoneWidth() {
	b.t.Helper()
	if *b.phone {
		b.noSidewaysScroll()
		return
	}
	// Narrowing the window moves the page under it: where it was
	// scrolled to (the entry a page came back at) is put back after.
	scrolled := eval[float64](b, "read the scroll", `window.scrollY`)
	b.emulatePhone()
	b.noSidewaysScroll()
	if _, err := chromedp.Call(b.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		b.fatalf("restore the window: %v", err)
	}
	eval[bool](b, "restore the scroll", `(window.scrollTo(0, `+strconv.FormatFloat(scrolled, 'f', -1, 64)+`), true)`)
	// Scripts that follow the window's width (GOV.UK's navigation menu)
	// hear of the change at the next frame: let them, so that the page the
	// journey goes on with is the one it had. Without scripts there are
	// none, and no callback would run.
	if *b.noScript {
		return
	}
	ctx, cancel := b.quick()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => requestAnimationFrame(() => setTimeout(() => r(true), 0)))`,
		chromedp.EvalAwaitPromise)); err != nil {
		b.fatalf("wait for a frame: %v", err)
	}
}

// Package e2e drives Haven in a real browser, Debian's Chromium at
// /usr/bin/chromium (headless), as the people who use it would: it finds
// fields by the words of their labels, types, ticks and presses buttons by
// their text, and checks every page it reaches with axe-core for WCAG 2.2
// AA (testdata/axe.min.js; see testdata/README.md).
//
//	go test ./internal/e2e/ -count=1 -v
//
// Each test serves Haven over HTTP on 127.0.0.1 from a fresh database with
// the demo school (pgtest, demo.Load). One Chromium serves the whole test
// binary; each tab opens in a browser context of its own, so two tabs are
// two people at two computers. A machine without Chromium fails every test
// with how to install it: the journeys are never skipped.
//
// When a test fails, each of its tabs leaves a screenshot and its HTML in
// testdata-output/<test name>/ at the repository root.
//
// The files: harness_test.go (browser, server, failure output),
// actions_test.go (what a person does with a page), a11y_test.go
// (axe-core), journeys_test.go (signing in and out, errors, keyboard),
// concerns_test.go (logging and triaging concerns, who sees what).
package e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// chromiumPath is Debian's Chromium, the browser these tests drive.
const chromiumPath = "/usr/bin/chromium"

// demoPassword signs in every demo account in these tests.
const demoPassword = "e2e-demo-password"

// testTimeout bounds each test's browser actions, so a page that never
// loads fails the test rather than hanging the binary. It is generous: on
// a busy 2-core machine a whole journey can take a minute or two.
const testTimeout = 5 * time.Minute

// browser is the one Chromium of this test binary. Each test opens its own
// tabs in fresh browser contexts of it (see newTab).
var browser struct {
	ctx context.Context // its first tab; nil when err is set
	err error           // why it could not start
}

func TestMain(m *testing.M) {
	startBrowser()
	pgtest.Main(m)
}

// startBrowser starts Chromium headless, with a fresh profile directory.
// A machine without Chromium fails every test with the reason: the browser
// journeys are never skipped.
func startBrowser() {
	if _, err := os.Stat(chromiumPath); err != nil {
		browser.err = fmt.Errorf("Chromium not found at %s: install it with apt-get install chromium (.ci/run does this)", chromiumPath)
		return
	}
	profile, err := os.MkdirTemp("", "haven-e2e-chromium-")
	if err != nil {
		browser.err = fmt.Errorf("Chromium profile directory: %w", err)
		return
	}
	removeOnExit(profile)
	// pgtest.Main ends the process with os.Exit, so nothing here is ever
	// cancelled: chromedp starts Chromium with a parent-death signal, so
	// it dies with us, and removeOnExit cleans up its profile.
	allocCtx, _ := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	ctx, _ := chromedp.NewContext(allocCtx)
	start, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err = <-done:
	case <-start.Done():
		err = errors.New("timed out after 30s")
	}
	if err != nil {
		browser.err = fmt.Errorf("start Chromium (%s): %w", chromiumPath, err)
		return
	}
	browser.ctx = ctx
}

// removeOnExit removes dir once this process has ended, however it ends
// (os.Exit, a -timeout panic, a signal). A shell waits on a pipe whose write
// end only this process holds; the kernel closes it when we exit.
func removeOnExit(dir string) {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	defer r.Close()
	// Chromium's helpers may write for a moment after it dies: retry.
	const script = `read -r _; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; rm -rf "$1" 2>/dev/null; [ -e "$1" ] || exit 0; done`
	cmd := exec.Command("/bin/sh", "-c", script, "e2e-cleanup", dir)
	cmd.Stdin = r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return
	}
	go cmd.Wait()
	keepOpen = append(keepOpen, w)
}

// keepOpen holds the pipes of removeOnExit, never written, until we exit.
var keepOpen []*os.File

// app is Haven served over HTTP on 127.0.0.1 on its own fresh database
// holding the demo school.
type app struct {
	URL     string
	DB      *postgres.DB
	Pool    *pgxpool.Pool // the app's connections, for running the jobs
	ConnStr string        // the owner's connection string: bypasses row-level security
	Demo    demo.School   // the demo school as loaded, for a journey that loads its history too

	mu    sync.Mutex
	posts map[string]int // POST requests received, by path
	drop  map[string]int // POSTs to answer with a dropped connection, by path
}

// dropNextPost makes the server handle the next POST to path in full and
// then drop the connection without answering, as a network failure would.
func (a *app) dropNextPost(path string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.drop[path]++
}

// postsTo is how many POST requests for path the server has received.
func (a *app) postsTo(path string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.posts[path]
}

// newApp serves Haven for one test.
func newApp(t *testing.T) *app {
	t.Helper()
	if browser.err != nil { // fail before building a database for nothing
		t.Fatal(browser.err)
	}
	ctx := context.Background()
	conn := pgtest.NewDB(t)
	pool := pgtest.NewPool(t, conn)
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	resets, err := jobs.PasswordResetEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	invitations, err := jobs.InvitationEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.New(pool, alerts).WithInvitations(invitations).WithPasswordResets(resets)
	school, err := demo.Load(ctx, db, demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	// Those who need a second factor have one, with the tests' secret, so
	// journeys sign in as they would on any day after their first
	// (tab.signIn types the code); the enrolment journey takes it away.
	owner, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if err := twofactortest.EnrolEveryoneWhoNeedsIt(ctx, owner); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	haven := httpserver.New(httpserver.Config{}, db, db.SessionStore(0), logger)
	a := &app{DB: db, Pool: pool, ConnStr: conn, Demo: school, posts: map[string]int{}, drop: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			haven.ServeHTTP(w, r)
			return
		}
		a.mu.Lock()
		a.posts[r.URL.Path]++
		drop := a.drop[r.URL.Path] > 0
		if drop {
			a.drop[r.URL.Path]--
		}
		a.mu.Unlock()
		if !drop {
			haven.ServeHTTP(w, r)
			return
		}
		haven.ServeHTTP(httptest.NewRecorder(), r)
		panic(http.ErrAbortHandler) // closes the connection, unanswered
	}))
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// tab is one browser tab in a browser context of its own: its own cookies
// and cache, like a fresh incognito window, so two tabs of one test are two
// people at two computers.
type tab struct {
	t    *testing.T
	app  *app
	ctx  context.Context // carries the test's deadline
	name string          // tab1, tab2…: names its failure files

	// scope, an XPath, narrows where the helpers look (see within).
	scope string
	// noScript is set when the tab runs pages without JavaScript.
	noScript *bool
	a11y     *a11yStats
	// phone is set when the tab has a phone's window for the whole test
	// (phoneWidth); otherwise it is narrowed only to measure each page.
	phone *bool
}

// a11yStats counts a tab's pages checked by axe-core, the time it took, and
// the pages it skipped as already checked.
type a11yStats struct {
	pages, same int
	time        time.Duration
}

// newTab opens a tab for t on a. When the test fails, the tab's last page
// is saved as a screenshot and HTML under testdata-output/<test name>/ at
// the repository root.
func newTab(t *testing.T, a *app) *tab {
	t.Helper()
	if browser.err != nil {
		t.Fatal(browser.err)
	}
	tabCtx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("open a browser tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tabCtx, testTimeout)
	t.Cleanup(cancelTimeout)
	b := &tab{t: t, app: a, ctx: ctx, noScript: new(bool), a11y: new(a11yStats), phone: new(bool)}
	// A new browser context starts with no cookies; clearing them again
	// costs nothing and makes the fresh start explicit.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatalf("clear cookies: %v", err)
	}
	// Each tab is in a window of its own and would lose the focus to the
	// newest: every tab behaves as the focused one, so that the focus and
	// the keyboard work in all.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatalf("emulate focus: %v", err)
	}
	tabs.Lock()
	tabs.n[t]++
	first := tabs.n[t] == 1
	b.name = fmt.Sprintf("tab%d", tabs.n[t])
	tabs.Unlock()
	if first { // what an earlier failed run of this test left
		os.RemoveAll(b.outputDir())
	}
	t.Cleanup(func() {
		if b.a11y.pages+b.a11y.same > 0 {
			t.Logf("axe-core checked %d pages in %v (and %d pages already checked)",
				b.a11y.pages, b.a11y.time.Round(time.Millisecond), b.a11y.same)
		}
		if t.Failed() {
			b.saveFailure(tabCtx)
		}
	})
	return b
}

// tabs counts each test's tabs, so that their failure files get distinct
// names.
var tabs = struct {
	sync.Mutex
	n map[*testing.T]int
}{n: map[*testing.T]int{}}

// saveFailure writes the tab's screenshot and HTML for a failed test.
func (b *tab) saveFailure(tabCtx context.Context) {
	ctx, cancel := context.WithTimeout(tabCtx, 10*time.Second)
	defer cancel()
	dir := b.outputDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("save failure output: %v", err)
		return
	}
	name := b.name
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	} else {
		b.t.Logf("screenshot: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		os.WriteFile(filepath.Join(dir, name+".html"), []byte(html), 0o644)
	} else {
		b.t.Logf("page HTML: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	b.t.Logf("%s was at %s; screenshot and HTML saved in %s", name, loc, dir)
}

// outputDir is where a failed test leaves its tabs' pages.
func (b *tab) outputDir() string {
	return filepath.Join(repoRoot(b.t), "testdata-output", safeName(b.t.Name()))
}

// repoRoot is the directory holding go.mod, above this package.
func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName turns a test name such as TestSignIn/dsl@demo.test into a
// directory path, one directory per subtest.
func safeName(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = unsafeChars.ReplaceAllString(p, "_")
	}
	return filepath.Join(parts...)
}

package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestServeOnPrivateCluster is `make run` as a newcomer meets it: the binary
// starts its own PostgreSQL, loads the demo school, prints the sign-ins,
// lets every role sign in, and on Ctrl-C stops, leaving no process behind.
// A second run keeps the data.
func TestServeOnPrivateCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary with its own cluster")
	}
	bin := filepath.Join(t.TempDir(), "haven")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dataDir := filepath.Join(t.TempDir(), "data")

	first := startServe(t, bin, dataDir)
	for _, a := range demo.Accounts {
		if !strings.Contains(first.banner, a.Email) {
			t.Errorf("the sign-ins printed at start lack %s", a.Email)
		}
		signInAndGetHome(t, first.url, a.Email, a.Role)
	}
	first.stop(t)
	assertNoPostgres(t, dataDir)

	// The second run reuses the data: the demo school is not loaded again,
	// and the sign-ins still work.
	second := startServe(t, bin, dataDir)
	if strings.Contains(second.log, "loading the demo school") {
		t.Error("the second run loaded the demo school again")
	}
	signInAndGetHome(t, second.url, "dsl@demo.test", safeguarding.RoleDSL)
	second.stop(t)
	assertNoPostgres(t, dataDir)
}

type served struct {
	cmd    *exec.Cmd
	url    string
	banner string
	log    string
	done   chan struct{}
}

func startServe(t *testing.T, bin, dataDir string) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	cmd := exec.Command(bin, "serve", "-demo")
	cmd.Env = append(os.Environ(), "HAVEN_DATA_DIR="+dataDir, "HAVEN_ADDR="+addr, "DATABASE_URL=", "DATABASE_OWNER_URL=", "HAVEN_DEMO_PASSWORD=test-demo-password")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, url: "http://" + addr, done: make(chan struct{})}
	ready := make(chan string, 1)
	logs := make(chan string, 1)
	go func() {
		var banner strings.Builder
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			banner.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "Press Ctrl-C to stop") {
				ready <- banner.String()
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		b, _ := io.ReadAll(stderr)
		logs <- string(b)
	}()
	go func() { cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	select {
	case s.banner = <-ready:
	case <-s.done:
		t.Fatalf("haven serve exited before it was ready:\n%s", <-logs)
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("haven serve not ready within 3 minutes:\n%s", <-logs)
	}
	go func() { s.log = <-logs }()
	return s
}

// stop sends Ctrl-C's signal and waits for a clean exit.
func (s *served) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		t.Fatal("haven serve did not stop within a minute of SIGINT")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("haven serve exited with %d after SIGINT", code)
	}
	time.Sleep(100 * time.Millisecond) // the stderr reader finishes
}

// signInAndGetHome signs in as a demo account and expects its home page,
// or, for a role that needs a second factor, enrolment: the demo's
// privileged accounts start without one, so a newcomer sees it.
func signInAndGetHome(t *testing.T, base, email string, role safeguarding.Role) {
	t.Helper()
	want := "/home"
	if (safeguarding.Roles{role}).NeedSecondFactor() {
		want = "/account/two-factor"
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	res, err := c.PostForm(base+"/sign-in", url.Values{"email": {email}, "password": {"test-demo-password"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != want {
		t.Errorf("%s: signing in ended at %s with %d", email, res.Request.URL.Path, res.StatusCode)
	}
	if !strings.Contains(string(body), "Sign out") {
		t.Errorf("%s: the home page does not show a signed-in person", email)
	}
}

// assertNoPostgres fails if any postgres process still runs on dataDir.
func assertNoPostgres(t *testing.T, dataDir string) {
	t.Helper()
	pgDir := filepath.Join(dataDir, "postgres")
	if _, err := os.Stat(filepath.Join(pgDir, "postmaster.pid")); err == nil {
		t.Errorf("postmaster.pid still exists in %s", pgDir)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmdline, "postgres") && strings.Contains(cmdline, pgDir) {
			t.Errorf("a PostgreSQL process remains: %s", cmdline)
		}
	}
}

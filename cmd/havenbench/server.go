package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
)

// server is `haven serve` running as a process of its own, so that its
// memory is its own and can be read from /proc.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	done chan error
	log  *os.File
	// inProcess is set instead of cmd when the server runs inside this
	// program, for CPU profiles (-cpuprofile); its memory is then ours.
	inProcess *http.Server
	pool      *pgxpool.Pool
}

// startInProcess serves Haven from this process, wired as `haven serve`
// wires it, so that runtime/pprof can profile the handlers.
func startInProcess(ctx context.Context, databaseURL string) (*server, error) {
	pool, err := postgres.NewPool(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	db := postgres.New(pool, alerts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		pool.Close()
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := &http.Server{Handler: httpserver.New(httpserver.Config{BenchFloor: true}, db, db.SessionStore(10*time.Minute), logger), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return &server{base: "http://" + ln.Addr().String(), inProcess: srv, pool: pool}, nil
}

// buildServer compiles cmd/haven into dir, from the module this program is
// run in (make bench runs it from the repository's root).
func buildServer(ctx context.Context, dir, overlay string) (string, error) {
	bin, err := filepath.Abs(filepath.Join(dir, "haven"))
	if err != nil {
		return "", err
	}
	args := []string{"build", "-o", bin}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/haven")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/haven: %w\n%s", err, out)
	}
	return bin, nil
}

// startServer runs bin serve on a free loopback port against the bench
// database, logged in as databaseURL (the app's login; ownerURL migrates),
// and waits until it is ready.
func startServer(ctx context.Context, bin, databaseURL, ownerURL, logPath string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL, "DATABASE_OWNER_URL="+ownerURL, "HAVEN_ADDR="+addr, "HAVEN_LOG_LEVEL=warn", "HAVEN_COOKIE_SECURE=false", "HAVEN_BENCH_FLOOR=true")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a Ctrl-C reaches us, and we stop it
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start haven: %w", err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, done: make(chan error, 1), log: logFile}
	go func() { s.done <- cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			logFile.Close()
			return nil, fmt.Errorf("haven exited before it was ready (%v); see %s", err, logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, fmt.Errorf("haven was not ready within 60 s; see %s", logPath)
}

func (s *server) pid() int {
	if s.inProcess != nil {
		return os.Getpid()
	}
	return s.cmd.Process.Pid
}

// stop asks the server to shut down gracefully, and kills it if it has not
// within 20 seconds.
func (s *server) stop() {
	if s.inProcess != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.inProcess.Shutdown(ctx)
		s.pool.Close()
		return
	}
	defer s.log.Close()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// resetPeakMemory starts a new peak: writing 5 to clear_refs resets VmHWM
// to the current resident size (Linux ≥ 4.0).
func (s *server) resetPeakMemory() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.pid()), []byte("5"), 0)
}

// peakMemory reads the server's peak resident memory (VmHWM), in KiB.
func (s *server) peakMemory() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no VmHWM in /proc status")
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

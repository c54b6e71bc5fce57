// Package devdb runs a private PostgreSQL cluster from the server binaries
// installed on the machine (initdb, pg_ctl, postgres): the database behind
// `make run` when no DATABASE_URL is given, and the throwaway server of the
// tests (see internal/postgres/pgtest).
//
// The server listens on a Unix socket only (listen_addresses is empty), so it
// never clashes with another PostgreSQL on the machine over a TCP port. The
// socket lives in the data directory itself: that directory is 0700, so only
// the cluster's owner (and root) can connect, which is what makes the "trust"
// authentication of a development cluster acceptable. A Unix socket path is
// limited to about 107 bytes, so when the data directory's path is too long
// (or holds characters that would need quoting in the server's options) the
// socket goes to a short private directory instead, /tmp/haven-pg-<hash of
// the data directory's path>, so the same data directory always gets the same
// socket.
//
// PostgreSQL refuses to run as root. When the caller is root, the cluster is
// run as the "postgres" system user (which the Debian package creates): the
// data directory is handed over to that user and the directories above it are
// made traversable for it.
package devdb

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoServer reports that no PostgreSQL server binaries were found.
var ErrNoServer = errors.New("PostgreSQL server binaries not found (initdb, pg_ctl)")

// AppDatabase is the database Start creates for the application.
const AppDatabase = "haven"

const (
	// port only names the socket file (.s.PGSQL.5432): nothing listens on TCP.
	port = 5432
	// superuser is the cluster's bootstrap superuser, named explicitly so the
	// name does not depend on which OS user ran initdb.
	superuser = "postgres"
	// libRoot is where Debian and Ubuntu install each major version's server.
	libRoot = "/usr/lib/postgresql"
	// maxSocketPath keeps the socket's path (directory + "/.s.PGSQL.5432")
	// comfortably under the kernel's limit of 107 bytes.
	maxSocketPath = 100
	// shortSocketRoot holds the socket directories of data directories whose
	// own path is too long for a socket.
	shortSocketRoot = "/tmp"
)

// Options tunes a cluster.
type Options struct {
	// Fast trades crash safety for speed: fsync, synchronous_commit and
	// full_page_writes are off and initdb does not sync. For throwaway test
	// clusters only: an operating-system crash can corrupt such a cluster,
	// and with synchronous_commit off even a crash of the server alone (Kill)
	// can lose the transactions committed in its last fraction of a second.
	Fast bool
	// SharedBuffers, when set, is the server's shared_buffers ("1GB"):
	// PostgreSQL's default of 128MB suits a small machine, not a benchmark
	// whose data is gigabytes. Letters and digits only.
	SharedBuffers string
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	bin       string // directory holding initdb, pg_ctl and postgres
	dir       string // absolute data directory, symlinks resolved
	socketDir string
	opts      Options
	logger    *slog.Logger
	// runAs is the user the server runs as when we are root; nil otherwise.
	runAs *syscall.Credential
	env   []string
}

// FindBinaries returns the directory holding the PostgreSQL server binaries:
// the directory of initdb and pg_ctl when both are on PATH (from the same
// directory), else the newest version under /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	return findBinaries(libRoot)
}

func findBinaries(root string) (string, error) {
	initdb, err1 := exec.LookPath("initdb")
	pgctl, err2 := exec.LookPath("pg_ctl")
	if err1 == nil && err2 == nil && filepath.Dir(initdb) == filepath.Dir(pgctl) {
		return filepath.Dir(initdb), nil
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "bin"))
	// Sort by version number, newest first: "9.6" < "15" < "16".
	slices.SortFunc(dirs, func(a, b string) int {
		return compareVersions(versionOf(b), versionOf(a))
	})
	for _, dir := range dirs {
		if isServerDir(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w; install them with: apt-get install postgresql", ErrNoServer)
}

// isServerDir reports whether dir holds the server binaries. The client
// package alone also creates /usr/lib/postgresql/N/bin (for psql, pg_dump).
func isServerDir(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionOf returns the version directory of /usr/lib/postgresql/<v>/bin.
func versionOf(binDir string) string { return filepath.Base(filepath.Dir(binDir)) }

// compareVersions compares dotted version numbers numerically.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// binariesFor prefers the server version that created an existing data
// directory: after a newer major version is installed beside the old one,
// the newest binaries could not open it.
func binariesFor(dataDir string) (string, error) {
	if v, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION")); err == nil {
		dir := filepath.Join(libRoot, strings.TrimSpace(string(v)), "bin")
		if isServerDir(dir) {
			return dir, nil
		}
	}
	return FindBinaries()
}

// Start starts a durable cluster in dir (e.g. ".data/postgres"), creating it
// on first use, and makes sure the application database exists. When a
// server from an earlier run is still running on dir, Start reuses it.
func Start(ctx context.Context, dir string, logger *slog.Logger) (*Cluster, error) {
	return StartWithOptions(ctx, dir, logger, Options{})
}

// StartWithOptions is Start with options; tests use Options{Fast: true}.
func StartWithOptions(ctx context.Context, dir string, logger *slog.Logger, opts Options) (*Cluster, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Cluster{opts: opts, logger: logger}
	if err := c.prepare(dir); err != nil {
		return nil, err
	}
	if err := c.initdb(ctx); err != nil {
		return nil, err
	}
	if err := c.start(ctx); err != nil {
		return nil, err
	}
	if err := c.createDatabase(ctx, AppDatabase); err != nil {
		return nil, err
	}
	return c, nil
}

// prepare resolves the paths and the user to run as, and sets up the data
// and socket directories' ownership and permissions.
func (c *Cluster) prepare(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	// pg_ctl hands the data directory to /bin/sh inside double quotes.
	if strings.ContainsAny(abs, "\"$`\\\n") {
		return fmt.Errorf("data directory %q: the path must not contain \" $ ` \\ or a newline", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	// The server's processes report the resolved path as their working
	// directory, which is how we find them (see processes).
	if c.dir, err = filepath.EvalSymlinks(abs); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if c.bin, err = binariesFor(c.dir); err != nil {
		return err
	}

	c.env = childEnv()
	if os.Geteuid() == 0 {
		u, err := user.Lookup(superuser)
		if err != nil {
			return fmt.Errorf("PostgreSQL refuses to run as root and there is no %q user to run it as (%v); create that user or run as an ordinary user", superuser, err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		c.runAs = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		c.env = append(c.env, "HOME="+u.HomeDir, "USER="+u.Username, "LOGNAME="+u.Username)
		if err := c.handOver(c.dir); err != nil {
			return err
		}
	}

	c.socketDir = c.dir
	if !usableSocketDir(c.socketDir) {
		sum := sha256.Sum256([]byte(c.dir))
		c.socketDir = filepath.Join(shortSocketRoot, "haven-pg-"+hex.EncodeToString(sum[:6]))
	}
	return nil
}

var sharedBuffers = regexp.MustCompile(`^[0-9]+[kMG]B$`)

var safeSocketDir = regexp.MustCompile(`^[A-Za-z0-9/._+@-]+$`)

// usableSocketDir reports whether dir can hold the socket: short enough, and
// free of characters that would need quoting in pg_ctl's -o option or in the
// server's list-valued unix_socket_directories.
func usableSocketDir(dir string) bool {
	return len(dir)+len(fmt.Sprintf("/.s.PGSQL.%d", port)) <= maxSocketPath && safeSocketDir.MatchString(dir)
}

// makeSocketDir creates the short socket directory under /tmp, refusing one
// that somebody else made (the name is predictable and /tmp is shared).
func (c *Cluster) makeSocketDir() error {
	if err := os.Mkdir(c.socketDir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create socket directory: %w", err)
	}
	want := uint32(os.Geteuid())
	if c.runAs != nil {
		if err := os.Chown(c.socketDir, int(c.runAs.Uid), int(c.runAs.Gid)); err != nil {
			return fmt.Errorf("socket directory: %w", err)
		}
		want = c.runAs.Uid
	}
	fi, err := os.Lstat(c.socketDir)
	if err != nil {
		return fmt.Errorf("socket directory: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || (ok && st.Uid != want) || fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("socket directory %s is not a private directory of the server's user; remove it", c.socketDir)
	}
	return nil
}

// handOver gives the data directory to the server's user and makes every
// directory above it traversable for that user (Go's t.TempDir, for one, is
// 0700).
func (c *Cluster) handOver(dir string) error {
	uid, gid := int(c.runAs.Uid), int(c.runAs.Gid)
	if fi, err := os.Stat(dir); err == nil && fileUID(fi) != uint32(uid) {
		// Also covers a data directory first made by an ordinary user.
		c.logger.Info("giving the data directory to the PostgreSQL user", "dir", dir, "user", superuser)
		err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(path, uid, gid)
		})
		if err != nil {
			return fmt.Errorf("give %s to user %s: %w", dir, superuser, err)
		}
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("data directory ancestor: %w", err)
		}
		mode := fi.Mode().Perm()
		st, _ := fi.Sys().(*syscall.Stat_t)
		traversable := mode&0o001 != 0 ||
			(st != nil && st.Uid == uint32(uid) && mode&0o100 != 0) ||
			(st != nil && st.Gid == uint32(gid) && mode&0o010 != 0)
		if !traversable {
			c.logger.Info("making a directory traversable for the PostgreSQL user", "dir", p, "mode", fmt.Sprintf("%04o", mode|0o001))
			if err := os.Chmod(p, fi.Mode()|0o001); err != nil {
				return fmt.Errorf("make %s traversable: %w", p, err)
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func fileUID(fi fs.FileInfo) uint32 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Uid
	}
	return 0
}

// childEnv is our environment without PG* variables: PGPORT, for one,
// would change the server's port and so the socket's name.
func childEnv() []string {
	var env []string
	root := os.Geteuid() == 0
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PG") {
			continue
		}
		if root && (k == "HOME" || k == "USER" || k == "LOGNAME") {
			continue // replaced by the postgres user's
		}
		env = append(env, kv)
	}
	return env
}

// command prepares one of the server binaries to run as the cluster's user.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Env = c.env
	// The server's user may not be allowed into our working directory.
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.runAs}
	return cmd
}

// initdb creates the cluster unless the data directory already holds one.
func (c *Cluster) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); err == nil {
		return nil
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("read data directory: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is neither empty nor a PostgreSQL data directory (an interrupted first start?); remove it to start afresh", c.dir)
	}
	c.logger.Info("creating PostgreSQL cluster", "dir", c.dir, "binaries", c.bin)
	args := []string{"-D", c.dir, "-U", superuser, "--auth=trust", "-E", "UTF8"}
	if c.opts.Fast {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, "initdb", append(args, "--locale=C.UTF-8")...).CombinedOutput()
	if err == nil {
		return nil
	}
	// C.UTF-8 is missing on some systems (macOS, musl); initdb removed what
	// it created, so try again with the plain C locale.
	c.logger.Info("initdb with locale C.UTF-8 failed; retrying with --no-locale", "output", lastLines(out, 5))
	out2, err2 := c.command(ctx, "initdb", append(args, "--no-locale")...).CombinedOutput()
	if err2 != nil {
		return fmt.Errorf("initdb: %w\n%s\n%s", err2, lastLines(out, 10), lastLines(out2, 10))
	}
	return nil
}

// serverOptions are the settings passed to the server on its command line.
// pg_ctl gives them to /bin/sh, hence the shell quoting of the empty value.
func (c *Cluster) serverOptions() string {
	opts := []string{
		"-c listen_addresses=''",
		fmt.Sprintf("-c port=%d", port),
		"-c unix_socket_directories=" + c.socketDir,
	}
	if c.opts.Fast {
		opts = append(opts, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
	}
	if sharedBuffers.MatchString(c.opts.SharedBuffers) {
		opts = append(opts, "-c shared_buffers="+c.opts.SharedBuffers)
	}
	return strings.Join(opts, " ")
}

// start starts the server, or adopts one already running on the data
// directory, and waits until it accepts connections.
func (c *Cluster) start(ctx context.Context) error {
	if pids := c.processes(); len(pids) > 0 {
		// A server left running by an earlier run (say, the app was killed
		// before it could stop it): use it rather than fail.
		c.logger.Info("PostgreSQL already running on the data directory; reusing it", "dir", c.dir, "pids", pids)
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := c.waitReady(waitCtx); err != nil {
			return fmt.Errorf("a PostgreSQL server is running on %s (pids %v) but does not accept connections on %s: %w", c.dir, pids, c.socketDir, err)
		}
		return nil
	}
	if c.socketDir != c.dir {
		// Made afresh on every start: Stop removes it.
		if err := c.makeSocketDir(); err != nil {
			return err
		}
	}
	c.removeStaleLocks()

	logFile := filepath.Join(c.dir, "server.log")
	cmd := c.command(ctx, "pg_ctl", "start", "-D", c.dir, "-l", logFile, "-w", "-t", "120", "-o", c.serverOptions())
	// pg_ctl already puts the postmaster in a session of its own; our own
	// process group for pg_ctl also keeps a Ctrl-C in the terminal from
	// interrupting it half way. The app stops the server itself on shutdown.
	cmd.SysProcAttr.Setpgid = true
	c.logger.Info("starting PostgreSQL", "dir", c.dir, "socket", c.socketDir, "fast", c.opts.Fast)
	if out, err := cmd.CombinedOutput(); err != nil {
		serverLog, _ := os.ReadFile(logFile)
		return fmt.Errorf("pg_ctl start: %w\n%s\nserver log (%s):\n%s", err, lastLines(out, 10), logFile, lastLines(serverLog, 20))
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return c.waitReady(waitCtx)
}

// removeStaleLocks removes the lock files of a server that died without
// cleaning up, once none of its processes remain. The server checks a lock
// file's PID itself, but it takes a zombie (a killed postmaster nobody
// reaped) or an unrelated process that got the same PID for a live server.
func (c *Cluster) removeStaleLocks() {
	for _, f := range []string{
		filepath.Join(c.dir, "postmaster.pid"),
		filepath.Join(c.socketDir, fmt.Sprintf(".s.PGSQL.%d.lock", port)),
	} {
		if err := os.Remove(f); err == nil {
			c.logger.Info("removed stale lock file of a server that is gone", "file", f)
		}
	}
}

// waitReady polls until the server accepts a connection.
func (c *Cluster) waitReady(ctx context.Context) error {
	for {
		conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// createDatabase creates the database name unless it exists.
func (c *Cluster) createDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("look for database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
		err = nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	c.logger.Info("created database", "name", name)
	return nil
}

// DataDir returns the cluster's absolute data directory.
func (c *Cluster) DataDir() string { return c.dir }

// ConnString returns a keyword/value connection string for database dbname,
// as the superuser, over the Unix socket.
func (c *Cluster) ConnString(dbname string) string {
	return c.ConnStringAs(superuser, dbname)
}

// ConnStringAs returns a keyword/value connection string for database
// dbname, as the role user, over the Unix socket. The socket trusts every
// role that may log in, so no password is needed: the application's login
// (see postgres.AllowAppLogin) connects this way.
func (c *Cluster) ConnStringAs(user, dbname string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable",
		c.socketDir, port, quoteValue(user), quoteValue(dbname))
}

// quoteValue quotes a keyword/value connection string value when needed.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " '\\\t\n") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// Stop shuts the server down (fast mode: open sessions are disconnected,
// committed work is kept) and waits until none of its processes remain.
// Stopping a cluster that is not running is not an error.
func (c *Cluster) Stop() error {
	if len(c.processes()) == 0 {
		return nil
	}
	c.logger.Info("stopping PostgreSQL", "dir", c.dir)
	out, err := c.command(context.Background(), "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "120").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, lastLines(out, 10))
	}
	if err := c.waitGone(30 * time.Second); err != nil {
		return err
	}
	if c.socketDir != c.dir {
		os.Remove(c.socketDir) // empty now; recreated by the next Start
	}
	return nil
}

// Kill kills the server with SIGKILL, as in a crash: first the postmaster
// (its PID from postmaster.pid), so that it cannot restart its children,
// then any of its processes that remain. Kill returns once all are gone.
// The operating system's page cache survives, so this does not lose what an
// fsync would have saved; but on a Fast cluster synchronous_commit is off,
// so a test that checks durability across Kill should turn it on for its
// database (ALTER DATABASE ... SET synchronous_commit = on).
func (c *Cluster) Kill() error {
	pid, err := c.postmasterPID()
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill postmaster %d: %w", pid, err)
	}
	for _, p := range c.processes() {
		syscall.Kill(p, syscall.SIGKILL)
	}
	return c.waitGone(30 * time.Second)
}

// Restart starts the server again on the same data directory, after Kill or
// Stop, and waits until it accepts connections.
func (c *Cluster) Restart(ctx context.Context) error {
	return c.start(ctx)
}

// postmasterPID reads the postmaster's PID from the first line of
// postmaster.pid.
func (c *Cluster) postmasterPID() (int, error) {
	f, err := os.Open(filepath.Join(c.dir, "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("no running server: %w", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Scan()
	pid, err := strconv.Atoi(strings.TrimSpace(s.Text()))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("postmaster.pid: bad PID %q", s.Text())
	}
	return pid, nil
}

// processes returns the PIDs of the server's live processes. Every server
// process (postmaster, backends, background workers) works in the data
// directory, so on Linux they are the "postgres" processes whose
// /proc/PID/cwd is the data directory (the name check spares, say, a shell
// that was cd'ed there); a zombie has no cwd and so does not count.
// Elsewhere the postmaster's PID, if it is alive, stands for them all.
func (c *Cluster) processes() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil || !procCwdWorks() {
		if pid, err := c.postmasterPID(); err == nil && syscall.Kill(pid, 0) == nil {
			return []int{pid}
		}
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err != nil || cwd != c.dir {
			continue
		}
		if comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm")); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			pids = append(pids, pid)
		}
	}
	return pids
}

func procCwdWorks() bool {
	_, err := os.Readlink("/proc/self/cwd")
	return err == nil
}

// waitGone waits until none of the server's processes remain.
func (c *Cluster) waitGone(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		pids := c.processes()
		if len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("PostgreSQL processes %v on %s still running after %v", pids, c.dir, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lastLines returns the last n lines of out, for error messages.
func lastLines(out []byte, n int) string {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

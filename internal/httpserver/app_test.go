package httpserver_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// demoPassword signs in every demo account in tests.
const demoPassword = "test-demo-password"

// testApp is Haven served over HTTP on its own fresh database holding the
// demo school.
type testApp struct {
	URL      string
	DB       *postgres.DB
	Pool     *pgxpool.Pool // the app's connections
	ConnStr  string        // the owner's connection string
	SchoolID int64
	Demo     demo.School // the demo school as loaded, for a test that loads its history too
	server   *httptest.Server
}

// newTestApp serves Haven on a fresh database with the demo school.
func newTestApp(t *testing.T) *testApp {
	t.Helper()
	// As a school with SMTP set up would run it.
	return newTestAppWith(t, httpserver.Config{EmailAlerts: true})
}

func newTestAppWith(t *testing.T, cfg httpserver.Config) *testApp {
	t.Helper()
	ctx := context.Background()
	conn := pgtest.NewDB(t)
	pool := pgtest.NewPool(t, conn)
	alerts, err := jobs.AlertEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	notices, err := jobs.NoticeEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	resets, err := jobs.PasswordResetEnqueuer(pool)
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.New(pool, alerts).WithDeniedLookNotices(safeguarding.DefaultDeniedLookWatch, notices).WithPasswordResets(resets)
	school, err := demo.Load(ctx, db, demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	schoolID, err := db.SchoolByName(ctx, demo.SchoolName)
	if err != nil {
		t.Fatal(err)
	}
	// Those who need a second factor have one, with the tests' secret
	// (signIn types its codes); twofactor_test.go takes it away again.
	owner, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if err := twofactortest.EnrolEveryoneWhoNeedsIt(ctx, owner); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(httpserver.New(cfg, db, db.SessionStore(0), logger))
	t.Cleanup(srv.Close)
	return &testApp{URL: srv.URL, DB: db, Pool: pool, ConnStr: conn, SchoolID: schoolID, Demo: school, server: srv}
}

// auditLog returns the newest lines of a school's audit log, at most
// limit, read as the owner; schoolID 0 returns the lines with no school.
func (a *testApp) auditLog(t *testing.T, schoolID int64, limit int) []safeguarding.AuditEvent {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), a.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(t.Context(), `SELECT coalesce(school_id, 0), coalesce(actor_id, 0), action, object, address, detail
		FROM audit_log WHERE coalesce(school_id, 0) = $1 ORDER BY id DESC LIMIT $2`, schoolID, limit)
	if err != nil {
		t.Fatal(err)
	}
	log, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.AuditEvent, error) {
		var e safeguarding.AuditEvent
		err := r.Scan(&e.SchoolID, &e.ActorID, &e.Action, &e.Object, &e.Address, &e.Detail)
		return e, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

// client is a browser-like HTTP client with its own cookie jar that does not
// follow redirects, so tests see each response as it is.
type client struct {
	t    *testing.T
	app  *testApp
	http *http.Client
}

func (a *testApp) newClient(t *testing.T) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, app: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn returns a client signed in as email, failing the test otherwise:
// with the demo password and, for a person with a second factor, a code
// from their app.
func (a *testApp) signIn(t *testing.T, email string) *client {
	t.Helper()
	c := a.newClient(t)
	res := c.post("/sign-in", url.Values{"email": {email}, "password": {demoPassword}})
	if res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/sign-in/code" {
		res = c.post("/sign-in/code", url.Values{"code": {a.code(t, email)}})
	}
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, body:\n%s", email, res.StatusCode, res.Body)
	}
	return c
}

// code is a code the person enrolled with the tests' secret can sign in
// with now (twofactortest.Code).
func (a *testApp) code(t *testing.T, email string) string {
	t.Helper()
	conn := a.ownerConn(t)
	defer conn.Close(context.Background())
	code, err := twofactortest.Code(t.Context(), conn, email)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// ownerConn is a connection as the database's owner, which row-level
// security does not bind; the caller closes it.
func (a *testApp) ownerConn(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), a.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// response is a read response.
type response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{StatusCode: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form as a same-origin browser would.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

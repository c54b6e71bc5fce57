package httpserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
)

// sessionTestPassword signs in every demo account in these tests.
const sessionTestPassword = "test-demo-password"

// sessionFixture is a fresh database, the app's pool on it, and the owner's
// connection to look at the sessions table behind the app's back.
type sessionFixture struct {
	db       *postgres.DB
	owner    *pgx.Conn
	demoDone bool
}

func newSessionFixture(t *testing.T) *sessionFixture {
	t.Helper()
	conn := pgtest.NewDB(t)
	db := postgres.New(pgtest.NewPool(t, conn), nil)
	owner, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	return &sessionFixture{db: db, owner: owner}
}

// server is Haven on the fixture's database holding the demo school; each
// call is another process sharing the database.
func (f *sessionFixture) server(t *testing.T) *Server {
	t.Helper()
	if !f.demoDone {
		if _, err := demo.Load(t.Context(), f.db, sessionTestPassword); err != nil {
			t.Fatal(err)
		}
		f.demoDone = true
	}
	return New(Config{}, f.db, f.db.SessionStore(0), slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// store is a session store on the fixture's database, its clock at now.
func (f *sessionFixture) store(now *time.Time) *sessionStore {
	s := newSessionStore(f.db.SessionStore(0))
	s.now = func() time.Time { return *now }
	return s
}

// sessionRow is a sessions row as the database holds it. xmin is the
// transaction that last wrote it, so it changes with every write.
type sessionRow struct {
	xmin   string
	data   []byte
	expiry time.Time
}

// row returns token's sessions row, failing the test when there is none.
func (f *sessionFixture) row(t *testing.T, token string) sessionRow {
	t.Helper()
	var r sessionRow
	err := f.owner.QueryRow(t.Context(), `SELECT xmin::text, data, expiry FROM sessions WHERE token = $1`, token).
		Scan(&r.xmin, &r.data, &r.expiry)
	if err != nil {
		t.Fatalf("sessions row of %q: %v", token, err)
	}
	return r
}

// rowExists reports whether token has a sessions row.
func (f *sessionFixture) rowExists(t *testing.T, token string) bool {
	t.Helper()
	var n int
	if err := f.owner.QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// browser sends requests to a handler with the session cookie it was last
// given.
type browser struct {
	t       *testing.T
	handler http.Handler
	cookie  *http.Cookie
}

// do serves one request; a non-nil form is posted.
func (b *browser) do(method, path string, form url.Values) int {
	b.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	rec := httptest.NewRecorder()
	b.handler.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == SessionCookieName(false) {
			b.cookie = c
		}
	}
	return rec.Code
}

// token is the session token the browser holds.
func (b *browser) token() string {
	b.t.Helper()
	if b.cookie == nil {
		b.t.Fatal("no session cookie")
	}
	return b.cookie.Value
}

// signIn returns a browser signed in to s as email.
func signIn(t *testing.T, s *Server, email string) *browser {
	t.Helper()
	b := &browser{t: t, handler: s}
	if code := b.do(http.MethodPost, "/sign-in", url.Values{"email": {email}, "password": {sessionTestPassword}}); code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", email, code)
	}
	return b
}

func TestSessionPagesDoNotRewriteTheSession(t *testing.T) {
	f := newSessionFixture(t)
	b := signIn(t, f.server(t), "staff@demo.test")
	signedIn := f.row(t, b.token())

	for range 2 {
		if code := b.do(http.MethodGet, "/home", nil); code != http.StatusOK {
			t.Fatalf("GET /home: status %d", code)
		}
	}
	if got := f.row(t, b.token()); got.xmin != signedIn.xmin || !got.expiry.Equal(signedIn.expiry) {
		t.Errorf("two pages rewrote the session (xmin %s, expiry %s), want the row sign-in wrote (xmin %s, expiry %s)",
			got.xmin, got.expiry, signedIn.xmin, signedIn.expiry)
	}
}

func TestSessionChangeIsWritten(t *testing.T) {
	t.Run("Put", func(t *testing.T) {
		f := newSessionFixture(t)
		s := f.server(t)
		b := signIn(t, s, "staff@demo.test")
		before := f.row(t, b.token())

		b.handler = s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.sessions.Put(r.Context(), "notice", "Saved.")
		}))
		b.do(http.MethodGet, "/", nil)
		changed := f.row(t, b.token())
		if changed.xmin == before.xmin {
			t.Fatal("the changed session was not written")
		}
		_, values, err := s.sessions.Codec.Decode(changed.data)
		if err != nil {
			t.Fatal(err)
		}
		if values["notice"] != "Saved." {
			t.Errorf("the row holds %v, want the notice put", values)
		}

		// Popped, as the page showing it would: a change too. What is
		// written is what the next unchanged commit is compared with. (With
		// one value: gob writes a map's entries in no fixed order.)
		b.handler = s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.sessions.PopString(r.Context(), "notice")
		}))
		b.do(http.MethodGet, "/", nil)
		popped := f.row(t, b.token())
		if popped.xmin == changed.xmin {
			t.Fatal("the session with the notice popped was not written")
		}
		b.handler = s
		b.do(http.MethodGet, "/home", nil)
		if f.row(t, b.token()).xmin != popped.xmin {
			t.Error("the page after the change rewrote the session")
		}
	})

	t.Run("SignOut", func(t *testing.T) {
		f := newSessionFixture(t)
		s := f.server(t)
		b := signIn(t, s, "staff@demo.test")
		signedIn := b.token()

		if code := b.do(http.MethodPost, "/sign-out", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("sign out: status %d", code)
		}
		if f.rowExists(t, signedIn) {
			t.Error("the signed-in session outlived sign-out")
		}
		_, values, err := s.sessions.Codec.Decode(f.row(t, b.token()).data)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := values[sessionPersonID]; ok || values["notice"] != "You have been signed out." {
			t.Errorf("the session after sign-out holds %v, want only the notice", values)
		}
	})
}

func TestSessionSignOutEndsItInEveryProcess(t *testing.T) {
	f := newSessionFixture(t)
	first, second := f.server(t), f.server(t)
	b := signIn(t, first, "staff@demo.test")
	b.do(http.MethodGet, "/home", nil) // first remembers the session
	stolen := *b.cookie

	b.handler = second
	if code := b.do(http.MethodPost, "/sign-out", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("sign out: status %d", code)
	}

	old := &browser{t: t, handler: first, cookie: &stolen}
	if code := old.do(http.MethodGet, "/home", nil); code != http.StatusSeeOther {
		t.Errorf("the first process served the signed-out session: status %d, want 303 to sign-in", code)
	}
	if f.rowExists(t, stolen.Value) {
		t.Error("the signed-out session was written back")
	}
}

func TestSessionStoreWritesAnUnchangedSessionAfterTouchInterval(t *testing.T) {
	f := newSessionFixture(t)
	start := time.Now().Truncate(time.Microsecond)
	now := start
	store := f.store(&now)
	const idle = 30 * time.Minute
	data := []byte("person 7")

	if err := store.Commit("token", data, now.Add(idle)); err != nil {
		t.Fatal(err)
	}
	written := f.row(t, "token")

	now = start.Add(touchInterval - time.Second)
	if err := store.Commit("token", data, now.Add(idle)); err != nil {
		t.Fatal(err)
	}
	if got := f.row(t, "token"); got.xmin != written.xmin || !got.expiry.Equal(start.Add(idle)) {
		t.Errorf("within the touch interval: xmin %s, expiry %s; want the row unchanged (xmin %s, expiry %s)",
			got.xmin, got.expiry, written.xmin, start.Add(idle))
	}

	now = start.Add(touchInterval)
	if err := store.Commit("token", data, now.Add(idle)); err != nil {
		t.Fatal(err)
	}
	if got := f.row(t, "token"); got.xmin == written.xmin || !got.expiry.Equal(now.Add(idle)) {
		t.Errorf("after the touch interval: xmin %s, expiry %s; want a write with expiry %s",
			got.xmin, got.expiry, now.Add(idle))
	}
}

func TestSessionStoreComparesWithWhatItFinds(t *testing.T) {
	f := newSessionFixture(t)
	now := time.Now().Truncate(time.Microsecond)
	first, second := f.store(&now), f.store(&now)
	expiry := now.Add(30 * time.Minute)

	if err := first.Commit("token", []byte("before"), expiry); err != nil {
		t.Fatal(err)
	}
	if err := second.Commit("token", []byte("after"), expiry); err != nil {
		t.Fatal(err)
	}
	written := f.row(t, "token")

	b, found, err := first.Find("token")
	if err != nil || !found || string(b) != "after" {
		t.Fatalf("Find: %q, %t, %v; want the other process's data", b, found, err)
	}
	if err := first.Commit("token", b, expiry); err != nil {
		t.Fatal(err)
	}
	if f.row(t, "token").xmin != written.xmin {
		t.Error("committing the session unchanged from what was found rewrote it")
	}
}

func TestSessionStoreDelete(t *testing.T) {
	t.Run("RemovesTheRowAndForgetsTheToken", func(t *testing.T) {
		f := newSessionFixture(t)
		now := time.Now().Truncate(time.Microsecond)
		store := f.store(&now)
		expiry := now.Add(30 * time.Minute)
		if err := store.Commit("token", []byte("person 7"), expiry); err != nil {
			t.Fatal(err)
		}

		if err := store.Delete("token"); err != nil {
			t.Fatal(err)
		}
		if f.rowExists(t, "token") {
			t.Error("the row outlived Delete")
		}
		if _, ok := store.sessions["token"]; ok {
			t.Error("the token is still remembered")
		}
		if err := store.Commit("token", []byte("person 7"), expiry); err != nil {
			t.Fatal(err)
		}
		if !f.rowExists(t, "token") {
			t.Error("a commit after Delete was skipped")
		}
	})

	t.Run("ByAnotherProcessIsFound", func(t *testing.T) {
		f := newSessionFixture(t)
		now := time.Now().Truncate(time.Microsecond)
		first, second := f.store(&now), f.store(&now)
		if err := first.Commit("token", []byte("person 7"), now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}

		if err := second.Delete("token"); err != nil {
			t.Fatal(err)
		}
		if _, found, err := first.Find("token"); err != nil || found {
			t.Errorf("Find after another process's Delete: found %t, %v", found, err)
		}
		if _, ok := first.sessions["token"]; ok {
			t.Error("the token is still remembered")
		}
	})
}

func TestSessionStoreSweepsExpiredTokens(t *testing.T) {
	f := newSessionFixture(t)
	start := time.Now().Truncate(time.Microsecond)
	now := start
	store := f.store(&now)
	commit := func(token string, expiry time.Time) {
		t.Helper()
		if err := store.Commit(token, []byte(token), expiry); err != nil {
			t.Fatal(err)
		}
	}
	commit("short", start.Add(30*time.Second))
	commit("long", start.Add(30*time.Minute))

	now = start.Add(sweepInterval - time.Second) // "short" has expired, but the last sweep was at start
	commit("other", now.Add(30*time.Minute))
	if _, ok := store.sessions["short"]; !ok {
		t.Error("swept again within the sweep interval")
	}

	now = start.Add(sweepInterval)
	commit("other", now.Add(30*time.Minute))
	for token, want := range map[string]bool{"short": false, "long": true, "other": true} {
		if _, ok := store.sessions[token]; ok != want {
			t.Errorf("after the sweep, %q remembered: %t, want %t", token, ok, want)
		}
	}
}

func TestSessionStoreRemembersAtMostItsLimit(t *testing.T) {
	f := newSessionFixture(t)
	now := time.Now().Truncate(time.Microsecond)
	store := f.store(&now)
	store.limit = 2
	expiry := now.Add(30 * time.Minute)
	for _, token := range []string{"a", "b", "c"} {
		if err := store.Commit(token, []byte(token), expiry); err != nil {
			t.Fatal(err)
		}
	}
	if len(store.sessions) != 2 {
		t.Errorf("%d tokens remembered, want 2", len(store.sessions))
	}

	written := f.row(t, "c")
	if err := store.Commit("c", []byte("c"), expiry); err != nil {
		t.Fatal(err)
	}
	if f.row(t, "c").xmin == written.xmin {
		t.Error("a commit of a token not remembered was skipped")
	}
}

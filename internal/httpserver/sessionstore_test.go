package httpserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	err := f.owner.QueryRow(t.Context(), `SELECT xmin::text, data, expiry FROM sessions WHERE token = $1`, storedToken(token)).
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
	if err := f.owner.QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE token = $1`, storedToken(token)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// rows counts the sessions table's rows.
func (f *sessionFixture) rows(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.owner.QueryRow(t.Context(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// storedToken is what the sessions table holds for token: its SHA-256.
func storedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// session is the data of a session with person signed in, and a note.
func session(t *testing.T, person int64, note string) []byte {
	t.Helper()
	b, err := sessionCodec{}.Encode(time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), map[string]any{sessionPersonID: person, "note": note})
	if err != nil {
		t.Fatal(err)
	}
	return b
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
		if n := f.rows(t); n != 0 {
			t.Errorf("%d sessions stored after sign-out, want none", n)
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
	data := session(t, 7, "")

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

	if err := first.Commit("token", session(t, 7, "before"), expiry); err != nil {
		t.Fatal(err)
	}
	if err := second.Commit("token", session(t, 7, "after"), expiry); err != nil {
		t.Fatal(err)
	}
	written := f.row(t, "token")

	b, found, err := first.Find("token")
	if err != nil || !found || !bytes.Equal(b, session(t, 7, "after")) {
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
		if err := store.Commit("token", session(t, 7, ""), expiry); err != nil {
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
		if err := store.Commit("token", session(t, 7, ""), expiry); err != nil {
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
		if err := first.Commit("token", session(t, 7, ""), now.Add(30*time.Minute)); err != nil {
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
		if err := store.Commit(token, session(t, 7, token), expiry); err != nil {
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
		if err := store.Commit(token, session(t, 7, token), expiry); err != nil {
			t.Fatal(err)
		}
	}
	if len(store.sessions) != 2 {
		t.Errorf("%d tokens remembered, want 2", len(store.sessions))
	}

	written := f.row(t, "c")
	if err := store.Commit("c", session(t, 7, "c"), expiry); err != nil {
		t.Fatal(err)
	}
	if f.row(t, "c").xmin == written.xmin {
		t.Error("a commit of a token not remembered was skipped")
	}
}

// A copy of the sessions table signs nobody in: it holds the SHA-256 of
// each token, and a token is looked up by its hash.
func TestSessionTokensAreStoredHashed(t *testing.T) {
	f := newSessionFixture(t)
	s := f.server(t)
	b := signIn(t, s, "staff@demo.test")
	token := b.token()

	var stored string
	var data []byte
	var expiry time.Time
	if err := f.owner.QueryRow(t.Context(), `SELECT token, data, expiry FROM sessions`).Scan(&stored, &data, &expiry); err != nil {
		t.Fatal(err)
	}
	if stored == token || stored != storedToken(token) {
		t.Errorf("the sessions table holds %q for the token %q, want its SHA-256 (%s)", stored, token, storedToken(token))
	}

	// Someone with a copy of the table puts a row back under a token they
	// choose, and tries that token and the stored one as cookies.
	const chosen = "copied-copied-copied-copied-copied-copied-c"
	if _, err := f.owner.Exec(t.Context(), `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)`, chosen, data, expiry); err != nil {
		t.Fatal(err)
	}
	for _, cookie := range []string{chosen, stored} {
		thief := &browser{t: t, handler: s, cookie: &http.Cookie{Name: SessionCookieName(false), Value: cookie}}
		if code := thief.do(http.MethodGet, "/home", nil); code != http.StatusSeeOther {
			t.Errorf("the cookie %q from a copy of the table opened /home: status %d, want 303 to sign in", cookie, code)
		}
	}
	if code := b.do(http.MethodGet, "/home", nil); code != http.StatusOK {
		t.Errorf("the real token no longer works: status %d", code)
	}
}

func TestSessionStoreKeepsNoSignedOutSession(t *testing.T) {
	f := newSessionFixture(t)
	now := time.Now().Truncate(time.Microsecond)
	store := f.store(&now)
	anonymous, err := sessionCodec{}.Encode(now.Add(time.Hour), map[string]any{"notice": strings.Repeat("x", 100_000)})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Commit("anonymous", anonymous, now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := f.rows(t); n != 0 {
		t.Errorf("a session with nobody signed in was stored (%d rows)", n)
	}

	// A session whose person is removed (deactivated) is deleted.
	if err := store.Commit("token", session(t, 7, ""), now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := f.rows(t); n != 1 {
		t.Fatalf("%d rows for a signed-in session, want 1", n)
	}
	if err := store.Commit("token", anonymous, now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := f.rows(t); n != 0 {
		t.Errorf("a session left with nobody signed in kept its row (%d rows)", n)
	}
}

package httpserver_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// submission is one attempt to file a concern and what the server said.
type submission struct {
	client   int        // which client posted it
	marker   string     // unique text in what-happened
	form     url.Values // as posted
	status   int
	location string
	body     string
}

// TestDatabaseCrash files concerns from 50 clients at once, kills the
// PostgreSQL server with SIGKILL in the middle, restarts it, and checks that
// nothing answered with success was lost, that every failure came back as a
// clear page holding everything typed, and that Haven serves again within
// five seconds of the database returning, without a restart of its own.
func TestDatabaseCrash(t *testing.T) {
	cluster := pgtest.Cluster(t)
	if cluster == nil {
		t.Skip("DATABASE_URL is set: this test needs the throwaway cluster it can kill")
	}
	const clients = 50
	app := newTestApp(t)
	ctx := context.Background()

	// The throwaway cluster skips waiting for the disk; this database must
	// not, or a commit acknowledged just before the kill could be lost.
	owner, err := pgx.Connect(ctx, app.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	dbName := owner.Config().Database
	if _, err := owner.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{dbName}.Sanitize()+" SET synchronous_commit = on"); err != nil {
		t.Fatal(err)
	}
	owner.Close(ctx)
	app.Pool.Reset()

	// Fifty members of staff, each with their own session and form.
	hash, err := password.Hash(demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var pupil int64
	cs := make([]*client, clients)
	for i := range clients {
		email := fmt.Sprintf("crash%02d@demo.test", i)
		if _, err := app.DB.CreatePerson(ctx, postgres.PersonInput{SchoolID: app.SchoolID, Email: email, FullName: fmt.Sprintf("Crash Tester %d", i),
			PasswordHash: hash, Roles: []safeguarding.Role{safeguarding.RoleStaff}}); err != nil {
			t.Fatal(err)
		}
		cs[i] = app.signIn(t, email)
	}
	if err := app.Pool.QueryRow(ctx, `SELECT 1`).Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	ownerRead := func(query string, args ...any) pgx.Row {
		conn, err := pgx.Connect(ctx, app.ConnStr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		return conn.QueryRow(ctx, query, args...)
	}
	if err := ownerRead(`SELECT min(id) FROM pupils`).Scan(&pupil); err != nil {
		t.Fatal(err)
	}

	var (
		mu      sync.Mutex
		results []submission
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	yesterday := time.Now().AddDate(0, 0, -1)
	for i, c := range cs {
		wg.Go(func() {
			for n := 0; n < 400; n++ { // bounded; stop ends it sooner
				select {
				case <-stop:
					return
				default:
				}
				marker := fmt.Sprintf("crash-marker-%02d-%03d", i, n)
				form := url.Values{
					"token":          {tokenFor(i, n)},
					"subject":        {"pupils"},
					"pupil":          {strconv.FormatInt(pupil, 10)},
					"category":       {"neglect"},
					"what-happened":  {"Came to school hungry again. " + marker},
					"childs-words":   {"There was nothing in the cupboard."},
					"happened-day":   {strconv.Itoa(yesterday.Day())},
					"happened-month": {strconv.Itoa(int(yesterday.Month()))},
					"happened-year":  {strconv.Itoa(yesterday.Year())},
					"urgent":         {"no"},
				}
				res := c.postNoFail("/concerns", form)
				mu.Lock()
				results = append(results, submission{client: i, marker: marker, form: form, status: res.StatusCode, location: res.Header.Get("Location"), body: res.Body})
				mu.Unlock()
			}
		})
	}

	// Let the clients get going, then crash the database mid-flight.
	waitFor(t, 20*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(results) >= 100 })
	if err := cluster.Kill(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if err := cluster.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	probe := app.newClient(t)
	waitFor(t, 5*time.Second, func() bool { return probe.get("/readyz").StatusCode == http.StatusOK })
	t.Logf("ready %v after the database returned", time.Since(back).Round(time.Millisecond))
	// And it serves signed-in pages, not only the readiness probe.
	waitFor(t, 5*time.Second-time.Since(back), func() bool { return cs[0].get("/my-concerns").StatusCode == http.StatusOK })

	// Keep filing for a moment after the restart, then stop.
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()

	var ok, failed int
	var retries []submission
	logged := regexp.MustCompile(`^/concerns/\d+/logged$`)
	for _, r := range results {
		switch {
		case r.status == http.StatusSeeOther && logged.MatchString(r.location):
			ok++
		case r.status == http.StatusSeeOther:
			t.Errorf("%s: redirected somewhere unexpected", r.marker)
		default:
			failed++
			checkFailurePage(t, r)
			retries = append(retries, r)
		}
	}
	if failed == 0 {
		t.Fatalf("no submission failed: the crash did not land during the run (%d succeeded)", ok)
	}
	t.Logf("%d submissions answered with success, %d failed during the crash", ok, failed)

	// Every success is stored with its chronology entry and its alert job.
	conn, err := pgx.Connect(ctx, app.ConnStr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, r := range results {
		if r.status != http.StatusSeeOther {
			continue
		}
		var concerns, entries int
		err := conn.QueryRow(ctx, `SELECT count(DISTINCT c.id), count(e.id) FROM concerns c
			LEFT JOIN chronology_entries e ON e.school_id = c.school_id AND e.concern_id = c.id AND e.kind = 'concern_logged'
			WHERE c.what_happened LIKE '%' || $1`, r.marker).Scan(&concerns, &entries)
		if err != nil {
			t.Fatal(err)
		}
		if concerns != 1 || entries != 1 {
			t.Errorf("%s answered with success but is stored %d time(s) with %d first entries", r.marker, concerns, entries)
		}
		var alerts int
		err = conn.QueryRow(ctx, `SELECT count(*) FROM river_job j JOIN concerns c ON (j.args->>'concern_id')::bigint = c.id
			WHERE j.kind = 'concern_alert' AND c.what_happened LIKE '%' || $1`, r.marker).Scan(&alerts)
		if err != nil {
			t.Fatal(err)
		}
		if alerts != 1 {
			t.Errorf("%s answered with success but has %d alert jobs, want 1", r.marker, alerts)
		}
	}

	// Every failure is filed exactly once by pressing "Try again" on its
	// page, whether or not its first attempt reached the database.
	for _, r := range retries {
		form := retryFields(t, r.body)
		res := cs[r.client].post("/concerns", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: try again answered %d:\n%s", r.marker, res.StatusCode, res.Body)
			continue
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM concerns WHERE what_happened LIKE '%' || $1`, r.marker).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s: stored %d times after trying again, want once", r.marker, n)
		}
	}
}

// checkFailurePage asserts that a failed submission came back as Haven's
// plain page, with every typed value in a form that posts it again.
func checkFailurePage(t *testing.T, r submission) {
	t.Helper()
	if r.status != http.StatusServiceUnavailable && r.status != http.StatusInternalServerError {
		t.Errorf("%s: status %d, want 503 (or 500)", r.marker, r.status)
		return
	}
	for _, leak := range []string{"goroutine", "panic", "SQLSTATE", "pgx", ".go:"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("%s: the failure page shows %q", r.marker, leak)
		}
	}
	if !strings.Contains(r.body, "Try again") || !strings.Contains(r.body, "Nothing has been lost") {
		t.Errorf("%s: the failure page does not offer to try again:\n%s", r.marker, r.body)
	}
	got := retryFields(t, r.body)
	for name, want := range r.form {
		if strings.Join(got[name], "\x00") != strings.Join(want, "\x00") {
			t.Errorf("%s: field %s came back as %q, want %q", r.marker, name, got[name], want)
		}
	}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)"`)

// retryFields reads the hidden fields a failure page carries back.
func retryFields(t *testing.T, body string) url.Values {
	t.Helper()
	vals := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		vals.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return vals
}

// tokenFor is a distinct, valid submission token for client i's n-th form.
func tokenFor(i, n int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%06d%06d", i, n)
}

// postNoFail posts like post but reports a transport error as status 0
// instead of failing the test: it runs on the clients' goroutines.
func (c *client) postNoFail(path string, form url.Values) response {
	req, err := http.NewRequest(http.MethodPost, c.app.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return response{Body: err.Error()}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.http.Do(req)
	if err != nil {
		return response{Body: err.Error()}
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{StatusCode: res.StatusCode, Header: res.Header, Body: string(body)}
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not so within %v", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

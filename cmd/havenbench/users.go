package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// user is a signed-in virtual user: a person of the dataset with the
// session cookie the real sign-in gave them.
type user struct {
	role     string // the staffRoom key: dsl, deputy, principal, staff
	schoolID int64
	personID int64
	cookie   string // "haven_session=…"
}

// fixtures are the ids the virtual users ask for, read once as the owner.
type fixtures struct {
	dsls, staff, principals []*user
	// per school of a signed-in user
	concerns     map[int64][]int64 // child concerns: the open ones and a random sample
	adultCases   map[int64][]int64 // concerns about adults, for the principal
	longChildren map[int64][]int64 // the pupils with the longest chronologies
	children     map[int64][]int64 // pupils with a typical file (a random sample of those with any concern)
	pupils       map[int64][]int64 // any pupil, for logging concerns about
	mine         map[int64][]int64 // person → concerns they logged
	myAfter      map[int64][]int64 // person → a concern id to page "my concerns" after
	signIns      []string          // e-mail addresses to sign in as, across every school
}

const (
	// Which virtual users sign in: the DSL and deputies, five members of
	// staff and the principal of each of the first benchSchools schools.
	benchSchools    = 10
	staffPerSchool  = 5
	principalsCount = 5
)

var sessionCookie = httpserver.SessionCookieName(false)

// signIn signs a person in through POST /sign-in and returns their session
// cookie. A person with a second factor (enrolled by prepare with
// twofactortest's secret) is asked for their code, which code gives.
func signIn(ctx context.Context, client *http.Client, base, email string, code func() (string, error)) (string, error) {
	resp, err := postForm(ctx, client, base+"/sign-in", "", url.Values{"email": {email}, "password": {benchPassword}})
	if err != nil {
		return "", err
	}
	if resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/sign-in/code" {
		pending, err := sessionCookieOf(resp, email)
		if err != nil {
			return "", err
		}
		c, err := code()
		if err != nil {
			return "", err
		}
		if resp, err = postForm(ctx, client, base+"/sign-in/code", pending, url.Values{"code": {c}}); err != nil {
			return "", err
		}
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/home" {
		return "", fmt.Errorf("sign in as %s: %s, to %q", email, resp.Status, resp.Header.Get("Location"))
	}
	return sessionCookieOf(resp, email)
}

// postForm posts a form as a same-origin browser would, with cookie if
// it is not empty; the response's body is closed.
func postForm(ctx context.Context, client *http.Client, target, cookie string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

// sessionCookieOf is the session cookie a sign-in's response set.
func sessionCookieOf(resp *http.Response, email string) (string, error) {
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("sign in as %s: no session cookie", email)
}

func noRedirects() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// prepare signs the virtual users in and reads the ids they will ask for.
func (b *bench) prepare(ctx context.Context, base string) (*fixtures, error) {
	f := &fixtures{concerns: map[int64][]int64{}, adultCases: map[int64][]int64{}, longChildren: map[int64][]int64{},
		children: map[int64][]int64{}, pupils: map[int64][]int64{}, mine: map[int64][]int64{}, myAfter: map[int64][]int64{}}
	client := noRedirects()
	started := time.Now()
	for s := 1; s <= benchSchools; s++ {
		accounts := []struct {
			key, email string
		}{{"dsl", benchEmail("dsl", 1, s)}, {"deputy", benchEmail("deputy", 1, s)}, {"deputy", benchEmail("deputy", 2, s)}}
		for i := 1; i <= staffPerSchool; i++ {
			accounts = append(accounts, struct{ key, email string }{"staff", benchEmail("staff", i, s)})
		}
		if s <= principalsCount {
			accounts = append(accounts, struct{ key, email string }{"principal", benchEmail("principal", 1, s)})
		}
		for _, a := range accounts {
			u := &user{role: a.key}
			if err := b.owner.QueryRow(ctx, `SELECT school_id, id FROM people WHERE email = $1`, a.email).Scan(&u.schoolID, &u.personID); err != nil {
				return nil, fmt.Errorf("find %s: %w", a.email, err)
			}
			// The DSL, deputies and principal must sign in with a second
			// factor: they are given one here, with a known secret, rather
			// than in the dataset, which need not be built again for it.
			if a.key != "staff" {
				if err := twofactortest.Enrol(ctx, b.owner, a.email); err != nil {
					return nil, err
				}
			}
			cookie, err := signIn(ctx, client, base, a.email, func() (string, error) { return twofactortest.Code(ctx, b.owner, a.email) })
			if err != nil {
				return nil, err
			}
			u.cookie = cookie
			switch a.key {
			case "dsl", "deputy":
				f.dsls = append(f.dsls, u)
			case "staff":
				f.staff = append(f.staff, u)
			case "principal":
				f.principals = append(f.principals, u)
			}
		}
	}
	b.log.Info("virtual users signed in", "users", len(f.dsls)+len(f.staff)+len(f.principals), "elapsed", time.Since(started).Round(time.Millisecond))

	ids := func(q string, args ...any) ([]int64, error) {
		rows, err := b.owner.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[int64])
	}
	var err error
	for s := int64(1); s <= benchSchools; s++ {
		if f.concerns[s], err = ids(`(SELECT id FROM concerns WHERE school_id = $1 AND route = 'child' AND status <> 'closed' ORDER BY random() LIMIT 300)
			UNION ALL (SELECT id FROM concerns WHERE school_id = $1 AND route = 'child' ORDER BY random() LIMIT 300)`, s); err != nil {
			return nil, err
		}
		if f.adultCases[s], err = ids(`SELECT id FROM concerns WHERE school_id = $1 AND route = 'adult' ORDER BY random() LIMIT 100`, s); err != nil {
			return nil, err
		}
		if f.longChildren[s], err = ids(`SELECT cp.pupil_id FROM concern_pupils cp
			JOIN chronology_entries e ON e.school_id = cp.school_id AND e.concern_id = cp.concern_id
			WHERE cp.school_id = $1 GROUP BY cp.pupil_id ORDER BY count(*) DESC LIMIT 20`, s); err != nil {
			return nil, err
		}
		if f.children[s], err = ids(`SELECT pupil_id FROM (SELECT DISTINCT pupil_id FROM concern_pupils WHERE school_id = $1) p ORDER BY random() LIMIT 200`, s); err != nil {
			return nil, err
		}
		if f.pupils[s], err = ids(`SELECT id FROM pupils WHERE school_id = $1 ORDER BY random() LIMIT 500`, s); err != nil {
			return nil, err
		}
	}
	for _, u := range f.staff {
		if f.mine[u.personID], err = ids(`SELECT id FROM concerns WHERE school_id = $1 AND logged_by = $2 ORDER BY random() LIMIT 50`, u.schoolID, u.personID); err != nil {
			return nil, err
		}
		// "after" cursors a few pages into the list, newest first.
		if f.myAfter[u.personID], err = ids(`SELECT id FROM concerns WHERE school_id = $1 AND logged_by = $2 ORDER BY id DESC LIMIT 5 OFFSET 25`, u.schoolID, u.personID); err != nil {
			return nil, err
		}
	}
	if f.signIns, err = pgxStrings(ctx, b, `SELECT email FROM people WHERE email LIKE 'staff%' ORDER BY random() LIMIT 400`); err != nil {
		return nil, err
	}
	return f, nil
}

func pgxStrings(ctx context.Context, b *bench, q string) ([]string, error) {
	rows, err := b.owner.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

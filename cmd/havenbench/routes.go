package main

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// route is one kind of request of the mix: what it asks, who asks it, and
// what a correct answer is.
type route struct {
	name   string // as in the tables
	weight int    // share of measurement A's mix, per mille
	target func(rng *mrand.Rand) vegeta.Target
	ok     func(r *vegeta.Result) bool
}

// floorRoute is the floor: the same middleware and session as every page,
// and one trivial query (GET /bench/floor: the home page after a SELECT 1).
// Every route's p99 in A, and its throughput in B, is judged against it.
const floorRoute = "GET /bench/floor (floor)"

var loggedPattern = regexp.MustCompile(`^/concerns/\d+/logged$`)

func status(code int) func(r *vegeta.Result) bool {
	return func(r *vegeta.Result) bool { return int(r.Code) == code && r.Error == "" }
}

func redirectTo(pattern *regexp.Regexp) func(r *vegeta.Result) bool {
	return func(r *vegeta.Result) bool {
		return r.Code == http.StatusSeeOther && r.Error == "" && pattern.MatchString(r.Headers.Get("Location"))
	}
}

// makeRoutes is the mix. Each target is tagged with its route's index in the
// URL's fragment, which the client never sends, so results can be told
// apart without touching the request.
func (m *mix) makeRoutes() []route {
	get := func(u *user, path string) vegeta.Target {
		return vegeta.Target{Method: http.MethodGet, URL: m.base + path, Header: m.headers(u, "")}
	}
	post := func(u *user, path string, form url.Values) vegeta.Target {
		return vegeta.Target{Method: http.MethodPost, URL: m.base + path, Body: []byte(form.Encode()),
			Header: m.headers(u, "application/x-www-form-urlencoded")}
	}
	f := m.f
	anyone := append(append(append([]*user{}, f.dsls...), f.staff...), f.principals...)
	rs := []route{
		{name: floorRoute, weight: 40, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, anyone), "/bench/floor")
		}},
		{name: "GET /home", weight: 40, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, anyone), "/home")
		}},
		// Every signed-in page counts the person's unread notices (with
		// the viewer); this is the list itself.
		{name: "GET /notices", weight: 20, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, anyone), "/notices")
		}},
		{name: "POST /sign-in", weight: 10, ok: redirectTo(regexp.MustCompile(`^/home$`)), target: func(rng *mrand.Rand) vegeta.Target {
			return post(nil, "/sign-in", url.Values{"email": {pick(rng, f.signIns)}, "password": {benchPassword}})
		}},
		{name: "GET /concerns/new", weight: 50, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, f.staff), "/concerns/new")
		}},
		{name: "POST /concerns", weight: 60, ok: redirectTo(loggedPattern), target: func(rng *mrand.Rand) vegeta.Target {
			u := pick(rng, f.staff)
			return post(u, "/concerns", concernForm(rng, u, f))
		}},
		{name: "GET /queue", weight: 150, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, f.dsls), "/queue")
		}},
		{name: "GET /queue (filtered)", weight: 90, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, f.dsls), "/queue?"+pick(rng, m.queueFilters))
		}},
		{name: "GET /queue (next page)", weight: 50, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			u := pick(rng, f.dsls)
			return get(u, pick(rng, m.queueNext[u.schoolID]))
		}},
		{name: "GET /concerns/{id}", weight: 170, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			if rng.IntN(10) == 0 && len(f.principals) > 0 {
				u := pick(rng, f.principals)
				return get(u, fmt.Sprintf("/concerns/%d", pick(rng, f.adultCases[u.schoolID])))
			}
			u := pick(rng, f.dsls)
			return get(u, fmt.Sprintf("/concerns/%d", pick(rng, f.concerns[u.schoolID])))
		}},
		{name: "GET /concerns/{id} (own, staff)", weight: 40, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			u := pick(rng, f.staff)
			return get(u, fmt.Sprintf("/concerns/%d", pick(rng, f.mine[u.personID])))
		}},
		{name: "GET /pupils/{id} (long chronology)", weight: 40, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			u := pick(rng, f.dsls)
			return get(u, fmt.Sprintf("/pupils/%d", pick(rng, f.longChildren[u.schoolID])))
		}},
		{name: "GET /pupils/{id} (typical)", weight: 70, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			u := pick(rng, append(f.dsls, f.principals...))
			return get(u, fmt.Sprintf("/pupils/%d", pick(rng, f.children[u.schoolID])))
		}},
		// The Due view; every page a DSL opens also counts the overdue
		// deadlines for the header.
		{name: "GET /due", weight: 40, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, f.dsls), "/due")
		}},
		// The DSL's header search (a first and a last name, a handful of
		// pupils in a school) and the first page of the audit log.
		{name: "GET /pupils/search", weight: 20, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, f.dsls), "/pupils/search?"+url.Values{"q": {pick(rng, firstNames) + " " + pick(rng, lastNames)}}.Encode())
		}},
		{name: "GET /audit", weight: 10, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			return get(pick(rng, f.dsls), "/audit")
		}},
		{name: "GET /my-concerns", weight: 150, ok: status(200), target: func(rng *mrand.Rand) vegeta.Target {
			u := pick(rng, f.staff)
			if rng.IntN(5) == 0 && len(f.myAfter[u.personID]) > 0 {
				return get(u, fmt.Sprintf("/my-concerns?after=%d", pick(rng, f.myAfter[u.personID])))
			}
			return get(u, "/my-concerns")
		}},
	}
	for i := range rs {
		i, gen := i, rs[i].target
		rs[i].target = func(rng *mrand.Rand) vegeta.Target {
			t := gen(rng)
			t.URL += "#" + strconv.Itoa(i)
			return t
		}
	}
	return rs
}

// routeOf is the index of the route a result belongs to, from the tag.
func routeOf(r *vegeta.Result) int {
	_, tag, ok := strings.Cut(r.URL, "#")
	if !ok {
		return -1
	}
	i, err := strconv.Atoi(tag)
	if err != nil {
		return -1
	}
	return i
}

// headers are what a browser sends: the session cookie, and the fetch
// metadata that cross-origin protection reads.
func (m *mix) headers(u *user, contentType string) http.Header {
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}}
	if u != nil {
		h.Set("Cookie", u.cookie)
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return h
}

// concernForm is the concern form as a member of staff fills it in: a
// pupil, one or two categories, sometimes CSE indicators, what happened,
// today's date, and a fresh submission token made the way the form makes it.
func concernForm(rng *mrand.Rand, u *user, f *fixtures) url.Values {
	today := time.Now()
	cats := []string{"neglect", "emotional_abuse", "online_safety", "self_harm", "child_on_child", "cse", "physical_abuse"}
	form := url.Values{
		"token":          {newToken()},
		"author":         {strconv.FormatInt(u.personID, 10)},
		"subject":        {"pupils"},
		"pupil":          {strconv.FormatInt(pick(rng, f.pupils[u.schoolID]), 10)},
		"category":       {pick(rng, cats)},
		"what-happened":  {sentences(rng, whatHappened, 2+rng.IntN(3))},
		"happened-day":   {strconv.Itoa(today.Day())},
		"happened-month": {strconv.Itoa(int(today.Month()))},
		"happened-year":  {strconv.Itoa(today.Year())},
		"happened-time":  {fmt.Sprintf("%d:%02d", 8+rng.IntN(8), 5*rng.IntN(12))},
		"location":       {pick(rng, locations)},
		"others-told":    {pick(rng, othersTold)},
		"actions-taken":  {pick(rng, actionsTaken)},
		"urgent":         {"no"},
	}
	if form.Get("category") == "cse" {
		form["indicator"] = []string{"secretive", "unexplained_gifts", "older_partner"}
	}
	if rng.IntN(3) == 0 {
		form.Set("childs-words", pick(rng, childsWords))
	}
	return form
}

// newToken is a random version 4 UUID from crypto/rand, as the form makes
// it: a token from the seeded source would repeat in the next run and file
// nothing (a resent form).
func newToken() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuidString(b)
}

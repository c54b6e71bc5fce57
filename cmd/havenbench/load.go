package main

import (
	"context"
	"fmt"
	"html"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// mix is the virtual users' traffic: routes, and what they ask for.
type mix struct {
	base         string
	f            *fixtures
	queueFilters []string           // query strings of the queue's filters
	queueNext    map[int64][]string // school → links to later pages of the queue
	routes       []route
	skipped      map[int]string // route index → why it is not measured
}

// routeStats is what one route did in one measurement.
type routeStats struct {
	latencies []time.Duration
	errors    int
	codes     map[int]int
	sample    string // the first unexpected answer
	peakKiB   int64  // measurement B: the server's peak memory during the route
	seconds   float64
	cpu       cpuTimes // CPU time spent while measuring
	filed     int64    // concerns filed (POST /concerns): new rows, not resent forms
	bytesIn   uint64   // response bodies, in all

	// beside is measurement B's floor, measured in turn with this route
	// (bench.capacity): the route's ratio is to it, so that a change in the
	// machine's speed during B is not counted as the route's cost.
	beside *routeStats
}

// besideFloor is the floor's requests a second and CPU time per request
// measured in turn with s; ok is false when there was none.
func (s *routeStats) besideFloor() (rps float64, haven, postgres time.Duration, ok bool) {
	if s.beside == nil {
		return 0, 0, 0, false
	}
	h, p := s.beside.cpuPerRequest()
	return s.beside.rps(), h, p, true
}

// merge adds the figures of another measurement of the same route.
func (s *routeStats) merge(o *routeStats) {
	s.latencies = append(s.latencies, o.latencies...)
	s.errors += o.errors
	if s.codes == nil {
		s.codes = map[int]int{}
	}
	for c, n := range o.codes {
		s.codes[c] += n
	}
	if s.sample == "" {
		s.sample = o.sample
	}
	s.peakKiB = max(s.peakKiB, o.peakKiB)
	s.seconds += o.seconds
	s.cpu = s.cpu.add(o.cpu)
	s.filed += o.filed
	s.bytesIn += o.bytesIn
}

// meanKiB is the mean size of the answers.
func (s *routeStats) meanKiB() float64 {
	return float64(s.bytesIn) / 1024 / float64(max(len(s.latencies), 1))
}

// cpuPerRequest is the server's and PostgreSQL's CPU time per request.
func (s *routeStats) cpuPerRequest() (haven, postgres time.Duration) {
	n := time.Duration(max(len(s.latencies), 1))
	return s.cpu.haven / n, s.cpu.postgres / n
}

func (s *routeStats) add(r *vegeta.Result, ok bool) {
	if s.codes == nil {
		s.codes = map[int]int{}
	}
	s.codes[int(r.Code)]++
	s.latencies = append(s.latencies, r.Latency)
	s.bytesIn += r.BytesIn
	if !ok {
		s.errors++
		if s.sample == "" {
			s.sample = fmt.Sprintf("%d %s %s %q", r.Code, r.Error, r.Headers.Get("Location"), truncate(string(r.Body), 200))
		}
	}
}

func (s *routeStats) quantile(q float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	slices.Sort(s.latencies)
	i := int(q*float64(len(s.latencies))+0.5) - 1
	return s.latencies[max(0, min(i, len(s.latencies)-1))]
}

func (s *routeStats) rps() float64 {
	if s.seconds == 0 {
		return 0
	}
	return float64(len(s.latencies)) / s.seconds
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// measure runs both measurements against a freshly started server.
func (b *bench) measure(ctx context.Context) (err error) {
	var srv *server
	if b.o.CPUProfile {
		if srv, err = startInProcess(ctx, b.appConnString()); err != nil {
			return err
		}
	} else {
		bin, err := buildServer(ctx, b.o.Dir, b.o.Overlay)
		if err != nil {
			return err
		}
		if srv, err = startServer(ctx, bin, b.appConnString(), b.connString(), b.o.Dir+"/server.log"); err != nil {
			return err
		}
	}
	defer srv.stop()
	b.log.Info("haven serving", "url", srv.base, "pid", srv.pid())

	f, err := b.prepare(ctx, srv.base)
	if err != nil {
		return err
	}
	m := &mix{base: srv.base, f: f, queueNext: map[int64][]string{}, skipped: map[int]string{}}
	m.routes = m.makeRoutes()
	if err := m.probe(ctx); err != nil {
		return err
	}
	rep := &report{o: b.o, started: time.Now(), routes: m.routes, skipped: m.skipped}
	if err := b.describe(ctx, rep); err != nil {
		return err
	}

	if strings.Contains(b.o.Measure, "A") {
		if rep.fixed, rep.fixedPeakKiB, rep.fixedSeconds, rep.fixedCPU, err = b.fixedRate(ctx, srv, m); err != nil {
			return err
		}
		rep.printFixed(os.Stdout)
	}
	if strings.Contains(b.o.Measure, "B") {
		if rep.capacity, rep.floorEnd, err = b.capacity(ctx, srv, m); err != nil {
			return err
		}
		rep.printCapacity(os.Stdout)
	}
	if strings.Contains(b.o.Measure, "C") {
		if rep.reports, err = b.annualReports(ctx, srv.base); err != nil {
			return err
		}
		rep.printReports(os.Stdout)
	}
	rep.printPeak(os.Stdout)
	return rep.write()
}

// probe asks each route once and leaves out those not answering as they
// should, saying why.
func (m *mix) probe(ctx context.Context) error {
	if err := m.discoverQueue(ctx); err != nil {
		return err
	}
	client := noRedirects()
	rng := mrand.New(mrand.NewPCG(1, 2))
	for i, r := range m.routes {
		if strings.Contains(r.name, "(next page)") && len(m.queueNext) == 0 {
			m.skipped[i] = "the queue shows no link to a next page"
			continue
		}
		if strings.Contains(r.name, "(filtered)") && len(m.queueFilters) == 0 {
			m.skipped[i] = "the queue shows no filters"
			continue
		}
		t := r.target(rng)
		res := do(ctx, client, t)
		if !r.ok(res) {
			m.skipped[i] = fmt.Sprintf("answered %d %s", res.Code, truncate(res.Error, 80))
			fmt.Fprintf(os.Stderr, "havenbench: %s %s answered %d %q\n%s\n", t.Method, t.URL, res.Code, res.Headers.Get("Location"), truncate(string(res.Body), 600))
		}
	}
	return nil
}

// do sends one target outside vegeta (probes and discovery).
func do(ctx context.Context, client *http.Client, t vegeta.Target) *vegeta.Result {
	res := &vegeta.Result{Method: t.Method, URL: t.URL}
	req, err := t.Request()
	if err != nil {
		res.Error = err.Error()
		return res
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer resp.Body.Close()
	res.Body, _ = io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	res.Code, res.Headers = uint16(resp.StatusCode), resp.Header
	return res
}

var (
	selectPattern = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	optionPattern = regexp.MustCompile(`<option[^>]*value="([^"]*)"`)
	queueLink     = regexp.MustCompile(`href="(/queue\?[^"]*after=[^"]*)"`)
)

// discoverQueue reads the queue page as a DSL would see it: its filters
// (the select boxes of its filter form) and the link to its next page.
func (m *mix) discoverQueue(ctx context.Context) error {
	client := noRedirects()
	first := true
	for _, u := range m.f.dsls {
		if u.role != "dsl" {
			continue
		}
		res := do(ctx, client, vegeta.Target{Method: http.MethodGet, URL: m.base + "/queue", Header: m.headers(u, "")})
		if res.Code != http.StatusOK {
			return nil // probe leaves the queue out and says why
		}
		page := string(res.Body)
		if first {
			first = false
			for _, sel := range selectPattern.FindAllStringSubmatch(page, -1) {
				name := sel[1]
				for _, opt := range optionPattern.FindAllStringSubmatch(sel[2], -1) {
					if v := html.UnescapeString(opt[1]); v != "" && len(m.queueFilters) < 60 {
						m.queueFilters = append(m.queueFilters, name+"="+v)
					}
				}
			}
		}
		// The next page of the default view and of a few filtered views.
		views := append([]string{""}, m.queueFilters[:min(len(m.queueFilters), 12)]...)
		for _, q := range views {
			path := "/queue"
			if q != "" {
				path += "?" + q
			}
			res := do(ctx, client, vegeta.Target{Method: http.MethodGet, URL: m.base + path, Header: m.headers(u, "")})
			if l := queueLink.FindStringSubmatch(string(res.Body)); l != nil {
				m.queueNext[u.schoolID] = append(m.queueNext[u.schoolID], html.UnescapeString(l[1]))
			}
		}
	}
	// Every school's DSLs need a next page to ask for.
	for _, u := range m.f.dsls {
		if len(m.queueNext[u.schoolID]) == 0 && len(m.queueNext) > 0 {
			for _, links := range m.queueNext {
				m.queueNext[u.schoolID] = links
				break
			}
		}
	}
	return nil
}

// targeter cycles through the given routes by weight; each request gets
// its own random source, seeded by its sequence number, so it is safe for
// vegeta's concurrent workers.
func (m *mix) targeter(routes []int, weighted bool) vegeta.Targeter {
	var slots []int
	for _, i := range routes {
		n := 1
		if weighted {
			n = m.routes[i].weight
		}
		for range n {
			slots = append(slots, i)
		}
	}
	var seq atomic.Uint64
	return func(t *vegeta.Target) error {
		n := seq.Add(1)
		rng := mrand.New(mrand.NewPCG(n, 0x5eed))
		*t = m.routes[slots[rng.IntN(len(slots))]].target(rng)
		return nil
	}
}

func (m *mix) measured() []int {
	var out []int
	for i := range m.routes {
		if _, skip := m.skipped[i]; !skip {
			out = append(out, i)
		}
	}
	return out
}

// newAttacker makes the HTTP client of a measurement. maxBody bounds how
// much of each answer it keeps (the rest is read and dropped); -1 keeps all.
func newAttacker(workers, maxWorkers uint64, maxBody int64) *vegeta.Attacker {
	return vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(30*time.Second),
		vegeta.KeepAlive(true), vegeta.Workers(workers), vegeta.MaxWorkers(maxWorkers), vegeta.MaxBody(maxBody))
}

// fixedRateMaxBody is how much of an answer measurement A keeps: enough for
// the sample of an unexpected one. Its table reports no page sizes, and
// keeping every page at a fixed rate would make the driver, on the same
// cores as the server, spend its time collecting garbage.
const fixedRateMaxBody = 1024

// fixedRate is measurement A: the mix offered at a constant rate whatever
// the answers' speed (an open model), with per-route latencies.
func (b *bench) fixedRate(ctx context.Context, srv *server, m *mix) (map[int]*routeStats, int64, float64, cpuTimes, error) {
	b.log.Info("measurement A: fixed rate", "rate", b.o.Rate, "duration", b.o.Duration)
	stats := map[int]*routeStats{}
	for _, i := range m.measured() {
		stats[i] = &routeStats{}
	}
	if err := srv.resetPeakMemory(); err != nil {
		return nil, 0, 0, cpuTimes{}, err
	}
	atk := newAttacker(64, 2000, fixedRateMaxBody)
	started := time.Now()
	cpu := b.cpuNow(srv)
	for res := range atk.Attack(m.targeter(m.measured(), true), vegeta.Rate{Freq: b.o.Rate, Per: time.Second}, b.o.Duration, "fixed") {
		if ctx.Err() != nil {
			atk.Stop()
		}
		if i := routeOf(res); stats[i] != nil {
			stats[i].add(res, m.routes[i].ok(res))
		}
	}
	if ctx.Err() != nil {
		return nil, 0, 0, cpuTimes{}, ctx.Err()
	}
	cpu = b.cpuNow(srv).sub(cpu)
	peak, err := srv.peakMemory()
	return stats, peak, time.Since(started).Seconds(), cpu, err
}

// capacity is measurement B: each route alone, as fast as a fixed number of
// workers can go (a closed loop). The floor route goes first. Then each
// route takes turns with the floor, in o.Rounds slices of o.Capacity/o.Rounds
// each, and is judged against the floor of its own turns
// (routeStats.beside). A warm-up of o.Warmup comes before a route's first
// slice, and one of a second before each other slice. It returns the routes'
// figures, the floor's first measurement among them, and its last turns.
//
// The pages go before the routes that write (POST). Saturating "POST
// /concerns" files thousands of concerns, which then head every queue and
// every logger's list on table pages that no vacuum has yet marked
// all-visible: a page measured after it would pay for that burst rather
// than for its own work.
func (b *bench) capacity(ctx context.Context, srv *server, m *mix) (map[int]*routeStats, *routeStats, error) {
	floor := slices.IndexFunc(m.routes, func(r route) bool { return r.name == floorRoute })
	var pages, writes []int
	only := routeNames(b.o.Routes)
	for _, i := range m.measured() {
		if i != floor && (b.o.Routes == "" || slices.Contains(only, m.routes[i].name)) {
			if strings.HasPrefix(m.routes[i].name, "POST ") {
				writes = append(writes, i)
			} else {
				pages = append(pages, i)
			}
		}
	}
	measure := func(i int, warm, d time.Duration) (*routeStats, error) {
		b.log.Info("measurement B: capacity", "route", m.routes[i].name, "workers", b.o.Workers, "seconds", d.Seconds())
		return b.saturate(ctx, srv, m, i, warm, d)
	}
	first, err := measure(floor, b.o.Warmup, b.o.Capacity)
	if err != nil {
		return nil, nil, err
	}
	stats := map[int]*routeStats{floor: first}
	slice := b.o.Capacity / time.Duration(b.o.Rounds)
	var last *routeStats
	for _, i := range append(pages, writes...) {
		s, f := &routeStats{}, &routeStats{}
		for k := range b.o.Rounds {
			warm := time.Second
			if k == 0 {
				warm = b.o.Warmup
			}
			rs, err := measure(i, warm, slice)
			if err != nil {
				return nil, nil, err
			}
			s.merge(rs)
			fs, err := measure(floor, time.Second, slice)
			if err != nil {
				return nil, nil, err
			}
			f.merge(fs)
		}
		s.beside, stats[i], last = f, s, f
	}
	return stats, last, nil
}

// saturate measures route i alone for d after a warm-up of warm.
func (b *bench) saturate(ctx context.Context, srv *server, m *mix, i int, warm, d time.Duration) (*routeStats, error) {
	time.Sleep(time.Second) // let the previous route's stragglers and autovacuum settle
	if err := srv.resetPeakMemory(); err != nil {
		return nil, err
	}
	s := &routeStats{seconds: d.Seconds()}
	lastConcern := b.lastConcernID(ctx)
	w := uint64(b.o.Workers)
	atk := newAttacker(w, w, -1)
	started := time.Now()
	from, to := started.Add(warm), started.Add(warm+d)
	cpu := make(chan cpuTimes, 1)
	go func() {
		time.Sleep(time.Until(from))
		first := b.cpuNow(srv)
		stopProfile := b.startProfile(m.routes[i].name)
		time.Sleep(time.Until(to))
		stopProfile()
		cpu <- b.cpuNow(srv).sub(first)
	}()
	for res := range atk.Attack(m.targeter([]int{i}, false), vegeta.Rate{Freq: 0}, warm+d, "capacity") {
		if ctx.Err() != nil {
			atk.Stop()
		}
		if end := res.End(); !end.Before(from) && end.Before(to) {
			s.add(res, m.routes[i].ok(res))
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	s.cpu = <-cpu
	s.filed = b.lastConcernID(ctx) - lastConcern
	var err error
	s.peakKiB, err = srv.peakMemory()
	return s, err
}

// startProfile writes a CPU profile of this process (serving in-process
// with -cpuprofile) to DIR/cpu-<route>.prof until the returned func runs.
func (b *bench) startProfile(route string) func() {
	if !b.o.CPUProfile {
		return func() {}
	}
	name := strings.NewReplacer(" ", "_", "/", "_", "{", "", "}", "", "(", "", ")", "", ",", "").Replace(route)
	f, err := os.Create(filepath.Join(b.o.Dir, "cpu-"+name+".prof"))
	if err != nil {
		b.log.Error("cpu profile", "err", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.log.Error("cpu profile", "err", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// lastConcernID is the newest concern's id: the difference over a run is
// how many concerns the run filed.
func (b *bench) lastConcernID(ctx context.Context) int64 {
	var id int64
	b.owner.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM concerns`).Scan(&id)
	return id
}

// routeNames splits -routes into names. A comma followed by a space belongs
// to a name ("GET /concerns/{id} (own, staff)"); any other separates two.
func routeNames(list string) []string {
	var names []string
	for _, part := range strings.Split(list, ",") {
		if n := len(names); n > 0 && strings.HasPrefix(part, " ") {
			names[n-1] += "," + part
			continue
		}
		names = append(names, part)
	}
	return names
}

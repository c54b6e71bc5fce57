package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// report gathers a run's figures and writes them as markdown tables.
type report struct {
	o        Options
	started  time.Time
	routes   []route
	skipped  map[int]string
	machine  string
	dataset  string
	fixed    map[int]*routeStats
	capacity map[int]*routeStats
	floorEnd *routeStats
	reports  *reportRun // measurement C, the annual report

	fixedPeakKiB int64
	fixedSeconds float64
	fixedCPU     cpuTimes
}

// peakKiB is the server's highest resident memory in any measurement.
func (r *report) peakKiB() int64 {
	peak := r.fixedPeakKiB
	for _, s := range r.capacity {
		peak = max(peak, s.peakKiB)
		if s.beside != nil { // the floor's turns, the last of them floorEnd
			peak = max(peak, s.beside.peakKiB)
		}
	}
	return peak
}

// The target (DESIGN.md, "Performance stance"): in measurement A, no
// route's p99 above targetP99Ratio times the floor's p99 in the same run.
// Sign-in is judged apart: its cost is the password hash, by design.
const (
	targetP99Ratio = 2.5
	signInRoute    = "POST /sign-in"
)

// describe records the machine and the dataset.
func (b *bench) describe(ctx context.Context, rep *report) error {
	var mb bytes.Buffer
	cpu := "unknown"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	memTotal := "unknown"
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				var kib int64
				fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "MemTotal:")), "%d", &kib)
				memTotal = fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
			}
		}
	}
	var pgVersion string
	if err := b.owner.QueryRow(ctx, `SHOW server_version`).Scan(&pgVersion); err != nil {
		return err
	}
	fmt.Fprintf(&mb, "- CPU: %s, %d cores (nproc)\n- Memory: %s\n- PostgreSQL %s (private cluster, fsync and synchronous_commit off), %s\n",
		cpu, runtime.NumCPU(), memTotal, pgVersion, runtime.Version())
	rep.machine = mb.String()

	var db bytes.Buffer
	var size string
	if err := b.owner.QueryRow(ctx, `SELECT pg_size_pretty(pg_database_size(current_database()))`).Scan(&size); err != nil {
		return err
	}
	fmt.Fprintf(&db, "Built %s in %.0f s (COPY as the owner, then indexes, VACUUM ANALYZE); database size now %s.\n\n",
		b.info.BuiltAt.Format("2006-01-02"), b.info.BuildSeconds, size)
	fmt.Fprintf(&db, "| table | rows at build | size (table + indexes) |\n|---|---:|---:|\n")
	for _, t := range []string{"schools", "people", "person_roles", "pupils", "concerns", "concern_pupils", "chronology_entries"} {
		var tsize string
		if err := b.owner.QueryRow(ctx, `SELECT pg_size_pretty(pg_total_relation_size($1::regclass))`, t).Scan(&tsize); err != nil {
			return err
		}
		fmt.Fprintf(&db, "| %s | %s | %s |\n", t, thousands(b.info.Rows[t]), tsize)
	}
	var longest, over200 int64
	var median float64
	if err := b.owner.QueryRow(ctx, `SELECT max(n), percentile_cont(0.5) WITHIN GROUP (ORDER BY n), count(*) FILTER (WHERE n >= 200)
		FROM (SELECT count(*) AS n FROM concern_pupils cp
			JOIN chronology_entries e ON e.school_id = cp.school_id AND e.concern_id = cp.concern_id
			GROUP BY cp.school_id, cp.pupil_id) per_child`).Scan(&longest, &median, &over200); err != nil {
		return err
	}
	fmt.Fprintf(&db, "\nSkew: the longest child's chronology has %s entries, %s children have 200 or more, and the median child with any concern has %.0f.\n",
		thousands(longest), thousands(over200), median)
	rep.dataset = db.String()
	return nil
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

func (r *report) printFixed(w io.Writer) {
	total := 0
	for _, s := range r.fixed {
		total += len(s.latencies)
	}
	fmt.Fprintf(w, "\n### A. Fixed rate: %d requests/s offered for %s (open model)\n\n", r.o.Rate, r.o.Duration)
	fmt.Fprintf(w, "%d requests in %.1f s (%.0f/s achieved). Server peak memory (VmHWM): %s. CPU used: haven %.1f s, PostgreSQL %.1f s, this driver %.1f s (%.0f%% of the machine's %d cores over the run).\n\n",
		total, r.fixedSeconds, float64(total)/r.fixedSeconds, mib(r.fixedPeakKiB), r.fixedCPU.haven.Seconds(), r.fixedCPU.postgres.Seconds(),
		r.fixedCPU.driver.Seconds(), (r.fixedCPU.haven+r.fixedCPU.postgres+r.fixedCPU.driver).Seconds()*100/(r.fixedSeconds*float64(runtime.NumCPU())), runtime.NumCPU())
	floor := r.fixed[slices.IndexFunc(r.routes, func(rt route) bool { return rt.name == floorRoute })]
	fmt.Fprintf(w, "| route | share | requests | p50 ms | p95 ms | p99 ms | max ms | errors | p99 ÷ floor's | within %.1f× |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n", targetP99Ratio)
	var missed []string
	for i, rt := range r.routes {
		s := r.fixed[i]
		if s == nil {
			continue
		}
		ratio, verdict := "—", "—"
		if floor != nil && rt.name != floorRoute {
			x, ok := withinTarget(s, floor)
			ratio = fmt.Sprintf("%.2f×", x)
			switch {
			case rt.name == signInRoute:
				verdict = "apart"
			case ok:
				verdict = "yes"
			default:
				verdict = "**no**"
				missed = append(missed, rt.name)
			}
		}
		fmt.Fprintf(w, "| %s | %.1f%% | %d | %s | %s | %s | %s | %d | %s | %s |\n", rt.name, float64(len(s.latencies))*100/float64(max(total, 1)),
			len(s.latencies), ms(s.quantile(.50)), ms(s.quantile(.95)), ms(s.quantile(.99)), ms(s.quantile(1)), s.errors, ratio, verdict)
	}
	switch {
	case floor == nil:
		fmt.Fprintf(w, "\nThe floor was not measured, so no route is judged.\n")
	case len(missed) == 0:
		fmt.Fprintf(w, "\nTarget met: no route's p99 above %.1f× the floor's (%s ms), without errors; sign-in is judged apart.\n", targetP99Ratio, ms(floor.quantile(.99)))
	default:
		fmt.Fprintf(w, "\n**Target missed** by %s: p99 above %.1f× the floor's (%s ms), or errors.\n", strings.Join(missed, ", "), targetP99Ratio, ms(floor.quantile(.99)))
	}
	r.printErrors(w, r.fixed)
}

// withinTarget is s's p99 as a multiple of the floor's, and whether it is
// within the target with no unexpected answers.
func withinTarget(s, floor *routeStats) (float64, bool) {
	x := float64(s.quantile(.99)) / float64(max(floor.quantile(.99), time.Microsecond))
	return x, x <= targetP99Ratio && s.errors == 0
}

func (r *report) printCapacity(w io.Writer) {
	floorIdx := slices.IndexFunc(r.routes, func(rt route) bool { return rt.name == floorRoute })
	first := r.capacity[floorIdx]
	fmt.Fprintf(w, "\n### B. Capacity: each route alone, %d workers in a closed loop, %s measured after %s warm-up\n\n", r.o.Workers, r.o.Capacity, r.o.Warmup)
	if r.floorEnd != nil {
		lo, hi := first.rps(), first.rps()
		for _, s := range r.capacity {
			if s.beside != nil {
				lo, hi = min(lo, s.beside.rps()), max(hi, s.beside.rps())
			}
		}
		slice := r.o.Capacity / time.Duration(r.o.Rounds)
		fmt.Fprintf(w, "The floor, %s: %.0f/s first, %.0f/s in the last route's turns, %.0f–%.0f/s over the run. Each route takes %d turns of %s with the floor, and its ratios are to the floor of its own turns (\"floor beside\").\n\n",
			strings.TrimSuffix(floorRoute, " (floor)"), first.rps(), r.floorEnd.rps(), lo, hi, r.o.Rounds, slice)
	}
	fmt.Fprintf(w, "CPU ms per request is the server's and PostgreSQL's CPU time divided by the requests served; \"by CPU\" is the floor's CPU per request over the route's, the throughput ratio the machine would give if nothing else ran on it.\n\n")
	fmt.Fprintf(w, "| route | requests/s | floor beside /s | ratio to floor | CPU ms/req haven + PostgreSQL | ratio by CPU | p50 ms | p99 ms | errors | page KiB | peak memory |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var unfiled []string
	for i, rt := range r.routes {
		s := r.capacity[i]
		if s == nil {
			continue
		}
		floor, fh, fp, ok := s.besideFloor()
		if !ok { // the floor itself
			floor = first.rps()
			fh, fp = first.cpuPerRequest()
		}
		ratio := s.rps() / floor
		if rt.name == "POST /concerns" && s.filed < int64(len(s.latencies)) {
			// A resent form files nothing: the route would be measured doing less than it should.
			unfiled = append(unfiled, fmt.Sprintf("- %s: only %d of %d requests filed a new concern\n", rt.name, s.filed, len(s.latencies)))
		}
		h, p := s.cpuPerRequest()
		cpuRatio := float64(fh+fp) / float64(max(h+p, 1))
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f%% | %.2f + %.2f | %.0f%% | %s | %s | %d | %.0f | %s |\n", rt.name, s.rps(), floor, ratio*100,
			msf(h), msf(p), cpuRatio*100, ms(s.quantile(.5)), ms(s.quantile(.99)), s.errors, s.meanKiB(), mib(s.peakKiB))
	}
	if len(unfiled) > 0 {
		fmt.Fprintf(w, "\n%s", strings.Join(unfiled, ""))
	}
	r.printErrors(w, r.capacity)
}

func (r *report) printPeak(w io.Writer) {
	fmt.Fprintf(w, "\nServer peak memory (VmHWM) over the measurements: %s.\n", mib(r.peakKiB()))
}

func (r *report) printErrors(w io.Writer, stats map[int]*routeStats) {
	first := true
	for i, rt := range r.routes {
		if s := stats[i]; s != nil && s.errors > 0 {
			if first {
				fmt.Fprintf(w, "\nUnexpected answers:\n\n")
				first = false
			}
			fmt.Fprintf(w, "- %s: %d, e.g. `%s` (status codes %v)\n", rt.name, s.errors, strings.ReplaceAll(s.sample, "`", "'"), s.codes)
		}
	}
	for i, rt := range r.routes {
		if why, ok := r.skipped[i]; ok && stats[i] == nil {
			if first {
				fmt.Fprintf(w, "\n")
				first = false
			}
			fmt.Fprintf(w, "- %s: not measured, %s\n", rt.name, why)
		}
	}
}

// write puts the whole report in the results file.
func (r *report) write() error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Haven load benchmark: results of %s\n\n", r.started.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&buf, "Command: `make bench` (`go run ./cmd/havenbench -rate %d -duration %s -workers %d -capacity %s`)\n\n",
		r.o.Rate, r.o.Duration, r.o.Workers, r.o.Capacity)
	fmt.Fprintf(&buf, "## Machine\n\n%s\n## Dataset\n\n%s", r.machine, r.dataset)
	if r.fixed != nil {
		r.printFixed(&buf)
	}
	if r.capacity != nil {
		r.printCapacity(&buf)
	}
	if r.reports != nil {
		r.printReports(&buf)
	}
	r.printPeak(&buf)
	if err := os.WriteFile(r.o.Results, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nResults written to %s\n", r.o.Results)
	return nil
}

// Command havenbench is Haven's load benchmark (`make bench`). It builds a
// dataset at the scale of a 50-school trust in a private PostgreSQL cluster,
// starts `haven serve` on it as a separate process, signs in virtual users
// through the real HTTP routes and measures:
//
//	A  latency at a fixed offered rate (open model, vegeta) in a realistic
//	   mix, each route's p99 judged against the p99 of the "floor" route
//	   GET /bench/floor, which passes the same middleware and session as
//	   every page and does one trivial query;
//	B  each route's capacity at saturation (closed loop), as a ratio to the
//	   floor's, measured in turns with it;
//	C  the annual oversight report: each school's governor opens it in
//	   turn, against targets for one school and for all of them.
//
// Both report the server's peak resident memory (VmHWM). Every request goes
// to 127.0.0.1, and every loop is bounded in count and time.
//
//	havenbench [-dir .data/bench] [-only dataset|load] [-rate 300] [-duration 60s] ...
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Options is every knob of a run, read once from the flags.
type Options struct {
	Dir        string        // holds the cluster, the haven binary and the results
	Only       string        // "", "dataset" or "load"
	Measure    string        // which measurements: any of "A", "B" and "C", e.g. "ABC"
	Rate       int           // measurement A: requests per second offered
	Duration   time.Duration // measurement A: how long
	Workers    int           // measurement B: concurrent workers per route
	Capacity   time.Duration // measurement B: measured time per route
	Warmup     time.Duration // measurement B: unmeasured time before each route
	Rounds     int           // measurement B: turns a route takes with the floor
	Routes     string        // measurement B: comma-separated route names (empty: all)
	Results    string        // markdown file the tables are written to (besides stdout)
	CPUProfile bool          // run the server in this process with a CPU profile for measurement B
	Rebuild    bool          // drop and rebuild the dataset even if it is there
	MaxBuild   time.Duration // give up building the dataset after this long
	Overlay    string        // go build -overlay file for the server: to measure a proposed change
}

func main() {
	var o Options
	flag.StringVar(&o.Dir, "dir", ".data/bench", "directory for the private cluster, the server binary and the results")
	flag.StringVar(&o.Only, "only", "", `run only part: "dataset" (build it if needed) or "load" (both measurements)`)
	flag.StringVar(&o.Measure, "measure", "ABC", `which measurements to run: any of "A" (fixed rate), "B" (capacity) and "C" (the annual report)`)
	flag.IntVar(&o.Rate, "rate", 300, "measurement A: offered requests per second")
	flag.DurationVar(&o.Duration, "duration", 60*time.Second, "measurement A: duration")
	flag.IntVar(&o.Workers, "workers", 12, "measurement B: concurrent workers per route")
	flag.DurationVar(&o.Capacity, "capacity", 15*time.Second, "measurement B: measured time per route")
	flag.DurationVar(&o.Warmup, "warmup", 3*time.Second, "measurement B: warm-up per route")
	flag.IntVar(&o.Rounds, "rounds", 3, "measurement B: turns each route takes with the floor, sharing -capacity between them")
	flag.StringVar(&o.Routes, "routes", "", "measurement B: only these routes (comma-separated names as in the tables)")
	flag.StringVar(&o.Results, "results", "", "also write the result tables to this markdown file (default DIR/results.md)")
	flag.BoolVar(&o.CPUProfile, "cpuprofile", false, "write a CPU profile of the server per route of measurement B to DIR/cpu-<route>.prof")
	flag.BoolVar(&o.Rebuild, "rebuild", false, "drop the dataset and build it again")
	flag.DurationVar(&o.MaxBuild, "max-build", 90*time.Minute, "give up building the dataset after this long")
	flag.StringVar(&o.Overlay, "overlay", "", "build the server with this go build -overlay file (measure a proposed change without editing the tree)")
	flag.Parse()
	if o.Results == "" {
		o.Results = o.Dir + "/results.md"
	}
	o.Rounds = max(o.Rounds, 1)

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, logger); err != nil {
		fmt.Fprintln(os.Stderr, "havenbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o Options, logger *slog.Logger) error {
	b, err := openBench(ctx, o, logger)
	if err != nil {
		return err
	}
	defer b.close()
	if err := b.ensureDataset(ctx); err != nil {
		return err
	}
	if o.Only == "dataset" {
		return nil
	}
	return b.measure(ctx)
}

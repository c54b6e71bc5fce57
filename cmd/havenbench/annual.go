package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	annual "github.com/havenapp/haven/internal/report"
)

// Measurement C: the governors' annual oversight report, which
// is worked out from the concerns' aggregates in SQL, not from rows read
// into Go. Each school's governor opens their school's report for the last
// complete academic year, one school after another, as a trust's governors
// preparing their meetings would; then the first school's again, warm.
// Its targets: every school's report in under targetReportOne, and the
// schools' reports one after another in under targetReportAll in all.
const (
	targetReportOne = 200 * time.Millisecond
	targetReportAll = 2 * time.Second
	reportPath      = "/reports/annual"
	reportWarmRuns  = 5
)

// reportRun is what measurement C measured.
type reportRun struct {
	each   []time.Duration // each school's report, in school order
	warm   []time.Duration // the first school's report again
	errors []string        // unexpected answers, one a school at most
	// underWay is each school's report for the academic year under way,
	// which is worked out afresh each time (no figures are kept for it):
	// shown beside the target, not judged by it.
	underWay []time.Duration
}

// reportVerdict judges a run against the targets: the slowest school's
// report, all of them together, and whether both are within them with no
// unexpected answer.
func (r *reportRun) reportVerdict() (slowest, total time.Duration, ok bool) {
	for _, d := range r.each {
		slowest, total = max(slowest, d), total+d
	}
	return slowest, total, len(r.each) > 0 && len(r.errors) == 0 && slowest < targetReportOne && total < targetReportAll
}

// annualReports is measurement C, against the server at base.
func (b *bench) annualReports(ctx context.Context, base string) (*reportRun, error) {
	b.log.Info("measurement C: the annual report, each school's governor in turn", "schools", schoolCount)
	client := noRedirects()
	cookies := make([]string, 0, schoolCount)
	for s := 1; s <= schoolCount; s++ {
		email := benchEmail("governor", 1, s)
		cookie, err := signIn(ctx, client, base, email, func() (string, error) {
			return "", fmt.Errorf("sign in as %s: a governor is not asked for a code", email)
		})
		if err != nil {
			return nil, err
		}
		cookies = append(cookies, cookie)
	}
	run := &reportRun{}
	for s, cookie := range cookies {
		d, err := timeReport(ctx, client, base, cookie)
		if err != nil {
			run.errors = append(run.errors, fmt.Sprintf("school %d: %v", s+1, err))
		}
		run.each = append(run.each, d)
	}
	current := fmt.Sprintf("?year=%d", annual.YearOf(time.Now()).Start)
	for s, cookie := range cookies {
		d, err := timeReport(ctx, client, base+current, cookie)
		if err != nil {
			run.errors = append(run.errors, fmt.Sprintf("school %d, the year under way: %v", s+1, err))
		}
		run.underWay = append(run.underWay, d)
	}
	for range reportWarmRuns {
		d, err := timeReport(ctx, client, base, cookies[0])
		if err != nil {
			run.errors = append(run.errors, fmt.Sprintf("school 1, warm: %v", err))
		}
		run.warm = append(run.warm, d)
	}
	return run, nil
}

// timeReport asks for one report and times it to its last byte.
func timeReport(ctx context.Context, client *http.Client, base, cookie string) (time.Duration, error) {
	target, query, _ := strings.Cut(base, "?")
	if query != "" {
		query = "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target+reportPath+query, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Cookie", cookie)
	started := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(started), err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(started)
	switch {
	case err != nil:
		return d, err
	case resp.StatusCode != http.StatusOK:
		return d, fmt.Errorf("status %d", resp.StatusCode)
	case !strings.Contains(string(body), "Concerns by category"):
		return d, fmt.Errorf("the page shows no report: %q", truncate(string(body), 200))
	}
	return d, nil
}

// printReports writes measurement C's table and verdict.
func (r *report) printReports(w io.Writer) {
	run := r.reports
	fmt.Fprintf(w, "\n### C. The annual report: each of the %d schools' governors opens it in turn\n\n", len(run.each))
	fmt.Fprintf(w, "`GET %s` (the last complete academic year, with the year before beside it), one school after another, then the first school's %d times more.\n\n",
		reportPath, len(run.warm))
	each := slices.Clone(run.each)
	slices.Sort(each)
	warm := slices.Clone(run.warm)
	slices.Sort(warm)
	slowest, total, ok := run.reportVerdict()
	fmt.Fprintf(w, "| | ms |\n|---|---:|\n")
	if len(each) > 0 {
		fmt.Fprintf(w, "| one school: fastest | %s |\n| one school: median | %s |\n| one school: slowest | %s |\n", ms(each[0]), ms(each[len(each)/2]), ms(slowest))
	}
	if len(warm) > 0 {
		fmt.Fprintf(w, "| first school again: median | %s |\n", ms(warm[len(warm)/2]))
	}
	fmt.Fprintf(w, "| all %d schools one after another | %s |\n", len(each), ms(total))
	if under := slices.Sorted(slices.Values(run.underWay)); len(under) > 0 {
		var sum time.Duration
		for _, d := range under {
			sum += d
		}
		fmt.Fprintf(w, "| the year under way (worked out afresh each time), not judged: median | %s |\n", ms(under[len(under)/2]))
		fmt.Fprintf(w, "| the year under way: slowest | %s |\n| the year under way: all %d schools | %s |\n", ms(under[len(under)-1]), len(under), ms(sum))
	}
	if ok {
		fmt.Fprintf(w, "\nTarget met: every school's report in under %s, and all of them in under %s.\n", targetReportOne, targetReportAll)
	} else {
		fmt.Fprintf(w, "\n**Target missed**: every school's report in under %s (slowest %s ms) and all of them in under %s (%s ms), without errors.\n",
			targetReportOne, ms(slowest), targetReportAll, ms(total))
	}
	for _, e := range run.errors {
		fmt.Fprintf(w, "- %s\n", e)
	}
}

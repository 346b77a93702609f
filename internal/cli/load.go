package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/load"
)

// loadSession is the session the default mix reads; creating it is
// idempotent, so runs share it.
const loadSession = "lifeboat-load"

// runLoad is the plan's load test (smp_load_test.py): closed-loop load with
// a live progress line on stderr, then a summary on stdout. It exits 0 even
// when requests failed, unless --fail-on-error is given.
func runLoad(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "load")
	url := fs.String("url", defaultAddr, "where to send the load: the gateway, or a service directly")
	opts := load.Options{}
	fs.IntVar(&opts.Concurrency, "concurrent", load.DefaultConcurrency, "workers, each with one request in flight")
	fs.DurationVar(&opts.Duration, "duration", load.DefaultDuration, "how long to send requests")
	fs.DurationVar(&opts.Timeout, "timeout", load.DefaultTimeout, "bound on each request")
	var one load.Request
	fs.StringVar(&one.Path, "path", "", "send only this request (default: the OpenViking mix of searches and session reads)")
	fs.StringVar(&one.Method, "method", "", "method of --path (default GET, or POST with --body)")
	fs.StringVar(&one.Body, "body", "", "JSON body of --path")
	sessions := fs.Bool("sessions", false, "add session writes (create session, add messages) and count the acknowledged ones")
	messages := fs.Int("messages", 5, "messages per session with --sessions")
	var headers headerFlag
	fs.Var(&headers, "header", "header sent with every request, 'Name: value' (repeatable)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	failOnError := fs.Bool("fail-on-error", false, "exit 1 if any request failed")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts.BaseURL, opts.Header = withScheme(*url), headers.h
	if one.Path != "" {
		opts.Requests = []load.Request{one}
	} else {
		opts.Requests, opts.Setup = load.OpenVikingMix(loadSession), load.OpenVikingSetup(loadSession)
	}
	if *sessions {
		opts.Sessions = &load.SessionWrites{Messages: *messages}
	}
	return loadAndReport(ctx, env, opts, *asJSON, *failOnError)
}

// loadAndReport runs the load, then prints the result and judges it.
func loadAndReport(ctx context.Context, env Env, opts load.Options, asJSON, failOnError bool) error {
	p := newProgress(env.Stderr)
	opts.Progress = p.print
	res, err := load.Run(ctx, opts)
	p.end()
	if err != nil && !res.Interrupted {
		return err
	}
	if asJSON {
		err = printJSON(env, res)
	} else {
		printLoad(env.Stdout, res)
	}
	switch {
	case err != nil:
		return err
	case res.Interrupted:
		return fmt.Errorf("load interrupted after %s", short(res.Duration))
	case failOnError && res.Failed() > 0:
		return fmt.Errorf("%d of %d requests failed", res.Failed(), res.Total)
	}
	return nil
}

// progress prints one line per snapshot: rewritten in place on a terminal,
// one per second otherwise (a log or a pipe).
type progress struct {
	w        io.Writer
	terminal bool
	printed  bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	terminal := false
	if ok {
		st, err := f.Stat()
		terminal = err == nil && st.Mode()&os.ModeCharDevice != 0
	}
	return &progress{w: w, terminal: terminal}
}

func (p *progress) print(s load.Snapshot) {
	line := fmt.Sprintf("%6s  %9d requests  %8.1f req/s  %6d failed  p50 %-8s  p99 %-8s",
		s.Elapsed.Round(100*time.Millisecond), s.Requests, s.Rate, s.Failed, short(s.P50), short(s.P99))
	p.printed = true
	if p.terminal {
		fmt.Fprintf(p.w, "\r%s", line)
		return
	}
	fmt.Fprintln(p.w, line)
}

// end finishes a line rewritten in place.
func (p *progress) end() {
	if p.terminal && p.printed {
		fmt.Fprintln(p.w)
	}
}

// printLoad writes the summary: totals, latency percentiles, and every
// status and transport error with its count.
func printLoad(w io.Writer, r load.Result) {
	fmt.Fprintf(w, "requests:  %d in %s (%.1f req/s), %d failed (%.2f%%)\n",
		r.Total, short(r.Duration), r.Throughput, r.Failed(), percent(r.Failed(), r.Total))
	if r.Acked != nil {
		fmt.Fprintf(w, "writes:    %d acknowledged in %d sessions\n", len(r.Acked), sessionsIn(r.Acked))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	l := r.Latency
	fmt.Fprintf(tw, "\nLATENCY\tP50\tP90\tP95\tP99\tMAX\n\t%s\t%s\t%s\t%s\t%s\n",
		short(l.P50), short(l.P90), short(l.P95), short(l.P99), short(l.Max))
	fmt.Fprintln(tw, "\nRESULT\tCOUNT")
	for _, status := range slices.Sorted(maps.Keys(r.Status)) {
		fmt.Fprintf(tw, "%d\t%d\n", status, r.Status[status])
	}
	for _, class := range slices.Sorted(maps.Keys(r.Errors)) {
		fmt.Fprintf(tw, "%s\t%d\n", class, r.Errors[class])
	}
	tw.Flush()
}

func percent(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(n) / float64(total)
}

func sessionsIn(ws []load.Write) int {
	seen := map[string]bool{}
	for _, w := range ws {
		seen[w.SessionID] = true
	}
	return len(seen)
}

// short prints a duration with about three significant digits.
func short(d time.Duration) string {
	for _, unit := range []time.Duration{time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond,
		time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond} {
		if d < unit*1000 {
			return d.Round(unit).String()
		}
	}
	return d.Round(time.Second).String()
}

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
)

// drillFlags are the flags of `lifeboat drill`.
type drillFlags struct {
	opts               drill.Options
	addr, primarySim   string
	dataDir            string
	local, json, quiet bool
	headers            headerFlag
	set                map[string]bool // flags given on the command line
}

// runDrill is the plan's fallback_drill.sh: a scenario against a running
// gateway, its fault injected by the gateway itself (/admin/faults) or by
// the primary's simulator (--primary-sim), or with --local against
// simulators and a gateway in-process. It narrates as it goes,
// prints the figures against the plan's targets, keeps the result in
// --data-dir and exits 1 if any target was missed.
func runDrill(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "history" {
		return runDrillHistory(ctx, env, args[1:])
	}
	f, err := parseDrill(env, args)
	if err != nil {
		return err
	}
	if f.local {
		return drillLocal(ctx, env, f)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	f.opts.Faults = drill.GatewayFaults{Client: client.New(f.opts.Gateway, f.opts.Token, hc), By: "lifeboat drill"}
	if f.primarySim != "" {
		f.opts.Faults = drill.HTTPFaults{URL: withScheme(f.primarySim), Client: hc}
	}
	return runAndReport(ctx, env, f)
}

func parseDrill(env Env, args []string) (*drillFlags, error) {
	fs := flagSet(env, "drill")
	f := &drillFlags{}
	o := &f.opts
	fs.StringVar(&o.Scenario, "scenario", "", "performance_degradation, outage, error_spike, resource_exhaustion or data_corruption (required)")
	fs.DurationVar(&o.Duration, "duration", drill.DefaultDuration, "how long the fault lasts (with --local: the demo's 8s)")
	fs.StringVar(&f.addr, "addr", defaultAddr, "the gateway's address")
	fs.StringVar(&o.Token, "token", env.getenv(tokenEnv), "admin bearer token (default $"+tokenEnv+")")
	fs.StringVar(&f.primarySim, "primary-sim", "", "inject through this simulator (best its --control URL) rather than the gateway's /admin/faults; resource_exhaustion needs it")
	fs.StringVar(&o.PrimaryURL, "primary", "", "where writes are read back for the data-loss check (default: the gateway's primary)")
	fs.IntVar(&o.Concurrency, "concurrent", drill.DefaultConcurrency, "load workers")
	fs.DurationVar(&o.Pace, "pace", 10*time.Millisecond, "each worker's wait before each request (0: none)")
	fs.DurationVar(&o.Warmup, "warmup", drill.DefaultWarmup, "steady load before the fault")
	fs.DurationVar(&o.MaxWait, "max-wait", drill.DefaultMaxWait, "longest wait for L0 after the fault")
	fs.BoolVar(&o.DryRun, "dry-run", false, "drill a gateway started with escalation.dry_run: decisions only, no traffic moves")
	fs.StringVar(&f.dataDir, "data-dir", "lifeboat-data", "where the drill history (drills.jsonl) is kept")
	fs.BoolVar(&f.local, "local", false, "drill simulators and a gateway started in-process, on the demo's compressed timeline")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON (the narration goes to stderr)")
	fs.BoolVar(&f.quiet, "quiet", false, "no narration")
	fs.Var(&f.headers, "header", "header sent with the load and the data-loss reads, 'Name: value' (repeatable)")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if o.Scenario == "" {
		fmt.Fprintln(env.Stderr, "lifeboat drill: --scenario is required")
		return nil, errUsage
	}
	o.Gateway, o.Header, o.Store = withScheme(f.addr), f.headers.h, drill.NewStore(f.dataDir)
	return f, nil
}

// drillLocal runs the drill against a lab on the demo's timeline; the
// lab's own settings apply where no flag says otherwise.
func drillLocal(ctx context.Context, env Env, f *drillFlags) error {
	l, err := lab.Start(ctx, lab.Options{Timings: lab.DemoTimings(), DryRun: f.opts.DryRun})
	if err != nil {
		return err
	}
	defer stopLab(env, l)
	lo, err := l.Options(f.opts.Scenario)
	if err != nil {
		return err
	}
	o := &f.opts
	o.Gateway, o.Faults, o.Fault, o.PrimaryURL, o.Poll = lo.Gateway, lo.Faults, lo.Fault, lo.PrimaryURL, lo.Poll
	o.HistoryWait, o.Guard = lo.HistoryWait, lo.Guard
	for name, pair := range map[string][2]*time.Duration{"duration": {&o.Duration, &lo.Duration},
		"pace": {&o.Pace, &lo.Pace}, "warmup": {&o.Warmup, &lo.Warmup}, "max-wait": {&o.MaxWait, &lo.MaxWait}} {
		if !f.set[name] {
			*pair[0] = *pair[1]
		}
	}
	if !f.set["concurrent"] {
		o.Concurrency = lo.Concurrency
	}
	return runAndReport(ctx, env, f)
}

// runAndReport runs the drill with narration and prints its figures; the
// error says which targets were missed.
func runAndReport(ctx context.Context, env Env, f *drillFlags) error {
	out := env.Stdout
	if f.json {
		out = env.Stderr
	}
	if !f.quiet {
		f.opts.OnNote = newNarrator(out, time.Now()).note
	}
	res, err := drill.Run(ctx, f.opts)
	if errors.Is(err, drill.ErrOptions) || errors.Is(err, drill.ErrScenario) || errors.Is(err, drill.ErrNotReady) ||
		errors.Is(err, drill.ErrUnsupported) {
		return err
	}
	if f.json {
		if jerr := printJSON(env, res); jerr != nil {
			return jerr
		}
	} else if len(res.Figures) > 0 {
		fmt.Fprintln(env.Stdout)
		printFigures(env.Stdout, res)
	}
	return drillOutcome(res, err)
}

func drillOutcome(res drill.Result, err error) error {
	switch {
	case err != nil:
		return err
	case !res.Passed():
		return fmt.Errorf("%d of %d targets missed", len(res.Missed()), len(res.Figures))
	}
	return nil
}

// stopLab stops an in-process lab within a bounded time, reporting a
// failure without hiding the command's own outcome.
func stopLab(env Env, l *lab.Lab) {
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := l.Stop(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "lifeboat: stopping the lab: %v\n", err)
	}
}

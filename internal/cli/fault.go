package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
)

// The fault command drives a running gateway's fault injection toward the
// primary: set one fault for a bounded time, see it, clear it.

const faultUsage = "usage: lifeboat fault set --duration D [--latency D] [--jitter D] [--error-rate R] " +
	"[--error-status N] [--down] [--hang] [--corrupt-search] | fault show | fault clear [--addr URL] [--token T]"

// faultFlags are the knobs of `fault set`, in the simulators' vocabulary.
type faultFlags struct {
	latency, jitter, duration time.Duration
	errorRate                 float64
	errorStatus               int
	down, hang, corrupt       bool
}

func (f *faultFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&f.duration, "duration", 0, "how long the fault lasts before it reverts by itself (required, at most 1h)")
	fs.DurationVar(&f.latency, "latency", 0, "latency added to each request to the primary")
	fs.DurationVar(&f.jitter, "jitter", 0, "uniform +/- jitter on the latency")
	fs.Float64Var(&f.errorRate, "error-rate", 0, "fraction (0-1) of requests answered with --error-status")
	fs.IntVar(&f.errorStatus, "error-status", 0, "status of injected errors (default 503)")
	fs.BoolVar(&f.down, "down", false, "refuse connections to the primary")
	fs.BoolVar(&f.hang, "hang", false, "never answer until the caller gives up")
	fs.BoolVar(&f.corrupt, "corrupt-search", false, "make searches find nothing while health stays green")
}

func (f *faultFlags) fault() fault.Fault {
	return fault.Fault{LatencyMS: millis(f.latency), JitterMS: millis(f.jitter), ErrorRate: f.errorRate,
		ErrorStatus: f.errorStatus, Down: f.down, Hang: f.hang, CorruptSearch: f.corrupt, DurationMS: millis(f.duration)}
}

func millis(d time.Duration) int { return int(d / time.Millisecond) }

func runFault(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "fault")
	r := remoteFlags(fs, env, true)
	var ff faultFlags
	ff.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	verb := ""
	if len(pos) == 1 {
		verb = pos[0]
	}
	if verb == "set" && ff.duration <= 0 {
		fmt.Fprintln(env.Stderr, "fault set: --duration is required (at most 1h)")
		verb = ""
	}
	var call func(c *client.Client) (fault.Status, error)
	switch verb {
	case "set":
		call = func(c *client.Client) (fault.Status, error) { return c.SetFault(ctx, ff.fault(), r.by) }
	case "show":
		call = func(c *client.Client) (fault.Status, error) { return c.Faults(ctx) }
	case "clear":
		call = func(c *client.Client) (fault.Status, error) { return c.ClearFault(ctx, r.by) }
	default:
		fmt.Fprintln(env.Stderr, faultUsage)
		return errUsage
	}
	st, err := call(r.client())
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, st)
	}
	printFault(env, st)
	return nil
}

// printFault writes the fault in force, or says there is none.
func printFault(env Env, st fault.Status) {
	if !st.Active {
		fmt.Fprintln(env.Stdout, "no fault active")
		return
	}
	fmt.Fprintf(env.Stdout, "fault: %s\n", st.Description)
	fmt.Fprintf(env.Stdout, "set by: %s at %s\n", st.By, st.Since.Local().Format(time.TimeOnly))
	fmt.Fprintf(env.Stdout, "reverts: at %s (in %s)\n", st.Until.Local().Format(time.TimeOnly), st.Remaining().Round(time.Second))
}

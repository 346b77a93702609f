package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
)

// runDrillHistory is the plan's measure_recovery_time.py: every kept
// drill's recovery time against a baseline and a target, and whether the
// last drills are getting faster, one trend per scenario (or only the
// one --scenario names).
func runDrillHistory(_ context.Context, env Env, args []string) error {
	fs := flagSet(env, "drill history")
	baseline := fs.Duration("baseline", 180*time.Second, "the recovery time drills are compared with")
	target := fs.Duration("target", 300*time.Second, "the recovery time every drill must beat (the plan's 5 minutes)")
	last := fs.Int("last", 5, "how many of the latest drills the trend covers (0: all)")
	dataDir := fs.String("data-dir", "lifeboat-data", "where the drill history (drills.jsonl) is kept")
	asJSON := fs.Bool("json", false, "print the history and trends as JSON")
	scenario := fs.String("scenario", "", "only this scenario's drills (default: every scenario, each with its own trend)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *scenario != "" {
		if _, err := drill.Lookup(*scenario); err != nil {
			fmt.Fprintf(env.Stderr, "--scenario: %v\n", err)
			return errUsage
		}
	}
	recs, err := drill.NewStore(*dataDir).Load()
	if err != nil {
		return err
	}
	trends := drill.ByScenario(only(recs, *scenario), *baseline, *target, *last)
	if *asJSON {
		return printJSON(env, trends)
	}
	if len(trends) == 0 {
		fmt.Fprintf(env.Stdout, "no %sdrills kept in %s yet: run lifeboat drill\n", orEmpty(*scenario, " "), drill.NewStore(*dataDir).Path())
		return nil
	}
	for i, tr := range trends {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		fmt.Fprintf(env.Stdout, "## %s\n\n", tr.Scenario)
		printHistory(env.Stdout, tr)
	}
	return nil
}

// only keeps the records of scenario; "" keeps them all.
func only(recs []drill.Record, scenario string) []drill.Record {
	if scenario == "" {
		return recs
	}
	var out []drill.Record
	for _, r := range recs {
		if r.Scenario == scenario {
			out = append(out, r)
		}
	}
	return out
}

// orEmpty is s followed by sep, or nothing when s is empty.
func orEmpty(s, sep string) string {
	if s == "" {
		return ""
	}
	return s + sep
}

func printHistory(w io.Writer, tr drill.Trend) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "DRILL\tSTARTED\tSCENARIO\tRESULT\tRECOVERY\tVS BASELINE %s\tTARGET %s\n", short(tr.Baseline), short(tr.Target))
	for _, p := range tr.Points {
		r := p.Record
		rec, vs, target := "-", "-", "-"
		if p.Measured {
			rec, vs, target = short(p.Recovery), signed(p.VsBaseline), metWord(p.MetTarget)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Started.UTC().Format("2006-01-02 15:04 UTC"),
			r.Scenario+dryMark(r.DryRun), resultWord(r), rec, vs, target)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", trendLine(tr))
}

// trendLine says where recovery time is heading, in one sentence.
func trendLine(tr drill.Trend) string {
	if tr.Direction == drill.Unknown {
		return fmt.Sprintf("trend of %s: %s (%d measured recovery time; it takes two)", tr.Scenario, tr.Direction, tr.Window)
	}
	change := "no faster or slower"
	switch {
	case tr.Slope < 0:
		change = short(-tr.Slope) + " faster"
	case tr.Slope > 0:
		change = short(tr.Slope) + " slower"
	}
	return fmt.Sprintf("trend of %s over the last %d drills: recovery time %s, %s per drill (mean %s; baseline %s, target %s)",
		tr.Scenario, tr.Window, tr.Direction, change, short(tr.Mean), short(tr.Baseline), short(tr.Target))
}

func resultWord(r drill.Record) string {
	switch {
	case r.Aborted != "":
		return "aborted"
	case r.Passed():
		return "passed"
	}
	return "FAILED"
}

func metWord(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func dryMark(dry bool) string {
	if dry {
		return " (dry run)"
	}
	return ""
}

// signed writes a duration with its sign: +1m10s, -30s.
func signed(d time.Duration) string {
	if d < 0 {
		return "-" + short(-d)
	}
	return "+" + short(d)
}

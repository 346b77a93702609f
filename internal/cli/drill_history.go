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
// last drills are getting faster.
func runDrillHistory(_ context.Context, env Env, args []string) error {
	fs := flagSet(env, "drill history")
	baseline := fs.Duration("baseline", 180*time.Second, "the recovery time drills are compared with")
	target := fs.Duration("target", 300*time.Second, "the recovery time every drill must beat (the plan's 5 minutes)")
	last := fs.Int("last", 5, "how many of the latest drills the trend covers (0: all)")
	dataDir := fs.String("data-dir", "lifeboat-data", "where the drill history (drills.jsonl) is kept")
	asJSON := fs.Bool("json", false, "print the history and trend as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	recs, err := drill.NewStore(*dataDir).Load()
	if err != nil {
		return err
	}
	tr := drill.Analyze(recs, *baseline, *target, *last)
	if *asJSON {
		return printJSON(env, tr)
	}
	if len(recs) == 0 {
		fmt.Fprintf(env.Stdout, "no drills kept in %s yet: run lifeboat drill\n", drill.NewStore(*dataDir).Path())
		return nil
	}
	printHistory(env.Stdout, tr)
	return nil
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
		return fmt.Sprintf("trend: %s (%d measured recovery time; it takes two)", tr.Direction, tr.Window)
	}
	change := "no faster or slower"
	switch {
	case tr.Slope < 0:
		change = short(-tr.Slope) + " faster"
	case tr.Slope > 0:
		change = short(tr.Slope) + " slower"
	}
	return fmt.Sprintf("trend over the last %d drills: recovery time %s, %s per drill (mean %s; baseline %s, target %s)",
		tr.Window, tr.Direction, change, short(tr.Mean), short(tr.Baseline), short(tr.Target))
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

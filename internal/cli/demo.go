package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
)

// runDemo is the one-command demo: both simulators and a gateway start
// in-process on free ports with the plan's minutes compressed into
// seconds, an outage drill runs under load and is narrated as it happens,
// then the incident report and the figures are printed. It exits 0 when
// every measured target was met, and leaves nothing running or on disk
// (but --report's files).
func runDemo(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "demo")
	fast := fs.Bool("fast", false, "an even shorter timeline (the tests'), harder to follow")
	reportFile := fs.String("report", "", "also save the incident report as this Markdown file, with its chart beside it")
	clustered := fs.Bool("cluster", false, "three replicas on an embedded etcd: the decider is killed mid-incident and another takes over")
	if err := parse(fs, args); err != nil {
		return err
	}
	timings := lab.DemoTimings()
	if *fast {
		timings = lab.TestTimings()
	}
	if *clustered {
		return runClusterDemo(ctx, env, timings)
	}
	start := time.Now()
	l, err := lab.Start(ctx, lab.Options{Timings: timings, Pager: true})
	if err != nil {
		return err
	}
	defer stopLab(env, l)
	introduce(env.Stdout, l, timings)
	res, err := demoDrill(ctx, env, l, start)
	if err != nil {
		return err
	}
	if err := demoReport(ctx, env, l, res, *reportFile); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "\n## Figures measured by the drill")
	fmt.Fprintln(env.Stdout)
	printFigures(env.Stdout, res)
	fmt.Fprintf(env.Stdout, "\ndemo finished in %s; everything it started is stopped\n", short(time.Since(start)))
	return drillOutcome(res, nil)
}

func introduce(w io.Writer, l *lab.Lab, t lab.Timings) {
	fmt.Fprintf(w, "Lifeboat demo: the plan's timeline compressed, minutes become seconds.\n\n")
	fmt.Fprintf(w, "  primary   OpenViking simulator  %s\n", l.Primary.URL())
	fmt.Fprintf(w, "  fallback  LightRAG simulator    %s\n", l.Fallback.URL())
	fmt.Fprintf(w, "  gateway   Lifeboat              %s\n", l.URL())
	fmt.Fprintf(w, "  timeline  health checks every %s, hold-down %s, five restore steps of %s, L1 window %s, L3 after %s\n\n",
		short(t.Health), short(t.HoldDown), short(t.StepHold), short(t.L1Window), short(t.L3After))
}

// demoDrill runs the outage drill, narrated from the demo's start.
func demoDrill(ctx context.Context, env Env, l *lab.Lab, start time.Time) (drill.Result, error) {
	o, err := l.Options("outage")
	if err != nil {
		return drill.Result{}, err
	}
	o.OnNote = newNarrator(env.Stdout, start).note
	res, err := drill.Run(ctx, o)
	if err != nil {
		if len(res.Figures) > 0 {
			printFigures(env.Stdout, res)
		}
		return res, err
	}
	return res, nil
}

// demoReport prints the gateway's incident report, and saves it with its
// chart when asked.
func demoReport(ctx context.Context, env Env, l *lab.Lab, res drill.Result, file string) error {
	if res.Incident == "" {
		fmt.Fprintln(env.Stdout, "\nno incident was opened, so there is no report")
		return nil
	}
	cl := client.New(l.URL(), "", nil)
	chart := ""
	if file != "" {
		chart = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)) + ".svg"
	}
	md, err := cl.MarkdownReport(ctx, res.Incident, chart)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\n%s\n", strings.TrimSpace(string(md)))
	if file == "" {
		fmt.Fprintln(env.Stdout, "\n(the chart is not saved: lifeboat demo --report FILE.md writes the report and FILE.svg)")
		return nil
	}
	return saveReport(ctx, env, cl, res.Incident, file, md)
}

func saveReport(ctx context.Context, env Env, cl *client.Client, id, file string, md []byte) error {
	svg, err := cl.Chart(ctx, id)
	if err != nil {
		return err
	}
	chart := filepath.Join(filepath.Dir(file), strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+".svg")
	if err := os.WriteFile(file, md, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(chart, svg, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "report saved to %s, chart to %s\n", file, chart)
	return nil
}

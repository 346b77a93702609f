package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/words"
)

// runIncidentShow prints one incident the way a person reviews it: what
// happened in brief, the plan's success metrics against their targets,
// the checklists, what was preserved and the latest timeline entries.
func runIncidentShow(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "incident show")
	r := remoteFlags(fs, env, false)
	last := fs.Int("last", 10, "how many of the latest timeline entries to show (0: all)")
	id, err := incidentArgs(fs, env, args)
	if err != nil {
		return err
	}
	inc, err := r.client().Incident(ctx, id)
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, inc)
	}
	printIncident(env.Stdout, inc, *last, time.Now())
	return nil
}

func printIncident(w io.Writer, inc incident.Incident, last int, now time.Time) {
	printHeader(w, inc, now)
	fmt.Fprintln(w)
	printMetrics(w, inc.Metrics)
	for _, c := range inc.Checklists {
		fmt.Fprintln(w)
		printChecklist(w, c)
	}
	if len(inc.Artifacts) > 0 {
		fmt.Fprintln(w, "\nartifacts:")
		for _, a := range inc.Artifacts {
			fmt.Fprintf(w, "  %s  %s  (%s, entry #%d)\n", a.Name, a.Location, stamp(a.Time), a.Seq)
		}
	}
	fmt.Fprintln(w)
	printTimeline(w, inc.Timeline, last)
}

func printHeader(w io.Writer, inc incident.Incident, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	line("incident:", inc.ID)
	line("opened:", stamp(inc.OpenedAt))
	line("status:", lifetime(inc, now))
	line("level:", fmt.Sprintf("%s (highest %s)", inc.Level, inc.MaxLevel))
	line("trigger:", words.OrNone(inc.Trigger, "none: escalated by hand"))
	line("rollback:", words.OrNone(inc.Rollback, "no rollback verification"))
	line("acknowledged:", acked(inc))
	line("manual:", words.YesNo(inc.Manual))
	line("success:", success(inc.Metrics))
	tw.Flush()
}

func acked(inc incident.Incident) string {
	if inc.AckedBy == "" {
		return "no"
	}
	return "by " + inc.AckedBy + " at " + stamp(inc.AckedAt)
}

func success(m incident.Metrics) string {
	failed := 0
	for _, x := range m.All() {
		if !x.Pass {
			failed++
		}
	}
	if failed == 0 {
		return "every success criterion met"
	}
	return fmt.Sprintf("%d of %d success criteria not met", failed, len(m.All()))
}

// printMetrics writes the plan's success metrics with pass or FAIL.
func printMetrics(w io.Writer, m incident.Metrics) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC\tMEASURED\tTARGET\tRESULT\tNOTE")
	for _, x := range m.All() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", strings.ReplaceAll(x.Name, "_", " "), x.Text, x.Target, result(x), x.Note)
	}
	tw.Flush()
}

// result is a metric's verdict as the terminal shows it.
func result(m incident.Metric) string {
	text, _ := m.Verdict()
	return text
}

// printChecklist writes one checklist with [x] or [ ] and who ticked.
func printChecklist(w io.Writer, c incident.Checklist) {
	done := 0
	for _, it := range c.Items {
		if it.Done {
			done++
		}
	}
	fmt.Fprintf(w, "%s (%d of %d done)\n", c.Name, done, len(c.Items))
	for i, it := range c.Items {
		fmt.Fprintf(w, "  %2d. %s %s%s\n", i+1, box(it.Done), it.Text, tickedBy(it))
	}
}

func box(done bool) string {
	if done {
		return "[x]"
	}
	return "[ ]"
}

func tickedBy(it incident.Item) string {
	switch {
	case !it.Done:
		return ""
	case it.Event > 0:
		return fmt.Sprintf("  (%s, entry #%d)", it.By, it.Event)
	}
	return fmt.Sprintf("  (%s, %s)", it.By, stamp(it.At))
}

// printTimeline writes the latest last entries; 0 writes them all.
func printTimeline(w io.Writer, tl []incident.Entry, last int) {
	shown := tl
	if last > 0 && len(tl) > last {
		shown = tl[len(tl)-last:]
	}
	fmt.Fprintf(w, "timeline (last %d of %d entries):\n", len(shown), len(tl))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range shown {
		fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format("15:04:05"), e.Severity, e.Kind, e.Message)
	}
	tw.Flush()
}

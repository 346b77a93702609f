package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// runStatus prints what a person on call needs first: the level and how
// long it has lasted, where traffic goes, every trigger against its
// threshold, and what the engine waits for next.
func runStatus(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "status")
	r := remoteFlags(fs, env, false)
	watch := fs.Bool("watch", false, "redraw the status in place every --interval until interrupted")
	every := fs.Duration("interval", time.Second, "with --watch, how often to redraw")
	frames := fs.Int("count", 0, "with --watch, stop after this many frames (0: until interrupted)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *watch {
		if *every <= 0 || *frames < 0 {
			fmt.Fprintln(env.Stderr, "--interval must be positive and --count not negative")
			return errUsage
		}
		return watchStatus(ctx, env, r, *every, *frames)
	}
	st, err := r.client().Level(ctx)
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, st)
	}
	printStatus(env.Stdout, st, openIncident(ctx, r, st), time.Now())
	printCluster(env.Stdout, clusterOf(ctx, r), time.Now())
	return nil
}

// clearScreen moves the cursor home and clears the terminal (ANSI), so
// each frame of --watch replaces the last, as watch(1) does.
const clearScreen = "\x1b[H\x1b[2J"

// watchStatus redraws the status every interval until ctx ends (Ctrl-C) or
// frames are drawn. A gateway that does not answer is said in the frame
// and tried again next time: a watch outlives a gateway's restart.
func watchStatus(ctx context.Context, env Env, r *remote, every time.Duration, frames int) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		fmt.Fprintf(env.Stdout, "%slifeboat status, every %s, %s\n\n", clearScreen, every, time.Now().Format(time.TimeOnly))
		if st, err := r.client().Level(ctx); err != nil {
			fmt.Fprintf(env.Stdout, "the gateway does not answer: %v\n", err)
		} else {
			printStatus(env.Stdout, st, openIncident(ctx, r, st), time.Now())
			printCluster(env.Stdout, clusterOf(ctx, r), time.Now())
		}
		if frames > 0 && n >= frames {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// openIncident is the ID of the incident open while the gateway is away
// from L0, so the person reading the status can act on it; "" at L0, or
// when the gateway keeps no incidents.
func openIncident(ctx context.Context, r *remote, st level.Status) string {
	if st.Level == level.L0 {
		return ""
	}
	list, err := r.client().Incidents(ctx, 1)
	if err != nil || len(list) == 0 || !list[0].Open {
		return ""
	}
	return list[0].ID
}

func printJSON(env Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printStatus writes the status as aligned text.
func printStatus(w io.Writer, st level.Status, incidentID string, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	line("level:", fmt.Sprintf("%s (%s) since %s", st.Level, st.Phase, when(st.Since, now)))
	line("mode:", st.Mode)
	if !st.IncidentStart.IsZero() {
		line("incident:", strings.TrimSpace(incidentID+" began "+when(st.IncidentStart, now)))
	}
	line("automation:", automation(st))
	if st.Rollback != "" {
		line("rollback:", st.Rollback)
	}
	if st.Critical {
		line("CRITICAL:", "the fallback is not healthy enough to take traffic; traffic stays where it is")
	}
	if st.Acked {
		line("restore:", "acknowledged by "+st.AckedBy)
	}
	tw.Flush()
	fmt.Fprintln(w)
	printTriggers(w, st.Triggers, now)
	fmt.Fprintf(w, "\nnext: %s\n", st.Next)
}

func automation(st level.Status) string {
	s := "running"
	if st.Paused {
		s = "PAUSED: nothing changes until it is resumed"
	}
	if st.DryRun {
		s += "; DRY RUN: decisions are recorded, not acted on"
	}
	if st.Manual {
		s += "; a person intervened in this incident"
	}
	return s
}

// printTriggers writes one row per trigger: its reading against the
// threshold in force, or "no data" when the reading cannot be judged.
func printTriggers(w io.Writer, evs []trigger.Evidence, now time.Time) {
	if len(evs) == 0 {
		fmt.Fprintln(w, "no triggers configured")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TRIGGER\tKIND\tSTATE\tVALUE\tTHRESHOLD\tDETAIL")
	for _, ev := range evs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ev.Trigger, ev.Kind, state(ev, now),
			reading(ev), threshold(ev), detail(ev))
	}
	tw.Flush()
}

// state adds how long a trigger has been pending, firing or resolving.
func state(ev trigger.Evidence, now time.Time) string {
	if ev.State == trigger.Inactive || ev.Since.IsZero() {
		return string(ev.State)
	}
	return fmt.Sprintf("%s %s", ev.State, now.Sub(ev.Since).Round(time.Second))
}

func reading(ev trigger.Evidence) string {
	if !ev.Valid {
		return "no data"
	}
	return withUnit(ev.Value, ev.Unit)
}

// threshold shows the threshold in force, and the scale when Level 2 has
// lowered it.
func threshold(ev trigger.Evidence) string {
	s := ev.Op + " " + withUnit(ev.Threshold, ev.Unit)
	if ev.Scale != 0 && ev.Scale != 1 {
		s += fmt.Sprintf(" (x%g)", ev.Scale)
	}
	return s
}

func detail(ev trigger.Evidence) string {
	switch {
	case ev.Detail != "":
		return ev.Detail
	case ev.Error != "":
		return ev.Error
	}
	return "-"
}

// withUnit prints a number briefly: whole numbers as they are, others with
// four significant digits, never in exponent form.
func withUnit(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v != math.Trunc(v) {
		s = strconv.FormatFloat(v, 'f', decimals(v), 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if unit == "" {
		return s
	}
	return s + " " + unit
}

// decimals keeps about four significant digits.
func decimals(v float64) int {
	mag := int(math.Floor(math.Log10(math.Abs(v))))
	return max(0, 3-mag)
}

// when prints a time with its age, such as "20:31:02 UTC (4m12s ago)".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	format := "15:04:05 MST"
	if now.Sub(t) > 20*time.Hour {
		format = "2006-01-02 15:04:05 MST"
	}
	return fmt.Sprintf("%s (%s ago)", t.Local().Format(format), now.Sub(t).Round(time.Second))
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/report"
)

// errBadTime marks a time flag that is neither RFC 3339 nor relative.
var errBadTime = errors.New("want an RFC 3339 time (2026-02-03T14:00:00Z), now, or a time relative to now (-30m, -2h)")

// runAnalyze is the plan's analyze_performance_degradation: a window of
// the gateway's metric history against a baseline, by default the span of
// the same length just before the window.
func runAnalyze(ctx context.Context, env Env, args []string) error {
	const use = "usage: lifeboat analyze --start T [--end T] [--baseline-start T --baseline-end T] [--json]"
	fs := flagSet(env, "analyze")
	r := remoteFlags(fs, env, false)
	start := fs.String("start", "", "the window's start: RFC 3339, or relative to now such as -30m (required)")
	end := fs.String("end", "now", "the window's end")
	bStart := fs.String("baseline-start", "", "the baseline's start (default: the span of the same length before --start)")
	bEnd := fs.String("baseline-end", "", "the baseline's end; with --baseline-start")
	if err := parse(fs, args); err != nil {
		return err
	}
	times, err := parseTimes(time.Now(), *start, *end, *bStart, *bEnd)
	if err != nil || (*bStart == "") != (*bEnd == "") {
		fmt.Fprintf(env.Stderr, "%v\n%s\n", orErr(err, "--baseline-start and --baseline-end go together"), use)
		return errUsage
	}
	var a report.Analysis
	if *bStart == "" {
		a, err = r.client().Analyze(ctx, times[0], times[1])
	} else {
		a, err = r.client().AnalyzeAgainst(ctx, times[0], times[1], times[2], times[3])
	}
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, a)
	}
	printAnalysis(env.Stdout, a)
	return nil
}

func orErr(err error, msg string) any {
	if err != nil {
		return err
	}
	return msg
}

// parseTimes reads the time flags, leaving the empty ones zero; --start is
// required.
func parseTimes(now time.Time, values ...string) ([]time.Time, error) {
	names := []string{"--start", "--end", "--baseline-start", "--baseline-end"}
	out := make([]time.Time, len(values))
	for i, v := range values {
		if v == "" && i > 0 {
			continue
		}
		t, err := parseWhen(v, now)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", names[i], v, err)
		}
		out[i] = t
	}
	return out, nil
}

// parseWhen reads an RFC 3339 time, "now", or a duration relative to now.
func parseWhen(v string, now time.Time) (time.Time, error) {
	switch {
	case v == "now":
		return now, nil
	case strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+"):
		d, err := time.ParseDuration(v)
		if err != nil {
			return time.Time{}, errBadTime
		}
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, errBadTime
	}
	return t, nil
}

// printAnalysis writes both spans, one row per figure and the verdict.
func printAnalysis(w io.Writer, a report.Analysis) {
	fmt.Fprintf(w, "window:    %s\nbaseline:  %s\n\n", describeSpan(a.Window), describeSpan(a.Baseline))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tFIGURE\tWINDOW\tBASELINE\tRATIO\tVERDICT")
	for _, f := range a.Figures {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Target, strings.ReplaceAll(f.Name, "_", " "),
			figureValue(f, f.Window), figureValue(f, f.Baseline), ratio(f), f.Verdict)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nverdict: %s\n", a.Verdict())
}

func describeSpan(s report.Span) string {
	if s.Samples == 0 {
		return "no samples"
	}
	return fmt.Sprintf("%s to %s (%d samples covering %s)", stamp(s.Start), stamp(s.End), s.Samples, s.Covered)
}

func figureValue(f report.Figure, v float64) string {
	if !f.Known && v == 0 {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + " " + f.Unit
}

func ratio(f report.Figure) string {
	if f.Ratio == nil {
		return "-"
	}
	return strconv.FormatFloat(*f.Ratio, 'f', 2, 64) + "x"
}

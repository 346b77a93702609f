package report

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/history"
)

// Analysis is the plan's analyze_performance_degradation: a window of
// traffic history compared with a baseline, figure by figure.
type Analysis struct {
	Window   Span `json:"window"`
	Baseline Span `json:"baseline"`
	// Figures compare the client (what users saw) and the primary, then
	// the primary's resources.
	Figures []Figure `json:"figures"`
	// Degraded reports whether any figure is degraded.
	Degraded bool `json:"degraded"`
}

// Span describes the samples one side of the comparison covers.
type Span struct {
	Start   time.Time     `json:"start,omitzero"`
	End     time.Time     `json:"end,omitzero"`
	Samples int           `json:"samples"`
	Covered time.Duration `json:"covered_ns"`
}

// Figure is one compared figure.
type Figure struct {
	// Target is "client", "primary", or "resources" for CPU and memory.
	Target string `json:"target"`
	// Name is avg_latency, p95_latency, p99_latency, error_rate,
	// throughput, cpu or memory.
	Name string `json:"name"`
	// Unit is ms, % or rps; Window and Baseline are in it.
	Unit     string  `json:"unit"`
	Window   float64 `json:"window"`
	Baseline float64 `json:"baseline"`
	// Ratio is Window / Baseline; nil when the baseline is zero or either
	// side has no data.
	Ratio *float64 `json:"ratio,omitempty"`
	// Known is false when either side has no data for the figure.
	Known    bool   `json:"known"`
	Degraded bool   `json:"degraded"`
	Verdict  string `json:"verdict"`
}

// BaselineWindow is the default baseline for [start, end): the span of
// the same length just before it.
func BaselineWindow(start, end time.Time) (time.Time, time.Time) {
	return start.Add(-end.Sub(start)), start
}

// analysedTargets are compared in this order.
var analysedTargets = []string{history.Client, history.Primary}

// Analyze compares window with baseline: each target's latencies, error
// rate and throughput, then the primary's CPU and memory.
func Analyze(window, baseline []history.Sample) Analysis {
	w, b := history.Summarize(window), history.Summarize(baseline)
	a := Analysis{Window: spanOf(w), Baseline: spanOf(b)}
	for _, target := range analysedTargets {
		a.Figures = append(a.Figures, targetFigures(w, b, target)...)
	}
	a.Figures = append(a.Figures,
		resourceFigure("cpu", w.CPU, b.CPU), resourceFigure("memory", w.Memory, b.Memory))
	for _, f := range a.Figures {
		a.Degraded = a.Degraded || f.Degraded
	}
	return a
}

func spanOf(s history.Summary) Span {
	return Span{Start: s.Start, End: s.End, Samples: s.Samples, Covered: s.Covered}
}

// targetFigures compares one target. A side without requests for it has
// no data: latencies and rates of nothing are not zero.
func targetFigures(w, b history.Summary, target string) []Figure {
	wt, bt := w.Target(target), b.Target(target)
	known := wt.Judged > 0 && bt.Judged > 0
	out := []Figure{
		latencyFigure(target, "avg_latency", wt.AvgLatency, bt.AvgLatency, known),
		latencyFigure(target, "p95_latency", wt.P95, bt.P95, known),
		latencyFigure(target, "p99_latency", wt.P99, bt.P99, known),
		errorFigure(target, wt.ErrorRate, bt.ErrorRate, known),
	}
	tput := newFigure(target, "throughput", "rps", wt.Throughput, bt.Throughput, w.Covered > 0 && b.Covered > 0)
	return append(out, judgeThroughput(tput))
}

func newFigure(target, name, unit string, window, base float64, known bool) Figure {
	f := Figure{Target: target, Name: name, Unit: unit, Window: window, Baseline: base, Known: known}
	if known && base > 0 {
		r := window / base
		f.Ratio = &r
	}
	return f
}

func latencyFigure(target, name string, w, b time.Duration, known bool) Figure {
	return judgeLatency(newFigure(target, name, "ms", ms(w), ms(b), known))
}

func errorFigure(target string, w, b float64, known bool) Figure {
	return judgeErrors(newFigure(target, "error_rate", "%", 100*w, 100*b, known))
}

func resourceFigure(name string, w, b *history.Stat) Figure {
	var wv, bv float64
	if w != nil {
		wv = w.Mean
	}
	if b != nil {
		bv = b.Mean
	}
	f := newFigure("resources", name, "%", wv, bv, w != nil && b != nil)
	return judgeResource(f, w)
}

// counts returns how many figures are degraded and how many could be
// judged at all.
func (a Analysis) counts() (degraded, known int) {
	for _, f := range a.Figures {
		if f.Degraded {
			degraded++
		}
		if f.Known {
			known++
		}
	}
	return degraded, known
}

// Verdict says in one line what the comparison found. Without data on
// one side nothing was compared, and saying "no figure is degraded" then
// would read as a clean bill of health: it says it cannot judge.
func (a Analysis) Verdict() string {
	degraded, known := a.counts()
	switch {
	case degraded > 0:
		return fmt.Sprintf("DEGRADED: %d of %d figures", degraded, len(a.Figures))
	case known == 0 && a.Baseline.Samples == 0:
		return "cannot judge: the baseline window has no data"
	case known == 0:
		return "cannot judge: no figure has data on both sides"
	case known < len(a.Figures):
		return fmt.Sprintf("no judged figure is degraded; %d of %d figures had no data to judge", len(a.Figures)-known, len(a.Figures))
	}
	return "no figure is degraded"
}

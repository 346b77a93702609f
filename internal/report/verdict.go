package report

import (
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/history"
)

// Thresholds for the verdicts. The absolute ones are the plan's immediate
// rollback triggers.
const (
	// slowerRatio and degradedRatio flag latency growth; fasterRatio
	// flags a clear improvement.
	slowerRatio, degradedRatio, fasterRatio = 1.25, 2.0, 0.8
	// planLatencyMs: average response time above 5000 ms.
	planLatencyMs = 5000
	// errorPoints is how many percentage points above the baseline an
	// error rate must be to count as degraded; planErrorPct is the plan's
	// 20 % across key endpoints.
	errorPoints, planErrorPct = 1.0, 20
	// throughputDrop and throughputSurge flag traffic that halved or
	// doubled: either clients are failing to reach the gateway or load
	// grew.
	throughputDrop, throughputSurge = 0.5, 2.0
	// planResourcePct: CPU or memory above 90 %.
	planResourcePct = 90
)

const noData = "no data: one side has no samples for this figure"

func ratioText(f Figure) string {
	if f.Ratio == nil {
		return fmt.Sprintf("%.1f %s against %.1f", f.Window, f.Unit, f.Baseline)
	}
	return fmt.Sprintf("%.2fx the baseline", *f.Ratio)
}

func judgeLatency(f Figure) Figure {
	switch {
	case !f.Known:
		f.Verdict = noData
	case f.Name == "avg_latency" && f.Window > planLatencyMs:
		f.Degraded, f.Verdict = true, "degraded: above the plan's 5000 ms rollback threshold, "+ratioText(f)
	case f.Ratio != nil && *f.Ratio >= degradedRatio:
		f.Degraded, f.Verdict = true, "degraded: "+ratioText(f)
	case f.Ratio != nil && *f.Ratio >= slowerRatio:
		f.Verdict = "slower: " + ratioText(f)
	case f.Ratio != nil && *f.Ratio <= fasterRatio:
		f.Verdict = "faster: " + ratioText(f)
	default:
		f.Verdict = "normal: within 25% of the baseline"
	}
	return f
}

// judgeErrors compares in percentage points, since the baseline is often
// zero and any ratio to it would be meaningless.
func judgeErrors(f Figure) Figure {
	diff := f.Window - f.Baseline
	switch {
	case !f.Known:
		f.Verdict = noData
	case f.Window > planErrorPct:
		f.Degraded = true
		f.Verdict = fmt.Sprintf("degraded: %.2f%% is above the plan's 20%% rollback threshold (baseline %.2f%%)", f.Window, f.Baseline)
	case diff >= errorPoints:
		f.Degraded, f.Verdict = true, fmt.Sprintf("degraded: %+.2f points over the baseline", diff)
	case diff <= -errorPoints:
		f.Verdict = fmt.Sprintf("better: %+.2f points against the baseline", diff)
	default:
		f.Verdict = "normal: within 1 point of the baseline"
	}
	return f
}

func judgeThroughput(f Figure) Figure {
	switch {
	case !f.Known:
		f.Verdict = noData
	case f.Ratio == nil && f.Window > 0:
		f.Verdict = "new traffic: the baseline had none"
	case f.Ratio == nil:
		f.Verdict = "idle on both sides"
	case *f.Ratio <= throughputDrop:
		f.Degraded, f.Verdict = true, "dropped: "+ratioText(f)
	case *f.Ratio >= throughputSurge:
		f.Verdict = "surged: " + ratioText(f)
	default:
		f.Verdict = "normal: " + ratioText(f)
	}
	return f
}

// judgeResource uses the window's peak for the plan's threshold and its
// mean for the comparison.
func judgeResource(f Figure, w *history.Stat) Figure {
	switch {
	case w != nil && w.Max > planResourcePct:
		f.Degraded = true
		f.Verdict = fmt.Sprintf("degraded: peaked at %.1f%%, above the plan's 90%% threshold", w.Max)
	case !f.Known:
		f.Verdict = noData
	case f.Ratio != nil && *f.Ratio >= 1.5:
		f.Verdict = "higher: " + ratioText(f)
	default:
		f.Verdict = "normal: " + ratioText(f)
	}
	return f
}

package drill

import (
	"time"
)

// Direction is where recovery time is heading.
type Direction string

// Directions of a Trend.
const (
	Improving Direction = "improving"
	Worsening Direction = "worsening"
	Steady    Direction = "steady"
	// Unknown means fewer than two drills measured a recovery time.
	Unknown Direction = "not enough drills"
)

// steadyBand is the change per drill, as a share of the mean recovery
// time, within which recovery counts as steady: noise, not a trend.
const steadyBand = 0.05

// Point is one drill of the history judged against baseline and target.
type Point struct {
	Record Record `json:"record"`
	// Recovery is the drill's recovery time; Measured is false when the
	// drill never recovered (or was a dry run).
	Recovery time.Duration `json:"recovery_ns"`
	Measured bool          `json:"measured"`
	// VsBaseline is Recovery minus the baseline: negative is better.
	VsBaseline time.Duration `json:"vs_baseline_ns"`
	// MetTarget is Recovery under the target.
	MetTarget bool `json:"met_target"`
}

// Trend is the plan's measure_recovery_time: every drill's recovery time
// against a baseline and a target, and where the last drills are heading.
type Trend struct {
	// Scenario is the drills' scenario; empty when the trend mixes them.
	Scenario string        `json:"scenario,omitempty"`
	Baseline time.Duration `json:"baseline_ns"`
	Target   time.Duration `json:"target_ns"`
	Points   []Point       `json:"points"`
	// Direction, Slope (change of recovery time per drill, by least
	// squares) and Mean describe the last Window measured drills.
	Direction Direction     `json:"direction"`
	Slope     time.Duration `json:"slope_ns"`
	Mean      time.Duration `json:"mean_ns"`
	Window    int           `json:"window"`
}

// Analyze judges every record against baseline and target and computes
// the trend over the last n drills that measured a recovery time (n of 0
// or less means all of them).
func Analyze(records []Record, baseline, target time.Duration, n int) Trend {
	t := Trend{Baseline: baseline, Target: target, Direction: Unknown}
	var ys []float64
	for _, r := range records {
		p := Point{Record: r}
		p.Recovery, p.Measured = r.recovery()
		if p.Measured {
			p.VsBaseline, p.MetTarget = p.Recovery-baseline, p.Recovery < target
			ys = append(ys, p.Recovery.Seconds())
		}
		t.Points = append(t.Points, p)
	}
	if n > 0 && len(ys) > n {
		ys = ys[len(ys)-n:]
	}
	t.Window = len(ys)
	if len(ys) < 2 {
		return t
	}
	slope, mean := fit(ys)
	t.Slope, t.Mean = seconds(slope), seconds(mean)
	t.Direction = direction(slope, mean)
	return t
}

// fit returns the least-squares slope of ys against 0, 1, 2… and their
// mean.
func fit(ys []float64) (slope, mean float64) {
	n := float64(len(ys))
	xm := (n - 1) / 2
	for _, y := range ys {
		mean += y / n
	}
	var num, den float64
	for i, y := range ys {
		dx := float64(i) - xm
		num += dx * (y - mean)
		den += dx * dx
	}
	return num / den, mean
}

func direction(slope, mean float64) Direction {
	band := steadyBand * mean
	switch {
	case slope < -band:
		return Improving
	case slope > band:
		return Worsening
	}
	return Steady
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// ByScenario is Analyze for each scenario apart, in the order each first
// appears in records: an outage recovers on another timeline than a
// latency drill, and one trend over both measures the mix, not recovery.
func ByScenario(records []Record, baseline, target time.Duration, n int) []Trend {
	var order []string
	groups := map[string][]Record{}
	for _, r := range records {
		if _, seen := groups[r.Scenario]; !seen {
			order = append(order, r.Scenario)
		}
		groups[r.Scenario] = append(groups[r.Scenario], r)
	}
	out := make([]Trend, 0, len(order))
	for _, sc := range order {
		t := Analyze(groups[sc], baseline, target, n)
		t.Scenario = sc
		out = append(out, t)
	}
	return out
}

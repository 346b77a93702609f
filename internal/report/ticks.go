package report

import (
	"math"
	"time"
)

// axis is a value axis from 0 to top in steps of step.
type axis struct{ top, step float64 }

// newAxis fits about five round steps (1, 2 or 5 times a power of ten)
// over [0, peak], ending at the first step at or above it; the axis is at
// least floor tall and at most ceiling.
func newAxis(peak, floor, ceiling float64) axis {
	peak = min(max(peak, floor), ceiling)
	step := niceCeil(peak / 5)
	return axis{top: step * math.Ceil(peak/step-1e-9), step: step}
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	exp := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5} {
		if v <= m*exp*(1+1e-9) {
			return m * exp
		}
	}
	return 10 * exp
}

// ticks returns 0, step, ... top.
func (a axis) ticks() []float64 {
	var out []float64
	for i := 0; float64(i)*a.step <= a.top*(1+1e-9); i++ {
		out = append(out, float64(i)*a.step)
	}
	return out
}

// timeSteps are the spacings a time axis may use.
var timeSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// timeTicks returns round instants in [start, end], at most about eight,
// so labels never crowd each other.
func timeTicks(start, end time.Time) []time.Time {
	span := end.Sub(start)
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if span/s <= 8 {
			step = s
			break
		}
	}
	var ticks []time.Time
	for t := start.Truncate(step); !t.After(end); t = t.Add(step) {
		if !t.Before(start) {
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// timeLabel formats a tick: seconds only when the span needs them.
func timeLabel(t time.Time, span time.Duration) string {
	if span > 10*time.Minute {
		return t.UTC().Format("15:04")
	}
	return t.UTC().Format("15:04:05")
}

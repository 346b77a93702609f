package signal

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// WindowSource reads one figure from the Traffic's sliding window of an
// upstream over a set of route classes. See ErrorRate, AvgLatency and
// RouteErrorRate.
type WindowSource struct {
	rec      Traffic
	upstream int
	routes   []int
	label    string // names the route classes in Detail
	figure   func(stats.Summary) (float64, string)
	unit     string
}

// ErrorRate reads the failure share (unit ratio, 0.2 is 20 %) of upstream
// across the key route classes routes (nil means every route) over the
// recorder's sliding window. The reading is valid only when the window
// holds the recorder's minimum volume (Summary.Enough). Indices out of
// range panic on Read, as they do in the recorder.
func ErrorRate(rec Traffic, upstream int, routes []int) *WindowSource {
	return newWindow(rec, upstream, routes, errorFigure, UnitRatio)
}

// RouteErrorRate is ErrorRate over a single route class, such as session
// creation for the plan's "session-creation failure rate above 10 %".
func RouteErrorRate(rec Traffic, upstream, route int) *WindowSource {
	return newWindow(rec, upstream, []int{route}, errorFigure, UnitRatio)
}

// AvgLatency reads the average latency in milliseconds of upstream across
// routes over the sliding window; Detail adds p95 and p99. Validity and
// indices are as for ErrorRate.
func AvgLatency(rec Traffic, upstream int, routes []int) *WindowSource {
	return newWindow(rec, upstream, routes, latencyFigure, UnitMS)
}

func newWindow(rec Traffic, up int, routes []int, f func(stats.Summary) (float64, string), unit string) *WindowSource {
	return &WindowSource{rec: rec, upstream: up, routes: routes, label: routeLabel(rec, routes), figure: f, unit: unit}
}

// Read implements Source.
func (s *WindowSource) Read(_ context.Context, now time.Time) Reading {
	sum := s.rec.Upstream(s.upstream, s.routes, now)
	v, fig := s.figure(sum)
	detail := fmt.Sprintf("%s, %s window, %d requests, %s", s.label, sum.Window.Round(time.Second), sum.Judged(), fig)
	if !sum.Enough {
		detail += " (below minimum volume)"
	}
	return Reading{Value: v, Valid: sum.Enough, Unit: s.unit, Detail: detail}
}

func errorFigure(s stats.Summary) (float64, string) {
	return s.ErrorRate, fmt.Sprintf("%d failed (%.1f%%)", s.Failures(), 100*s.ErrorRate)
}

func latencyFigure(s stats.Summary) (float64, string) {
	return ms(s.AvgLatency), fmt.Sprintf("avg %s p95 %s p99 %s", roundDur(s.AvgLatency), roundDur(s.P95), roundDur(s.P99))
}

// routeLabel names the route classes for Detail: "routes a+b" or "all routes".
func routeLabel(rec Traffic, routes []int) string {
	if routes == nil {
		return "all routes"
	}
	names := rec.Routes()
	parts := make([]string, 0, len(routes))
	for _, r := range routes {
		if r >= 0 && r < len(names) {
			parts = append(parts, names[r])
		}
	}
	return "routes " + strings.Join(parts, "+")
}

// ms converts a duration to fractional milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// roundDur keeps durations readable in Detail: whole milliseconds, or
// hundredths of a second from one second on.
func roundDur(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// Onset returns when the figure first went bad inside the window ending at
// now, as bad judges it: the start of the oldest bucket of the trailing
// run of bad buckets (empty ones do not break the run), less that bucket's
// average latency, because requests are recorded when they end and the
// slow or failing ones began that much earlier. A window's average
// crosses a threshold well after the first slow requests; this finds the
// requests themselves. Zero when the newest busy bucket is not bad.
func (s *WindowSource) Onset(now time.Time, bad func(float64) bool) time.Time {
	slices := s.rec.Slices(s.upstream, s.routes, now)
	var onset time.Time
	for i := len(slices) - 1; i >= 0; i-- {
		sl := slices[i]
		if sl.Judged() == 0 {
			continue
		}
		v, _ := s.figure(sl.Summary)
		if !bad(v) {
			break
		}
		onset = sl.Start.Add(-sl.AvgLatency)
	}
	return onset
}

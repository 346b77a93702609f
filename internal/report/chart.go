package report

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/history"
)

// Mark is a moment to show on a chart as a vertical line, such as a level
// change, the rollback or the restore; or, with Shade, the span of the
// incident from Time to Until (zero: to the chart's end), shaded, so that
// what falls outside it (the next incident's spike) reads as outside.
type Mark struct {
	Time  time.Time `json:"time"`
	Label string    `json:"label"`
	Shade bool      `json:"shade,omitempty"`
	Until time.Time `json:"until,omitzero"`
}

// The chart's geometry, in SVG user units. The plot area is the viewBox
// minus the paddings, which hold the axes, title and legend.
const (
	chartW, chartH = 960, 440
	padL, padR     = 80, 80
	padT, padB     = 60, 100
	plotW, plotH   = chartW - padL - padR, chartH - padT - padB
)

// Colours, picked to stay apart for the common colour-vision deficiencies.
const (
	colAvg   = "#1f77b4"
	colP99   = "#9467bd"
	colErr   = "#d62728"
	colMark  = "#555555"
	colGrid  = "#e6e6e6"
	colFrame = "#888888"
	colShade = "#fff4e0"
)

// Chart draws the client target's average and p99 latency (left axis, ms)
// and error rate (right axis, %) between start and end as an SVG, with a
// dashed vertical line per mark. Intervals in which clients sent nothing
// leave gaps in the lines.
func Chart(w io.Writer, samples []history.Sample, start, end time.Time, marks []Mark) error {
	if !end.After(start) {
		return fmt.Errorf("%w: %v to %v", ErrBadWindow, start, end)
	}
	pts := thin(clientPoints(samples, start, end), maxPoints)
	f := newFrame(start, end, pts)
	var s svg
	s.open()
	s.title(start, end)
	f.shade(&s, marks)
	f.grid(&s)
	f.axes(&s)
	f.series(&s, pts)
	f.marks(&s, marks)
	legend(&s)
	s.close()
	return s.flush(w)
}

// point is the client's figures at the end of one sample.
type point struct {
	t             time.Time
	avg, p99, err float64 // ms, ms, percent
	gap           bool    // nothing judged: the lines break here
}

func clientPoints(samples []history.Sample, start, end time.Time) []point {
	var pts []point
	for _, smp := range samples {
		if smp.Time.Before(start) || smp.Time.After(end) {
			continue
		}
		c := smp.Target(history.Client)
		pts = append(pts, point{
			t: smp.Time, avg: ms(c.AvgLatency), p99: ms(c.P99),
			err: 100 * c.ErrorRate, gap: c.Judged == 0,
		})
	}
	return pts
}

// maxPoints bounds the points per line: two per horizontal unit is as much
// detail as the chart can show, and a week of one-second samples would
// otherwise make a document of tens of megabytes.
const maxPoints = 2 * plotW

// thin merges runs of consecutive points so that at most about limit
// remain. A merged point keeps the mean average latency but the worst p99
// and error rate, so that short spikes stay visible.
func thin(pts []point, limit int) []point {
	if len(pts) <= limit {
		return pts
	}
	group := (len(pts) + limit - 1) / limit
	out := make([]point, 0, limit)
	for i := 0; i < len(pts); i += group {
		out = append(out, merged(pts[i:min(i+group, len(pts))]))
	}
	return out
}

func merged(run []point) point {
	m := point{t: run[len(run)-1].t, gap: true}
	n := 0
	for _, p := range run {
		if p.gap {
			continue
		}
		m.avg += p.avg
		m.p99, m.err = max(m.p99, p.p99), max(m.err, p.err)
		n++
	}
	if n > 0 {
		m.avg /= float64(n)
		m.gap = false
	}
	return m
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// frame maps times and values into the plot area.
type frame struct {
	start, end time.Time
	lat, err   axis // ms, percent
}

func newFrame(start, end time.Time, pts []point) frame {
	var lat, errPct float64
	for _, p := range pts {
		if !p.gap {
			lat, errPct = max(lat, p.p99, p.avg), max(errPct, p.err)
		}
	}
	return frame{start: start, end: end, lat: newAxis(lat, 1, math.Inf(1)), err: newAxis(errPct, 1, 100)}
}

func (f frame) x(t time.Time) float64 {
	return padL + plotW*float64(t.Sub(f.start))/float64(f.end.Sub(f.start))
}

func (f frame) yLat(v float64) float64 { return padT + plotH*(1-v/f.lat.top) }

func (f frame) yErr(v float64) float64 { return padT + plotH*(1-v/f.err.top) }

package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// grid draws horizontal lines at the latency ticks and the plot's frame.
func (f frame) grid(s *svg) {
	for _, v := range f.lat.ticks() {
		y := f.yLat(v)
		s.f(`<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`, padL, y, padL+plotW, y, colGrid)
	}
	s.f(`<rect class="frame" x="%d" y="%d" width="%d" height="%d" fill="none" stroke="%s"/>`,
		padL, padT, plotW, plotH, colFrame)
}

// axes labels both value axes and the time axis.
func (f frame) axes(s *svg) {
	for _, v := range f.lat.ticks() {
		s.text(padL-8, f.yLat(v)+4, "end", f.lat.label(v))
	}
	for _, v := range f.err.ticks() {
		s.text(padL+plotW+8, f.yErr(v)+4, "start", f.err.label(v))
	}
	s.f(`<text x="22" y="%d" text-anchor="middle" transform="rotate(-90 22 %d)" fill="%s">latency (ms)</text>`,
		padT+plotH/2, padT+plotH/2, colAvg)
	rx := chartW - 22
	s.f(`<text x="%d" y="%d" text-anchor="middle" transform="rotate(90 %d %d)" fill="%s">error rate (%%)</text>`,
		rx, padT+plotH/2, rx, padT+plotH/2, colErr)
	span := f.end.Sub(f.start)
	for _, t := range timeTicks(f.start, f.end) {
		x := f.x(t)
		s.f(`<line class="tick" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`, x, padT+plotH, x, padT+plotH+5, colFrame)
		s.text(x, padT+plotH+20, "middle", timeLabel(t, span))
	}
	s.text(padL+plotW/2, padT+plotH+40, "middle", "time (UTC)")
}

// series draws the three lines.
func (f frame) series(s *svg, pts []point) {
	s.path("avg", colAvg, "", f.line(pts, func(p point) float64 { return f.yLat(p.avg) }))
	s.path("p99", colP99, "6 3", f.line(pts, func(p point) float64 { return f.yLat(p.p99) }))
	s.path("error-rate", colErr, "", f.line(pts, func(p point) float64 { return f.yErr(p.err) }))
}

// line builds path data through the points, starting a new subpath after
// each gap so that idle intervals are not drawn as zero.
func (f frame) line(pts []point, y func(point) float64) string {
	var b strings.Builder
	pen := false
	for _, p := range pts {
		if p.gap {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		b.WriteString(cmd + coord(f.x(p.t)) + "," + coord(y(p)) + " ")
		pen = true
	}
	return strings.TrimSpace(b.String())
}

func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// marks draws a dashed line per mark inside the window, labelled along the
// line so that close marks do not overwrite each other's labels.
func (f frame) marks(s *svg, marks []Mark) {
	for _, m := range marks {
		if m.Shade || m.Time.Before(f.start) || m.Time.After(f.end) {
			continue
		}
		x := f.x(m.Time)
		s.f(`<line class="mark" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-dasharray="4 4"/>`,
			x, padT, x, padT+plotH, colMark)
		// A white outline keeps the label readable where it crosses a line.
		s.f(`<text x="%.1f" y="%d" transform="rotate(-90 %.1f %d)" text-anchor="end" font-size="11" fill="%s" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`,
			x-4, padT+4, x-4, padT+4, colMark, esc(m.Label))
	}
}

// shade fills the spans of shaded marks, clipped to the window, under
// everything else.
func (f frame) shade(s *svg, marks []Mark) {
	for _, m := range marks {
		if !m.Shade {
			continue
		}
		until := m.Until
		if until.IsZero() || until.After(f.end) {
			until = f.end
		}
		from := m.Time
		if from.Before(f.start) {
			from = f.start
		}
		if !until.After(from) {
			continue
		}
		x0, x1 := f.x(from), f.x(until)
		s.f(`<rect class="incident" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`,
			x0, padT, x1-x0, plotH, colShade, esc(m.Label))
	}
}

// legend explains the lines under the time axis.
func legend(s *svg) {
	items := []struct{ label, colour, dash string }{
		{"avg latency (ms)", colAvg, ""}, {"p99 latency (ms)", colP99, "6 3"},
		{"error rate (%)", colErr, ""}, {"onset / trigger / level / rollback / restore step", colMark, "4 4"},
	}
	x, y := padL, chartH-24
	s.f(`<g class="legend">`)
	for _, it := range items {
		s.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`,
			x, y-4, x+28, y-4, it.colour, it.dash)
		s.text(float64(x+34), float64(y), "start", it.label)
		x += 44 + 8*len(it.label)
	}
	s.f(`</g>`)
}

// label formats a tick of a at the step's own precision: 0.6, never the
// 0.6000000000000001 that three steps of 0.2 add up to.
func (a axis) label(v float64) string {
	digits := max(0, int(math.Ceil(-math.Log10(a.step)-1e-9)))
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// windowLabel is the chart's subtitle.
func windowLabel(start, end time.Time) string {
	const layout = "2006-01-02 15:04:05"
	return start.UTC().Format(layout) + " to " + end.UTC().Format(layout) + " UTC"
}

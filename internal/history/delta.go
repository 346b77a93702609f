package history

import (
	"cmp"
	"slices"
	"time"
)

// mark is what a target's lifetime totals were at the previous reading.
type mark struct {
	requests, failures, judged int64
}

// deltas turns successive readings of lifetime totals into per-interval
// samples. It belongs to the Sampler's goroutine.
type deltas struct {
	last  time.Time
	marks map[string]mark
}

// next returns the sample for the interval ending at now, or false for the
// first reading, which only sets the marks. Times are kept to the
// millisecond, the store's resolution, so intervals tile exactly.
func (d *deltas) next(now time.Time, r Reading) (Sample, bool) {
	now = now.Round(0).Truncate(time.Millisecond)
	first := d.marks == nil
	if first {
		d.marks = make(map[string]mark, len(r.Targets))
	}
	s := Sample{Time: now, Interval: now.Sub(d.last), CPU: r.CPU, Memory: r.Memory}
	for _, t := range r.Targets {
		cur := mark{t.Totals.Requests, t.Totals.Failures(), t.Totals.Judged()}
		if f := figures(t, cur, d.marks[t.Name]); f.Requests > 0 {
			s.Targets = append(s.Targets, f)
		}
		d.marks[t.Name] = cur
	}
	// Sorted by name, the order the store reads them back in.
	slices.SortFunc(s.Targets, func(a, b Figures) int { return cmp.Compare(a.Target, b.Target) })
	d.last = now
	return s, !first && s.Interval > 0
}

// figures builds a target's interval figures from its totals now and at
// the previous mark. Totals that went down were reset, so they count from
// zero.
func figures(t TargetReading, cur, prev mark) Figures {
	if cur.requests < prev.requests || cur.failures < prev.failures || cur.judged < prev.judged {
		prev = mark{}
	}
	f := Figures{
		Target:   t.Name,
		Requests: cur.requests - prev.requests,
		Failures: cur.failures - prev.failures,
		Judged:   cur.judged - prev.judged,
	}
	f.ErrorRate = errorRate(f.Failures, f.Judged)
	f.AvgLatency, f.P95, f.P99 = t.AvgLatency, t.P95, t.P99
	return f
}

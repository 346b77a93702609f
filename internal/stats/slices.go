package stats

import "time"

// Slice is one bucket of a window on its own: what ended during
// [Start, Start+BucketWidth).
type Slice struct {
	Start time.Time
	Summary
}

// Slices returns, oldest first, the buckets of upstream up across the
// given route classes (nil means every route) that make up the window
// ending at now, each summarised alone. The escalation triggers read them
// to find when a figure first went bad inside the window, which the
// window's average shows only later. Empty buckets are included, with
// zero counts, so the slices are evenly spaced.
func (r *Recorder) Slices(up int, routes []int, now time.Time) []Slice {
	cur := r.clock.index(now)
	out := make([]Slice, 0, r.clock.n)
	for idx := cur - r.clock.n + 1; idx <= cur; idx++ {
		var a aggregate
		for _, route := range r.pick(routes) {
			w := &r.windows[up][route]
			w.buckets[w.clock.slot(idx)].readInto(&a, idx)
		}
		start := r.clock.base.Add(time.Duration(idx) * r.clock.width)
		out = append(out, Slice{Start: start, Summary: a.summary(r.minVolume, r.clock.width)})
	}
	return out
}

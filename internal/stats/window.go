package stats

import (
	"sync/atomic"
	"time"
)

// Window is a sliding time window: a ring of buckets, each covering
// BucketWidth, reused lazily when time moves past it. It also keeps
// lifetime totals. All methods are safe for concurrent use.
type Window struct {
	clock     clock
	minVolume int
	buckets   []bucket
	totals    [NumOutcomes]atomic.Int64
}

// NewWindow returns an empty window shaped by s. It panics when s.Validate
// fails.
func NewWindow(s WindowSettings) *Window {
	s = s.mustValid()
	w := &Window{}
	w.init(s, newClock(s, time.Now()))
	return w
}

// init prepares w in place, so that a Recorder can keep windows in slices.
func (w *Window) init(s WindowSettings, c clock) {
	w.clock = c
	w.minVolume = s.MinVolume
	w.buckets = make([]bucket, s.Buckets)
	for i := range w.buckets {
		w.buckets[i].epoch.Store(epochEmpty)
	}
}

// Record counts one request that ended at now with outcome o after latency
// d. o must be one of the defined outcomes. A request older than the whole
// window still enters the lifetime totals.
func (w *Window) Record(o Outcome, d time.Duration, now time.Time) {
	w.totals[o].Add(1)
	idx := w.clock.index(now)
	if b := w.buckets[w.clock.slot(idx)].claim(idx); b != nil {
		b.add(o, d)
	}
}

// Summary describes the window ending at now.
func (w *Window) Summary(now time.Time) Summary {
	var a aggregate
	w.collect(&a, now)
	return a.summary(w.minVolume, w.clock.span(now))
}

// collect adds the buckets of the window ending at now to a.
func (w *Window) collect(a *aggregate, now time.Time) {
	cur := w.clock.index(now)
	for idx := cur - w.clock.n + 1; idx <= cur; idx++ {
		w.buckets[w.clock.slot(idx)].readInto(a, idx)
	}
}

// Totals returns lifetime counts since the window was created.
func (w *Window) Totals() Counts {
	var c [NumOutcomes]int64
	for i := range c {
		c[i] = w.totals[i].Load()
	}
	return countsOf(&c)
}

package stats

import (
	"slices"
	"time"
)

// MinVolume is how many judged requests a window needs before its
// Summary.Enough is true, for summaries built outside the recorder.
func (r *Recorder) MinVolume() int { return r.minVolume }

// BucketWidth is the time one bucket of every window covers, for those
// who place buckets from elsewhere among this recorder's.
func (r *Recorder) BucketWidth() time.Duration { return r.clock.width }

// Span is the time a window ending at now covers: the full buckets plus
// the elapsed part of the current one.
func (r *Recorder) Span(now time.Time) time.Duration { return r.clock.span(now) }

// Coarse counts the judged requests of upstream up on route class route
// in the window ending at now by latency: count i holds those no slower
// than bounds[i] (ascending) and not counted before, the last count those
// slower than every bound, so there are len(bounds)+1 counts. Unlike
// percentiles, such counts from several gateways add up. A histogram
// bucket is counted where its midpoint falls, so a count is off by at most
// the requests of the one histogram bucket a bound cuts.
func (r *Recorder) Coarse(up, route int, now time.Time, bounds []time.Duration) []int64 {
	var a aggregate
	r.windows[up][route].collect(&a, now)
	out := make([]int64, len(bounds)+1)
	for i, n := range a.hist {
		if n == 0 {
			continue
		}
		lo, hi := histBounds(i)
		j, _ := slices.BinarySearch(bounds, lo+(hi-lo)/2)
		out[j] += n
	}
	return out
}

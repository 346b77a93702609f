package load

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// The histogram keeps latencies in microseconds in log-linear buckets, the
// way HdrHistogram does: values below 2^subBits are exact, and every power
// of two above is split into 2^subBits equal buckets, so any value is known
// to within 1/64 (1.6 %) whatever its size, in a fixed 18 KiB.
const (
	subBits    = 6
	subCount   = 1 << subBits
	maxBits    = 40 // 2^40 µs is 12.7 days; longer values land in the top bucket
	numBuckets = (maxBits - subBits + 1) * subCount
)

// histogram counts latencies without locks; any number of goroutines may
// record while another reads.
type histogram struct {
	counts [numBuckets]atomic.Int64
	total  atomic.Int64
	sum    atomic.Int64 // microseconds
	max    atomic.Int64 // microseconds
}

// bucketOf maps a value in microseconds to its bucket.
func bucketOf(us uint64) int {
	if us < subCount {
		return int(us)
	}
	us = min(us, 1<<maxBits-1)
	shift := bits.Len64(us) - subBits - 1
	mantissa := us >> shift // in [subCount, 2*subCount)
	return (shift+1)*subCount + int(mantissa-subCount)
}

// bucketHigh is the highest value that lands in bucket i.
func bucketHigh(i int) uint64 {
	if i < subCount {
		return uint64(i)
	}
	shift := i/subCount - 1
	mantissa := uint64(i%subCount + subCount)
	return (mantissa+1)<<shift - 1
}

// record adds one latency.
func (h *histogram) record(d time.Duration) {
	us := max(d.Microseconds(), 0)
	h.counts[bucketOf(uint64(us))].Add(1)
	h.total.Add(1)
	h.sum.Add(us)
	for {
		cur := h.max.Load()
		if us <= cur || h.max.CompareAndSwap(cur, us) {
			return
		}
	}
}

// quantiles returns the latency at each quantile q in qs (0 < q <= 1, in
// increasing order): the high end of the bucket holding the value at that
// rank, capped by the largest value seen. Zero when nothing was recorded.
func (h *histogram) quantiles(qs ...float64) []time.Duration {
	out := make([]time.Duration, len(qs))
	total, maxUS := h.total.Load(), h.max.Load()
	if total == 0 {
		return out
	}
	var seen int64
	next := 0
	for i := range h.counts {
		seen += h.counts[i].Load()
		for next < len(qs) && float64(seen) >= qs[next]*float64(total) {
			out[next] = usDuration(min(int64(bucketHigh(i)), maxUS))
			next++
		}
	}
	for ; next < len(qs); next++ {
		out[next] = usDuration(maxUS) // counts still arriving while we read
	}
	return out
}

// latency summarises the histogram.
func (h *histogram) latency() Latency {
	q := h.quantiles(0.50, 0.90, 0.95, 0.99)
	l := Latency{P50: q[0], P90: q[1], P95: q[2], P99: q[3], Max: usDuration(h.max.Load())}
	if n := h.total.Load(); n > 0 {
		l.Mean = usDuration(h.sum.Load() / n)
	}
	return l
}

func usDuration(us int64) time.Duration { return time.Duration(us) * time.Microsecond }

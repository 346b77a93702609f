package stats

import (
	"math/bits"
	"time"
)

// Latencies are counted in a fixed log-scale histogram with two buckets per
// power of two, found with bit arithmetic alone. A bucket spans a ratio of
// 1.5 or 1.33, which bounds the error of a percentile estimate.
const (
	// histMinBits: latencies below 2^16 ns (65.5 µs) share bucket 0.
	histMinBits = 17
	// histMaxBits: latencies of 2^36 ns (68.7 s) and more share the last bucket.
	histMaxBits = 36
	// histBuckets counts the underflow bucket, 40 regular ones and the overflow.
	histBuckets = 2 + 2*(histMaxBits-histMinBits+1)
)

// histIndex returns the histogram bucket of latency d.
func histIndex(d time.Duration) int {
	ns := uint64(max(d, 0))
	n := bits.Len64(ns)
	switch {
	case n < histMinBits:
		return 0
	case n > histMaxBits:
		return histBuckets - 1
	}
	// The bit after the leading one tells the lower from the upper half
	// of the octave [2^(n-1), 2^n).
	half := int(ns>>(n-2)) & 1
	return 1 + 2*(n-histMinBits) + half
}

// histBounds returns the latency range [lo, hi) of bucket i. The overflow
// bucket has no upper bound and reports hi == lo.
func histBounds(i int) (lo, hi time.Duration) {
	switch {
	case i == 0:
		return 0, 1 << (histMinBits - 1)
	case i == histBuckets-1:
		return 1 << histMaxBits, 1 << histMaxBits
	}
	n := histMinBits + (i-1)/2
	half := time.Duration((i - 1) % 2)
	return (2 + half) << (n - 2), (3 + half) << (n - 2)
}

// quantile estimates the q-quantile (0 < q <= 1) of the counts by linear
// interpolation inside the bucket holding it. An estimate landing in the
// overflow bucket is its lower bound, 68.7 s. An empty histogram gives 0.
func quantile(hist *[histBuckets]int64, q float64) time.Duration {
	var total int64
	for _, c := range hist {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := q * float64(total)
	var seen int64
	for i, c := range hist {
		if c == 0 || float64(seen+c) < rank {
			seen += c
			continue
		}
		lo, hi := histBounds(i)
		frac := (rank - float64(seen)) / float64(c)
		return lo + time.Duration(frac*float64(hi-lo))
	}
	lo, _ := histBounds(histBuckets - 1)
	return lo
}

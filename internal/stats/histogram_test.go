package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistIndexMatchesBounds(t *testing.T) {
	samples := []time.Duration{0, 1, 65535, 65536, 98303, 98304, 100 * time.Microsecond,
		time.Millisecond, 5 * time.Second, 60 * time.Second, 1<<36 - 1, 1 << 36, time.Hour, -5}
	for range 2000 {
		samples = append(samples, time.Duration(rand.Int64N(int64(2*time.Minute))))
	}
	for _, d := range samples {
		i := histIndex(d)
		lo, hi := histBounds(i)
		inside := max(d, 0) >= lo && (max(d, 0) < hi || i == histBuckets-1)
		if i < 0 || i >= histBuckets || !inside {
			t.Fatalf("histIndex(%d) = %d with bounds [%d, %d)", d, i, lo, hi)
		}
	}
}

func TestHistBucketsAreContiguous(t *testing.T) {
	for i := 1; i < histBuckets; i++ {
		_, prevHi := histBounds(i - 1)
		lo, hi := histBounds(i)
		if lo != prevHi {
			t.Fatalf("bucket %d starts at %d, previous ends at %d", i, lo, prevHi)
		}
		if i < histBuckets-1 && i > 0 && float64(hi)/float64(lo) > 1.5 {
			t.Fatalf("bucket %d spans ratio %.2f, want at most 1.5", i, float64(hi)/float64(lo))
		}
	}
	if lo, _ := histBounds(1); lo > 100*time.Microsecond {
		t.Errorf("regular buckets start at %s, want at most 100µs", lo)
	}
	if lo, _ := histBounds(histBuckets - 1); lo < 60*time.Second {
		t.Errorf("overflow starts at %s, want at least 60s", lo)
	}
}

func TestQuantileWithinBucketPrecision(t *testing.T) {
	// 1000 latencies spread evenly from 1ms to 1000ms: the true p50 is about
	// 500ms, p95 950ms and p99 990ms.
	var hist [histBuckets]int64
	var sorted []time.Duration
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Millisecond
		hist[histIndex(d)]++
		sorted = append(sorted, d)
	}
	slices.Sort(sorted)
	for _, q := range []float64{0.5, 0.95, 0.99} {
		truth := sorted[int(q*1000)-1]
		got := quantile(&hist, q)
		if ratio := float64(got) / float64(truth); ratio < 1/1.5 || ratio > 1.5 {
			t.Errorf("q%.2f = %s, true %s: off by more than a bucket", q, got, truth)
		}
	}
}

func TestQuantileEdges(t *testing.T) {
	var hist [histBuckets]int64
	if got := quantile(&hist, 0.5); got != 0 {
		t.Errorf("empty histogram quantile = %s, want 0", got)
	}
	hist[histIndex(2*time.Minute)] = 10
	if got := quantile(&hist, 0.99); got != 1<<36 {
		t.Errorf("overflow quantile = %s, want the overflow lower bound", got)
	}
	hist = [histBuckets]int64{}
	hist[histIndex(10*time.Millisecond)] = 1
	lo, hi := histBounds(histIndex(10 * time.Millisecond))
	if got := quantile(&hist, 0.5); got < lo || got >= hi {
		t.Errorf("single sample p50 = %s, want within [%s, %s)", got, lo, hi)
	}
}

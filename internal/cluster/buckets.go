package cluster

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// The decider finds when a problem began (signal.WindowSource.Onset) in
// the trigger window's buckets, which the whole-window summaries cannot
// show, so every replica publishes its recent buckets beside its summary.
// The record stays small: only buckets that judged something, only the
// figures the traffic signals compute (judged, failures, latency), each
// bucket an array rather than an object.

// WindowBuckets are one replica's buckets of the trigger window, route by
// route. Bucket i covers [Start+i*Width, Start+(i+1)*Width).
type WindowBuckets struct {
	// Start is the oldest bucket's start in Unix nanoseconds; Width a
	// bucket's span in nanoseconds.
	Start  int64                    `json:"t"`
	Width  int64                    `json:"w"`
	Routes map[string][]BucketStats `json:"r"`
}

// BucketStats is one bucket of one route that judged a request. It
// encodes as [index, judged, failures, latency sum in milliseconds].
type BucketStats struct {
	Index            int
	Judged, Failures int64
	LatencySum       time.Duration
}

// MarshalJSON writes the bucket as a four-number array.
func (b BucketStats) MarshalJSON() ([]byte, error) {
	return json.Marshal([4]int64{int64(b.Index), b.Judged, b.Failures, b.LatencySum.Milliseconds()})
}

// UnmarshalJSON reads the array MarshalJSON writes.
func (b *BucketStats) UnmarshalJSON(data []byte) error {
	var a [4]int64
	if err := json.Unmarshal(data, &a); err != nil {
		return fmt.Errorf("cluster: bucket %s: %w", data, err)
	}
	*b = BucketStats{Index: int(a[0]), Judged: a[1], Failures: a[2], LatencySum: time.Duration(a[3]) * time.Millisecond}
	return nil
}

// add returns the sum of b's figures and o's; the index stays b's.
func (b BucketStats) add(o BucketStats) BucketStats {
	b.Judged += o.Judged
	b.Failures += o.Failures
	b.LatencySum += o.LatencySum
	return b
}

// Buckets are this replica's buckets of its upstream's window ending now,
// for Options.Buckets; nil when no route judged anything.
func (t *Traffic) Buckets() *WindowBuckets {
	now := time.Now()
	w := &WindowBuckets{Width: int64(t.local.BucketWidth()), Routes: map[string][]BucketStats{}}
	for i, name := range t.names {
		window := t.local.Slices(t.up, []int{i}, now)
		w.Start = window[0].Start.UnixNano() // the same for every route: they share one clock
		if bs := busy(window); len(bs) > 0 {
			w.Routes[name] = bs
		}
	}
	if len(w.Routes) == 0 {
		return nil
	}
	return w
}

// busy lists the buckets of window that judged a request.
func busy(window []stats.Slice) []BucketStats {
	var out []BucketStats
	for i, sl := range window {
		if n := sl.Judged(); n > 0 {
			out = append(out, BucketStats{Index: i, Judged: n, Failures: sl.Failures(),
				LatencySum: sl.AvgLatency * time.Duration(n)})
		}
	}
	return out
}

// placed is a published bucket with its start in Unix nanoseconds.
type placed struct {
	start int64
	BucketStats
}

// mergeBuckets lists the live replicas' buckets by route, each with its
// own start, for Slices to place among the decider's.
func mergeBuckets(all []Stats) map[string][]placed {
	out := map[string][]placed{}
	for _, s := range all {
		w := s.Buckets
		if w == nil {
			continue
		}
		for route, bs := range w.Routes {
			for _, b := range bs {
				out[route] = append(out[route], placed{start: w.Start + int64(b.Index)*w.Width, BucketStats: b})
			}
		}
	}
	return out
}

// slot is the index of the bucket of grid (evenly spaced by width from
// first) that holds a bucket starting at start, outside [0, n) when none
// does. Every recorder aligns its bucket boundaries on multiples of its
// width in Unix time (see stats.newClock), so a replica with the same
// bucket width starts its buckets exactly where the decider does and the
// sum is exact. One with another width has its bucket counted where the
// bucket starts: no request is lost or counted twice while it is in the
// window, and its time is off by less than its own bucket width.
func slot(first time.Time, width time.Duration, start int64) int {
	off := start - first.UnixNano()
	idx := off / int64(width)
	if off < 0 && off%int64(width) != 0 {
		idx--
	}
	return int(idx)
}

// sliceSummary turns the sum of one bucket's published figures into the
// shape Onset reads. As in summary, failures count as server errors; the
// percentiles are not published, since Onset judges only the rates and
// the average.
func (t *Traffic) sliceSummary(b BucketStats, width time.Duration) stats.Summary {
	s := stats.Summary{
		Counts: stats.Counts{Requests: b.Judged, OK: b.Judged - b.Failures, ServerErrors: b.Failures},
		Enough: b.Judged >= int64(t.local.MinVolume()),
		Window: width,
	}
	if b.Judged > 0 {
		s.ErrorRate = float64(b.Failures) / float64(b.Judged)
		s.AvgLatency = b.LatencySum / time.Duration(b.Judged)
	}
	return s
}

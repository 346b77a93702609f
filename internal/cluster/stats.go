package cluster

import (
	"context"
	"encoding/json"
	"time"
)

// latencyBounds are the upper bounds of the latency buckets; a last bucket
// holds everything slower. They are coarse on purpose: a replica publishes
// its summary every second, and triggers need "p99 above 2 s", not the
// exact figure.
var latencyBounds = [...]time.Duration{
	5 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, time.Second,
	2500 * time.Millisecond, 5 * time.Second, 10 * time.Second,
}

// LatencyBuckets is the number of latency buckets in a RouteStats.
const LatencyBuckets = len(latencyBounds) + 1

// RouteStats summarises one route's passive statistics over the replica's
// trigger window. Summaries of several replicas add up with Add.
type RouteStats struct {
	// Requests counts every request; Judged those that say something about
	// the upstream; Failures the judged ones that count against it.
	Requests int64 `json:"n"`
	Judged   int64 `json:"j"`
	Failures int64 `json:"f"`
	// LatencySum is the total latency of judged requests.
	LatencySum time.Duration `json:"ls"`
	// Latency counts judged requests by latency bucket; see Bucket.
	Latency [LatencyBuckets]int64 `json:"lb"`
}

// Routes are per-route summaries keyed by route name.
type Routes map[string]RouteStats

// Stats is one replica's published summary.
type Stats struct {
	Replica string    `json:"replica"`
	At      time.Time `json:"at"`
	Routes  Routes    `json:"routes"`
	// Buckets are the window's buckets, for the decider's onset; nil
	// when the replica publishes none.
	Buckets *WindowBuckets `json:"buckets,omitempty"`
}

// Bucket is the index of the latency bucket d falls in.
func Bucket(d time.Duration) int {
	for i, b := range latencyBounds {
		if d <= b {
			return i
		}
	}
	return len(latencyBounds)
}

// Observe counts one judged request.
func (r *RouteStats) Observe(d time.Duration, failed bool) {
	r.Requests++
	r.Judged++
	if failed {
		r.Failures++
	}
	r.LatencySum += d
	r.Latency[Bucket(d)]++
}

// Add returns the sum of r and o.
func (r RouteStats) Add(o RouteStats) RouteStats {
	r.Requests += o.Requests
	r.Judged += o.Judged
	r.Failures += o.Failures
	r.LatencySum += o.LatencySum
	for i := range r.Latency {
		r.Latency[i] += o.Latency[i]
	}
	return r
}

// ErrorRate is Failures / Judged, or 0 when nothing was judged.
func (r RouteStats) ErrorRate() float64 {
	if r.Judged == 0 {
		return 0
	}
	return float64(r.Failures) / float64(r.Judged)
}

// Quantile is the upper bound of the bucket holding the q-th latency (q in
// [0, 1]), or 0 when nothing was judged. Beyond the last bound it returns
// the last bound: "slower than 10 s" is all the buckets know.
func (r RouteStats) Quantile(q float64) time.Duration {
	var total int64
	for _, n := range r.Latency {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := int64(q*float64(total) + 0.5)
	var seen int64
	for i, n := range r.Latency {
		seen += n
		if seen >= max(rank, 1) && i < len(latencyBounds) {
			return latencyBounds[i]
		}
	}
	return latencyBounds[len(latencyBounds)-1]
}

// Merge adds the replicas' summaries route by route: the cluster's traffic,
// which the decider's triggers judge.
func Merge(all []Stats) Routes {
	out := Routes{}
	for _, s := range all {
		for route, r := range s.Routes {
			out[route] = out[route].Add(r)
		}
	}
	return out
}

// ClusterStats reads every live replica's summary. A replica whose lease
// expired is not among them.
func (m *Member) ClusterStats(ctx context.Context) ([]Stats, error) {
	return list[Stats](ctx, m, m.k.stats(), "read stats")
}

// list reads and decodes every value under prefix, skipping values that do
// not decode: one replica's bad record must not blind the decider.
func list[T any](ctx context.Context, m *Member, prefix, what string) ([]T, error) {
	kvs, err := m.getPrefix(ctx, prefix, what)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		var v T
		if json.Unmarshal(kv.Value, &v) == nil {
			out = append(out, v)
		}
	}
	return out, nil
}

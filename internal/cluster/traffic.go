package cluster

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Traffic is one upstream's passive statistics in a cluster: it
// summarises this replica's recorder for publishing (Summarise and
// Buckets, for Options.Stats and Options.Buckets), and serves the
// decider's traffic signals the sum of every live replica's published
// summaries and buckets (Refresh, then Upstream, Window and Slices).
// Other upstreams and anything read before the first Refresh, or after
// the sum grew older than the lease, come from the local recorder, as in
// a single process. It is safe for concurrent use.
type Traffic struct {
	m      *Member
	local  *stats.Recorder
	up     int
	names  []string
	merged atomic.Pointer[mergedRoutes]
}

// mergedRoutes is the cluster's sum at the time it was read.
type mergedRoutes struct {
	routes  Routes
	buckets map[string][]placed
	at      time.Time
}

// Traffic shares upstream up of rec with the cluster through m.
func (m *Member) Traffic(rec *stats.Recorder, up int) *Traffic {
	return &Traffic{m: m, local: rec, up: up, names: rec.Routes()}
}

// Summarise is this replica's summary of its upstream, route by route,
// leaving out routes without requests to keep the record small.
func (t *Traffic) Summarise() Routes {
	now := time.Now()
	out := Routes{}
	for i, name := range t.names {
		s := t.local.Window(t.up, i, now)
		if s.Requests == 0 {
			continue
		}
		r := RouteStats{Requests: s.Requests, Judged: s.Judged(), Failures: s.Failures(),
			LatencySum: s.AvgLatency * time.Duration(s.Judged())}
		copy(r.Latency[:], t.local.Coarse(t.up, i, now, latencyBounds[:]))
		out[name] = r
	}
	return out
}

// Refresh reads every live replica's summary and keeps their sum. On
// failure the last sum stays until it is older than the lease, when the
// replica has surely stopped deciding.
func (t *Traffic) Refresh(ctx context.Context) error {
	all, err := t.m.ClusterStats(ctx)
	if err != nil {
		return err
	}
	t.merged.Store(&mergedRoutes{routes: Merge(all), buckets: mergeBuckets(all), at: time.Now()})
	return nil
}

// Upstream is the cluster's summary of upstream up across routes over the
// window ending at now; nil routes means every route any replica
// published, known here or not.
func (t *Traffic) Upstream(up int, routes []int, now time.Time) stats.Summary {
	merged, ok := t.fresh(up, now)
	if !ok {
		return t.local.Upstream(up, routes, now)
	}
	var sum RouteStats
	for name, r := range merged.routes {
		if routes == nil || t.among(name, routes) {
			sum = sum.Add(r)
		}
	}
	return t.summary(sum, now)
}

// Window is the cluster's summary of one route class.
func (t *Traffic) Window(up, route int, now time.Time) stats.Summary {
	merged, ok := t.fresh(up, now)
	if !ok {
		return t.local.Window(up, route, now)
	}
	return t.summary(merged.routes[t.names[route]], now)
}

// Slices are the window's buckets summed over the live replicas' published
// ones, each placed in the local bucket where it starts, so that an onset
// is found in the whole fleet's traffic. The local recorder's own counts
// are not read: its published buckets are among the replicas'.
func (t *Traffic) Slices(up int, routes []int, now time.Time) []stats.Slice {
	grid := t.local.Slices(up, routes, now)
	merged, ok := t.fresh(up, now)
	if !ok {
		return grid
	}
	width := t.local.BucketWidth()
	for i, b := range t.sumBuckets(merged, routes, grid[0].Start, width, len(grid)) {
		grid[i].Summary = t.sliceSummary(b, width)
	}
	return grid
}

// sumBuckets adds the published buckets of routes (nil means every route)
// into n buckets of width, the first starting at first; those outside
// them are older or newer than the window.
func (t *Traffic) sumBuckets(merged *mergedRoutes, routes []int, first time.Time, width time.Duration, n int) []BucketStats {
	sums := make([]BucketStats, n)
	for name, bs := range merged.buckets {
		if routes != nil && !t.among(name, routes) {
			continue
		}
		for _, b := range bs {
			if i := slot(first, width, b.start); i >= 0 && i < n {
				sums[i] = sums[i].add(b.BucketStats)
			}
		}
	}
	return sums
}

// Routes names the route classes by index.
func (t *Traffic) Routes() []string { return t.local.Routes() }

// RouteIndex finds a route class by name.
func (t *Traffic) RouteIndex(name string) (int, bool) { return t.local.RouteIndex(name) }

// fresh returns the cluster's sum when it covers upstream up and is no
// older than the lease.
func (t *Traffic) fresh(up int, now time.Time) (*mergedRoutes, bool) {
	mr := t.merged.Load()
	if up != t.up || mr == nil || now.Sub(mr.at) > t.m.s.LeaseTTL {
		return nil, false
	}
	return mr, true
}

// among tells whether the route class called name is one of routes.
func (t *Traffic) among(name string, routes []int) bool {
	i, ok := t.local.RouteIndex(name)
	return ok && slices.Contains(routes, i)
}

// summary turns a cluster sum into the shape the signals read. The
// published figures tell failures from other judged requests but not one
// kind of failure from another, so the counts report every failure as a
// server error, the other judged requests as OK and the unjudged ones as
// gone clients; the rates and Enough are exact, the percentiles are the
// coarse buckets' bounds.
func (t *Traffic) summary(r RouteStats, now time.Time) stats.Summary {
	s := stats.Summary{
		Counts: stats.Counts{Requests: r.Requests, OK: r.Judged - r.Failures,
			ServerErrors: r.Failures, ClientGone: r.Requests - r.Judged},
		ErrorRate: r.ErrorRate(),
		P50:       r.Quantile(0.50), P95: r.Quantile(0.95), P99: r.Quantile(0.99),
		Enough: r.Judged >= int64(t.local.MinVolume()),
		Window: t.local.Span(now),
	}
	if r.Judged > 0 {
		s.AvgLatency = r.LatencySum / time.Duration(r.Judged)
	}
	return s
}

package signal

import (
	"context"
	"fmt"
	"time"
)

// LatencyRatioSource compares current latency with a learned Baseline. See
// LatencyRatio.
type LatencyRatioSource struct {
	rec      Traffic
	upstream int
	routes   []int
	names    []string
	base     *Baseline
}

// LatencyRatio reads the worst ratio (unit ratio, 2.5 means 2.5x), over the
// routes with enough volume and a ready baseline, of the route's current
// window average to its baseline (never less than the baseline's Floor).
// routes nil means every route. The reading is invalid until at least one
// route has both. The plan's warning "latency 2-5x baseline" is a trigger
// with Op ">" and Threshold 2; above 5x the immediate latency trigger is
// expected to take over.
func LatencyRatio(rec Traffic, upstream int, routes []int, b *Baseline) *LatencyRatioSource {
	names := rec.Routes()
	if routes == nil {
		routes = allIndices(len(names))
	}
	return &LatencyRatioSource{rec: rec, upstream: upstream, routes: routes, names: names, base: b}
}

// routeRatio is one judged route.
type routeRatio struct {
	route     int
	ratio     float64
	avg, base time.Duration
	requests  int64
}

// Read implements Source.
func (s *LatencyRatioSource) Read(_ context.Context, now time.Time) Reading {
	var worst routeRatio
	judged := 0
	for _, r := range s.routes {
		rr, ok := s.judge(r, now)
		if !ok {
			continue
		}
		if judged == 0 || rr.ratio > worst.ratio {
			worst = rr
		}
		judged++
	}
	if judged == 0 {
		return invalid(UnitRatio, fmt.Errorf("%w: no route has both enough volume and a ready baseline", ErrNoData))
	}
	detail := fmt.Sprintf("route %s avg %s vs baseline %s (%.2fx, %d requests); %d of %d routes judged",
		s.names[worst.route], roundDur(worst.avg), roundDur(worst.base), worst.ratio, worst.requests, judged, len(s.routes))
	return Reading{Value: worst.ratio, Valid: true, Unit: UnitRatio, Detail: detail}
}

// judge computes one route's ratio, if it has the volume and a baseline.
func (s *LatencyRatioSource) judge(route int, now time.Time) (routeRatio, bool) {
	base, ok := s.base.Value(route)
	if !ok {
		return routeRatio{}, false
	}
	sum := s.rec.Window(s.upstream, route, now)
	if !sum.Enough {
		return routeRatio{}, false
	}
	base = max(base, s.base.floor())
	return routeRatio{route: route, ratio: float64(sum.AvgLatency) / float64(base),
		avg: sum.AvgLatency, base: base, requests: sum.Judged()}, true
}

package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// Gateway is the data plane's live state the gauges read at scrape time;
// *proxy.Gateway is one.
type Gateway interface {
	Breaker() *breaker.Breaker
	Queue() *queue.Queue
	CacheStore() *cache.Cache
	Routing() proxy.Routing
}

var _ Gateway = (*proxy.Gateway)(nil)

// Usable reports whether active checks say an upstream may take traffic.
type Usable func() bool

// RegisterGateway exports the runtime's, the guards' and the routing's
// state, and each upstream's health by name, all read at scrape time so
// they are never stale.
func RegisterGateway(reg prometheus.Registerer, g Gateway, upstreams map[string]Usable) error {
	if err := firstErr(reg.Register(collectors.NewGoCollector()),
		reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))); err != nil {
		return err
	}
	for name, up := range upstreams {
		if err := Gauge(reg, "lifeboat_upstream_up", "1 when active checks say the upstream is usable.",
			prometheus.Labels{"upstream": name}, func() float64 { return boolf(up()) }); err != nil {
			return err
		}
	}
	return firstErr(
		Gauge(reg, "lifeboat_breaker_state", "Primary breaker: 0 closed, 1 half-open, 2 open, -1 disabled.", nil,
			func() float64 { return breakerValue(g.Breaker()) }),
		Gauge(reg, "lifeboat_queue_waiting", "Requests waiting for the primary.", nil, func() float64 {
			if q := g.Queue(); q != nil {
				return float64(q.Snapshot().Waiting)
			}
			return 0
		}),
		Gauge(reg, "lifeboat_cache_entries", "Responses held by the cache.", nil, func() float64 {
			return float64(g.CacheStore().Snapshot().Entries)
		}),
		Counter(reg, "lifeboat_cache_hits_total", "Requests answered from the cache.", nil, func() float64 {
			s := g.CacheStore().Snapshot()
			return float64(s.Hits + s.StaleServed + s.Revalidated)
		}),
		Counter(reg, "lifeboat_cache_misses_total", "Cache lookups that found nothing usable.", nil, func() float64 {
			return float64(g.CacheStore().Snapshot().Misses)
		}),
		Gauge(reg, "lifeboat_routing_primary_share", "Share of new requests sent to the primary first (0 to 1).", nil,
			func() float64 { return PrimaryShare(g.Routing()) }),
	)
}

// breakerValue is the breaker's state as a number, -1 when there is none.
func breakerValue(b *breaker.Breaker) float64 {
	if b == nil {
		return -1
	}
	switch b.State().String() {
	case "open":
		return 2
	case "half-open":
		return 1
	}
	return 0
}

// PrimaryShare is the share of new requests routing sends to the primary
// first, from 0 to 1.
func PrimaryShare(r proxy.Routing) float64 {
	switch r.Mode {
	case proxy.ModeFallback:
		return 0
	case proxy.ModeSplit:
		return float64(r.PrimaryWeight) / 100
	}
	return 1
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

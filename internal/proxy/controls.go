package proxy

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// The controls below are the gateway's live knobs, used by the admin API
// and by automation. Each is safe while requests are in flight: a request
// finishes with the breaker, queue and cache it started with.

// SetRouting switches the mode for requests that start from now on. It
// emits a routing event when anything changed.
func (g *Gateway) SetRouting(r Routing) error {
	if r.Mode > ModeSplit {
		return fmt.Errorf("%w: unknown mode %d", ErrBadMode, r.Mode)
	}
	if r.PrimaryWeight < 0 || r.PrimaryWeight > 100 {
		return fmt.Errorf("%w: primary_weight must be between 0 and 100, got %d", ErrBadMode, r.PrimaryWeight)
	}
	old := g.routing.store(r)
	if old != r {
		g.emit(event.Of(time.Time{}, "proxy", event.Info, fmt.Sprintf("routing %s -> %s", describe(old), describe(r)),
			fact.RoutingChanged{From: old.Mode.String(), To: r.Mode.String(), PrimaryWeight: r.PrimaryWeight}))
	}
	return nil
}

func describe(r Routing) string {
	if r.Mode == ModeSplit {
		return fmt.Sprintf("split(%d%% primary)", r.PrimaryWeight)
	}
	return r.Mode.String()
}

// Routing returns the current mode and weight.
func (g *Gateway) Routing() Routing { return g.routing.load() }

// EnableBreaker puts a breaker with s on the primary. Enabling again with
// the same settings keeps the running breaker and its state; new settings
// start a fresh, closed breaker.
func (g *Gateway) EnableBreaker(s breaker.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if b := g.breaker.Load(); b != nil && sameBreaker(b.Snapshot().Settings, s) {
		return nil
	}
	g.breaker.Store(breaker.New(s, g.onBreaker))
	return nil
}

// sameBreaker compares the settings an operator can set; running holds
// the running breaker's settings with defaults filled in.
func sameBreaker(running, s breaker.Settings) bool {
	return running.FailureThreshold == s.FailureThreshold && running.RecoveryTimeout == s.RecoveryTimeout &&
		running.MaxRecoveryTimeout == s.MaxRecoveryTimeout && running.HalfOpenProbes == s.HalfOpenProbes
}

// DisableBreaker removes the breaker; every request goes to the primary.
func (g *Gateway) DisableBreaker() { g.breaker.Store(nil) }

// Breaker returns the primary's breaker, nil when disabled.
func (g *Gateway) Breaker() *breaker.Breaker { return g.breaker.Load() }

func (g *Gateway) onBreaker(t breaker.Transition) {
	sev := event.Info
	if t.To == breaker.Open {
		sev = event.Warning
	}
	g.emit(event.Of(t.At, "breaker", sev, fmt.Sprintf("primary breaker %s -> %s", t.From, t.To),
		fact.BreakerChanged{From: t.From.String(), To: t.To.String(),
			ConsecutiveFailures: t.ConsecutiveFailures, OpenFor: t.OpenFor.String()}))
}

// EnableQueue puts a queue with s in front of the primary, replacing any
// other. Requests holding a slot release it to the queue that granted it.
func (g *Gateway) EnableQueue(s queue.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	g.queue.Store(queue.New(s))
	return nil
}

// DisableQueue removes the queue; requests go to the primary unqueued.
func (g *Gateway) DisableQueue() { g.queue.Store(nil) }

// Queue returns the queue toward the primary, nil when disabled.
func (g *Gateway) Queue() *queue.Queue { return g.queue.Load() }

// EnableCache turns the response cache on, keeping its entries if it was
// on before.
func (g *Gateway) EnableCache() {
	g.cache.CompareAndSwap(nil, g.cacheStore)
}

// DisableCache stops caching; the entries are kept for a later enable.
func (g *Gateway) DisableCache() { g.cache.Store(nil) }

// CacheStore returns the cache whether or not it is enabled, for resizing
// and reporting.
func (g *Gateway) CacheStore() *cache.Cache { return g.cacheStore }

// CacheEnabled reports whether requests use the cache.
func (g *Gateway) CacheEnabled() bool { return g.cache.Load() != nil }

// SetAggressiveCache turns the plan's aggressive caching on or off.
func (g *Gateway) SetAggressiveCache(on bool, ttl time.Duration) {
	g.cacheStore.SetAggressive(on, ttl)
}

// Routes returns the route class names in index order.
func (g *Gateway) Routes() []string { return g.routes.Names() }

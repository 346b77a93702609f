// Package proxy is Lifeboat's data plane: it routes each client request to
// the primary or the fallback according to the live routing mode, guards the
// primary with a circuit breaker and a queue, answers from the response
// cache, and replays what one upstream cannot serve on the other.
//
// One request is an exchange (serve.go) whose methods read as the
// pipeline below. The two chains at the bottom are built elsewhere and
// handed to the gateway as RoundTrippers: Options.Transport toward the
// primary, and Options.FallbackTransport, package fallback's Transport.
//
//	client
//	  │
//	  ▼
//	Gateway.ServeHTTP ─► exchange.serve
//	  plan        mode and weight, health, the journal's Pin
//	  fromCache   fresh answers, outage copies           ──► answered here
//	  forward     breaker and queue (primary only),
//	              one attempt per target, a per-try timeout,
//	              the other upstream when the first failed and it is safe
//	  respond     stream watchdog, tee into the cache, invalidation after writes
//	  │
//	  ├─ primary ──► journal observer ──► fault.Injector ──► http.Transport ──► OpenViking
//	  │              (what the primary says of each session)
//	  │
//	  └─ fallback ─► journal.Transport ──► translate.Translator ──► fault.Injector ──► http.Transport ──► LightRAG
//	                 (session writes,     (OpenViking calls as
//	                  pinned sessions)     LightRAG calls)
package proxy

import (
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Targets are the indexes under which the gateway records outcomes in its
// stats.Recorder and reports them to its Observer. Client is the outcome as
// the client saw it, whoever served it.
const (
	primary = iota
	fallback
	fromCache
	client
)

// TargetNames are the names of the targets, in index order.
var TargetNames = []string{"primary", "fallback", "cache", "client"}

// HealthSource reports an upstream's state from active checks.
type HealthSource interface {
	State() health.State
}

// Observer receives every recorded outcome, for metrics. Implementations
// must be cheap and safe for concurrent use.
type Observer interface {
	Observe(target, route int, o stats.Outcome, d time.Duration)
}

// Options configures a Gateway. Zero values are documented per field.
type Options struct {
	// Primary and Fallback are the upstreams' base URLs. Required.
	Primary, Fallback *url.URL
	// Transport carries requests to both upstreams. Nil means
	// NewTransport with default TransportSettings.
	Transport http.RoundTripper
	// FallbackTransport, when set, carries the requests sent to the
	// fallback instead of Transport: it is where OpenViking calls are
	// translated for LightRAG and session writes journaled. Nil means
	// Transport.
	FallbackTransport http.RoundTripper
	// Pin reports whether a request must be served by the fallback side
	// whatever the mode, as when the write journal holds writes of its
	// session that the primary has not received yet. Nil pins nothing.
	Pin func(*http.Request) bool
	// Routes classifies requests. Required.
	Routes *route.Table
	// Stats records outcomes per target and route, indexed by the target
	// constants and route indexes. Required; build it with TargetNames.
	Stats *stats.Recorder
	// Health reports active health per upstream (primary, fallback). Nil
	// entries count as usable.
	Health [2]HealthSource
	// Observer receives outcomes for metrics. Nil means none.
	Observer Observer
	// Events receives routing and breaker changes. Nil means none.
	Events event.Sink
	// Routing is the initial mode and weight. Zero is primary mode with a
	// primary weight of 0; callers normally set PrimaryWeight 100.
	Routing Routing
	// RequestTimeout bounds a whole exchange, body included, but for a
	// streamed answer (server-sent events, NDJSON), which it bounds until
	// its headers arrive. Zero means 60s.
	RequestTimeout time.Duration
	// StreamIdle ends a streamed answer that sends nothing for this long.
	// Zero means 60s.
	StreamIdle time.Duration
	// StreamMax ends a streamed answer after this long. Zero means 1h.
	StreamMax time.Duration
	// HeaderTimeout bounds each try's wait for response headers, the wait
	// for a free upstream connection included; route classes may set a
	// shorter per-try timeout when another upstream can take over. Zero
	// means 30s, the transport's default response header timeout.
	HeaderTimeout time.Duration
	// RetryBodyLimit is the largest request body buffered for replay. Zero
	// means bodies are never buffered, so only requests that never reached
	// an upstream are retried.
	RetryBodyLimit int64
	// InternalPrefixes are path prefixes never forwarded: requests under
	// them are answered 404 by the gateway itself. Nil forwards every path.
	InternalPrefixes []string
	// Cache is the response cache the gateway can turn on and off. Nil
	// means a cache with default settings.
	Cache *cache.Cache
	// CacheEnabled turns the cache on at start.
	CacheEnabled bool
}

// Gateway is an http.Handler that proxies to the primary and the fallback.
// Its controls (SetRouting, SetBreaker, SetQueue, SetCache) are safe to call
// while it serves: requests in flight finish with what they started with.
type Gateway struct {
	upstreams     [2]*upstream
	transports    [2]http.RoundTripper
	pin           func(*http.Request) bool
	internal      []string
	routes        *route.Table
	stats         *stats.Recorder
	health        [2]HealthSource
	observer      Observer
	events        event.Sink
	timeout       time.Duration
	streamIdle    time.Duration
	streamMax     time.Duration
	headerTimeout time.Duration
	bodyLimit     int64

	// cacheStore is kept while the cache is disabled, so enabling it again
	// finds its entries and its size.
	cacheStore *cache.Cache

	routing routingState
	breaker atomic.Pointer[breaker.Breaker]
	queue   atomic.Pointer[queue.Queue]
	cache   atomic.Pointer[cache.Cache]
}

// New builds a Gateway with no breaker or queue; the caller turns them on
// with the Enable methods.
func New(o Options) *Gateway {
	g := &Gateway{
		upstreams:     [2]*upstream{newUpstream("primary", o.Primary), newUpstream("fallback", o.Fallback)},
		transports:    [2]http.RoundTripper{o.Transport, o.FallbackTransport},
		pin:           o.Pin,
		internal:      o.InternalPrefixes,
		routes:        o.Routes,
		stats:         o.Stats,
		health:        o.Health,
		observer:      o.Observer,
		events:        o.Events,
		timeout:       o.RequestTimeout,
		streamIdle:    orDefault(o.StreamIdle, 60*time.Second),
		streamMax:     orDefault(o.StreamMax, time.Hour),
		headerTimeout: o.HeaderTimeout,
		bodyLimit:     o.RetryBodyLimit,
		cacheStore:    o.Cache,
	}
	if g.cacheStore == nil {
		g.cacheStore = cache.New(cache.Settings{})
	}
	if o.CacheEnabled {
		g.cache.Store(g.cacheStore)
	}
	if g.transports[primary] == nil {
		g.transports[primary] = NewTransport(TransportSettings{})
	}
	if g.transports[fallback] == nil {
		g.transports[fallback] = g.transports[primary]
	}
	if g.timeout <= 0 {
		g.timeout = 60 * time.Second
	}
	if g.headerTimeout <= 0 {
		g.headerTimeout = 30 * time.Second
	}
	g.routing.store(o.Routing)
	return g
}

func (g *Gateway) usable(i int) bool {
	return g.health[i] == nil || g.health[i].State().Usable()
}

func (g *Gateway) emit(e event.Event) {
	if g.events != nil {
		if e.Time.IsZero() {
			e.Time = time.Now()
		}
		g.events.Emit(e)
	}
}

// record counts one outcome in the stats and the observer.
func (g *Gateway) record(target, rt int, o stats.Outcome, start time.Time) {
	now := time.Now()
	d := now.Sub(start)
	g.stats.Record(target, rt, o, d, now)
	if g.observer != nil {
		g.observer.Observe(target, rt, o, d)
	}
}

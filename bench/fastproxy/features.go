package main

import (
	"bytes"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// bookkeeper wraps the proxy with the per-request work Lifeboat does besides
// forwarding, each piece written the cheap way (atomics, fixed tables, no
// global lock, no allocation): route match, admission limit, circuit breaker,
// cache lookup and store, per-route request, status and latency counters, and
// the X-Lifeboat-Upstream answer header. What it does not have: Prometheus
// (its counters are atomics too once a label's child is looked up),
// health checks and escalation (background work, not per request), logging.
// It estimates what Lifeboat's feature set would add on top of fasthttp.
type bookkeeper struct {
	next     *proxy
	routes   []*route // longest prefix first; the last one matches everything
	inflight atomic.Int64
	limit    int64
	breaker  breaker
	cache    *cache
}

func newBookkeeper(p *proxy) *bookkeeper {
	b := &bookkeeper{next: p, limit: 100000, cache: newCache()}
	for _, prefix := range []string{"/api/v1/sessions/", "/api/v1/search/", "/api/v1/resources/", "/api/v1/fs/", "/health", "/"} {
		b.routes = append(b.routes, &route{prefix: []byte(prefix)})
	}
	return b
}

func (b *bookkeeper) serve(ctx *fasthttp.RequestCtx) {
	start := time.Now()
	r := b.match(ctx.Path())
	if b.inflight.Add(1) > b.limit || b.breaker.open(start) {
		b.inflight.Add(-1)
		ctx.SetStatusCode(fasthttp.StatusServiceUnavailable)
		r.observe(fasthttp.StatusServiceUnavailable, time.Since(start))
		return
	}
	var kb [256]byte
	k := b.cache.key(kb[:0], ctx)
	if !b.cache.serve(ctx, k, start) {
		b.next.serve(ctx)
		b.breaker.record(ctx.Response.StatusCode() >= 500, start)
		b.cache.store(ctx, k, start)
	}
	b.inflight.Add(-1)
	ctx.Response.Header.Set("X-Lifeboat-Upstream", "primary")
	r.observe(ctx.Response.StatusCode(), time.Since(start))
}

func (b *bookkeeper) match(path []byte) *route {
	for _, r := range b.routes {
		if bytes.HasPrefix(path, r.prefix) {
			return r
		}
	}
	return b.routes[len(b.routes)-1]
}

// latencyBounds are Prometheus's default histogram buckets, in nanoseconds.
var latencyBounds = [...]int64{5e6, 10e6, 25e6, 50e6, 100e6, 250e6, 500e6, 1e9, 2.5e9, 5e9, 10e9}

// route holds one route's counters; a real gateway would export them.
type route struct {
	prefix   []byte
	requests atomic.Uint64
	byClass  [6]atomic.Uint64 // index status/100
	buckets  [len(latencyBounds) + 1]atomic.Uint64
	sumNanos atomic.Int64
}

func (r *route) observe(status int, d time.Duration) {
	r.requests.Add(1)
	r.byClass[min(status/100, 5)].Add(1)
	i := 0
	for i < len(latencyBounds) && int64(d) > latencyBounds[i] {
		i++
	}
	r.buckets[i].Add(1)
	r.sumNanos.Add(int64(d))
}

// breaker opens for a while after a run of consecutive failures.
type breaker struct {
	failures  atomic.Int64
	openUntil atomic.Int64 // unix nanoseconds; zero when closed
}

const (
	breakerTrip     = 5
	breakerCooldown = 5 * time.Second
)

func (b *breaker) open(now time.Time) bool {
	until := b.openUntil.Load()
	return until != 0 && now.UnixNano() < until
}

func (b *breaker) record(failed bool, now time.Time) {
	if !failed {
		if b.failures.Load() != 0 {
			b.failures.Store(0)
		}
		return
	}
	if b.failures.Add(1) >= breakerTrip {
		b.openUntil.Store(now.Add(breakerCooldown).UnixNano())
		b.failures.Store(0)
	}
}

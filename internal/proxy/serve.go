package proxy

import (
	"context"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// exchange is one client request on its way through the gateway.
type exchange struct {
	g     *Gateway
	w     http.ResponseWriter
	r     *http.Request
	rt    int
	cls   *route.Class
	start time.Time
	body  reqBody

	// Cache state, set when the request is cacheable.
	cache *cache.Cache
	key   cache.Key
	creq  cache.Request
	stale *cache.Entry // an entry being revalidated with our validators
	// keepCopy skips storing the answer: the outage copy held is recent.
	keepCopy bool
}

// ServeHTTP proxies one request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := g.routes.Match(r.Method, r.URL.Path)
	x := &exchange{g: g, w: w, r: r, rt: rt, cls: g.routes.Class(rt), start: time.Now()}
	x.serve()
}

func (x *exchange) serve() {
	if _, ok := x.r.Header["Upgrade"]; ok {
		x.fail(ErrUpgrade, "upgrade")
		return
	}
	if x.g.isInternal(x.r.URL.Path) {
		x.fail(ErrInternalPath, x.r.URL.Path)
		return
	}
	pinned := x.g.pin != nil && x.g.pin(x.r)
	p := x.plan(pinned)
	c := x.g.cache.Load()
	if pinned {
		c = nil // the cache holds the primary's answers, older than the journal's
	}
	wantBody := p.hasSecond || (c != nil && x.cls.CachePost && x.r.Method == http.MethodPost)
	body, err := readBody(x.r, wantBody, x.g.bodyLimit)
	if err != nil {
		x.fail(err, "request body")
		return
	}
	x.body = body
	if body.stream != nil {
		x.duplex()
	}
	if c != nil && x.fromCache(c) {
		return
	}
	// The deadline is made only now: a cache hit never needs it.
	d := newDeadline(x.r.Context(), x.g.timeout)
	defer d.stop()
	resp, target, err := x.forward(d.ctx, p)
	err = d.cause(err)
	if (err != nil || resp.StatusCode >= 500) && x.serveStale() {
		discard(resp)
		return
	}
	if err != nil {
		x.fail(err, x.g.upstreams[target].name)
		return
	}
	if isStream(resp) {
		resp.Body = d.stream(resp.Body, x.g.streamIdle, x.g.streamMax)
	}
	x.respond(resp, target)
}

// duplex lets the client's body keep flowing upstream after the answer's
// headers go out. Go's HTTP/1 server otherwise swallows the unread rest of
// the body when the handler writes its headers, racing the transport that
// is still sending that body to an upstream which answered early (a
// stream, an early error); the transport that loses closes the upstream
// connection and the answer breaks off. HTTP/2 is duplex already, and a
// writer that cannot say so has nothing to race.
func (x *exchange) duplex() {
	if x.r.ProtoMajor == 1 {
		_ = http.NewResponseController(x.w).EnableFullDuplex()
	}
}

// plan picks the upstreams for this request. A pinned request goes to the
// fallback side alone: the journal there holds its session's latest writes,
// so the primary would answer from an older state.
func (x *exchange) plan(pinned bool) plan {
	if pinned {
		return plan{first: fallback}
	}
	return planFor(x.g.routing.load(), x.g.usable)
}

// forward tries the plan's first upstream and, when the failure allows it,
// the second.
func (x *exchange) forward(ctx context.Context, p plan) (*http.Response, int, error) {
	resp, err := x.attempt(ctx, p.first, x.tryLimit(p, p.first), x.wholeLimit(p, p.first))
	if !p.hasSecond || !x.retryable(resp, err) {
		return resp, p.first, err
	}
	discard(resp)
	resp, err = x.attempt(ctx, p.second, x.tryLimit(p, p.second), 0)
	return resp, p.second, err
}

// retryable decides whether a failed attempt may be replayed on the other
// upstream. A request that never reached the upstream (rejected by the
// breaker or the queue, or refused at connect) is safe to replay whatever
// its method; one that may have been processed is replayed only when it is
// idempotent. Either way the body must still be at hand.
func (x *exchange) retryable(resp *http.Response, err error) bool {
	if x.r.Context().Err() != nil || x.body.spent() {
		return false
	}
	if err != nil {
		if rejected(err) || stats.Classify(0, err, false) == stats.ConnectError {
			return true
		}
	} else if resp.StatusCode < 500 {
		return false
	}
	return x.body.replayable && x.cls.Replayable(x.r.Method)
}

// fail answers the client with an error and records what it saw.
func (x *exchange) fail(err error, what string) {
	g := x.g
	if x.r.Context().Err() != nil {
		err = ErrClientGone
	}
	f := classify(err, func() time.Duration { return g.retryAfter() })
	writeError(x.w, f, what+": "+err.Error())
	x.recordClient(f.status)
}

func (x *exchange) recordClient(status int) {
	gone := status == StatusClientClosed
	if gone {
		status = 0
	}
	x.g.record(client, x.rt, stats.Classify(status, nil, gone), x.start)
}

// retryAfter is the hint given with a 503: the breaker's remaining open
// time, else the queue's hint, else one second.
func (g *Gateway) retryAfter() time.Duration {
	if b := g.breaker.Load(); b != nil {
		if d := b.RetryAfter(); d > 0 {
			return d
		}
	}
	if q := g.queue.Load(); q != nil {
		return q.RetryAfter()
	}
	return time.Second
}

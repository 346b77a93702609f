package cache

import (
	"net/http"
	"time"
)

// Status is the outcome of a Lookup.
type Status int

const (
	// Miss: nothing usable is stored; forward the request and Store the
	// answer.
	Miss Status = iota
	// Fresh: serve the entry (X-Cache: HIT).
	Fresh
	// MustRevalidate: an entry is stored but may not be served unvalidated.
	// Send a conditional request with its Validators; on 304 call Freshen
	// and serve the result (REVALIDATED); on another answer Store it; on
	// an upstream error try Stale.
	MustRevalidate
	// StaleWhileRevalidate: serve the stale entry now (STALE) and refresh
	// it in the background as for MustRevalidate.
	StaleWhileRevalidate
)

// String returns the status in lower case, as used in logs and metrics.
func (s Status) String() string {
	switch s {
	case Miss:
		return "miss"
	case Fresh:
		return "fresh"
	case MustRevalidate:
		return "must-revalidate"
	case StaleWhileRevalidate:
		return "stale-while-revalidate"
	}
	return "unknown"
}

// Lookup finds the entry for k and says how it may be used for r. On Miss
// the entry is nil; otherwise it is the stored entry (also for
// MustRevalidate, so its validators can be sent). A miss does not allocate.
func (c *Cache) Lookup(k Key, r Request) (*Entry, Status) {
	c.stats.lookups.Add(1)
	e, st := c.classify(k, r, c.now())
	switch st {
	case Miss:
		c.stats.misses.Add(1)
		return nil, Miss
	case Fresh:
		c.stats.hits.Add(1)
	case MustRevalidate:
		c.stats.expired.Add(1)
	case StaleWhileRevalidate:
		c.stats.staleServed.Add(1)
	}
	return e, st
}

// classify fetches k's entry, drops it when it has outlived every window,
// and applies the freshness rules.
func (c *Cache) classify(k Key, r Request, now time.Time) (*Entry, Status) {
	s := c.shard(k)
	e := s.get(k)
	if e == nil || !e.varyMatches(header(r)) {
		return nil, Miss
	}
	age, aggr := e.Age(now), c.aggressiveTTL()
	if e.is2xx() && age < aggr {
		return e, Fresh // aggressive mode forces the hit
	}
	if e.dead(age, aggr) {
		s.drop(k, e)
		return nil, Miss
	}
	return e, e.status(age, parseRequestCacheControl(header(r)))
}

// status applies RFC 9111 section 4.2 and RFC 5861 to a live entry.
func (e *Entry) status(age time.Duration, req directives) Status {
	if e.forcedOnly || e.noCache || req.noCache {
		return MustRevalidate
	}
	if req.maxAge.ok && age >= req.maxAge.d {
		return MustRevalidate // includes max-age=0
	}
	if age < e.lifetime {
		if age+req.minFresh.d < e.lifetime {
			return Fresh
		}
		return MustRevalidate // fresh, but not for as long as min-fresh asks
	}
	if !e.noStale && !req.minFresh.ok && age < e.lifetime+e.swr {
		return StaleWhileRevalidate
	}
	return MustRevalidate
}

// Stale returns an entry that may be served because the upstream failed:
// one still fresh, or stale by no more than its stale-if-error window
// (the response's own, else Settings.StaleIfError), and not marked
// must-revalidate, proxy-revalidate, no-cache or s-maxage.
func (c *Cache) Stale(k Key, r Request) (*Entry, bool) {
	e, ok := c.Peek(k, r)
	if ok {
		c.stats.staleServed.Add(1)
	}
	return e, ok
}

// Peek returns the entry Stale would serve, without counting it as
// served: for callers that read an entry rather than answer with it.
func (c *Cache) Peek(k Key, r Request) (*Entry, bool) {
	now := c.now()
	s := c.shard(k)
	e := s.get(k)
	if e == nil || !e.varyMatches(header(r)) {
		return nil, false
	}
	age, aggr := e.Age(now), c.aggressiveTTL()
	if e.dead(age, aggr) {
		s.drop(k, e)
		return nil, false
	}
	ok := (e.is2xx() && age < aggr) || age < e.lifetime ||
		(!e.noStale && age < e.lifetime+e.sie)
	if ok {
		return e, true
	}
	return nil, false
}

// header is r's request header, nil-safe.
func header(r Request) http.Header {
	if r.HTTP == nil {
		return nil
	}
	return r.HTTP.Header
}

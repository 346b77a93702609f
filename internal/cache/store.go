package cache

import "net/http"

// Store applies the storability rules to a response to r and, when they
// allow, stores it under k. It reports whether the response was stored.
// The cache keeps body and a copy of h; the caller must not modify body
// afterwards.
func (c *Cache) Store(k Key, r Request, status int, h http.Header, body []byte) bool {
	if r.HTTP == nil {
		return false
	}
	aggr := c.aggressiveTTL()
	v := storability(r, status, h, parseRequestCacheControl(r.HTTP.Header), parseCacheControl(h), aggr > 0)
	if v == refuse {
		return false
	}
	if aggr > 0 && (status < 200 || status >= 300) {
		aggr = 0 // only 2xx answers get the forced window
	}
	e := c.buildEntry(r, status, h, body, c.now(), v == storeForce, aggr)
	return c.put(k, e)
}

// put stores a built entry unless it is too large or already past every
// window (an upstream Age beyond them). A refused response leaves any older
// entry in place: it may still serve stale-if-error.
func (c *Cache) put(k Key, e *Entry) bool {
	aggr := c.aggressiveTTL()
	if e.size > c.maxEntryBytes || e.dead(e.initialAge, aggr) {
		return false
	}
	if !c.shard(k).put(k, e, e.stored, aggr) {
		return false
	}
	c.stats.stores.Add(1)
	return true
}

package cache

import (
	"net/http"
	"strings"
)

// notFromValidation lists fields a 304 must not overwrite in the stored
// response (RFC 9111 section 3.2): the stored body's own length and
// framing, besides the hop-by-hop fields never stored.
var notFromValidation = map[string]bool{
	"Content-Length": true, "Content-Encoding": true, "Content-Range": true,
}

// Freshen updates e from a 304 answer to a conditional request made with
// its validators (RFC 9111 section 4.3.4): the 304's header fields replace
// the stored ones and freshness restarts from the 304. It returns the
// updated entry, to serve with XCacheRevalidated, and stores it under k
// when the merged response is still storable (otherwise k is removed, as
// the origin no longer allows the stored copy). It returns nil when e is
// nil or the 304 names a different ETag, in which case the proxy should
// repeat the request without validators.
func (c *Cache) Freshen(k Key, r Request, e *Entry, h304 http.Header) *Entry {
	if e == nil || r.HTTP == nil || !sameETag(e.etag, h304.Get("Etag")) {
		return nil
	}
	merged := mergeHeader(e.Header, h304)
	aggr := c.aggressiveTTL()
	v := storability(r, e.Status, merged, parseRequestCacheControl(r.HTTP.Header), parseCacheControl(merged), aggr > 0)
	if !e.is2xx() {
		aggr = 0
	}
	fresh := c.buildEntry(r, e.Status, merged, e.Body, c.now(), v == storeForce, aggr)
	fresh.initialAge = initialAge(h304, fresh.stored)
	c.stats.revalidated.Add(1)
	if v == refuse || !c.put(k, fresh) {
		c.shard(k).remove(k)
	}
	return fresh
}

// mergeHeader returns stored with every field of h304 replacing its
// namesake, except fields that describe only the 304 or its connection.
func mergeHeader(stored, h304 http.Header) http.Header {
	out := stored.Clone()
	for k, vs := range storedHeader(h304) {
		if !notFromValidation[k] {
			out[k] = vs
		}
	}
	return out
}

// sameETag compares entity tags weakly (RFC 9110 section 8.8.3.2), as a
// 304 validator comparison does. A 304 without an ETag matches.
func sameETag(stored, got string) bool {
	if got == "" {
		return true
	}
	return strings.TrimPrefix(stored, "W/") == strings.TrimPrefix(got, "W/")
}

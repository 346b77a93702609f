package proxy

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// errBad304 is an upstream 304 that does not match the validators sent.
var errBad304 = errors.New("proxy: upstream answered 304 for another representation")

// fromCache answers from a fresh entry and reports whether it did. A stale
// entry with validators is kept so the upstream can be asked whether it
// still holds.
func (x *exchange) fromCache(c *cache.Cache) bool {
	if x.r.Method == http.MethodPost && !x.body.replayable {
		return false // the body was too large to key on
	}
	x.creq = cache.Request{HTTP: x.r, Body: x.body.data, PostOptIn: x.cls.CachePost, DefaultTTL: x.cls.CacheTTL,
		OutageCopy: x.cls.OutageCopy}
	key, ok := c.Key(x.creq)
	if !ok {
		return false
	}
	x.cache, x.key = c, key
	e, st := c.Lookup(key, x.creq)
	switch st {
	case cache.Fresh:
		x.serveEntry(e, cache.XCacheHit)
		return true
	case cache.MustRevalidate, cache.StaleWhileRevalidate:
		x.stale = e
		// An outage copy is refreshed at most once per outageCopyRefresh:
		// copying every answer of a busy session route into the cache
		// cost a fifth of the proxy's throughput on that route.
		x.keepCopy = x.cls.OutageCopy && e.Age(time.Now()) < outageCopyRefresh
	}
	return false
}

// outageCopyRefresh is how often an outage copy is replaced by a newer
// answer: an outage finds the copy at most this much older than the
// primary's last answer.
const outageCopyRefresh = time.Second

// serveStale answers from an entry past its freshness when the upstreams
// failed and the entry's rules allow it.
func (x *exchange) serveStale() bool {
	if x.cache == nil {
		return false
	}
	e, ok := x.cache.Stale(x.key, x.creq)
	if !ok {
		return false
	}
	x.serveEntry(e, cache.XCacheStale)
	return true
}

// serveRevalidated answers from the kept entry after the upstream said 304
// to validators the gateway added.
func (x *exchange) serveRevalidated(resp *http.Response) {
	e := x.cache.Freshen(x.key, x.creq, x.stale, resp.Header)
	if e == nil {
		// The 304 named another representation than the one we asked
		// about; a correct upstream never does that, so say so.
		x.fail(errBad304, "primary")
		return
	}
	x.serveEntry(e, cache.XCacheRevalidated)
}

func (x *exchange) serveEntry(e *cache.Entry, status string) {
	x.w.Header()[upstreamHeaderKey] = servedBy[fromCache]
	e.WriteTo(x.w, time.Now(), status)
	x.g.record(fromCache, x.rt, stats.OK, x.start)
	x.recordClient(e.Status)
}

// addValidators turns a revalidation into a conditional request, unless
// the client sent its own conditions: then the upstream's answer, 304
// included, is the client's to have.
func (x *exchange) addValidators(h http.Header) {
	if _, ok := x.r.Header["If-None-Match"]; ok {
		x.stale = nil
		return
	}
	if _, ok := x.r.Header["If-Modified-Since"]; ok {
		x.stale = nil
		return
	}
	etag, lm := x.stale.Validators()
	if etag == "" && lm == "" {
		x.stale = nil
		return
	}
	if etag != "" {
		h["If-None-Match"] = []string{etag}
	}
	if lm != "" {
		h["If-Modified-Since"] = []string{lm}
	}
}

// teeFor returns a buffer to keep the body in when the response may be
// stored. Only the primary's answers are cached: the fallback's are a
// degraded stand-in that must not outlive the incident.
func (x *exchange) teeFor(resp *http.Response, target int) *teeBuffer {
	if x.cache == nil || x.keepCopy || target != primary || resp.StatusCode >= 500 {
		return nil
	}
	limit := x.cache.MaxEntryBytes()
	if resp.ContentLength > limit {
		return nil
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	return &teeBuffer{buf: buf, limit: limit}
}

// store hands a fully read response to the cache. The body is copied out
// of the pooled tee buffer, which the next response reuses: the cache
// keeps the slice it is given.
func (x *exchange) store(resp *http.Response, tee *teeBuffer) {
	if tee == nil || tee.over {
		return
	}
	x.cache.Store(x.key, x.creq, resp.StatusCode, resp.Header, bytes.Clone(tee.buf.Bytes()))
}

// invalidate drops the cached answers a successful write made stale
// (RFC 9111 section 4.4), before the client hears of the write: a client
// that reads right after its write must not get the old answer, even in
// aggressive mode. Classes that cache POST (searches, queries) only read.
// The store is used even while the cache is off, so turning it back on
// never brings an invalidated answer back.
func (x *exchange) invalidate(resp *http.Response) {
	if resp.StatusCode < 200 || resp.StatusCode >= 400 || !cache.Unsafe(x.r.Method) || x.cls.CachePost {
		return
	}
	x.g.cacheStore.Invalidate(x.r.URL, x.r.Host, resp.Header)
}

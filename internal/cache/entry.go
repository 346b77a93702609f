package cache

import (
	"net/http"
	"strconv"
	"time"
)

// Values for the X-Cache header written by Entry.WriteTo.
const (
	XCacheHit         = "HIT"
	XCacheStale       = "STALE"
	XCacheRevalidated = "REVALIDATED"
)

// Entry is one stored response. It is immutable once stored: callers may
// read it from any goroutine but must not mutate it, its Header or its Body.
type Entry struct {
	// Status is the response's HTTP status code.
	Status int
	// Header is the stored response header, without hop-by-hop fields and
	// without Age (WriteTo computes a fresh one).
	Header http.Header
	// Body is the stored response body.
	Body []byte

	stored             time.Time     // when the response (or its last 304) arrived
	initialAge         time.Duration // corrected initial age at stored
	lifetime           time.Duration // freshness lifetime by RFC 9111
	swr                time.Duration // stale-while-revalidate window past lifetime
	sie                time.Duration // stale-if-error window past lifetime
	keep               time.Duration // age at which the entry is dropped
	noCache            bool          // response no-cache: revalidate on every use
	noStale            bool          // never served stale (must-revalidate etc.)
	forcedOnly         bool          // stored only because aggressive mode was on
	vary               []varyValue   // the request's values of the Vary headers
	size               int64         // approximate bytes held
	path               string        // the request's path, for invalidation
	etag, lastModified string
}

// varyValue is one request header named by Vary, with the values the
// stored response was selected by.
type varyValue struct {
	name   string
	values []string
}

// Validators returns the entry's ETag and Last-Modified, for the proxy's
// If-None-Match and If-Modified-Since when revalidating.
func (e *Entry) Validators() (etag, lastModified string) {
	return e.etag, e.lastModified
}

// Age is the entry's current age at now (RFC 9111 section 4.2.3).
func (e *Entry) Age(now time.Time) time.Duration {
	return e.initialAge + max(now.Sub(e.stored), 0)
}

// WriteTo writes the stored response to w: its headers (copied, so w's
// header may be changed freely), an Age header, X-Cache set to status
// (XCacheHit, XCacheStale or XCacheRevalidated), then the body.
func (e *Entry) WriteTo(w http.ResponseWriter, now time.Time, status string) {
	dst := w.Header()
	copyHeader(dst, e.Header)
	dst.Set("Age", strconv.FormatInt(int64(e.Age(now)/time.Second), 10))
	dst.Set("X-Cache", status)
	w.WriteHeader(e.Status)
	// A write error means the client went away; the entry is unaffected
	// and there is no one left to tell.
	_, _ = w.Write(e.Body)
}

// copyHeader copies src into dst with one allocation for all values, so
// the caller can never write into the stored entry's slices.
func copyHeader(dst, src http.Header) {
	n := 0
	for _, vs := range src {
		n += len(vs)
	}
	all := make([]string, 0, n)
	for k, vs := range src {
		start := len(all)
		all = append(all, vs...)
		dst[k] = all[start:len(all):len(all)]
	}
}

// varyMatches reports whether h carries the same values, for every header
// named by the stored response's Vary, as the request it was stored for.
func (e *Entry) varyMatches(h http.Header) bool {
	for _, v := range e.vary {
		got := h[v.name]
		if len(got) != len(v.values) {
			return false
		}
		for i := range got {
			if got[i] != v.values[i] {
				return false
			}
		}
	}
	return true
}

// is2xx reports whether the entry is a success, the only kind aggressive
// mode forces.
func (e *Entry) is2xx() bool { return e.Status >= 200 && e.Status < 300 }

// dead reports whether an entry of the given age is past every use: its
// keep window, and (for a 2xx under aggressive mode) the forced window.
func (e *Entry) dead(age, aggrTTL time.Duration) bool {
	if e.is2xx() && age < aggrTTL {
		return false
	}
	return age >= e.keep
}

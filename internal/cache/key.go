package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Key identifies one cached response: a SHA-256 over the method, path,
// canonical query, tenant credentials and (for opted-in POST routes) the
// canonical body. Being a hash, it never holds a credential in clear.
type Key [sha256.Size]byte

// String returns a short hex prefix, enough to tell keys apart in logs.
func (k Key) String() string { return hex.EncodeToString(k[:8]) }

// Request describes the client request a key, lookup or store is about.
type Request struct {
	// HTTP is the client request; only its method, URL and headers are read.
	HTTP *http.Request
	// Body is the request body, read only for POST when PostOptIn is set.
	Body []byte
	// PostOptIn marks a POST route whose answers may be cached, keyed by
	// tenant and canonical body (search and query routes).
	PostOptIn bool
	// DefaultTTL is the route's freshness for responses that carry no
	// freshness information of their own. Zero means none.
	DefaultTTL time.Duration
	// OutageCopy stores GET answers that carry no freshness, with none,
	// so that they are only ever served stale when the upstreams fail.
	OutageCopy bool
}

// maxPooledKeyBuf stops one huge URL from pinning a large buffer in the pool.
const maxPooledKeyBuf = 4 << 10

// Key returns the cache key for r, or false when r can never be answered
// from or stored in the cache: a method other than GET or HEAD (or POST on
// an opted-in route), or a request Cache-Control of no-store.
func (c *Cache) Key(r Request) (Key, bool) {
	h := r.HTTP
	if h == nil || h.URL == nil || !cacheableMethod(r) {
		return Key{}, false
	}
	if parseCacheControl(h.Header).noStore {
		return Key{}, false
	}
	bp := c.keyBufs.Get().(*[]byte)
	b := appendField((*bp)[:0], h.Method)
	b = appendField(b, h.URL.Path)
	b = appendField(b, h.URL.RawPath)
	b = appendCanonicalQuery(b, h.URL.RawQuery)
	b = c.appendTenant(b, h.Header)
	if h.Method == http.MethodPost {
		b = appendBodyDigest(b, r.Body)
	}
	k := Key(sha256.Sum256(b))
	if cap(b) <= maxPooledKeyBuf {
		*bp = b
		c.keyBufs.Put(bp)
	}
	return k, true
}

// cacheableMethod reports whether r's method may use the cache at all.
func cacheableMethod(r Request) bool {
	switch r.HTTP.Method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
		return r.PostOptIn
	}
	return false
}

// appendField appends s length-prefixed, so that no two different field
// sequences can encode to the same bytes.
func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendTenant adds every value of the credential and tenant headers. The
// values only pass through the hash input; the key keeps none of them.
func (c *Cache) appendTenant(b []byte, h http.Header) []byte {
	for _, name := range c.tenantHeaders {
		vs := h[name]
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = appendField(b, v)
		}
	}
	return b
}

// appendCanonicalQuery appends the raw query with its parameters stably
// sorted by name, so that parameter order does not split the cache while
// the order of repeated values (which may matter to the origin) is kept.
// Empty segments are dropped. Percent-encoding is left as sent.
func appendCanonicalQuery(b []byte, q string) []byte {
	if querySorted(q) {
		return appendField(b, q)
	}
	var backing [16]string
	segs := backing[:0]
	for q != "" {
		var s string
		s, q, _ = strings.Cut(q, "&")
		if s != "" {
			segs = append(segs, s)
		}
	}
	slices.SortStableFunc(segs, func(a, b string) int {
		return strings.Compare(paramName(a), paramName(b))
	})
	return appendJoined(b, segs)
}

// querySorted reports whether q is already canonical, the common case,
// which then needs no sorting and no allocation.
func querySorted(q string) bool {
	prev := ""
	for i := 0; q != ""; i++ {
		var s string
		s, q, _ = strings.Cut(q, "&")
		if s == "" || (i > 0 && paramName(s) < prev) {
			return false
		}
		prev = paramName(s)
	}
	return true
}

func paramName(seg string) string {
	name, _, _ := strings.Cut(seg, "=")
	return name
}

// appendJoined appends segs joined by '&' as one length-prefixed field.
func appendJoined(b []byte, segs []string) []byte {
	n := max(len(segs)-1, 0)
	for _, s := range segs {
		n += len(s)
	}
	b = binary.AppendUvarint(b, uint64(n))
	for i, s := range segs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, s...)
	}
	return b
}

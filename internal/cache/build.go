package cache

import (
	"net/http"
	"net/textproto"
	"time"
)

// entryOverhead approximates the memory an entry costs beyond its header
// and body: the struct, its LRU element, map slot and key.
const entryOverhead = 256

// buildEntry makes the entry for a response received at now. forcedOnly
// marks an entry only aggressive mode allowed; aggrTTL (0 when off)
// extends how long the entry is kept so that the forced window is served.
func (c *Cache) buildEntry(r Request, status int, h http.Header, body []byte, now time.Time, forcedOnly bool, aggrTTL time.Duration) *Entry {
	cc := parseCacheControl(h)
	e := &Entry{
		Status:     status,
		Header:     storedHeader(h),
		Body:       body,
		stored:     now,
		initialAge: initialAge(h, now),
		lifetime:   lifetime(h, cc, now, r.DefaultTTL),
		noCache:    cc.noCache,
		noStale:    cc.forbidsStale(),
		forcedOnly: forcedOnly,
		vary:       varyValues(h, r.HTTP.Header),
		path:       r.HTTP.URL.Path,
	}
	e.swr, e.sie = cc.staleWhileRevalidate.d, c.staleIfError
	if cc.staleIfError.ok {
		e.sie = cc.staleIfError.d
	}
	e.keep = max(e.lifetime+max(e.swr, e.sie), aggrTTL)
	e.etag, e.lastModified = h.Get("Etag"), h.Get("Last-Modified")
	e.size = e.measure()
	return e
}

// varyValues records the request's values of every header the response's
// Vary names.
func varyValues(resp, req http.Header) []varyValue {
	var out []varyValue
	for _, line := range resp["Vary"] {
		for line != "" {
			var name string
			name, _, line = nextDirective(line)
			if name == "" {
				continue
			}
			name = textproto.CanonicalMIMEHeaderKey(name)
			out = append(out, varyValue{name, append([]string(nil), req[name]...)})
		}
	}
	return out
}

// measure approximates the bytes the entry holds.
func (e *Entry) measure() int64 {
	n := int64(entryOverhead + len(e.Body) + len(e.etag) + len(e.lastModified))
	for k, vs := range e.Header {
		n += int64(len(k)) + 16
		for _, v := range vs {
			n += int64(len(v)) + 16
		}
	}
	for _, v := range e.vary {
		n += int64(len(v.name)) + 16
		for _, s := range v.values {
			n += int64(len(s)) + 16
		}
	}
	return n
}

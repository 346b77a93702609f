package cache

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// t0 is the fake clock's start, a whole second so Date headers round-trip.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a manually advanced time source for Settings.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestCache returns a single-shard cache on a fake clock.
func newTestCache(s Settings) (*Cache, *clock) {
	clk := &clock{t: t0}
	s.Now = clk.Now
	if s.Shards == 0 {
		s.Shards = 1
	}
	return New(s), clk
}

// hdr builds a header from name, value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// req builds a cache Request for method and target with header pairs.
func req(method, target string, kv ...string) Request {
	r := httptest.NewRequest(method, target, nil)
	r.Header = hdr(kv...)
	return Request{HTTP: r}
}

func get(target string, kv ...string) Request { return req(http.MethodGet, target, kv...) }

// post builds an opted-in POST request with a body.
func post(target, body string, kv ...string) Request {
	r := req(http.MethodPost, target, kv...)
	r.Body, r.PostOptIn = []byte(body), true
	return r
}

// mustKey returns r's key, failing the test when r is not cacheable.
func mustKey(t testing.TB, c *Cache, r Request) Key {
	t.Helper()
	k, ok := c.Key(r)
	if !ok {
		t.Fatalf("Key(%s %s) not cacheable", r.HTTP.Method, r.HTTP.URL)
	}
	return k
}

// storeOK stores a response and fails the test when it is refused.
func storeOK(t testing.TB, c *Cache, r Request, status int, h http.Header, body string) Key {
	t.Helper()
	k := mustKey(t, c, r)
	if !c.Store(k, r, status, h, []byte(body)) {
		t.Fatalf("Store(%d, %v) refused", status, h)
	}
	return k
}

// lookupStatus is Lookup's status for r.
func lookupStatus(t testing.TB, c *Cache, r Request) Status {
	t.Helper()
	_, st := c.Lookup(mustKey(t, c, r), r)
	return st
}

package proxy

import (
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/route"
)

func TestFreshGetIsServedFromCache(t *testing.T) {
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "v1")
	}, nil, ModePrimary)
	f.do(t, "GET", "/doc", "")
	code, by, body := f.do(t, "GET", "/doc", "")
	if code != 200 || by != "cache" || body != "v1" || f.primary.hits.Load() != 1 {
		t.Fatalf("second GET: %d from %q body %q, primary hits %d; want a cache hit", code, by, body, f.primary.hits.Load())
	}
}

func TestRevalidationWith304(t *testing.T) {
	var conditional atomic.Int64
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "body-v1")
	}, nil, ModePrimary)
	f.do(t, "GET", "/doc", "")
	code, by, body := f.do(t, "GET", "/doc", "")
	if code != 200 || body != "body-v1" || by != "cache" || conditional.Load() != 1 {
		t.Fatalf("revalidated GET: %d from %q body %q, conditional requests %d", code, by, body, conditional.Load())
	}
}

func TestStaleServedWhenPrimaryFails(t *testing.T) {
	var fail atomic.Bool
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Cache-Control", "max-age=0")
		w.Header().Set("Last-Modified", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat))
		io.WriteString(w, "last-good")
	}, nil, ModePrimary)
	f.do(t, "GET", "/doc", "")
	fail.Store(true)
	code, by, body := f.do(t, "GET", "/doc", "")
	if code != 200 || by != "cache" || body != "last-good" {
		t.Fatalf("GET with primary failing: %d from %q body %q; want the stale copy", code, by, body)
	}
}

func TestPostQueryCacheIsolatesTenants(t *testing.T) {
	routes := []route.Spec{{Name: "search", Methods: []string{"POST"}, Paths: []string{"/api/v1/search/find"},
		Idempotent: true, CachePost: true, CacheTTL: time.Minute}}
	var n atomic.Int64
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "answer-%d-for-%s", n.Add(1), r.Header.Get("X-API-Key"))
	}, nil, ModePrimary, routes...)
	_, _, a1 := f.do(t, "POST", "/api/v1/search/find", `{"query":"x","limit":5}`, "X-API-Key", "tenant-a")
	_, byA, a2 := f.do(t, "POST", "/api/v1/search/find", `{ "limit":5, "query":"x" }`, "X-API-Key", "tenant-a")
	_, byB, b1 := f.do(t, "POST", "/api/v1/search/find", `{"query":"x","limit":5}`, "X-API-Key", "tenant-b")
	if a1 != a2 || byA != "cache" {
		t.Fatalf("same tenant, same query in another key order: %q then %q (from %q); want a cache hit", a1, a2, byA)
	}
	if b1 == a1 || byB != "primary" || b1 != "answer-2-for-tenant-b" {
		t.Fatalf("tenant b got %q from %q; must never see tenant a's %q", b1, byB, a1)
	}
}

func TestFallbackAnswersAreNotCached(t *testing.T) {
	f := newFixture(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		io.WriteString(w, "degraded")
	}, ModeFallback)
	f.do(t, "GET", "/doc", "")
	f.do(t, "GET", "/doc", "")
	if got := f.fallback.hits.Load(); got != 2 {
		t.Fatalf("fallback hits = %d, want 2: fallback answers must not be cached", got)
	}
}

func TestAggressiveModeAnswersFromCache(t *testing.T) {
	f := newFixture(t, nil, nil, ModePrimary)
	f.gw.SetAggressiveCache(true, time.Hour)
	f.do(t, "POST", "/api/v1/search/find", `{"query":"x"}`)
	code, by, _ := f.do(t, "POST", "/api/v1/search/find", `{"query":"x"}`)
	if code != 200 || by != "cache" || f.primary.hits.Load() != 1 {
		t.Fatalf("aggressive mode second search: %d from %q, primary hits %d; want a cache hit", code, by, f.primary.hits.Load())
	}
}

// A stored body must not share memory with the pooled buffer it was
// teed into: the next response reuses that buffer.
func TestCachedBodyIsNotOverwrittenByLaterResponses(t *testing.T) {
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "body-of-"+r.URL.Path)
	}, nil, ModePrimary)
	f.do(t, "GET", "/a", "")
	for i := range 20 {
		f.do(t, "GET", fmt.Sprintf("/other-%d", i), "")
	}
	if _, by, body := f.do(t, "GET", "/a", ""); by != "cache" || body != "body-of-/a" {
		t.Fatalf("cached /a now reads %q (from %s): overwritten by a later response", body, by)
	}
}

package cache

import (
	"fmt"
	"net/http/httptest"
	"testing"
)

func benchRequest() Request {
	return get("/api/v1/sessions/abc123?limit=10&offset=0",
		"X-API-Key", "key-0123456789", "X-OpenViking-User", "alice", "Accept", "application/json")
}

func BenchmarkKeyLookupMiss(b *testing.B) {
	c := New(Settings{})
	r := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		k, _ := c.Key(r)
		if _, st := c.Lookup(k, r); st != Miss {
			b.Fatal(st)
		}
	}
}

func BenchmarkLookupHit(b *testing.B) {
	c := New(Settings{})
	r := benchRequest()
	k := storeOK(b, c, r, 200, hdr("Cache-Control", "max-age=3600", "Vary", "Accept"), `{"status":"ok"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, st := c.Lookup(k, r); st != Fresh {
			b.Fatal(st)
		}
	}
}

func BenchmarkLookupHitParallel(b *testing.B) {
	c := New(Settings{})
	keys := make([]Key, 64)
	reqs := make([]Request, 64)
	for i := range keys {
		reqs[i] = get(fmt.Sprintf("/api/v1/sessions/%d", i), "X-API-Key", "k")
		keys[i] = storeOK(b, c, reqs[i], 200, hdr("Cache-Control", "max-age=3600"), "x")
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Lookup(keys[i%64], reqs[i%64])
			i++
		}
	})
}

func BenchmarkKeyPostJSON(b *testing.B) {
	c := New(Settings{})
	r := post("/api/v1/search/find", `{"query":"what changed","target_uri":"viking://user/a","limit":10,"score_threshold":0.5}`)
	b.ReportAllocs()
	for b.Loop() {
		c.Key(r)
	}
}

func BenchmarkStore(b *testing.B) {
	c := New(Settings{})
	r := benchRequest()
	k, _ := c.Key(r)
	h := hdr("Cache-Control", "max-age=60", "Content-Type", "application/json", "Etag", `"v1"`)
	body := []byte(`{"status":"ok","result":{"session_id":"abc123"}}`)
	b.ReportAllocs()
	for b.Loop() {
		c.Store(k, r, 200, h, body)
	}
}

func BenchmarkWriteTo(b *testing.B) {
	c := New(Settings{})
	r := benchRequest()
	k := storeOK(b, c, r, 200, hdr("Cache-Control", "max-age=3600", "Content-Type", "application/json"), `{"status":"ok"}`)
	e, _ := c.Lookup(k, r)
	b.ReportAllocs()
	for b.Loop() {
		e.WriteTo(httptest.NewRecorder(), t0, XCacheHit)
	}
}

package cache

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// miniProxy is the flow package doc describes, as the real proxy is
// expected to run it, against a real origin on loopback.
type miniProxy struct {
	c      *Cache
	clk    *clock
	origin string
}

func (p *miniProxy) ServeHTTP(w http.ResponseWriter, in *http.Request) {
	r := Request{HTTP: in}
	k, ok := p.c.Key(r)
	if !ok {
		http.Error(w, "bypass", http.StatusNotImplemented)
		return
	}
	e, st := p.c.Lookup(k, r)
	switch st {
	case Fresh:
		e.WriteTo(w, p.clk.Now(), XCacheHit)
		return
	case StaleWhileRevalidate:
		e.WriteTo(w, p.clk.Now(), XCacheStale)
		return
	}
	p.forward(w, r, k, e)
}

func (p *miniProxy) forward(w http.ResponseWriter, r Request, k Key, e *Entry) {
	out, _ := http.NewRequest(r.HTTP.Method, p.origin+r.HTTP.URL.RequestURI(), nil)
	if e != nil {
		etag, _ := e.Validators()
		out.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(out)
	if err != nil {
		if s, ok := p.c.Stale(k, r); ok {
			s.WriteTo(w, p.clk.Now(), XCacheStale)
			return
		}
		http.Error(w, "upstream down", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusNotModified && e != nil {
		if f := p.c.Freshen(k, r, e, resp.Header); f != nil {
			f.WriteTo(w, p.clk.Now(), XCacheRevalidated)
			return
		}
	}
	p.c.Store(k, r, resp.StatusCode, resp.Header, body)
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}

func TestFlowAgainstRealOrigin(t *testing.T) {
	var hits atomic.Int32
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Etag", `"v1"`)
		w.Header().Set("Cache-Control", "max-age=10")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	}))
	c, clk := newTestCache(Settings{})
	front := httptest.NewServer(&miniProxy{c: c, clk: clk, origin: origin.URL})
	defer front.Close()

	steps := []struct {
		name    string
		advance time.Duration
		down    bool
		xcache  string
		hits    int32
	}{
		{"miss goes to origin", 0, false, "", 1},
		{"fresh hit", 5 * time.Second, false, "HIT", 1},
		{"stale is revalidated", 10 * time.Second, false, "REVALIDATED", 2},
		{"fresh again after 304", 5 * time.Second, false, "HIT", 2},
		{"origin down serves stale", 20 * time.Second, true, "STALE", 2},
	}
	for _, s := range steps {
		clk.Add(s.advance)
		if s.down {
			origin.Close()
		}
		res, err := http.Get(front.URL + "/api/v1/sessions/s1")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Header.Get("X-Cache") != s.xcache || string(body) != `{"status":"ok"}` || hits.Load() != s.hits {
			t.Errorf("%s: X-Cache=%q body=%q origin hits=%d, want %q and %d hits",
				s.name, res.Header.Get("X-Cache"), body, hits.Load(), s.xcache, s.hits)
		}
	}
}

package cache

import (
	"net/http"
	"testing"
	"time"
)

// An outage copy is stored without freshness: never served as a hit, only
// when the upstreams fail, within the stale-if-error window.
func TestOutageCopyIsOnlyServedStale(t *testing.T) {
	c, clk := newTestCache(Settings{})
	plain := get("/api/v1/sessions/s1", "X-OpenViking-User", "alice")
	if k := mustKey(t, c, plain); c.Store(k, plain, 200, hdr("Content-Type", "application/json"), []byte(`{}`)) {
		t.Fatal("a plain GET answer without freshness was stored")
	}
	r := plain
	r.OutageCopy = true
	k := storeOK(t, c, r, 200, hdr("Content-Type", "application/json"), `{"status":"ok"}`)
	if _, st := c.Lookup(k, r); st == Fresh {
		t.Fatal("an outage copy was served as fresh")
	}
	clk.Add(30 * time.Minute)
	e, ok := c.Stale(k, r)
	if !ok || string(e.Body) != `{"status":"ok"}` {
		t.Fatalf("Stale after 30m: %v %v, want the copy", e, ok)
	}
	other := get("/api/v1/sessions/s1", "X-OpenViking-User", "bob")
	other.OutageCopy = true
	if _, ok := c.Stale(mustKey(t, c, other), other); ok {
		t.Fatal("another tenant was served alice's copy")
	}
	clk.Add(31 * time.Minute)
	if _, ok := c.Stale(k, r); ok {
		t.Fatal("a copy past the stale-if-error window was served")
	}
	if c.Store(k, r, http.StatusServiceUnavailable, hdr(), []byte(`{}`)) {
		t.Fatal("a 503 was kept as an outage copy")
	}
	// Nor is any other error the primary gave: a stored 405 once answered
	// a session list for a whole outage.
	list := get("/api/v1/sessions", "X-OpenViking-User", "alice")
	list.OutageCopy = true
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusGone, http.StatusNotImplemented} {
		if c.Store(mustKey(t, c, list), list, status, hdr("Content-Type", "application/json"), []byte(`{"status":"error"}`)) {
			t.Errorf("a %d was kept as an outage copy", status)
		}
	}
}

// Peek reads what Stale would serve without counting it as served.
func TestPeekDoesNotCountAsServed(t *testing.T) {
	c, _ := newTestCache(Settings{})
	r := get("/api/v1/sessions/s1")
	r.OutageCopy = true
	k := storeOK(t, c, r, 200, hdr(), `{"status":"ok"}`)
	if e, ok := c.Peek(k, r); !ok || string(e.Body) != `{"status":"ok"}` {
		t.Fatalf("Peek = %v, %v", e, ok)
	}
	if n := c.Snapshot().StaleServed; n != 0 {
		t.Fatalf("Peek counted %d stale answers, want 0", n)
	}
	if _, ok := c.Stale(k, r); !ok || c.Snapshot().StaleServed != 1 {
		t.Fatalf("Stale after Peek: ok %v, served %d", ok, c.Snapshot().StaleServed)
	}
}

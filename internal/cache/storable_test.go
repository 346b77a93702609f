package cache

import (
	"net/http"
	"strings"
	"testing"
)

func TestStoreRFCStorability(t *testing.T) {
	fresh := []string{"Cache-Control", "max-age=60"}
	tests := []struct {
		name   string
		r      Request
		status int
		h      []string
		want   bool
	}{
		{"200", get("/r"), 200, fresh, true},
		{"203", get("/r"), 203, fresh, true},
		{"204", get("/r"), 204, fresh, true},
		{"300", get("/r"), 300, fresh, true},
		{"301", get("/r"), 301, fresh, true},
		{"404", get("/r"), 404, fresh, true},
		{"405", get("/r"), 405, fresh, true},
		{"410", get("/r"), 410, fresh, true},
		{"414", get("/r"), 414, fresh, true},
		{"501", get("/r"), 501, fresh, true},
		{"201 not heuristic", get("/r"), 201, fresh, false},
		{"302", get("/r"), 302, fresh, false},
		{"500", get("/r"), 500, fresh, false},
		{"503", get("/r"), 503, fresh, false},
		{"head 200", req(http.MethodHead, "/r"), 200, fresh, true},
		{"no freshness nor validators not stored", get("/r"), 200, nil, false},
		{"validators alone kept for revalidation", get("/r"), 200, []string{"Etag", `"v1"`}, true},
		{"response no-store", get("/r"), 200, []string{"Cache-Control", "max-age=60, no-store"}, false},
		{"request no-store", get("/r", "Cache-Control", "no-store"), 200, fresh, false},
		{"private", get("/r"), 200, []string{"Cache-Control", "private, max-age=60"}, false},
		{"private qualified", get("/r"), 200, []string{"Cache-Control", `private="X-A", max-age=60`}, false},
		{"set-cookie", get("/r"), 200, []string{"Cache-Control", "max-age=60", "Set-Cookie", "s=1"}, false},
		{"vary star", get("/r"), 200, []string{"Cache-Control", "max-age=60", "Vary", "Accept, *"}, false},
		{"response no-cache stored", get("/r"), 200, []string{"Cache-Control", "no-cache", "Etag", `"v1"`}, true},
		{"auth plain", get("/r", "Authorization", "Bearer t"), 200, fresh, false},
		{"auth public", get("/r", "Authorization", "Bearer t"), 200, []string{"Cache-Control", "public, max-age=60"}, true},
		{"auth s-maxage", get("/r", "Authorization", "Bearer t"), 200, []string{"Cache-Control", "s-maxage=60"}, true},
		{"auth must-revalidate", get("/r", "Authorization", "Bearer t"), 200, []string{"Cache-Control", "must-revalidate, max-age=5"}, true},
		{"api key is not Authorization", get("/r", "X-API-Key", "k"), 200, fresh, true},
		{"post 200", post("/q", "{}"), 200, nil, true},
		{"post 404", post("/q", "{}"), 404, fresh, false},
		{"post 204", post("/q", "{}"), 204, fresh, false},
		{"post with auth", post("/q", "{}", "Authorization", "Bearer t"), 200, nil, true},
		{"post private", post("/q", "{}"), 200, []string{"Cache-Control", "private"}, false},
		{"put", req(http.MethodPut, "/r"), 200, fresh, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(Settings{})
			k, _ := c.Key(tt.r) // uncacheable requests get the zero key; Store must still refuse
			if got := c.Store(k, tt.r, tt.status, hdr(tt.h...), []byte("body")); got != tt.want {
				t.Fatalf("Store = %v, want %v", got, tt.want)
			}
			if tt.want && c.Snapshot().Entries != 1 {
				t.Errorf("entries = %d, want 1", c.Snapshot().Entries)
			}
		})
	}
}

func TestStoreNothingKeepsItWhenNoWindow(t *testing.T) {
	c, _ := newTestCache(Settings{StaleIfError: -1})
	k := mustKey(t, c, get("/r"))
	if c.Store(k, get("/r"), 200, nil, []byte("x")) {
		t.Error("a response fresh for 0s with no stale window is useless and must not be stored")
	}
	if !c.Store(k, get("/r"), 200, hdr("Cache-Control", "max-age=1"), []byte("x")) {
		t.Error("a fresh response must be stored")
	}
}

func TestStoreRefusesAgedBeyondEveryWindow(t *testing.T) {
	c, _ := newTestCache(Settings{StaleIfError: -1})
	k := mustKey(t, c, get("/r"))
	if c.Store(k, get("/r"), 200, hdr("Cache-Control", "max-age=60", "Age", "61"), []byte("x")) {
		t.Error("stored a response already older than its lifetime")
	}
}

func TestStoreMaxEntryBytes(t *testing.T) {
	c, _ := newTestCache(Settings{MaxEntryBytes: 2048})
	fresh := hdr("Cache-Control", "max-age=60")
	k := mustKey(t, c, get("/big"))
	if c.Store(k, get("/big"), 200, fresh, []byte(strings.Repeat("x", 2048))) {
		t.Error("stored an entry over MaxEntryBytes")
	}
	if !c.Store(k, get("/big"), 200, fresh, []byte(strings.Repeat("x", 1024))) {
		t.Error("refused an entry under MaxEntryBytes")
	}
}

func TestStoreRefusalKeepsOlderEntry(t *testing.T) {
	c, _ := newTestCache(Settings{})
	k := storeOK(t, c, get("/r"), 200, hdr("Cache-Control", "max-age=60"), "old")
	if c.Store(k, get("/r"), 503, nil, []byte("down")) {
		t.Fatal("stored a 503")
	}
	if e, st := c.Lookup(k, get("/r")); st != Fresh || string(e.Body) != "old" {
		t.Errorf("older entry lost: %v", st)
	}
}

func TestStoredHeaderDropsHopByHop(t *testing.T) {
	c, _ := newTestCache(Settings{})
	h := hdr("Cache-Control", "max-age=60", "Connection", "close, X-Conn", "X-Conn", "1",
		"Keep-Alive", "t=5", "Age", "3", "X-Cache", "HIT", "Content-Type", "application/json")
	k := storeOK(t, c, get("/r"), 200, h, "{}")
	e, _ := c.Lookup(k, get("/r"))
	for _, name := range []string{"Connection", "X-Conn", "Keep-Alive", "Age", "X-Cache"} {
		if _, ok := e.Header[name]; ok {
			t.Errorf("stored header keeps %s", name)
		}
	}
	if e.Header.Get("Content-Type") != "application/json" {
		t.Error("end-to-end header lost")
	}
	h.Set("Content-Type", "text/plain")
	if e.Header.Get("Content-Type") != "application/json" {
		t.Error("entry shares the caller's header map")
	}
}

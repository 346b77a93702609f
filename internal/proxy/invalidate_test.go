package proxy

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// sessionStore is a primary holding one counter per path: a POST to a
// path's messages adds one to the path, and every GET answers the current
// count with an hour of freshness, so only the cache can answer it stale.
type sessionStore struct {
	count     atomic.Int64
	location  string
	failWrite atomic.Bool
}

func (s *sessionStore) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == "GET" {
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprintf(w, `{"status":"ok","result":{"message_count":%d}}`, s.count.Load())
		return
	}
	if s.failWrite.Load() {
		w.WriteHeader(500)
		return
	}
	s.count.Add(1)
	if s.location != "" {
		w.Header().Set("Location", s.location)
	}
	fmt.Fprint(w, `{"status":"ok"}`)
}

// The incident: in aggressive mode (the plan's force_cache) a session read
// after a message write came from the copy stored before the write, for up
// to an hour. A successful write drops the answers about its target, its
// ancestors (the session itself) and what lies under it.
func TestWriteInvalidatesTheSessionReadEvenInAggressiveMode(t *testing.T) {
	s := &sessionStore{}
	f := newFixture(t, s.serve, nil, ModePrimary)
	f.gw.SetAggressiveCache(true, time.Hour)
	for _, path := range []string{"/api/v1/sessions/s1", "/api/v1/sessions", "/api/v1/sessions/s1/messages"} {
		f.do(t, "GET", path, "")
		if _, by, _ := f.do(t, "GET", path, ""); by != "cache" {
			t.Fatalf("GET %s twice: second from %q, want the cache", path, by)
		}
	}
	f.do(t, "GET", "/api/v1/sessions/s2", "")
	if code, _, _ := f.do(t, "POST", "/api/v1/sessions/s1/messages", `{"role":"user","content":"hi"}`); code != 200 {
		t.Fatalf("write: %d", code)
	}
	for _, path := range []string{"/api/v1/sessions/s1", "/api/v1/sessions", "/api/v1/sessions/s1/messages"} {
		if _, by, body := f.do(t, "GET", path, ""); by != "primary" || !strings.Contains(body, `"message_count":1`) {
			t.Fatalf("GET %s after the write: from %q %s; want the primary's new count", path, by, body)
		}
	}
	if _, by, _ := f.do(t, "GET", "/api/v1/sessions/s2", ""); by != "cache" {
		t.Fatalf("another session's answer was dropped too (served by %q)", by)
	}
}

// Location and Content-Location name more of what changed; a failed write
// and a search (a POST that only reads) change nothing.
func TestInvalidationFollowsLocationButNotFailuresOrSearches(t *testing.T) {
	s := &sessionStore{location: "/doc/7"}
	f := newFixture(t, s.serve, nil, ModePrimary)
	f.do(t, "GET", "/doc/7", "")
	s.failWrite.Store(true)
	f.do(t, "PUT", "/other", "{}")
	if _, by, _ := f.do(t, "GET", "/doc/7", ""); by != "cache" {
		t.Fatalf("after a failed write: from %q, want the cache", by)
	}
	s.failWrite.Store(false)
	f.do(t, "POST", "/api/v1/search/find", `{"query":"x"}`) // answered 200 with the Location
	if _, by, _ := f.do(t, "GET", "/doc/7", ""); by != "cache" {
		t.Fatalf("after a search: from %q, want the cache", by)
	}
	f.do(t, "PUT", "/other", "{}")
	if _, by, _ := f.do(t, "GET", "/doc/7", ""); by != "primary" {
		t.Fatalf("after a write whose Location names it: from %q, want the primary", by)
	}
}

package proxy

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// standIn answers fallback requests itself, as the journal and the
// translator do, and counts them.
type standIn struct{ calls atomic.Int64 }

func (s *standIn) RoundTrip(r *http.Request) (*http.Response, error) {
	s.calls.Add(1)
	body := `{"status":"ok","result":"stand-in"}`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}

func TestFallbackTransportServesTheFallbackSide(t *testing.T) {
	s := &standIn{}
	f := newFixtureWith(t, nil, nil, ModeFallback, func(o *Options) { o.FallbackTransport = s })
	code, by, body := f.do(t, "POST", "/api/v1/sessions", `{}`)
	if code != 200 || by != "fallback" || !strings.Contains(body, "stand-in") {
		t.Fatalf("got %d from %q: %s; want the stand-in's answer", code, by, body)
	}
	if s.calls.Load() != 1 || f.fallback.hits.Load() != 0 {
		t.Fatalf("stand-in calls %d, raw fallback hits %d; want 1 and 0", s.calls.Load(), f.fallback.hits.Load())
	}
	if code, by, _ := f.do(t, "GET", "/api/v1/sessions/a", ""); code != 200 || by != "fallback" {
		t.Fatalf("GET in fallback mode: %d from %q", code, by)
	}
	if err := f.gw.SetRouting(Routing{Mode: ModePrimary, PrimaryWeight: 100}); err != nil {
		t.Fatal(err)
	}
	if _, by, _ := f.do(t, "GET", "/api/v1/sessions/a", ""); by != "primary" || s.calls.Load() != 2 {
		t.Fatalf("primary mode: served by %q, stand-in calls %d; want primary and 2", by, s.calls.Load())
	}
}

func TestBackupReplaysRefusedWritesOnTheFallbackTransport(t *testing.T) {
	s := &standIn{}
	f := newFixtureWith(t, nil, nil, ModeBackup, func(o *Options) {
		o.FallbackTransport = s
		o.Primary = mustURL(t, closedURL(t))
	})
	code, by, _ := f.do(t, "POST", "/api/v1/sessions/s1/messages", `{"role":"user","content":"hi"}`)
	if code != 200 || by != "fallback" || s.calls.Load() != 1 {
		t.Fatalf("write with the primary refusing: %d from %q, stand-in calls %d", code, by, s.calls.Load())
	}
}

func TestPinnedRequestsSkipThePrimaryAndTheCache(t *testing.T) {
	s := &standIn{}
	cacheable := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, `{"status":"ok","result":"primary"}`)
	}
	var held atomic.Bool
	pin := func(r *http.Request) bool { return held.Load() && r.URL.Path == "/api/v1/sessions/s1" }
	f := newFixtureWith(t, cacheable, nil, ModePrimary, func(o *Options) { o.FallbackTransport, o.Pin = s, pin })
	// The primary's answer is cached before the journal takes the session.
	for range 2 {
		if _, by, _ := f.do(t, "GET", "/api/v1/sessions/s1", ""); by != "primary" && by != "cache" {
			t.Fatalf("unpinned: served by %q", by)
		}
	}
	held.Store(true)
	for range 2 {
		if _, by, body := f.do(t, "GET", "/api/v1/sessions/s1", ""); by != "fallback" || !strings.Contains(body, "stand-in") {
			t.Fatalf("pinned: served by %q: %s", by, body)
		}
	}
	if f.primary.hits.Load() != 1 || s.calls.Load() != 2 {
		t.Fatalf("primary hits %d, stand-in calls %d; want 1 and 2", f.primary.hits.Load(), s.calls.Load())
	}
}

func TestSessionReadsFallBackToTheOutageCopy(t *testing.T) {
	var down atomic.Bool
	primary := func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			failWith(503)(w, r)
			return
		}
		io.WriteString(w, `{"status":"ok","result":{"session_id":"s1","message_count":3}}`)
	}
	f := newFixture(t, primary, failWith(503), ModeBackup)
	if code, by, _ := f.do(t, "GET", "/api/v1/sessions/s1", ""); code != 200 || by != "primary" {
		t.Fatalf("before the outage: %d from %q", code, by)
	}
	if code, by, _ := f.do(t, "GET", "/api/v1/sessions/s1", ""); code != 200 || by != "primary" {
		t.Fatalf("an outage copy must never answer while the primary does: %d from %q", code, by)
	}
	f.do(t, "GET", "/api/v1/tasks/t1", "")
	down.Store(true)
	code, by, body := f.do(t, "GET", "/api/v1/sessions/s1", "")
	if code != 200 || by != "cache" || !strings.Contains(body, `"message_count":3`) {
		t.Fatalf("during the outage: %d from %q: %s; want the primary's last answer from the cache", code, by, body)
	}
	if code, _, _ := f.do(t, "GET", "/api/v1/tasks/t1", ""); code != 503 {
		t.Fatalf("a GET outside the sessions class got %d; only that class keeps outage copies", code)
	}
}

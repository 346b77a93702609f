package proxy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// hungTransport is an upstream that never answers: every request waits
// until its context ends, as one waiting for a connection held by a hung
// primary does inside http.Transport.
type hungTransport struct{}

func (hungTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// okTransport answers every request at once.
type okTransport struct{}

func (okTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"status":"ok"}`)), ContentLength: 15, Request: r}, nil
}

// inBubble serves one request through a gateway whose primary hangs, in a
// synctest bubble, and returns the answer and how long it took on the
// bubble's clock.
func inBubble(t *testing.T, mode Mode, method, path, body string) (*httptest.ResponseRecorder, time.Duration, *stats.Recorder) {
	t.Helper()
	var rec *httptest.ResponseRecorder
	var took time.Duration
	var st *stats.Recorder
	synctest.Test(t, func(t *testing.T) {
		u, _ := url.Parse("http://upstream.test")
		table := route.New(route.Defaults())
		st = stats.NewRecorder(TargetNames, table.Names(), stats.WindowSettings{})
		g := New(Options{Primary: u, Fallback: u, Transport: hungTransport{}, FallbackTransport: okTransport{},
			Routes: table, Stats: st, Routing: Routing{Mode: mode, PrimaryWeight: 100}, RetryBodyLimit: 1 << 20})
		req := httptest.NewRequestWithContext(context.Background(), method, path, strings.NewReader(body))
		rec = httptest.NewRecorder()
		start := time.Now()
		g.ServeHTTP(rec, req)
		took = time.Since(start)
	})
	return rec, took, st
}

// A search held by a hung primary is answered by the fallback after the
// search class's per-try timeout, the plan's 5 s, inside the same client
// request; the primary's try counts as a timeout.
func TestHungPrimarySearchIsAnsweredByTheFallbackAfterItsTryTimeout(t *testing.T) {
	rec, took, st := inBubble(t, ModeBackup, "POST", "/api/v1/search/find", `{"query":"x"}`)
	if rec.Code != 200 || rec.Header().Get(upstreamHeaderKey) != "fallback" {
		t.Fatalf("got %d from %q, want 200 from the fallback", rec.Code, rec.Header().Get(upstreamHeaderKey))
	}
	if took != 5*time.Second {
		t.Fatalf("answered after %s, want the search class's 5s", took)
	}
	if c := st.Totals(primary, nil); c.Timeouts != 1 || c.Requests != 1 {
		t.Fatalf("primary outcomes %+v, want one timeout", c)
	}
}

// A request that cannot be replayed (a session write) waits the header
// timeout, 30 s, for the primary, never the 60 s request timeout, and
// gets a 504.
func TestHungPrimaryWriteGetsA504AfterTheHeaderTimeout(t *testing.T) {
	rec, took, _ := inBubble(t, ModeBackup, "POST", "/api/v1/sessions/s1/messages", `{"role":"user"}`)
	if rec.Code != http.StatusGatewayTimeout {
		t.Fatalf("got %d, want 504", rec.Code)
	}
	if took != 30*time.Second {
		t.Fatalf("answered after %s, want the 30s header timeout", took)
	}
}

// The wait for one of the capped upstream connections is bounded by the
// header timeout too: with the only connection held by a hung request, a
// second request is answered 504 by the gateway rather than left waiting
// for the request timeout. Real transport, real sockets.
func TestWaitForAConnectionIsBounded(t *testing.T) {
	release := make(chan struct{})
	up := newBackend(t, "hung", func(http.ResponseWriter, *http.Request) { <-release })
	t.Cleanup(func() { close(release) }) // before the backend closes: cleanups run last first
	f := newFixtureWith(t, nil, nil, ModePrimary, func(o *Options) {
		o.Primary = mustURL(t, up.URL)
		o.Transport = NewTransport(TransportSettings{MaxConnsPerHost: 1, ResponseHeaderTimeout: time.Minute})
		o.HeaderTimeout = 200 * time.Millisecond
		o.RequestTimeout = time.Minute
	})
	first := make(chan int, 1)
	go func() {
		resp, err := http.Get(f.front.URL + "/api/v1/tasks/1")
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	client := &http.Client{Timeout: 20 * time.Second} // a bound for the test, far beyond the 200ms asked
	resp, err := client.Get(f.front.URL + "/api/v1/tasks/2")
	if err != nil {
		t.Fatalf("second request: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("second request got %d, want 504", resp.StatusCode)
	}
	if code := <-first; code != http.StatusGatewayTimeout {
		t.Fatalf("first request got %d, want 504", code)
	}
}

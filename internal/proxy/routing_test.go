package proxy

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestModesRouteToTheRightUpstream(t *testing.T) {
	cases := []struct {
		mode Mode
		want string
	}{{ModePrimary, "primary"}, {ModeBackup, "primary"}, {ModeFallback, "fallback"}}
	for _, c := range cases {
		t.Run(c.mode.String(), func(t *testing.T) {
			f := newFixture(t, nil, nil, c.mode)
			code, by, body := f.do(t, "GET", "/api/v1/sessions/s1", "")
			if code != 200 || by != c.want {
				t.Fatalf("got %d from %q (%s), want 200 from %q", code, by, body, c.want)
			}
		})
	}
}

func TestSplitHonoursWeights(t *testing.T) {
	f := newFixture(t, nil, nil, ModeSplit)
	for _, w := range []int{0, 100} {
		if err := f.gw.SetRouting(Routing{Mode: ModeSplit, PrimaryWeight: w}); err != nil {
			t.Fatal(err)
		}
		p0, f0 := f.primary.hits.Load(), f.fallback.hits.Load()
		for range 20 {
			f.do(t, "GET", "/x", "")
		}
		dp, df := f.primary.hits.Load()-p0, f.fallback.hits.Load()-f0
		if (w == 0 && (dp != 0 || df != 20)) || (w == 100 && (dp != 20 || df != 0)) {
			t.Fatalf("weight %d: primary got %d, fallback %d of 20", w, dp, df)
		}
	}
	f.gw.SetRouting(Routing{Mode: ModeSplit, PrimaryWeight: 50})
	p0, f0 := f.primary.hits.Load(), f.fallback.hits.Load()
	for range 200 {
		f.do(t, "GET", "/x", "")
	}
	if dp, df := f.primary.hits.Load()-p0, f.fallback.hits.Load()-f0; dp < 50 || df < 50 {
		t.Fatalf("weight 50 over 200 requests: primary %d, fallback %d; both should be near 100", dp, df)
	}
}

func TestBackupReplaysIdempotentRequestsOnFallback(t *testing.T) {
	f := newFixture(t, failWith(503), nil, ModeBackup)
	code, by, _ := f.do(t, "GET", "/api/v1/sessions/s1", "")
	if code != 200 || by != "fallback" {
		t.Fatalf("GET after primary 503: got %d from %q, want 200 from fallback", code, by)
	}
	code, by, body := f.do(t, "POST", "/api/v1/search/find", `{"query":"q"}`)
	if code != 200 || by != "fallback" || body != `{"status":"ok","result":"fallback"}` {
		t.Fatalf("idempotent POST search: got %d from %q body %s", code, by, body)
	}
	if got := f.fallback.hits.Load(); got != 2 {
		t.Fatalf("fallback hits = %d, want 2", got)
	}
}

func TestBackupDoesNotReplayNonIdempotentAfterUpstreamSawIt(t *testing.T) {
	f := newFixture(t, failWith(503), nil, ModeBackup)
	code, by, _ := f.do(t, "POST", "/api/v1/sessions/s1/messages", `{"role":"user","content":"hi"}`)
	if code != 503 || by != "primary" {
		t.Fatalf("non-idempotent POST: got %d from %q, want the primary's 503", code, by)
	}
	if f.fallback.hits.Load() != 0 {
		t.Fatal("a write the primary may have applied was replayed on the fallback")
	}
}

func TestBackupReplaysAnyMethodWhenPrimaryRefusesConnections(t *testing.T) {
	var got []byte
	f := newFixture(t, nil, func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		io.WriteString(w, "ok")
	}, ModeBackup)
	f.gw.upstreams[primary] = newUpstream("primary", mustURL(t, closedURL(t)))
	code, by, _ := f.do(t, "POST", "/api/v1/sessions/s1/messages", `{"role":"user","content":"hi"}`)
	if code != 200 || by != "fallback" {
		t.Fatalf("POST with primary refusing: got %d from %q, want 200 from fallback", code, by)
	}
	if string(got) != `{"role":"user","content":"hi"}` {
		t.Fatalf("fallback received body %q, want the client's body intact", got)
	}
}

func TestPrimaryModeReportsConnectErrorAs502Envelope(t *testing.T) {
	f := newFixture(t, nil, nil, ModePrimary)
	f.gw.upstreams[primary] = newUpstream("primary", mustURL(t, closedURL(t)))
	code, _, body := f.do(t, "GET", "/api/v1/sessions/s1", "")
	if code != 502 || !strings.Contains(body, `"code":"UNAVAILABLE"`) || !strings.Contains(body, `"status":"error"`) {
		t.Fatalf("got %d %s, want 502 with an OpenViking error envelope", code, body)
	}
	if f.fallback.hits.Load() != 0 {
		t.Fatal("primary mode must not use the fallback")
	}
}

func TestTimeoutIs504(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, nil, ModePrimary)
	f.gw.timeout = 100 * time.Millisecond
	code, _, body := f.do(t, "GET", "/slow", "")
	if code != 504 || !strings.Contains(body, "DEADLINE_EXCEEDED") {
		t.Fatalf("got %d %s, want 504 DEADLINE_EXCEEDED", code, body)
	}
}

func TestModeSwitchKeepsInFlightRequests(t *testing.T) {
	started, release := make(chan struct{}, 10), make(chan struct{})
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		io.WriteString(w, "primary-done")
	}, nil, ModePrimary)
	var wg sync.WaitGroup
	results := make(chan string, 5)
	for range 5 {
		wg.Go(func() {
			_, by, body := f.do(t, "GET", "/slow", "")
			results <- by + ":" + body
		})
	}
	for range 5 {
		<-started
	}
	if err := f.gw.SetRouting(Routing{Mode: ModeFallback}); err != nil {
		t.Fatal(err)
	}
	if _, by, _ := f.do(t, "GET", "/new", ""); by != "fallback" {
		t.Fatalf("new request after switch served by %q, want fallback", by)
	}
	close(release)
	wg.Wait()
	close(results)
	for r := range results {
		if r != "primary:primary-done" {
			t.Fatalf("in-flight request result %q, want it completed by the primary", r)
		}
	}
}

func TestClientGoneIsNotTheUpstreamsFault(t *testing.T) {
	entered := make(chan struct{})
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}, nil, ModePrimary)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", f.front.URL+"/api/v1/sessions/s1", nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	cancel()
	<-done
	rt := f.gw.routes.Match("GET", "/api/v1/sessions/s1")
	waitFor(t, func() bool { return f.stats.Window(client, rt, time.Now()).ClientGone == 1 })
	s := f.stats.Window(primary, rt, time.Now())
	if s.ServerErrors+s.ConnectErrors+s.Timeouts != 0 || s.ClientGone != 1 {
		t.Fatalf("primary stats after client hang-up: %+v; want one client_gone and no failures", s)
	}
}

func TestUpgradeIsRefused(t *testing.T) {
	f := newFixture(t, nil, nil, ModePrimary)
	code, _, _ := f.do(t, "GET", "/ws", "", "Upgrade", "websocket", "Connection", "Upgrade")
	if code != http.StatusNotImplemented || f.primary.hits.Load() != 0 {
		t.Fatalf("upgrade: got %d with %d primary hits, want 501 and none", code, f.primary.hits.Load())
	}
}

func TestHopByHopHeadersStrippedAndForwardedForAdded(t *testing.T) {
	var seen http.Header
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("X-Upstream", "yes")
	}, nil, ModePrimary)
	req, _ := http.NewRequest("GET", f.front.URL+"/x", nil)
	req.Header.Set("Connection", "X-Secret-Hop")
	req.Header.Set("X-Secret-Hop", "1")
	req.Header.Set("Proxy-Authorization", "Basic abc")
	req.Header.Set("X-API-Key", "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if seen.Get("X-Secret-Hop") != "" || seen.Get("Proxy-Authorization") != "" {
		t.Fatalf("hop-by-hop headers forwarded: %v", seen)
	}
	if seen.Get("X-API-Key") != "k" || seen.Get("X-Forwarded-For") != "127.0.0.1" || seen.Get("X-Forwarded-Proto") != "http" {
		t.Fatalf("end-to-end headers wrong: %v", seen)
	}
	if resp.Header.Get("Keep-Alive") != "" || resp.Header.Get("X-Upstream") != "yes" {
		t.Fatalf("response headers wrong: %v", resp.Header)
	}
}

// waitFor polls a condition that becomes true after asynchronous work, with
// a bound so a failure cannot hang the suite.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

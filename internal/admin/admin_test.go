package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// newAPI serves the admin API over a real gateway on loopback.
func newAPI(t *testing.T, token string) (*httptest.Server, *proxy.Gateway, *event.Ring) {
	t.Helper()
	gw, _ := newGateway(t)
	ring := event.NewRing(16)
	srv := serve(t, testOptions(gw, token, ring))
	return srv, gw, ring
}

// newGateway builds a real gateway in primary mode over a loopback upstream.
func newGateway(t *testing.T) (*proxy.Gateway, *route.Table) {
	t.Helper()
	up := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	routes := route.New(config.DefaultRoutes())
	gw := proxy.New(proxy.Options{Primary: u, Fallback: u, Routes: routes,
		Stats:   stats.NewRecorder(proxy.TargetNames, routes.Names(), stats.WindowSettings{}),
		Routing: proxy.Routing{Mode: proxy.ModePrimary, PrimaryWeight: 100}, CacheEnabled: true})
	return gw, routes
}

func testOptions(gw *proxy.Gateway, token string, ring *event.Ring) Options {
	return Options{Gateway: gw, Token: token, MaxBodyBytes: 1024, Events: ring,
		Defaults: Defaults{Breaker: breaker.Settings{FailureThreshold: 5, RecoveryTimeout: 30 * time.Second},
			Queue: queue.Settings{MaxConcurrent: 10, MaxQueueSize: 10, Timeout: time.Second}, AggressiveTTL: time.Hour}}
}

func serve(t *testing.T, o Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(o))
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, srv *httptest.Server, method, path, ctype, body string, hdr ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: response is not JSON: %s", method, path, raw)
	}
	return resp.StatusCode, out
}

const jsonCT = "application/json"

// The operations plan's Level 1 and Level 2 calls, verbatim.
func TestPlanCallsChangeState(t *testing.T) {
	srv, gw, ring := newAPI(t, "")
	for _, c := range []struct{ path, body string }{
		{"/admin/circuit-breaker/enable", `{"failure_threshold": 5, "recovery_timeout": 30}`},
		{"/admin/cache/resize", `{"max_size": 2000}`},
		{"/admin/queue/enable", `{"max_queue_size": 1000, "timeout_ms": 30000}`},
		{"/admin/cache/aggressive", `{"cache_ttl_seconds": 3600, "force_cache": true}`},
		{"/admin/route", `{"mode": "backup"}`},
	} {
		if code, out := call(t, srv, "POST", c.path, jsonCT, c.body); code != 200 || out["status"] != "ok" {
			t.Fatalf("POST %s: %d %v", c.path, code, out)
		}
	}
	b := gw.Breaker().Snapshot().Settings
	q := gw.Queue().Snapshot().Settings
	cs := gw.CacheStore().Snapshot()
	if b.FailureThreshold != 5 || b.RecoveryTimeout != 30*time.Second || q.MaxQueueSize != 1000 ||
		q.Timeout != 30*time.Second || cs.MaxEntries != 2000 || !cs.Aggressive || cs.AggressiveTTL != time.Hour ||
		gw.Routing().Mode != proxy.ModeBackup {
		t.Fatalf("state after plan calls: breaker %+v queue %+v cache %+v routing %v", b, q, cs, gw.Routing())
	}
	if got := len(ring.Recent(100)); got < 5 {
		t.Fatalf("admin changes recorded as events: %d, want at least 5", got)
	}
}

func TestSplitRoutingAndCounterparts(t *testing.T) {
	srv, gw, _ := newAPI(t, "")
	if code, _ := call(t, srv, "POST", "/admin/route", jsonCT, `{"mode":"split","primary_weight":25}`); code != 200 {
		t.Fatalf("split: %d", code)
	}
	if r := gw.Routing(); r.Mode != proxy.ModeSplit || r.PrimaryWeight != 25 {
		t.Fatalf("routing %+v, want split 25", r)
	}
	call(t, srv, "POST", "/admin/circuit-breaker/enable", jsonCT, `{}`)
	call(t, srv, "POST", "/admin/queue/enable", "", "")
	for _, p := range []string{"/admin/circuit-breaker/disable", "/admin/queue/disable", "/admin/cache/disable"} {
		if code, _ := call(t, srv, "POST", p, "", ""); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}
	if gw.Breaker() != nil || gw.Queue() != nil || gw.CacheEnabled() {
		t.Fatal("disable calls did not disable")
	}
	for _, p := range []string{"/admin/circuit-breaker", "/admin/queue", "/admin/cache", "/admin/route"} {
		if code, out := call(t, srv, "GET", p, "", ""); code != 200 || out["result"] == nil {
			t.Fatalf("GET %s: %d %v", p, code, out)
		}
	}
}

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	srv, gw, _ := newAPI(t, "")
	call(t, srv, "POST", "/admin/circuit-breaker/enable", jsonCT, `{"failure_threshold": 5, "recovery_timeout": 30}`)
	before := snapshotState(gw)
	cases := []struct{ path, ctype, body, field string }{
		{"/admin/circuit-breaker/enable", jsonCT, `{"failure_threshold": 5,`, "body"},
		{"/admin/circuit-breaker/enable", jsonCT, `{"failure_threshold": 5, "recovery_timout": 30}`, "recovery_timout"},
		{"/admin/circuit-breaker/enable", jsonCT, `{"failure_threshold": "five"}`, "failure_threshold"},
		{"/admin/circuit-breaker/enable", jsonCT, `{"failure_threshold": -1}`, "failure_threshold"},
		{"/admin/circuit-breaker/enable", jsonCT, `{"recovery_timeout": 1e12}`, "recovery_timeout"},
		{"/admin/circuit-breaker/enable", "text/plain", `{"failure_threshold": 3}`, "Content-Type"},
		{"/admin/circuit-breaker/enable", jsonCT, `{"failure_threshold": 3} {"x":1}`, "body"},
		{"/admin/cache/resize", jsonCT, `{"max_size": 0}`, "max_size"},
		{"/admin/cache/resize", jsonCT, `{"max_size": 2000.5}`, "max_size"},
		{"/admin/cache/resize", jsonCT, `{}`, "max_size"},
		{"/admin/cache/resize", jsonCT, `[2000]`, "body"},
		{"/admin/cache/resize", jsonCT, `{"max_size": 99999999999}`, "max_size"},
		{"/admin/cache/resize", jsonCT, `{"max_size": 2000, "pad": "` + strings.Repeat("x", 2000) + `"}`, "body"},
		{"/admin/queue/enable", jsonCT, `{"max_queue_size": 1000, "timeout_ms": -5}`, "timeout_ms"},
		{"/admin/queue/enable", jsonCT, `{"max_queue_size": true}`, "max_queue_size"},
		{"/admin/cache/aggressive", jsonCT, `{"cache_ttl_seconds": 0, "force_cache": true}`, "cache_ttl_seconds"},
		{"/admin/cache/aggressive", jsonCT, `{"cache_ttl_seconds": 3600, "force_cache": "yes"}`, "force_cache"},
		{"/admin/route", jsonCT, `{"mode": "sideways"}`, "mode"},
		{"/admin/route", jsonCT, `{"mode": "split"}`, "primary_weight"},
		{"/admin/route", jsonCT, `{"mode": "split", "primary_weight": 101}`, "primary_weight"},
		{"/admin/route", jsonCT, `{"mode": "backup", "primary_weight": 50}`, "primary_weight"},
		{"/admin/route", jsonCT, `{}`, "mode"},
		{"/admin/queue/disable", jsonCT, `{"now": true}`, "now"},
	}
	for _, c := range cases {
		code, out := call(t, srv, "POST", c.path, c.ctype, c.body)
		e, _ := out["error"].(map[string]any)
		if code != 400 || e == nil || e["field"] != c.field || !strings.Contains(e["message"].(string), c.field) {
			t.Errorf("POST %s %s: got %d %v, want 400 naming %q", c.path, trim(c.body), code, out, c.field)
		}
		if after := snapshotState(gw); after != before {
			t.Fatalf("POST %s %s changed state:\n before %+v\n after  %+v", c.path, trim(c.body), before, after)
		}
	}
}

func trim(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

type state struct {
	mode                      proxy.Mode
	weight, threshold, qsize  int
	recovery                  time.Duration
	cacheMax                  int
	aggressive, cache, queued bool
}

func snapshotState(gw *proxy.Gateway) state {
	s := state{mode: gw.Routing().Mode, weight: gw.Routing().PrimaryWeight, cache: gw.CacheEnabled()}
	if b := gw.Breaker(); b != nil {
		s.threshold, s.recovery = b.Snapshot().Settings.FailureThreshold, b.Snapshot().Settings.RecoveryTimeout
	}
	if q := gw.Queue(); q != nil {
		s.queued, s.qsize = true, q.Snapshot().Settings.MaxQueueSize
	}
	cs := gw.CacheStore().Snapshot()
	s.cacheMax, s.aggressive = cs.MaxEntries, cs.Aggressive
	return s
}

func TestTokenIsRequiredWhenConfigured(t *testing.T) {
	srv, gw, _ := newAPI(t, "s3cret")
	for _, auth := range []string{"", "Bearer wrong", "s3cret", "Bearer s3cre", "Basic s3cret"} {
		code, _ := call(t, srv, "POST", "/admin/route", jsonCT, `{"mode":"fallback"}`, "Authorization", auth)
		if code != 401 {
			t.Fatalf("Authorization %q: got %d, want 401", auth, code)
		}
	}
	if gw.Routing().Mode != proxy.ModePrimary {
		t.Fatal("an unauthorised call changed the routing")
	}
	if code, _ := call(t, srv, "POST", "/admin/route", jsonCT, `{"mode":"fallback"}`, "Authorization", "Bearer s3cret"); code != 200 {
		t.Fatalf("right token: got %d", code)
	}
}

func TestUnknownAdminPathIs404JSON(t *testing.T) {
	srv, _, _ := newAPI(t, "")
	if code, out := call(t, srv, "POST", "/admin/nope", jsonCT, `{}`); code != 404 || out["status"] != "error" {
		t.Fatalf("got %d %v", code, out)
	}
}

package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/lifeboat-sre/lifeboat/internal/app"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestOpenVikingCallsPassThroughTheGateway(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	a := startApp(t, testConfig(ov.URL(), lr.URL()))
	base := "http://" + a.Addr()
	if code, body := post(t, base+"/api/v1/sessions", `{"session_id":"s1"}`); code != 200 || !strings.Contains(body, `"session_id":"s1"`) {
		t.Fatalf("create session: %d %s", code, body)
	}
	if code, body := post(t, base+"/api/v1/sessions/s1/messages", `{"role":"user","content":"hello"}`); code != 200 || !strings.Contains(body, `"message_count":1`) {
		t.Fatalf("add message: %d %s", code, body)
	}
	if code, body := post(t, base+"/api/v1/search/find", `{"query":"context database","limit":3}`); code != 200 || strings.Contains(body, `"total":0`) {
		t.Fatalf("search: %d %s", code, body)
	}
}

// status reads the gateway's /status document.
func status(t *testing.T, base string) map[string]any {
	t.Helper()
	_, body := get(t, base+"/status")
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("/status is not JSON: %s", body)
	}
	return out
}

func field(doc map[string]any, path ...string) any {
	var v any = doc
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}

// The plan's Level 1 and Level 2 curl commands, sent to a running gateway.
func TestPlanCurlCommandsChangeStatus(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	base := "http://" + startApp(t, testConfig(ov.URL(), lr.URL())).Addr()
	calls := []struct{ path, body, bad string }{
		{"/admin/circuit-breaker/enable", `{"failure_threshold": 7, "recovery_timeout": 45}`, `{"failure_threshold": 0, "recovery_timeout": 45}`},
		{"/admin/cache/resize", `{"max_size": 2000}`, `{"max_size": "2000"}`},
		{"/admin/queue/enable", `{"max_queue_size": 1000, "timeout_ms": 30000}`, `{"max_queue_size": 1000, "timeout": 30000}`},
		{"/admin/cache/aggressive", `{"cache_ttl_seconds": 3600, "force_cache": true}`, `{"cache_ttl_seconds": 3600, "force_cache": true`},
	}
	for _, c := range calls {
		before := status(t, base)
		if code, body := post(t, base+c.path, c.bad); code != 400 {
			t.Fatalf("malformed %s: got %d %s, want 400", c.path, code, body)
		}
		after := status(t, base)
		for _, k := range []string{"circuit_breaker", "queue", "routing"} {
			if !sameJSON(before[k], after[k]) {
				t.Fatalf("malformed %s changed %s: %v -> %v", c.path, k, before[k], after[k])
			}
		}
		if code, body := post(t, base+c.path, c.body); code != 200 {
			t.Fatalf("%s: got %d %s", c.path, code, body)
		}
	}
	st := status(t, base)
	checks := map[string]any{
		"circuit_breaker.failure_threshold": 7.0, "circuit_breaker.recovery_timeout": 45.0,
		"cache.max_size": 2000.0, "queue.enabled": true, "queue.max_queue_size": 1000.0,
		"queue.timeout_ms": 30000.0, "cache.aggressive": true, "cache.cache_ttl_seconds": 3600.0,
	}
	for path, want := range checks {
		if got := field(st, strings.Split(path, ".")...); got != want {
			t.Errorf("/status %s = %v, want %v", path, got, want)
		}
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// primaryModeGateway runs a gateway in primary mode in front of both
// simulators, and returns the primary's simulator and the gateway's URL.
func primaryModeGateway(t *testing.T) (*sim.Server, string) {
	t.Helper()
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(ov.URL(), lr.URL())
	c.Routing.Mode = "primary"
	return ov, "http://" + startApp(t, c).Addr()
}

func TestHealthSpeaksTheServicesVocabulary(t *testing.T) {
	ov, base := primaryModeGateway(t)
	verdict := func() (int, string) {
		code, body := get(t, base+"/lifeboat/health")
		var out struct{ Status string }
		json.Unmarshal([]byte(body), &out)
		return code, out.Status
	}
	eventually(t, "healthy", func() bool { c, s := verdict(); return c == 200 && s == "healthy" })
	if err := ov.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "unhealthy in primary mode", func() bool { c, s := verdict(); return c == 503 && s == "unhealthy" })
	post(t, base+"/admin/route", `{"mode":"backup"}`)
	if c, s := verdict(); c != 200 || s != "degraded" {
		t.Fatalf("backup mode with primary down: %d %q, want 200 degraded", c, s)
	}
	if _, body := get(t, base+"/status"); !strings.Contains(body, `"connect refused"`) {
		t.Fatalf("/status should explain the primary's failed check: %s", body)
	}
}

// /health is OpenViking's: an SDK's health() (status == "ok") holds while
// either side serves, and fails with 503 when neither can.
func TestHealthAnswersOpenVikingClients(t *testing.T) {
	ov, base := primaryModeGateway(t)
	health := func() (int, map[string]any) {
		code, body := get(t, base+"/health")
		var out map[string]any
		json.Unmarshal([]byte(body), &out)
		return code, out
	}
	eventually(t, "ok with the primary up", func() bool { c, h := health(); return c == 200 && h["status"] == "ok" && h["healthy"] == true })
	if err := ov.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "503 in primary mode with the primary down", func() bool {
		c, h := health()
		return c == 503 && h["status"] != "ok" && h["healthy"] == false
	})
	post(t, base+"/admin/route", `{"mode":"backup"}`)
	if c, h := health(); c != 200 || h["status"] != "ok" || field(h, "lifeboat", "status") != "degraded" {
		t.Fatalf("backup mode, the fallback serving: %d %v, want 200 ok (degraded underneath)", c, h)
	}
}

// The acceptance test: in backup mode, kill -9 the primary while a
// client sends GETs at 200 req/s; the client must see no error. Both
// upstreams run the OpenViking simulator here because answering
// OpenViking's API from LightRAG is a later feature; the mechanics under
// test (detection, replay, rerouting) do not depend on the fallback's API.
func TestBackupModeSurvivesPrimaryKill(t *testing.T) {
	primaryURL, proc := startSimProcess(t, "openviking")
	fb := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	c := testConfig(primaryURL, fb.URL())
	c.Routing.Mode = "backup"
	base := "http://" + startApp(t, c).Addr()

	var sent, failed, byFallback atomic.Int64
	var firstErr atomic.Value
	client := &http.Client{Timeout: 5 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	tick := time.NewTicker(5 * time.Millisecond) // 200 requests per second
	defer tick.Stop()
	killAt := time.Now().Add(time.Second)
	killed := false
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
			if !killed && time.Now().After(killAt) {
				if err := proc.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
			sent.Add(1)
			wg.Go(func() {
				resp, err := client.Get(base + "/api/v1/system/status")
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, errors.Join(err, errors.New(respStatus(resp))))
				}
				if resp != nil {
					if resp.Header.Get("X-Lifeboat-Upstream") == "fallback" {
						byFallback.Add(1)
					}
					resp.Body.Close()
				}
			})
		}
	}
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d of %d requests failed around the primary's death; first: %v", failed.Load(), sent.Load(), firstErr.Load())
	}
	if sent.Load() < 300 || byFallback.Load() < 100 {
		t.Fatalf("sent %d, served by fallback %d: the test did not exercise failover", sent.Load(), byFallback.Load())
	}
}

func respStatus(resp *http.Response) string {
	if resp == nil {
		return "no response"
	}
	return resp.Status
}

func TestRefusesAdminOnPublicAddressWithoutToken(t *testing.T) {
	c := testConfig("http://127.0.0.1:1", "http://127.0.0.1:2")
	c.Listen = "0.0.0.0:0"
	c.Admin.TokenEnv = ""
	if _, err := app.New(app.Options{Config: c}); !errors.Is(err, app.ErrUnsafeAdmin) {
		t.Fatalf("New on 0.0.0.0 without token: %v, want ErrUnsafeAdmin", err)
	}
	c.Admin.Token = "t0ken"
	c.Admin.AllowPlaintext = true
	if _, err := app.New(app.Options{Config: c}); err != nil {
		t.Fatalf("with a token, plain HTTP allowed: %v", err)
	}
}

func TestMetricsAndStopTwice(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	a := startApp(t, testConfig(ov.URL(), lr.URL()))
	base := "http://" + a.Addr()
	get(t, base+"/api/v1/system/status")
	_, body := get(t, base+"/metrics")
	for _, want := range []string{
		`lifeboat_requests_total{outcome="ok",route="other",target="primary"} 1`,
		`lifeboat_breaker_state 0`, `lifeboat_upstream_up{upstream="primary"}`, "lifeboat_request_duration_seconds_bucket",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := a.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Stop(ctx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}

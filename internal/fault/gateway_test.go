package fault

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// gatewayOver serves a real gateway whose transport is p's Injector.
func gatewayOver(t *testing.T, p *pair, mode proxy.Mode) (*httptest.Server, *stats.Recorder) {
	t.Helper()
	table := route.New(config.DefaultRoutes())
	rec := stats.NewRecorder(proxy.TargetNames, table.Names(), stats.WindowSettings{})
	gw := proxy.New(proxy.Options{Primary: mustURL(t, p.primary.URL), Fallback: mustURL(t, p.fallback.URL),
		Transport: p.inj, Routes: table, Stats: rec, Routing: proxy.Routing{Mode: mode, PrimaryWeight: 100},
		RequestTimeout: 5 * time.Second, RetryBodyLimit: 1 << 20})
	front := httptest.NewServer(gw)
	t.Cleanup(front.Close)
	return front, rec
}

func TestGatewayFailsOverFromAnInjectedOutage(t *testing.T) {
	p := newPair(t, nil)
	front, rec := gatewayOver(t, p, proxy.ModeBackup)
	p.inj.Set(long(Fault{Down: true}), "test")
	resp, err := http.Post(front.URL+"/api/v1/search/find", "application/json", strings.NewReader(`{"query":"q"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Lifeboat-Upstream") != "fallback" {
		t.Fatalf("got %d from %q: %s", resp.StatusCode, resp.Header.Get("X-Lifeboat-Upstream"), body)
	}
	c := rec.Totals(0, nil)
	if c.ConnectErrors != 1 || c.Requests != 1 || p.primary.hits.Load() != 0 || p.fallback.hits.Load() != 1 {
		t.Fatalf("primary counts %+v, hits %d/%d", c, p.primary.hits.Load(), p.fallback.hits.Load())
	}
}

func TestGatewayPassesInjectedErrorsOn(t *testing.T) {
	p := newPair(t, nil)
	front, rec := gatewayOver(t, p, proxy.ModePrimary)
	p.inj.Set(long(Fault{ErrorRate: 1, ErrorStatus: 500}), "test")
	resp, err := http.Get(front.URL + "/api/v1/sessions/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || !strings.Contains(string(body), `"INTERNAL"`) {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	if c := rec.Totals(0, nil); c.ServerErrors != 1 {
		t.Fatalf("primary counts %+v", c)
	}
}

func TestHealthChecksSeeInjectedFaults(t *testing.T) {
	p := newPair(t, nil)
	client := &http.Client{Transport: p.inj.Wrap(&http.Transport{})}
	s := health.Settings{Timeout: 100 * time.Millisecond}
	probe := health.NewHTTPProber(client, p.primary.URL+"/health", s)
	fallback := health.NewHTTPProber(client, p.fallback.URL+"/health", s)
	for _, c := range []struct {
		f      Fault
		reason string
	}{{Fault{Down: true}, "connect refused"}, {Fault{Hang: true}, "timeout"}, {Fault{CorruptSearch: true}, "ok"}} {
		p.inj.Set(long(c.f), "test")
		if r := probe.Probe(t.Context()); r.Reason != c.reason {
			t.Errorf("%s: primary probe %q, want %q", c.f, r.Reason, c.reason)
		}
		if r := fallback.Probe(t.Context()); !r.OK {
			t.Errorf("%s: fallback probe failed: %s", c.f, r.Reason)
		}
	}
}

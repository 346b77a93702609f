package signal

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestCanaryMatchesSimulator(t *testing.T) {
	if CanaryQuery != sim.CanaryQuery || CanaryURI != sim.CanaryURI || CanaryFilePath != sim.CanaryFilePath {
		t.Fatal("canary constants drifted from the simulators'")
	}
}

// TestProbeCatchesSilentCorruption is the plan's hidden failure: search
// answers total:0 while /health stays green.
func TestProbeCatchesSilentCorruption(t *testing.T) {
	srv := startOpenViking(t, sim.OpenVikingOptions{APIKey: "k3y"})
	probe, err := OpenVikingCanary(nil, srv.URL(), http.Header{sim.HeaderAPIKey: {"k3y"}})
	if err != nil {
		t.Fatal(err)
	}
	hs := health.Settings{JSONField: "status", HealthyValues: []string{"ok"}}
	checker := health.NewChecker("openviking", health.NewHTTPProber(nil, srv.URL()+"/health", hs), hs, health.Hooks{})
	ctx := context.Background()

	r := probe.Read(ctx, t0)
	wantCheck(t, r, false)
	wantDetail(t, r, "POST /api/v1/search/find -> 200", sim.CanaryURI)

	setFault(t, srv, sim.Fault{CorruptSearch: true})
	if res := checker.CheckNow(ctx); !res.OK || checker.State() != health.Up {
		t.Fatalf("health should stay green under corrupt_search: %+v", res)
	}
	r = probe.Read(ctx, t0)
	wantCheck(t, r, true)
	wantDetail(t, r, "found []")
	if strings.Contains(r.Detail, "signal:") {
		t.Fatalf("detail keeps the error prefixes: %q", r.Detail)
	}
}

func TestProbeFailures(t *testing.T) {
	srv := startOpenViking(t, sim.OpenVikingOptions{APIKey: "k3y"})
	ctx := context.Background()

	noKey, _ := OpenVikingCanary(nil, srv.URL(), nil)
	r := noKey.Read(ctx, t0)
	wantCheck(t, r, true)
	wantDetail(t, r, "status 401", "UNAUTHENTICATED")

	probe, _ := OpenVikingCanary(nil, srv.URL(), http.Header{sim.HeaderAPIKey: {"k3y"}})
	setFault(t, srv, sim.Fault{ErrorRate: 1})
	wantCheck(t, probe.Read(ctx, t0), true)
	setFault(t, srv, sim.Fault{Down: true})
	r = probe.Read(ctx, t0)
	wantCheck(t, r, true)
	if !errors.Is(r.Err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable too", r.Err)
	}
	// A cancelled caller makes the reading invalid, not a failure.
	wantInvalid(t, probe.Read(cancelledCtx(), t0), context.Canceled)
}

func TestLightRAGCanary(t *testing.T) {
	srv := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	probe, err := LightRAGCanary(nil, srv.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantCheck(t, probe.Read(context.Background(), t0), false)
	setFault(t, srv, sim.Fault{CorruptSearch: true})
	wantCheck(t, probe.Read(context.Background(), t0), true)
}

func TestFunctionalProbeRequest(t *testing.T) {
	var got *http.Request
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		buf := make([]byte, 100)
		n, _ := r.Body.Read(buf)
		body = string(buf[:n])
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"n":3}`))
	}))
	defer srv.Close()
	probe, err := FunctionalProbe(srv.Client(), srv.URL+"/", http.MethodPut, "/x", []byte(`{"a":1}`),
		http.Header{"X-Tenant": {"t1"}}, Expect{Status: http.StatusAccepted, Path: "n", Min: 3})
	if err != nil {
		t.Fatal(err)
	}
	wantCheck(t, probe.Read(context.Background(), t0), false)
	if got.Method != http.MethodPut || got.URL.Path != "/x" || got.Header.Get("X-Tenant") != "t1" ||
		got.Header.Get("Content-Type") != "application/json" || body != `{"a":1}` {
		t.Fatalf("request = %s %s %v body %q", got.Method, got.URL.Path, got.Header, body)
	}

	strict, _ := FunctionalProbe(srv.Client(), srv.URL, "", "/", nil, nil, Expect{Status: 200, Path: "n", Min: 3})
	r := strict.Read(context.Background(), t0)
	wantCheck(t, r, true)
	wantDetail(t, r, "GET / -> status 202")

	if _, err := FunctionalProbe(nil, srv.URL, "GET", "/", nil, nil, Expect{}); !errors.Is(err, ErrConfig) {
		t.Fatalf("empty expect: err = %v", err)
	}
}

package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// faultGateway serves, as the app does, the admin API and a gateway whose
// transport is a real injector in front of a primary on loopback.
func faultGateway(t *testing.T) (string, *fault.Injector) {
	t.Helper()
	primary := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"status":"ok"}`) }))
	t.Cleanup(primary.Close)
	u, _ := url.Parse(primary.URL)
	inj := fault.New(fault.Options{Primary: u})
	t.Cleanup(inj.Stop)
	routes := route.New(config.DefaultRoutes())
	gw := proxy.New(proxy.Options{Primary: u, Fallback: u, Transport: inj, Routes: routes,
		Stats:   stats.NewRecorder(proxy.TargetNames, routes.Names(), stats.WindowSettings{}),
		Routing: proxy.Routing{Mode: proxy.ModePrimary, PrimaryWeight: 100}})
	api := admin.New(admin.Options{Gateway: gw, Faults: inj})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if api.Owns(r.URL.Path) {
			api.ServeHTTP(w, r)
			return
		}
		gw.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, inj
}

func TestFaultSetShowClear(t *testing.T) {
	addr, inj := faultGateway(t)
	code, out, errs := run(t, []string{"fault", "set", "--down", "--duration", "90s", "--by", "alice", "--addr", addr})
	if code != 0 || !strings.Contains(out, "fault: down for 1m30s") || !strings.Contains(out, "set by: alice") {
		t.Fatalf("set: exit %d %q %q", code, out, errs)
	}
	resp, err := http.Get(addr + "/api/v1/sessions/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 500 {
		t.Fatalf("request through the gateway during an injected outage: %d", resp.StatusCode)
	}
	code, out, _ = run(t, []string{"fault", "show", "--json", "--addr", addr})
	var st fault.Status
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || !st.Fault.Down || st.Remaining() > 90*time.Second {
		t.Fatalf("show: exit %d %v %s", code, err, out)
	}
	if code, out, _ := run(t, []string{"fault", "clear", "--addr", addr}); code != 0 || out != "no fault active\n" || inj.Status().Active {
		t.Fatalf("clear: exit %d %q", code, out)
	}
}

func TestFaultSetSendsEveryKnob(t *testing.T) {
	addr, inj := faultGateway(t)
	args := []string{"fault", "set", "--latency", "300ms", "--jitter", "50ms", "--error-rate", "0.2", "--error-status", "429",
		"--hang", "--corrupt-search", "--duration", "1m", "--addr", addr}
	if code, _, errs := run(t, args); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := fault.Fault{LatencyMS: 300, JitterMS: 50, ErrorRate: 0.2, ErrorStatus: 429, Hang: true, CorruptSearch: true, DurationMS: 60_000}
	if got := inj.Status().Fault; got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestFaultRefusals(t *testing.T) {
	addr, inj := faultGateway(t)
	if code, _, errs := run(t, []string{"fault", "set", "--down", "--addr", addr}); code != 2 || !strings.Contains(errs, "--duration is required") {
		t.Fatalf("no duration: exit %d %q", code, errs)
	}
	if code, _, errs := run(t, []string{"fault", "frobnicate", "--addr", addr}); code != 2 || !strings.Contains(errs, "usage: lifeboat fault") {
		t.Fatalf("unknown verb: exit %d %q", code, errs)
	}
	code, _, errs := run(t, []string{"fault", "set", "--error-rate", "2", "--duration", "1m", "--addr", addr})
	if code != 1 || !strings.Contains(errs, "error_rate") || !strings.Contains(errs, "INVALID_ARGUMENT") || inj.Status().Active {
		t.Fatalf("bad error rate: exit %d %q", code, errs)
	}
}

package app_test

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf/tlstest"
)

// With admin.listen the controls, /status and /metrics answer only there;
// the client address keeps /health and the upstreams' API.
func TestAdminListenerSeparateFromClients(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(ov.URL(), lr.URL())
	c.Admin.Listen = ":0" // no host: loopback
	a := startApp(t, c)
	if host, _, _ := net.SplitHostPort(a.AdminAddr()); host != "127.0.0.1" || a.AdminAddr() == a.Addr() {
		t.Fatalf("admin on %q, clients on %q: want its own loopback address", a.AdminAddr(), a.Addr())
	}
	client, adm := "http://"+a.Addr(), "http://"+a.AdminAddr()
	for _, p := range []string{"/admin/route", "/status", "/metrics", "/lifeboat/health", "/ui/"} {
		if code, body := get(t, client+p); code != http.StatusNotFound {
			t.Errorf("client address %s: %d %.80s, want 404", p, code, body)
		}
		if code, body := get(t, adm+p); code != http.StatusOK {
			t.Errorf("admin address %s: %d %.80s, want 200", p, code, body)
		}
	}
	if code, _ := get(t, client+"/health"); code != http.StatusOK {
		t.Errorf("client address /health: %d, want 200", code)
	}
	if code, _ := get(t, client+"/api/v1/system/status"); code != http.StatusOK {
		t.Errorf("client address still proxies: %d, want 200", code)
	}
	if code, _ := get(t, adm+"/api/v1/system/status"); code != http.StatusNotFound {
		t.Errorf("admin address proxied a client call: %d, want 404", code)
	}
}

// An admin API reachable from other hosts over plain HTTP is refused unless
// allowed, with the reason; TLS or a loopback admin listener is accepted.
func TestRefusesPlaintextAdminOnPublicAddress(t *testing.T) {
	dir := t.TempDir()
	c := testConfig("http://127.0.0.1:1", "http://127.0.0.1:2")
	c.Listen, c.Admin.Token = "0.0.0.0:0", "t0ken"
	_, err := app.New(app.Options{Config: c})
	if !errors.Is(err, app.ErrPlaintextAdmin) || !strings.Contains(err.Error(), `listen "0.0.0.0:0"`) {
		t.Fatalf("admin over plain HTTP on 0.0.0.0: %v, want ErrPlaintextAdmin naming the address", err)
	}
	pair := tlstest.NewCA(t, "ca").Server(t, "gw", "127.0.0.1")
	cases := map[string]func(){
		"allowed":             func() { c.Admin.AllowPlaintext = true },
		"client TLS":          func() { c.TLS = serverTLS(t, dir, pair) },
		"loopback admin":      func() { c.Admin.Listen = "127.0.0.1:0" },
		"admin TLS on public": func() { c.Admin.Listen, c.Admin.TLS = "0.0.0.0:0", serverTLS(t, dir, pair) },
	}
	base := c
	for name, edit := range cases {
		c = base
		edit()
		a, err := app.New(app.Options{Config: c})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		_ = a.Stop(t.Context())
	}
	c = base
	c.Admin.Listen = "0.0.0.0:0"
	if _, err := app.New(app.Options{Config: c}); !errors.Is(err, app.ErrPlaintextAdmin) ||
		!strings.Contains(err.Error(), `admin.listen "0.0.0.0:0"`) {
		t.Fatalf("plain admin.listen on 0.0.0.0: %v, want ErrPlaintextAdmin naming admin.listen", err)
	}
}

// A refused admin call is counted in /metrics.
func TestAdminAuthFailuresCounted(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(ov.URL(), lr.URL())
	c.Admin.Token = "t0ken"
	a := startApp(t, c)
	if code, _ := get(t, "http://"+a.Addr()+"/admin/route"); code != http.StatusUnauthorized {
		t.Fatalf("admin call without a token: %d, want 401", code)
	}
	if _, m := get(t, "http://"+a.Addr()+"/metrics"); !strings.Contains(m, "lifeboat_admin_auth_failures_total 1\n") {
		t.Fatal("/metrics does not count the refused call as lifeboat_admin_auth_failures_total 1")
	}
}

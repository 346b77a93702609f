package app_test

import (
	"bytes"
	"crypto/tls"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf/tlstest"
)

// HTTPS clients reach, over HTTP/2, a primary that requires a client
// certificate under a private CA and a server name that is not its
// address; the health checks use the same settings and see it up.
func TestHTTPSClientsThroughGatewayToMTLSPrimary(t *testing.T) {
	ca, dir, primary, c := mtlsPrimaryConfig(t)
	c.TLS = serverTLS(t, dir, ca.Server(t, "gateway", "127.0.0.1"))
	cert, key := ca.Client(t, "lifeboat").Write(t, dir, "lifeboat-client")
	c.Upstreams.Primary.TLS.CertFile, c.Upstreams.Primary.TLS.KeyFile = cert, key
	a := startApp(t, c)

	client := httpsClient(t, ca.Pool())
	resp, body := fetch(t, client, "https://"+a.Addr()+"/api/v1/system/status")
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
		t.Fatalf("GET over HTTPS: %s %s, want 200 over HTTP/2: %s", resp.Status, resp.Proto, body)
	}
	if primary.verified.Load() == 0 {
		t.Fatal("the primary saw no request with a verified client certificate")
	}
	eventually(t, "primary health checks up over mTLS", func() bool {
		_, st := fetch(t, client, "https://"+a.Addr()+"/status")
		return upstreamStatus(t, st, "primary")["state"] == "up"
	})
	if code, body := get(t, "http://"+a.Addr()+"/health"); code != http.StatusBadRequest {
		t.Errorf("plain HTTP on the TLS listener: %d %s, want Go's 400 for HTTP to an HTTPS server", code, body)
	}
}

// Without its client certificate the gateway is refused by the primary,
// and says so to the client as a 502 rather than reaching it another way.
func TestMTLSPrimaryRefusesGatewayWithoutCertificate(t *testing.T) {
	_, _, primary, c := mtlsPrimaryConfig(t)
	a := startApp(t, c)
	if code, body := get(t, "http://"+a.Addr()+"/api/v1/system/status"); code != http.StatusBadGateway {
		t.Fatalf("without a client certificate: %d %s, want 502", code, body)
	}
	if n := primary.verified.Load(); n != 0 {
		t.Fatalf("the primary let %d requests through", n)
	}
}

// With client_ca_file the listener demands a client certificate.
func TestClientListenerMTLS(t *testing.T) {
	ca, dir := tlstest.NewCA(t, "clients-ca"), t.TempDir()
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(ov.URL(), lr.URL())
	c.TLS = serverTLS(t, dir, ca.Server(t, "gateway", "127.0.0.1"))
	c.TLS.ClientCAFile = filepath.Join(dir, "clients.pem")
	tlstest.WriteFile(t, c.TLS.ClientCAFile, ca.PEM)
	a := startApp(t, c)
	url := "https://" + a.Addr() + "/health"
	if _, err := httpsClient(t, ca.Pool()).Get(url); err == nil {
		t.Fatal("a client without a certificate was served")
	}
	if resp, body := fetch(t, httpsClient(t, ca.Pool(), ca.Client(t, "agent").TLS(t)), url); resp.StatusCode != http.StatusOK {
		t.Fatalf("a client with a certificate: %s %s", resp.Status, body)
	}
}

// mtlsPrimaryConfig starts a primary requiring client certificates under a
// private CA, named openviking.internal, and configures the gateway to
// trust that CA and expect that name, in primary mode, without a client
// certificate yet.
func mtlsPrimaryConfig(t *testing.T) (*tlstest.CA, string, *mtlsUpstream, config.Config) {
	t.Helper()
	ca, dir := tlstest.NewCA(t, "private-ca"), t.TempDir()
	primary := startMTLSUpstream(t, ca, "openviking.internal", sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(primary.srv.URL, lr.URL())
	c.Routing.Mode = "primary"
	caFile := filepath.Join(dir, "ca.pem")
	tlstest.WriteFile(t, caFile, ca.PEM)
	c.Upstreams.Primary.TLS = config.UpstreamTLS{CAFile: caFile, ServerName: "openviking.internal"}
	return ca, dir, primary, c
}

// A certificate replaced on disk is served to new connections without a
// restart.
func TestListenerCertificateRotatedOnDisk(t *testing.T) {
	ca, dir := tlstest.NewCA(t, "ca"), t.TempDir()
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(ov.URL(), lr.URL())
	first, second := ca.Server(t, "first", "127.0.0.1"), ca.Server(t, "second", "127.0.0.1")
	c.TLS = serverTLS(t, dir, first)
	c.TLS.ReloadInterval = 20 * time.Millisecond
	a := startApp(t, c)
	if got := peerLeaf(t, a.Addr(), ca); !bytes.Equal(got, first.TLS(t).Certificate[0]) {
		t.Fatal("the first certificate is not served")
	}
	second.Write(t, dir, "gateway")
	want := second.TLS(t).Certificate[0]
	eventually(t, "the rotated certificate served", func() bool { return bytes.Equal(peerLeaf(t, a.Addr(), ca), want) })
	if !strings.Contains(eventText(a), "TLS certificate reloaded for the client listener") {
		t.Error("no event reports the reload")
	}
}

// peerLeaf is the certificate a fresh TLS connection to addr is shown.
func peerLeaf(t *testing.T, addr string, ca *tlstest.CA) []byte {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].Raw
}

// eventText is every recent event's message, one a line.
func eventText(a *app.App) string {
	var b strings.Builder
	for _, e := range a.Events().Recent(256) {
		b.WriteString(e.Message + "\n")
	}
	return b.String()
}

// An upstream reached with insecure_skip_verify is flagged in /status.
func TestInsecureUpstreamWarnedInStatus(t *testing.T) {
	ca := tlstest.NewCA(t, "ca")
	primary := startMTLSUpstream(t, ca, "openviking.internal", sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(primary.srv.URL, lr.URL())
	c.Upstreams.Primary.TLS.InsecureSkipVerify = true
	a := startApp(t, c)
	_, st := get(t, "http://"+a.Addr()+"/status")
	if w, _ := upstreamStatus(t, st, "primary")["warning"].(string); !strings.HasPrefix(w, "insecure_skip_verify") {
		t.Fatalf("/status does not warn of insecure_skip_verify: %v", upstreamStatus(t, st, "primary"))
	}
	if !strings.Contains(eventText(a), "upstream primary: insecure_skip_verify") {
		t.Error("no start-up event warns of insecure_skip_verify")
	}
}

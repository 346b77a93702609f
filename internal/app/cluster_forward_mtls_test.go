package app_test

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/forward"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf/tlstest"
)

// mtlsAdmins is a two-replica cluster whose admin listeners require a
// client certificate from ca.
type mtlsAdmins struct {
	rs     []*replica
	admins map[string]string // replica name to advertised admin URL
	client *http.Client      // presents a client certificate from ca
}

// startMTLSAdminCluster starts it; withCert gives each replica a client
// certificate from ca to forward with.
func startMTLSAdminCluster(t *testing.T, withCert bool) mtlsAdmins {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	ca, dir := tlstest.NewCA(t, "lifeboat admin mTLS test CA"), t.TempDir()
	caFile := filepath.Join(dir, "admin-ca.pem")
	tlstest.WriteFile(t, caFile, ca.PEM)
	pair, forwarder := ca.Server(t, "localhost", "localhost"), ca.Client(t, "lifeboat follower")
	m := mtlsAdmins{admins: map[string]string{}, client: httpsClient(t, ca.Pool(), ca.Client(t, "operator").TLS(t))}
	m.rs = startCluster(t, inProcess, 2, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true // level commands need the escalation engine
		port := strconv.Itoa(freePort(t))
		c.Admin.Listen, c.Admin.TLS = "127.0.0.1:"+port, serverTLS(t, t.TempDir(), pair)
		c.Admin.TLS.ClientCAFile = caFile
		c.Cluster.AdvertiseURL, c.Cluster.ForwardCAFile = "https://localhost:"+port, caFile
		if withCert {
			c.Cluster.ForwardCertFile, c.Cluster.ForwardKeyFile = forwarder.Write(t, t.TempDir(), "forward")
		}
		m.admins[c.Cluster.Name] = c.Cluster.AdvertiseURL
	})
	return m
}

// follower waits for a decider and returns its name and the other
// replica's admin URL.
func (m mtlsAdmins) follower(t *testing.T) (decider, followerAdmin string) {
	t.Helper()
	eventually(t, "one decider", func() bool {
		for _, r := range m.rs {
			if v := adminView(t, m.client, m.admins[r.name]); v.Decides {
				decider = v.Decider
				return true
			}
		}
		return false
	})
	for _, r := range m.rs {
		if r.name != decider {
			return decider, m.admins[r.name]
		}
	}
	t.Fatalf("no follower besides %s", decider)
	return "", ""
}

// pause posts a level command to the admin API at base and returns the
// status, the replica that served it and the body.
func (m mtlsAdmins) pause(t *testing.T, base string) (int, string, string) {
	t.Helper()
	resp, err := m.client.Post(base+"/admin/automation/pause", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get(forward.ForwardedToHeader), string(b)
}

// Admin listeners require client certificates (admin.tls.client_ca_file):
// a follower that presents cluster.forward_cert_file has its level command
// served by the decider.
func TestClusterForwardsToMTLSAdminWithClientCert(t *testing.T) {
	m := startMTLSAdminCluster(t, true)
	name, f := m.follower(t)
	var code int
	var by, body string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last answer: %d %s", code, body)
		}
	})
	eventually(t, "the follower forwards a level command to the decider over mTLS", func() bool {
		code, by, body = m.pause(t, f)
		return code == http.StatusOK
	})
	if by != name {
		t.Fatalf("served by %q, want the decider %s: %s", by, name, body)
	}
}

// Without cluster.forward_cert_file, the decider's admin listener refuses
// the follower's connection; the follower answers a retryable 503
// NO_DECIDER whose message names the settings to set, not a bare TLS
// alert.
func TestClusterForwardToMTLSAdminWithoutClientCertNamesTheSetting(t *testing.T) {
	m := startMTLSAdminCluster(t, false)
	_, f := m.follower(t)
	var code int
	var body string
	eventually(t, "the follower refuses, naming cluster.forward_cert_file", func() bool {
		code, _, body = m.pause(t, f)
		return strings.Contains(body, "cluster.forward_cert_file")
	})
	t.Logf("the follower answers %d %s", code, body)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"NO_DECIDER"`) {
		t.Fatalf("got %d %s, want 503 NO_DECIDER", code, body)
	}
}

// A forwarder's CA bundle or client certificate that cannot be read fails
// the build with the field's name, not at the first forwarded call.
func TestClusterForwardFilesUnreadable(t *testing.T) {
	e, err := etcdtest.Start(t.TempDir(), etcdtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	cases := map[string]func(*cluster.Settings){
		"cluster.forward_ca_file":   func(s *cluster.Settings) { s.ForwardCAFile = missing },
		"cluster.forward_cert_file": func(s *cluster.Settings) { s.ForwardCertFile, s.ForwardKeyFile = missing, missing },
	}
	for field, edit := range cases {
		c := testConfig("http://127.0.0.1:1", "http://127.0.0.1:2")
		c.Cluster = cluster.Settings{Etcd: cluster.Etcd{Endpoints: e.Endpoints()}, Name: "r", Prefix: "/test/",
			LeaseTTL: time.Second, Interval: 200 * time.Millisecond}
		edit(&c.Cluster)
		a, err := app.New(app.Options{Config: c})
		if err == nil {
			stopApp(t, a)
			t.Fatalf("%s unreadable: built", field)
		}
		if !strings.Contains(err.Error(), field) || !errors.Is(err, tlsconf.ErrCertificate) {
			t.Errorf("%s unreadable: %v, want an error naming it", field, err)
		}
	}
}

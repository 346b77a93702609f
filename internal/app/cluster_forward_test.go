package app_test

import (
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/forward"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf/tlstest"
)

// ackedBy is who acknowledged incident id on r, empty if nobody.
func ackedBy(t *testing.T, r *replica, id string) string {
	t.Helper()
	_, body := get(t, r.base+"/admin/incidents/"+id)
	var inc struct {
		Result struct {
			AckedBy string `json:"acked_by"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		t.Fatalf("/admin/incidents/%s: %v %s", id, err, body)
	}
	return inc.Result.AckedBy
}

// An acknowledgement sent to a follower during an incident is forwarded
// to the decider, recorded there, mirrored back to every replica, and
// stops the chain: the second tier is never paged.
func TestClusterFollowerForwardsAck(t *testing.T) {
	h := startHandoverCluster(t, inProcess)
	rs := h.rs
	d := deciderOf(t, rs)
	_, name := clusterStatus(t, rs[d])
	if err := h.primary.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	var id string
	eventually(t, "the decider records an open incident", func() bool {
		if l := incidentList(t, rs[d]); len(l) > 0 && l[0].Open {
			id = l[0].ID
		}
		return id != ""
	})
	f := rs[(d+1)%len(rs)]
	eventually(t, "the follower mirrors the incident", func() bool {
		l := incidentList(t, f)
		return len(l) > 0 && l[0].ID == id
	})
	resp, err := http.Post(f.base+"/admin/incidents/"+id+"/ack", "application/json", strings.NewReader(`{"by":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(forward.ForwardedToHeader) != name {
		t.Fatalf("ack on a follower: %d, forwarded to %q, want 200 from decider %s",
			resp.StatusCode, resp.Header.Get(forward.ForwardedToHeader), name)
	}
	if by := ackedBy(t, rs[d], id); by != "alice" {
		t.Fatalf("the decider's incident is acknowledged by %q, want alice", by)
	}
	eventually(t, "every replica shows the acknowledgement", func() bool {
		for _, r := range rs {
			if ackedBy(t, r, id) != "alice" {
				return false
			}
		}
		return true
	})
	time.Sleep(5 * time.Second) // past the second tier's 4 s, which the ack cancelled
	if got := h.recv.sequence("webhook"); slices.Contains(got, "trigger/director") {
		t.Errorf("pages %v: the acknowledged chain still paged the second tier", got)
	}
}

// A level command sent to a follower is served by the decider rather than
// failing the follower's fenced save.
func TestClusterFollowerForwardsLevelCommand(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	rs := startCluster(t, inProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
	})
	d := deciderOf(t, rs)
	_, name := clusterStatus(t, rs[d])
	f := rs[(d+2)%len(rs)]
	eventually(t, "the decider advertises its admin API", func() bool {
		resp, err := http.Post(f.base+"/admin/automation/pause", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK && resp.Header.Get(forward.ForwardedToHeader) == name
	})
}

// freePort is a loopback port nothing listens on now, so a replica can
// be told its advertised URL before it binds.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Every replica's admin listener serves TLS with a certificate from a
// private CA, issued to "localhost" only, and advertises itself as
// https://localhost:<port> through cluster.advertise_url: a level
// command sent to a follower reaches the decider only if the forwarder
// dials the advertised URL, not the bound 127.0.0.1 the certificate does
// not name, and trusts cluster.forward_ca_file, not the system roots.
func TestClusterForwardsToAdvertisedTLSAdmin(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	ca, dir := tlstest.NewCA(t, "lifeboat admin test CA"), t.TempDir()
	caFile := filepath.Join(dir, "admin-ca.pem")
	tlstest.WriteFile(t, caFile, ca.PEM)
	pair := ca.Server(t, "localhost", "localhost")
	admins := map[string]string{}
	rs := startCluster(t, inProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
		port := strconv.Itoa(freePort(t))
		c.Admin.Listen, c.Admin.TLS = "127.0.0.1:"+port, serverTLS(t, t.TempDir(), pair)
		c.Cluster.AdvertiseURL, c.Cluster.ForwardCAFile = "https://localhost:"+port, caFile
		admins[c.Cluster.Name] = c.Cluster.AdvertiseURL
	})
	client := httpsClient(t, ca.Pool())
	var v cluster.View
	d := -1
	eventually(t, "one decider", func() bool {
		for i, r := range rs {
			if v = adminView(t, client, admins[r.name]); v.Decides {
				d = i
				return true
			}
		}
		return false
	})
	name := v.Decider
	f := rs[(d+1)%len(rs)]
	var resp *http.Response
	eventually(t, "the follower forwards a level command to the decider over TLS", func() bool {
		var err error
		resp, err = client.Post(admins[f.name]+"/admin/automation/pause", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if got := resp.Header.Get(forward.ForwardedToHeader); got != name {
		t.Fatalf("served by %q, want the decider %s", got, name)
	}
	var got map[string]string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("advertised %v, configured %v", got, admins)
		}
	})
	eventually(t, "every replica advertises its cluster.advertise_url", func() bool {
		got = map[string]string{}
		for _, r := range adminView(t, client, admins[f.name]).Replicas {
			got[r.Name] = r.Admin
		}
		return maps.Equal(got, admins)
	})
}

// adminView is /status's cluster section from the admin API at base,
// through client.
func adminView(t *testing.T, client *http.Client, base string) cluster.View {
	t.Helper()
	resp, body := fetch(t, client, base+"/status")
	var st struct {
		Cluster cluster.View `json:"cluster"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("/status: %d %s", resp.StatusCode, body)
	}
	return st.Cluster
}

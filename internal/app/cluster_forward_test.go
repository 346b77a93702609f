package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/forward"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
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

package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// slowInterval is a cluster.interval far longer than the waits of
// TestClusterEntryJustBeforeTheKill, so only the publish on each entry
// can bring a follower an entry within them.
const slowInterval = 10 * time.Second

// tickedBy is who ticked each post-rollback review item of incident id
// on r, by the item's text, empty while not ticked.
func tickedBy(t *testing.T, r *replica, id string) map[string]string {
	t.Helper()
	_, body := get(t, r.base+"/admin/incidents/"+id)
	var inc struct {
		Result incident.Incident `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		t.Fatalf("/admin/incidents/%s: %v %s", id, err, body)
	}
	out := map[string]string{}
	for _, c := range inc.Result.Checklists {
		if c.Name == incident.PostRollbackReview {
			for _, it := range c.Items {
				out[it.Text] = it.By
			}
		}
	}
	return out
}

// The decider is killed (-9) just after recording timeline entries that
// change nothing the chain hears of (checklist ticks), with a
// cluster.interval of 10 s: each reaches a follower within 3 s, the kill
// follows at once, and the new decider continues the incident with both.
// Two ticks in a row, each within 3 s, cannot both ride the same interval
// publish: only publishing on every entry passes.
func TestClusterEntryJustBeforeTheKill(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	rs := startCluster(t, asProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
		c.Cluster.Interval, c.Cluster.LeaseTTL = slowInterval, 2*slowInterval
	})
	d := deciderOf(t, rs)
	if code, body := post(t, rs[d].base+"/admin/level", `{"level":"L1","by":"alice"}`); code != http.StatusOK {
		t.Fatalf("set L1: %d %s", code, body)
	}
	var id string
	eventually(t, "the decider opens an incident", func() bool {
		if l := incidentList(t, rs[d]); len(l) > 0 && l[0].Open {
			id = l[0].ID
		}
		return id != ""
	})
	f := rs[(d+1)%len(rs)]
	for _, item := range []string{"Root cause identified", "Fixes implemented"} {
		if code, body := post(t, rs[d].base+"/admin/incidents/"+id+"/checklist",
			`{"checklist":"`+incident.PostRollbackReview+`","item":"`+item+`","by":"alice"}`); code != http.StatusOK {
			t.Fatalf("tick %q: %d %s", item, code, body)
		}
		within(t, 3*time.Second, "a follower holds the tick of "+item, func() bool { return tickedBy(t, f, id)[item] == "alice" })
	}
	rs[d].kill(t)
	live := slices.Delete(slices.Clone(rs), d, d+1)
	var nd int
	within(t, 4*slowInterval, "a new decider after the lease", func() bool {
		nd = -1
		for i, r := range live {
			if dec, _ := clusterStatus(t, r); dec {
				nd = i
			}
		}
		return nd >= 0
	})
	got := tickedBy(t, live[nd], id)
	if got["Root cause identified"] != "alice" || got["Fixes implemented"] != "alice" {
		t.Fatalf("the new decider's review %v: the ticks recorded just before the kill are lost", got)
	}
	if l := incidentList(t, live[nd]); len(l) != 1 || l[0].ID != id || !l[0].Open {
		t.Fatalf("the new decider lists %+v, want incident %s open", l, id)
	}
}

package app_test

import (
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// Only a follower sees the primary fail, and the decider, which serves
// nothing and so holds too few requests of its own to judge, opens the
// incident: its error-rate trigger reads the sum of every replica's
// traffic.
func TestClusterDeciderJudgesFollowersTraffic(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	rs := startCluster(t, inProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
		c.Escalation.StartPeriod = 0
		c.Routing.Mode = "primary"
		c.Breaker.Enabled = false // every request must reach the failing primary and count
		for _, tr := range config.DefaultTriggers() {
			if tr.Name == "error_rate" {
				tr.For = 0
				c.Triggers = []config.Trigger{tr}
			}
		}
	})
	d := deciderOf(t, rs)
	if err := primary.SetFault(sim.Fault{ErrorRate: 1, ErrorStatus: 500}); err != nil {
		t.Fatal(err)
	}
	follower := rs[(d+1)%len(rs)]
	for range 40 {
		get(t, follower.base+"/api/v1/sessions/s1")
	}
	eventually(t, "the decider opens an incident on the follower's errors", func() bool {
		return len(incidentList(t, rs[d])) > 0
	})
}

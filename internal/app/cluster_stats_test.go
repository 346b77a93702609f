package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
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

// Only a follower serves traffic, and the primary starts failing at a
// known moment while the follower sends a request every 100 ms after a
// healthy burst, so the window's error rate crosses its threshold seconds
// after the first failure. The decider's incident must date its onset
// from the follower's first failing bucket, which it knows only from the
// buckets the follower publishes, not from the trigger's first bad
// reading.
func TestClusterOnsetFromFollowersBuckets(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	const width = 250 * time.Millisecond
	rs := startCluster(t, inProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
		c.Escalation.StartPeriod = 0
		c.Routing.Mode = "primary"
		c.Breaker.Enabled = false // every request must reach the failing primary and count
		c.Stats = stats.WindowSettings{Buckets: 40, BucketWidth: width, MinVolume: 20}
		c.Triggers = []config.Trigger{errorRateTrigger()}
	})
	d := deciderOf(t, rs)
	follower := rs[(d+1)%len(rs)]
	for range 100 {
		get(t, follower.base+"/api/v1/sessions/s1")
	}
	if err := primary.SetFault(sim.Fault{ErrorRate: 1, ErrorStatus: 500}); err != nil {
		t.Fatal(err)
	}
	firstBad := time.Now()
	id := failSlowlyUntilIncident(t, follower, rs[d])
	m := incidentMetrics(t, rs[d], id)
	t.Logf("first failure sent at %s; onset %s (%s), first evidence %s",
		firstBad.Format(time.StampMilli), m.Onset.Format(time.StampMilli), m.OnsetFrom, m.FirstEvidence.Format(time.StampMilli))
	if d := m.Onset.Sub(firstBad); d < -(width+100*time.Millisecond) || d > width {
		t.Fatalf("onset %v from the first failure, want within one %v bucket", d, width)
	}
	if !m.Onset.Before(m.FirstEvidence) {
		t.Fatalf("onset %v is not before the first bad reading %v", m.Onset, m.FirstEvidence)
	}
}

// errorRateTrigger is the default error-rate trigger firing at once.
func errorRateTrigger() config.Trigger {
	for _, tr := range config.DefaultTriggers() {
		if tr.Name == "error_rate" {
			tr.For = 0
			return tr
		}
	}
	panic("no default error_rate trigger")
}

// failSlowlyUntilIncident sends a request to follower every 100 ms until
// the decider lists an incident, and returns its id.
func failSlowlyUntilIncident(t *testing.T, follower, decider *replica) string {
	t.Helper()
	for range 300 {
		get(t, follower.base+"/api/v1/sessions/s1")
		if l := incidentList(t, decider); len(l) > 0 {
			return l[0].ID
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the decider opened no incident on the follower's errors")
	return ""
}

// incidentMetrics are incident id's metrics as r serves them.
func incidentMetrics(t *testing.T, r *replica, id string) incident.Metrics {
	t.Helper()
	_, body := get(t, r.base+"/admin/incidents/"+id)
	var inc struct {
		Result struct {
			Metrics incident.Metrics `json:"metrics"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		t.Fatalf("/admin/incidents/%s: %v %s", id, err, body)
	}
	return inc.Result.Metrics
}

// Only a follower serves traffic, slowed to 40 ms, and the decider's
// latency baseline learns it from the cluster's traffic. The baseline is
// not served anywhere, so the check reads the file every replica saves
// when it stops, after the cluster's cleanup.
func TestClusterBaselineLearnsFollowersLatency(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	// The data directories are made before the check is registered, so
	// they are removed after it runs.
	dirs := t.TempDir()
	var rs []*replica
	t.Cleanup(func() { checkLearnt(t, rs, "sessions", 40*time.Millisecond) })
	rs = startCluster(t, inProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.DataDir = filepath.Join(dirs, c.Cluster.Name)
		c.Escalation.Enabled = true
		c.Escalation.StartPeriod = 0
		c.Routing.Mode = "primary"
		c.Triggers = []config.Trigger{errorRateTrigger()}
	})
	d := deciderOf(t, rs)
	if err := primary.SetFault(sim.Fault{LatencyMS: 40}); err != nil {
		t.Fatal(err)
	}
	// Three seconds of traffic span several of the decider's evaluations
	// (every 500 ms), each of which learns once the window holds enough.
	follower := rs[(d+1)%len(rs)]
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		get(t, follower.base+"/api/v1/sessions/s1")
	}
}

// checkLearnt fails unless some replica of rs saved a baseline of route
// at least min.
func checkLearnt(t *testing.T, rs []*replica, route string, min time.Duration) {
	t.Helper()
	for _, r := range rs {
		var doc struct {
			Routes map[string]struct {
				LatencyMS float64 `json:"latency_ms"`
				Samples   int     `json:"samples"`
			} `json:"routes"`
		}
		data, err := os.ReadFile(filepath.Join(r.dir, "baseline.json"))
		if err != nil || json.Unmarshal(data, &doc) != nil {
			t.Errorf("%s: baseline.json: %v %s", r.name, err, data)
			continue
		}
		if br := doc.Routes[route]; br.Samples > 0 && br.LatencyMS >= float64(min.Milliseconds()) {
			return
		}
	}
	t.Errorf("no replica learnt a baseline of at least %v for %s", min, route)
}

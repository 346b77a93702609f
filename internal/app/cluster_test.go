package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// replica is one gateway of a test cluster, reaching etcd through a link
// the test can cut. The tests read it only through its HTTP API, so the
// same assertions hold whichever flavour runs it.
type replica struct {
	name string
	base string
	link *etcdtest.Link
	dir  string
	// proc is the child process running it; nil in-process.
	proc *child
}

// replicaFlavour starts one replica of a test cluster with config c.
type replicaFlavour func(t *testing.T, c config.Config, link *etcdtest.Link) *replica

// startCluster runs n gateways of the given flavour in front of primary
// and fallback, sharing one embedded etcd, with 1 s leases so a dead
// decider is replaced fast.
func startCluster(t *testing.T, flavour replicaFlavour, n int, primary, fallback string, edit func(*config.Config)) []*replica {
	t.Helper()
	e, err := etcdtest.Start(t.TempDir(), etcdtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	out := make([]*replica, n)
	for i := range out {
		link, err := etcdtest.NewLink(e.Endpoints())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(link.Close)
		c := testConfig(primary, fallback)
		c.Escalation.DataDir = t.TempDir()
		c.Cluster = cluster.Settings{
			Etcd: cluster.Etcd{Endpoints: link.Endpoints(), DialTimeout: 5 * time.Second, RequestTimeout: time.Second},
			Name: fmt.Sprintf("r%d", i), Prefix: "/test/", LeaseTTL: time.Second, Interval: 200 * time.Millisecond,
		}
		if edit != nil {
			edit(&c)
		}
		out[i] = flavour(t, c, link)
	}
	return out
}

// inProcess runs the replica in the test's process, stopped at cleanup.
// It is the cheaper flavour, for the tests that kill no replica.
func inProcess(t *testing.T, c config.Config, link *etcdtest.Link) *replica {
	t.Helper()
	a := startApp(t, c)
	return &replica{name: c.Cluster.Name, base: "http://" + a.Addr(), link: link, dir: c.Escalation.DataDir}
}

// kill kills r's process with SIGKILL: the replica neither resigns nor
// finishes anything it was doing, and the cluster learns of it only when
// its lease expires.
func (r *replica) kill(t *testing.T) {
	t.Helper()
	if r.proc == nil {
		t.Fatalf("replica %s runs in-process: start the cluster asProcess to kill it", r.name)
	}
	r.proc.kill(t)
}

// replicaView is the part of a replica's /status the cluster tests read.
type replicaView struct {
	Routing struct {
		Mode string `json:"mode"`
	} `json:"routing"`
	Escalation struct {
		Level level.Level `json:"level"`
		Phase level.Phase `json:"phase"`
		Step  int         `json:"step"`
	} `json:"escalation"`
	Cluster struct {
		Decides bool   `json:"decides"`
		Decider string `json:"decider"`
	} `json:"cluster"`
}

// statusOf reads r's /status.
func statusOf(t *testing.T, r *replica) replicaView {
	t.Helper()
	code, body := get(t, r.base+"/status")
	var v replicaView
	if err := json.Unmarshal([]byte(body), &v); code != http.StatusOK || err != nil {
		t.Fatalf("%s /status: %d %v %s", r.name, code, err, body)
	}
	return v
}

// clusterStatus reads /status's cluster section from r.
func clusterStatus(t *testing.T, r *replica) (decides bool, decider string) {
	t.Helper()
	v := statusOf(t, r)
	return v.Cluster.Decides, v.Cluster.Decider
}

// deciderOf waits for one replica of rs to decide and returns its index.
func deciderOf(t *testing.T, rs []*replica) int {
	t.Helper()
	idx := -1
	eventually(t, "one decider", func() bool {
		idx = -1
		for i, r := range rs {
			if d, _ := clusterStatus(t, r); d {
				if idx >= 0 {
					return false
				}
				idx = i
			}
		}
		return idx >= 0
	})
	return idx
}

// A burst of session writes acknowledged by one replica survives that
// replica's process being killed with SIGKILL and its data directory
// deleted: the decider replays every acknowledged write to the primary
// once it is back, once and in order.
func TestClusterAcknowledgedWritesSurviveAReplica(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	primary := startSim(t, ov)
	if err := primary.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	rs := startCluster(t, asProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Journal.Enabled = true
		c.Routing.Mode = "backup"
	})
	d := deciderOf(t, rs)
	b := rs[(d+1)%len(rs)] // a follower accepts the writes
	writers := make([]*sessionWriter, 6)
	var wg sync.WaitGroup
	for i := range writers {
		writers[i] = &sessionWriter{base: b.base, id: fmt.Sprintf("cluster-w%d", i)}
		wg.Go(writers[i].run)
	}
	eventually(t, "60 acknowledged writes", func() bool { return ackedTotal(writers) >= 60 })
	b.kill(t)
	wg.Wait()
	if err := os.RemoveAll(b.dir); err != nil {
		t.Fatal(err)
	}
	if err := primary.SetFault(sim.Fault{}); err != nil {
		t.Fatal(err)
	}
	checkReplayed(t, ov, writers)
	t.Logf("%d acknowledged writes survived losing replica %s and its data", ackedTotal(writers), b.name)
}

// A replica cut off from etcd keeps serving with its last routing and
// refuses journaled writes with a retryable 503, within its request
// timeout; it stops deciding, and the others keep taking the writes.
func TestClusterPartitionedReplicaRefusesJournaledWrites(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	if err := primary.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	rs := startCluster(t, asProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Journal.Enabled = true
		c.Routing.Mode = "fallback"
	})
	cut := rs[deciderOf(t, rs)] // the decider too must stop deciding
	code, body := post(t, cut.base+"/api/v1/sessions", `{"session_id":"before-cut"}`)
	if code != http.StatusOK {
		t.Fatalf("write before the cut: %d %s", code, body)
	}
	cut.link.Cut()
	start := time.Now()
	code, body = post(t, cut.base+"/api/v1/sessions/before-cut/messages", `{"role":"user","content":"hello"}`)
	took := time.Since(start)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "UNAVAILABLE") {
		t.Fatalf("journaled write while cut off: %d %s, want a retryable 503", code, body)
	}
	t.Logf("refused in %v", took.Round(time.Millisecond))
	if took > 3*time.Second { // the 1 s request timeout and a loaded machine's slack
		t.Fatalf("the refusal took %v, want about the 1s request timeout", took)
	}
	eventually(t, "another replica decides", func() bool {
		for _, r := range rs {
			if d, _ := clusterStatus(t, r); d && r != cut {
				return true
			}
		}
		return false
	})
	servesCutOff(t, cut)
	other := rs[0]
	if other == cut {
		other = rs[1]
	}
	if code, body := post(t, other.base+"/api/v1/sessions/before-cut/messages", `{"role":"user","content":"hello"}`); code != http.StatusOK {
		t.Fatalf("write to a connected replica: %d %s", code, body)
	}
}

// servesCutOff checks that r, cut off from etcd, no longer says it
// decides, routes as before and still answers reads from the fallback.
func servesCutOff(t *testing.T, r *replica) {
	t.Helper()
	v := statusOf(t, r)
	if v.Cluster.Decides {
		t.Fatal("the cut-off replica still says it decides")
	}
	if v.Routing.Mode != "fallback" {
		t.Fatalf("the cut-off replica routes %s, want its last routing, fallback", v.Routing.Mode)
	}
	if code, body := post(t, r.base+"/api/v1/search/find", `{"query":"context database"}`); code != http.StatusOK {
		t.Fatalf("a search on the cut-off replica: %d %s, want 200 from the fallback", code, body)
	}
}

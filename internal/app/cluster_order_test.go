package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// atAction is what the cluster held when the L1 action's endpoint was
// called: the incident documents in etcd (open or not), the step intents,
// and whether a follower listed the incident open.
type atAction struct {
	mu       sync.Mutex
	called   int
	open     []string
	intents  []string
	follower bool
}

// observe reads etcd through cli and the follower f's incident list. It
// runs on the endpoint's goroutine, so it reports nothing to the test
// itself: the test judges what it saw.
func (s *atAction) observe(cli *clientv3.Client, f *replica) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var open, intents []string
	if resp, err := cli.Get(ctx, "/test/incidents/", clientv3.WithPrefix()); err == nil {
		for _, kv := range resp.Kvs {
			var doc struct {
				Incident struct {
					ID   string `json:"id"`
					Open bool   `json:"open"`
				} `json:"incident"`
			}
			if json.Unmarshal(kv.Value, &doc) == nil && doc.Incident.Open {
				open = append(open, doc.Incident.ID)
			}
		}
	}
	if resp, err := cli.Get(ctx, "/test/steps/", clientv3.WithPrefix(), clientv3.WithKeysOnly()); err == nil {
		for _, kv := range resp.Kvs {
			intents = append(intents, string(kv.Key))
		}
	}
	// The follower imports what etcd holds as its watch delivers it.
	seen := false
	for end := time.Now().Add(3 * time.Second); !seen && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		l := listedOn(f)
		seen = len(l) > 0 && l[0].Open && len(open) == 1 && l[0].ID == open[0]
	}
	s.mu.Lock()
	s.called++
	s.open, s.intents, s.follower = open, intents, seen
	s.mu.Unlock()
}

// The first L1 action of an incident runs only once the incident is open
// in etcd, a follower lists it, and the action's intent is in the step
// log: a decider killed as the action starts leaves the incident and the
// step for the next one.
func TestClusterIncidentRecordedBeforeItsFirstAction(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	primary := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	var seen atAction
	var follower *replica
	var cli *clientv3.Client
	endpoint := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		seen.observe(cli, follower)
	}))
	t.Cleanup(endpoint.Close)
	rs := startCluster(t, inProcess, 3, primary.URL(), lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
		c.Escalation.Actions.L1 = []action.Spec{{Name: "runbook", Type: "http", URL: endpoint.URL + "/l1"}}
	})
	var err error
	if cli, err = clientv3.New(clientv3.Config{Endpoints: rs[0].link.Endpoints(), DialTimeout: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.Close() })
	d := deciderOf(t, rs)
	follower = rs[(d+1)%len(rs)]
	if code, body := post(t, rs[d].base+"/admin/level", `{"level":"L1","by":"alice"}`); code != http.StatusOK {
		t.Fatalf("set L1: %d %s", code, body)
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if seen.called != 1 || len(seen.open) != 1 {
		t.Fatalf("when the L1 action ran (%d calls), etcd held open incidents %v, want one", seen.called, seen.open)
	}
	want := "/test/steps/" + seen.open[0] + "/L0%3EL1%2Frunbook/intent"
	if len(seen.intents) != 1 || seen.intents[0] != want {
		t.Errorf("when the L1 action ran, the step log held %v, want %s", seen.intents, want)
	}
	if !seen.follower {
		t.Errorf("when the L1 action ran, no follower listed incident %s open", seen.open[0])
	}
}

// listedOn is r's incident list, empty when it cannot be read.
func listedOn(r *replica) []incidentLine {
	resp, err := http.Get(r.base + "/admin/incidents")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var out struct {
		Result []incidentLine `json:"result"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out.Result
}

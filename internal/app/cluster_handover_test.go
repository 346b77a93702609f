package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// actionCounter stands in for the runbook endpoint an http action calls,
// and counts the calls per path.
type actionCounter struct {
	srv *httptest.Server
	mu  sync.Mutex
	n   map[string]int
}

func newActionCounter(t *testing.T) *actionCounter {
	c := &actionCounter{n: map[string]int{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.n[r.URL.Path]++
		c.mu.Unlock()
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *actionCounter) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

// handoverConfig escalates on the health checks at once, runs one http
// action at L3 and pages a first tier at once and a second after 4 s,
// through one webhook.
func handoverConfig(c *config.Config, recv, act string) {
	c.Escalation.Enabled = true
	c.Escalation.StartPeriod = 0
	c.Routing.Mode = "primary"
	for _, tr := range config.DefaultTriggers() {
		if tr.Name == "health_checks" {
			c.Triggers = []config.Trigger{tr}
		}
	}
	c.Escalation.Actions.L3 = []action.Spec{{Name: "page_runbook", Type: "http", URL: act + "/l3"}}
	c.Notify.Notifiers = []config.NotifierConfig{{Name: "webhook", Type: "webhook", URL: config.Secret(recv + "/webhook")}}
	c.Notify.Tiers = []config.Tier{
		{Name: "devops", After: 0, Notifiers: []string{"webhook"}},
		{Name: "director", After: 4 * time.Second, Notifiers: []string{"webhook"}},
	}
}

// handoverCluster is three replicas with handoverConfig, the primary and
// fallback they front, and the receivers of their pages and actions.
type handoverCluster struct {
	rs      []*replica
	primary *sim.Server
	recv    *e2eReceiver
	acts    *actionCounter
}

// startHandoverCluster starts it with replicas of the given flavour; each
// of more edits every replica's config after handoverConfig, given the URL
// of the action counter.
func startHandoverCluster(t *testing.T, flavour replicaFlavour, more ...func(c *config.Config, acts string)) handoverCluster {
	t.Helper()
	h := handoverCluster{recv: newE2EReceiver(t), acts: newActionCounter(t)}
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	h.primary = startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	h.rs = startCluster(t, flavour, 3, h.primary.URL(), lightrag.URL(), func(c *config.Config) {
		handoverConfig(c, h.recv.srv.URL, h.acts.srv.URL)
		for _, edit := range more {
			edit(c, h.acts.srv.URL)
		}
	})
	return h
}

// incidentList reads GET /admin/incidents from r: id, open and level of
// each, newest first.
func incidentList(t *testing.T, r *replica) []incidentLine {
	t.Helper()
	code, body := get(t, r.base+"/admin/incidents")
	var out struct {
		Result []incidentLine `json:"result"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("/admin/incidents: %d %s", code, body)
	}
	return out.Result
}

// openL3Incident waits for r to list an open L3 incident first and
// returns its id.
func openL3Incident(t *testing.T, r *replica) string {
	t.Helper()
	var id string
	eventually(t, "the decider records an open L3 incident", func() bool {
		l := incidentList(t, r)
		if len(l) > 0 && l[0].Open && l[0].Level == "L3" {
			id = l[0].ID
		}
		return id != ""
	})
	return id
}

type incidentLine struct {
	ID    string `json:"id"`
	Open  bool   `json:"open"`
	Level string `json:"level"`
}

// timelineLen is the length of incident id's timeline on r.
func timelineLen(t *testing.T, r *replica, id string) int {
	t.Helper()
	_, body := get(t, r.base+"/admin/incidents/"+id)
	var inc struct {
		Result struct {
			Timeline []json.RawMessage `json:"timeline"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		t.Fatalf("/admin/incidents/%s: %v %s", id, err, body)
	}
	return len(inc.Result.Timeline)
}

// routedToFallback waits until every replica of rs routes to the fallback
// and returns how long each took after the first.
func routedToFallback(t *testing.T, rs []*replica) time.Duration {
	t.Helper()
	var first, last time.Time
	done := make([]bool, len(rs))
	eventually(t, "every replica routes to the fallback", func() bool {
		all := true
		for i, r := range rs {
			if !done[i] && statusOf(t, r).Routing.Mode == proxy.ModeFallback.String() {
				done[i], last = true, time.Now()
				if first.IsZero() {
					first = last
				}
			}
			all = all && done[i]
		}
		return all
	})
	return last.Sub(first)
}

// The decider's process is killed with SIGKILL during L3, each replica
// being a process of its own: another replica decides within the lease,
// the level stays L3, the same incident goes on on the new decider, every
// replica lists it alike, and every action and page happened once.
func TestClusterDeciderDiesDuringL3(t *testing.T) {
	h := startHandoverCluster(t, asProcess)
	rs, recv, acts := h.rs, h.recv, h.acts
	d := deciderOf(t, rs)
	if err := h.primary.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	spread := routedToFallback(t, rs)
	t.Logf("the followers routed to the fallback within %v of the first replica", spread.Round(time.Millisecond))
	if spread > 2*time.Second {
		t.Fatalf("followers took %v to follow the decider, want at most 2s", spread)
	}
	eventually(t, "the L3 action ran", func() bool { return acts.count("/l3") >= 1 })
	recv.waitFor("webhook", 1)
	id := openL3Incident(t, rs[d])
	// The mirror publishes on every entry (TestClusterEntryJustBeforeTheKill
	// proves it); kill once the followers hold the whole timeline, so
	// before counts every entry the new decider must continue from.
	before := 0
	eventually(t, "the followers hold the decider's timeline", func() bool {
		before = timelineLen(t, rs[d], id)
		for i, r := range rs {
			if i != d && timelineLen(t, r, id) != before {
				return false
			}
		}
		return true
	})

	killed := time.Now()
	rs[d].kill(t)
	live := slices.Delete(slices.Clone(rs), d, d+1)
	nd := deciderOf(t, live)
	took := time.Since(killed)
	t.Logf("replica %s decides %v after the decider was killed", live[nd].name, took.Round(time.Millisecond))
	if took > 3*time.Second { // the 1 s lease, its renewal's slack and the roles' look
		t.Fatalf("a new decider took %v", took)
	}
	if st := statusOf(t, live[nd]).Escalation; st.Level != level.L3 {
		t.Fatalf("the new decider is at %s, want L3", st.Level)
	}
	recv.waitFor("webhook", 2) // the second tier, paged by the new decider
	var seen []incidentLine
	var n int
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("incident %s had %d entries; the new decider lists %+v, %d entries", id, before, seen, n)
		}
	})
	eventually(t, "the new decider's timeline of the same incident grows", func() bool {
		seen, n = incidentList(t, live[nd]), timelineLen(t, live[nd], id)
		return len(seen) > 0 && seen[0].ID == id && seen[0].Open && n > before
	})
	eventually(t, "every live replica lists the same incident", func() bool {
		a, b := incidentList(t, live[0]), incidentList(t, live[1])
		return len(a) == 1 && slices.Equal(a, b)
	})
	time.Sleep(2 * time.Second) // room for a repeat that must not come
	if n := acts.count("/l3"); n != 1 {
		t.Errorf("the L3 action ran %d times, want once", n)
	}
	if got := recv.sequence("webhook"); !slices.Equal(got, []string{"trigger/devops", "trigger/director"}) {
		t.Errorf("pages %v, want each tier once", got)
	}
}

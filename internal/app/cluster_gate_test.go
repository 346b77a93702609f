package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// A primary that fails only where its health checks cannot see: /health
// answers ok while down is false, every other path fails while broken is
// true.
type hiddenFailures struct {
	down, broken atomic.Bool
}

func (p *hiddenFailures) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/health" && p.down.Load():
		w.WriteHeader(http.StatusServiceUnavailable)
	case r.URL.Path == "/health":
		_, _ = io.WriteString(w, `{"status":"ok","healthy":true}`)
	case p.down.Load() || p.broken.Load():
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"status":"error"}`)
	default:
		_, _ = io.WriteString(w, `{"status":"ok","result":{}}`)
	}
}

// The restore gate judges the fleet's traffic: the primary comes back
// healthy to its checks but fails every request, and only a follower
// serves traffic. The decider, serving nothing, must still see the
// restore step's failures in the follower's published traffic and abort
// the restore, rather than pass a step it holds too few requests of its
// own to judge and declare the primary restored.
func TestClusterRestoreGateJudgesFollowersTraffic(t *testing.T) {
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	p := &hiddenFailures{}
	primary := httptest.NewServer(p)
	t.Cleanup(primary.Close)
	rs := startCluster(t, inProcess, 3, primary.URL, lightrag.URL(), func(c *config.Config) {
		c.Escalation.Enabled = true
		c.Escalation.StartPeriod = 0
		// Every request must reach the primary and count: no breaker, and
		// no level action that would switch one on.
		c.Breaker.Enabled = false
		c.Escalation.Actions = config.LevelActions{}
		for _, tr := range config.DefaultTriggers() {
			if tr.Name == "health_checks" {
				c.Triggers = []config.Trigger{tr}
			}
		}
		c.Escalation.Restore.HoldDown = 300 * time.Millisecond
		c.Escalation.Restore.Steps = []level.Step{{Weight: 100, Hold: 4 * time.Second}}
	})
	d := deciderOf(t, rs)
	p.down.Store(true)
	routedToFallback(t, rs)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { sendUntil(rs[(d+1)%len(rs)].base+"/api/v1/sessions/s1", stop) })
	t.Cleanup(func() { close(stop); wg.Wait() })
	p.broken.Store(true)
	p.down.Store(false)

	restoring := false
	eventually(t, "the decider aborts the restore on the follower's failures", func() bool {
		st := statusOf(t, rs[d]).Escalation
		if st.Level == level.L0 {
			t.Fatal("the decider restored a primary that failed every request the follower sent it")
		}
		if st.Phase == level.Restoring {
			restoring = true
		}
		return restoring && st.Phase == level.OnFallback
	})
}

// sendUntil GETs url every 20 ms until stop closes.
func sendUntil(url string, stop <-chan struct{}) {
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		if resp, err := client.Get(url); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}

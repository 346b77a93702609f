package app_test

import (
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// A primary still slow after a latency rollback answers /health within
// its timeout, yet it has not recovered: the hold-down must not start
// until the checks answer within the response-time trigger's threshold.
func TestHoldDownWaitsForLatencyToRecover(t *testing.T) {
	rt := planTrigger(t, "response_time")
	rt.Threshold, rt.For = 150, 0
	r := newRig(t, []config.Trigger{rt}, func(c *config.Config) {
		c.Upstreams.Primary.Health.Timeout = 2 * time.Second // slow is not down
	})
	r.fault(r.ov, sim.Fault{LatencyMS: 300})
	r.burst(10, "/api/v1/sessions", `{}`)
	r.rolledBack(r.stepNow(), "response_time", "L0->L3")
	// Only the checks reach the primary now, one at a time: once three
	// more arrived, at least two slow ones completed since the rollback.
	seen := r.ov.Requests()
	eventually(t, "three more checks of the slow primary", func() bool { return r.ov.Requests() >= seen+3 })
	if p, _ := r.states(); p != "up" {
		t.Fatalf("active checks say the slow primary is %s; the test needs them to say up", p)
	}
	st := r.stepNow()
	if !st.HealthySince.IsZero() || st.Phase != level.OnFallback {
		t.Fatalf("hold-down started at %s (%s) while the primary answers in 300ms against a 150ms trigger", st.HealthySince, st.Next)
	}
	r.fault(r.ov, sim.Fault{})
	st = r.stepUntil("the hold-down starts once the primary is fast again", func(st level.Status) bool { return !st.HealthySince.IsZero() })
	if st.Phase != level.OnFallback {
		t.Fatalf("phase %s, want the hold-down running on the fallback", st.Phase)
	}
}

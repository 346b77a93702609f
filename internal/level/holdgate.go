package level

import (
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// HoldGate decides whether the primary is healthy enough for the restore
// hold-down to count. Its health endpoint answering is not enough: a
// primary still six seconds slow, or failing every other request, answers
// /health as well as a recovered one. While the primary is isolated the
// traffic triggers see none of its traffic, so the gate judges their
// signals from the active checks instead:
//
//   - the active checks say up, and none failed since a look that found
//     the primary healthy (the error-rate signal on probes: any failure
//     while the hold-down runs restarts it);
//   - the latest check answered within the threshold of every immediate
//     average-latency trigger (the latency signal on probes);
//   - no immediate trigger that reads the primary directly (integrity
//     probes, resources, health) judged its latest reading bad: pending
//     or firing. A resolving one already reads good; the hold-down is
//     the hysteresis that follows.
//
// A Verifier's PrimaryRecovered usually asks it.
type HoldGate struct {
	// latency holds the immediate avg_latency triggers' thresholds.
	latency []latencyLimit
	direct  map[string]bool

	mu         sync.Mutex // guards the fields below; the engine calls under its lock, tests do not
	failures   int64      // the checker's failure count at the last look
	wasHealthy bool       // the last look found the primary healthy
}

type latencyLimit struct {
	trigger string
	max     time.Duration
}

// NewHoldGate makes the gate for the configured rules; direct names the
// triggers whose signal reads the primary directly.
func NewHoldGate(rules []trigger.Rule, direct map[string]bool) *HoldGate {
	g := &HoldGate{direct: direct}
	for _, r := range rules {
		if r.Kind == trigger.Immediate && r.Signal == "avg_latency" && (r.Op == "" || r.Op == trigger.Above) {
			g.latency = append(g.latency, latencyLimit{trigger: r.Name, max: time.Duration(r.Threshold * float64(time.Millisecond))})
		}
	}
	return g
}

// Healthy judges the primary's checker status and the triggers' evidence.
func (g *HoldGate) Healthy(st health.Status, evs []trigger.Evidence) (bool, string) {
	ok, why := g.judge(st, evs)
	g.mu.Lock()
	g.wasHealthy = ok
	g.mu.Unlock()
	return ok, why
}

func (g *HoldGate) judge(st health.Status, evs []trigger.Evidence) (bool, string) {
	if fresh := g.newFailures(st.Failures); fresh > 0 {
		return false, fmt.Sprintf("%d active check(s) failed since the last look (last: %s)", fresh, st.Last.Reason)
	}
	if st.State != health.Up {
		return false, "active health checks say " + st.State.String()
	}
	for _, l := range g.latency {
		if st.Last.Latency > l.max {
			return false, fmt.Sprintf("the last check took %s, above trigger %s's %s", st.Last.Latency.Round(time.Millisecond), l.trigger, l.max)
		}
	}
	for _, ev := range evs {
		if g.direct[ev.Trigger] && ev.Kind == string(trigger.Immediate) && badNow(ev.State) {
			return false, "trigger " + ev.Trigger + " is " + string(ev.State)
		}
	}
	return true, "healthy"
}

// newFailures returns how many checks failed since the last look when
// that look found the primary healthy; failures before a hold-down began
// are already behind it.
func (g *HoldGate) newFailures(total int64) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, counted := g.failures, g.wasHealthy
	g.failures = total
	if !counted {
		return 0
	}
	return total - prev
}

// badNow reports a trigger whose latest valid reading was bad.
func badNow(s trigger.State) bool { return s == trigger.Pending || s == trigger.Firing }

// Forget ends the current hold-down: the restore it led to is running, so
// failures counted until now belong to no future hold-down.
func (g *HoldGate) Forget() {
	g.mu.Lock()
	g.wasHealthy = false
	g.mu.Unlock()
}

package level

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// The hold-down gate judges every immediate trigger's signal: a primary
// whose health endpoint answers is not recovered while its checks are
// slower than the latency trigger allows, while any check failed since
// the last look, or while an integrity probe is still pending.
func TestHoldGateJudgesEveryImmediateSignal(t *testing.T) {
	rules := []trigger.Rule{
		{Name: "response_time", Kind: trigger.Immediate, Op: trigger.Above, Threshold: 5000, Signal: "avg_latency"},
		{Name: "slow_warning", Kind: trigger.Warning, Op: trigger.Above, Threshold: 10, Signal: "avg_latency"},
		{Name: "search_integrity", Kind: trigger.Immediate, Op: trigger.Above, Signal: "functional_probe"},
	}
	g := NewHoldGate(rules, map[string]bool{"search_integrity": true})
	up := func(failures int64, latency time.Duration) health.Status {
		return health.Status{State: health.Up, Failures: failures, Last: health.Result{OK: true, Latency: latency, Reason: "ok"}}
	}
	quiet := []trigger.Evidence{{Trigger: "search_integrity", Kind: "immediate", State: trigger.Inactive}}
	cases := []struct {
		name string
		st   health.Status
		evs  []trigger.Evidence
		ok   bool
		why  string
	}{
		{"first look takes the failure count", up(7, 20*time.Millisecond), quiet, true, "healthy"},
		{"still 6s slow", up(7, 6*time.Second), quiet, false, "above trigger response_time's 5s"},
		{"healthy again", up(7, 20*time.Millisecond), quiet, true, "healthy"},
		{"a check failed since", up(8, 20*time.Millisecond), quiet, false, "1 active check(s) failed"},
		{"failures before the hold-down are behind it", up(8, 20*time.Millisecond), quiet, true, "healthy"},
		{"no new failure", up(8, 20*time.Millisecond), quiet, true, "healthy"},
		{"integrity pending", up(8, 20*time.Millisecond), []trigger.Evidence{{Trigger: "search_integrity", Kind: "immediate", State: trigger.Pending}}, false, "search_integrity is pending"},
		{"checks say down", health.Status{State: health.Down, Failures: 8}, quiet, false, "say down"},
	}
	for _, c := range cases {
		ok, why := g.Healthy(c.st, c.evs)
		if ok != c.ok || !strings.Contains(why, c.why) {
			t.Errorf("%s: %v %q, want %v %q", c.name, ok, why, c.ok, c.why)
		}
	}
}

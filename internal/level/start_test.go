package level

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// startRig is a rig whose engine has the plan's 40 s start period and a
// primary health check the test flips.
func startRig(t *testing.T) (*rig, *atomic.Bool) {
	t.Helper()
	r := newRig(t, nil)
	var up atomic.Bool
	s := r.e.s
	s.StartPeriod = 40 * time.Second
	r.e = r.newEngineWith(s, func(o *Options) { o.PrimaryUp = up.Load })
	return r, &up
}

// A primary that has never been healthy is left alone for the start
// period: its failing health check neither fires a trigger nor moves the
// level nor runs an action. Once the period is over, it is an outage.
func TestStartPeriodHoldsOffAPrimaryThatIsStillStarting(t *testing.T) {
	r, _ := startRig(t)
	r.imm.set(40) // "unknown -> down": every check since boot failed
	for _, d := range []time.Duration{0, 3 * time.Second, 39 * time.Second} {
		st := r.expect(d, L0, Normal, primaryMode)
		if !strings.HasPrefix(st.Next, "start period") {
			t.Fatalf("at +%s next is %q, want the start period", d, st.Next)
		}
	}
	if k := r.kinds(); k[KindTriggerFired] != 0 || k[KindAction] != 0 || k[KindLevelChanged] != 0 {
		t.Fatalf("during the start period: %v; want no trigger fired, no action, no level change", k)
	}
	r.expect(40*time.Second, L3, OnFallback, fallbackMode)
	if k := r.kinds(); k[KindTriggerFired] != 1 || k[KindRollback] != 1 {
		t.Fatalf("after the start period: %v; want the trigger fired and a rollback", k)
	}
	for _, e := range r.events.Recent(100) {
		if e.Kind == KindLevelChanged && e.Fields["evidence"] == nil {
			t.Fatalf("Level 3 after the start period without evidence: %+v", e)
		}
	}
}

// Seeing the primary healthy once ends the start period early: from then
// on a failing check is judged at once.
func TestStartPeriodEndsWhenThePrimaryIsSeenHealthy(t *testing.T) {
	r, up := startRig(t)
	r.imm.set(10)
	r.expect(0, L0, Normal, primaryMode)
	up.Store(true)
	r.imm.set(0)
	r.expect(3*time.Second, L0, Normal, primaryMode)
	up.Store(false)
	r.imm.set(4)
	r.expect(5*time.Second, L3, OnFallback, fallbackMode)
}

package level

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A journal replay of four minutes before the canary step used to start
// the step's one-minute hold before the replay, so the 10 % step was
// judged the moment traffic reached it. Every step is now held its full
// time from when traffic moved, and the narration says how long.
func TestCanaryStepHeldAfterALongReplay(t *testing.T) {
	r := newRig(t, nil)
	r.beforeRestore = func(context.Context) error { r.spend(4 * time.Minute); return nil }
	r.imm.set(4)
	r.at(0)
	r.imm.set(0)
	r.at(time.Second)
	// The hold-down ends at +2m1s; the replay then takes 4 minutes, so
	// traffic reaches the canary step at +6m1s on the engine's timeline.
	r.expect(2*time.Minute+time.Second, L3, Restoring, splitMode)
	if w := r.gw.Routing().PrimaryWeight; w != 10 {
		t.Fatalf("weight %d, want the 10%% canary", w)
	}
	r.expect(6*time.Minute+time.Second, L3, Restoring, splitMode)
	r.expect(7*time.Minute, L3, Restoring, splitMode)
	if st := r.e.state(); st.Step != 0 || r.verify.judgedSteps != 0 {
		t.Fatalf("at +7m: step %d, %d judged; want the canary still held", st.Step, r.verify.judgedSteps)
	}
	r.expect(7*time.Minute+time.Second, L3, Restoring, splitMode)
	if st := r.e.state(); st.Step != 1 || r.verify.judgedSteps != 1 {
		t.Fatalf("at +7m1s: step %d, %d judged; want the canary judged after its full minute", st.Step, r.verify.judgedSteps)
	}
	if !strings.Contains(r.eventLog(), "step 1 passed after 1m0s held") {
		t.Errorf("narration does not say the canary's hold:\n%s", r.eventLog())
	}
}

package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// restoreHeldStep is the index of the restore step the decider dies in.
// Its hold outlasts the hand-over, so the new decider must take the step
// over as it stands rather than find it already judged.
const restoreHeldStep = 1

// shortRestore makes the staged restore run in seconds, with an http
// action on each step counted at act's /restore<step number>.
func shortRestore(c *config.Config, act string) {
	c.Escalation.Restore.HoldDown = 500 * time.Millisecond
	c.Escalation.Restore.Steps = nil
	for i, w := range []int{25, 50, 75, 100} {
		hold := time.Second
		if i == restoreHeldStep {
			hold = 5 * time.Second
		}
		c.Escalation.Restore.Steps = append(c.Escalation.Restore.Steps, level.Step{Weight: w, Hold: hold,
			Actions: []action.Spec{{Name: "scale", Type: "http", URL: fmt.Sprintf("%s/restore%d", act, i+1)}}})
	}
}

// restoreAt reports whether every replica of rs holds the decided state
// restoring at step.
func restoreAt(t *testing.T, rs []*replica, step int) bool {
	t.Helper()
	for _, r := range rs {
		st := statusOf(t, r).Escalation
		if st.Phase != level.Restoring || st.Step != step {
			return false
		}
	}
	return true
}

// The decider's process is killed with SIGKILL in the middle of a staged
// restore, each replica being a process of its own: another replica
// decides within the lease, goes on from the same step, and each step's
// action ran exactly once across both deciders; the restore ends at L0
// and closes the same incident.
func TestClusterDeciderDiesDuringRestoreStep(t *testing.T) {
	h := startHandoverCluster(t, asProcess, shortRestore)
	rs, acts := h.rs, h.acts
	d := deciderOf(t, rs)
	if err := h.primary.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	routedToFallback(t, rs)
	id := openL3Incident(t, rs[d])
	if err := h.primary.SetFault(sim.Fault{}); err != nil {
		t.Fatal(err)
	}
	held := fmt.Sprintf("/restore%d", restoreHeldStep+1)
	eventually(t, "every replica holds the decided restore step", func() bool {
		return acts.count(held) == 1 && restoreAt(t, rs, restoreHeldStep)
	})

	killed := time.Now()
	rs[d].kill(t)
	live := slices.Delete(slices.Clone(rs), d, d+1)
	nd := deciderOf(t, live)
	took := time.Since(killed)
	t.Logf("a new decider %v after the decider died in restore step %d", took.Round(time.Millisecond), restoreHeldStep+1)
	if took > 3*time.Second { // the 1 s lease, its renewal's slack and the roles' look
		t.Fatalf("a new decider took %v", took)
	}
	if st := statusOf(t, live[nd]).Escalation; st.Phase != level.Restoring || st.Step != restoreHeldStep {
		t.Fatalf("the new decider is %s at step index %d, want restoring at %d", st.Phase, st.Step, restoreHeldStep)
	}
	// Watch the steps the new decider walks: from the held step on, each
	// in turn, never back to the first.
	steps := []int{restoreHeldStep}
	eventually(t, "the new decider closes the incident at L0", func() bool {
		st := statusOf(t, live[nd]).Escalation
		if st.Phase == level.Restoring && st.Step != steps[len(steps)-1] {
			steps = append(steps, st.Step)
		}
		l := incidentList(t, live[nd])
		return len(l) > 0 && l[0].ID == id && !l[0].Open && st.Level == level.L0
	})
	if !slices.Equal(steps, []int{1, 2, 3}) {
		t.Errorf("the new decider walked restore steps %v (indexes), want [1 2 3]", steps)
	}
	for i := range 4 {
		if n := acts.count(fmt.Sprintf("/restore%d", i+1)); n != 1 {
			t.Errorf("restore step %d's action ran %d times, want once", i+1, n)
		}
	}
	if l := incidentList(t, live[nd]); len(l) != 1 {
		t.Errorf("the new decider lists %d incidents, want the one continued", len(l))
	}
}

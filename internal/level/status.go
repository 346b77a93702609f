package level

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// Status is the engine's state for people: the level, every trigger's
// current value against its threshold, and what the next step waits for.
type Status struct {
	State
	DryRun   bool               `json:"dry_run"`
	Mode     string             `json:"mode"`
	Triggers []trigger.Evidence `json:"triggers"`
	Next     string             `json:"next"`
}

// Status reports the current state without waiting for an evaluation.
func (e *Engine) Status(now time.Time) Status {
	st := e.state()
	return Status{State: st, DryRun: e.s.DryRun, Mode: e.o.Router.Routing().Mode.String(),
		Triggers: e.o.Triggers.Status(), Next: e.next(st, now)}
}

// next says in one sentence what the engine is waiting for.
func (e *Engine) next(st State, now time.Time) string {
	if st.Paused {
		return "automation paused: nothing changes until it is resumed"
	}
	left := func(since time.Time, d time.Duration) string { return (d - now.Sub(since)).Round(time.Second).String() }
	if d := e.startLeft(now); d > 0 {
		return fmt.Sprintf("start period: waiting up to %s for the primary to be seen healthy; no trigger is judged meanwhile",
			d.Round(time.Second))
	}
	switch st.Phase {
	case Normal:
		return "watching: a warning trigger moves to L1, an immediate trigger to L3"
	case Degraded:
		return fmt.Sprintf("L2 in %s if the issue persists; L0 after %s without a firing trigger",
			left(st.Since, e.s.L1Window), e.s.Settle)
	case Isolated:
		return fmt.Sprintf("L3 in %s if the issue persists; L0 after %s without a firing trigger",
			left(st.IncidentStart, e.s.L3After), e.s.Settle)
	case Verifying:
		return "verifying the fallback before moving traffic to it"
	case OnFallback:
		if st.HealthySince.IsZero() {
			return "on the fallback, waiting for the primary to become healthy"
		}
		return fmt.Sprintf("primary healthy; restore starts in %s", left(st.HealthySince, e.s.Restore.HoldDown))
	case AwaitAck:
		return "primary healthy; waiting for a person to acknowledge the restore"
	case Restoring:
		step := e.s.Restore.Steps[min(st.Step, len(e.s.Restore.Steps)-1)]
		return fmt.Sprintf("restore step %d/%d at %d%% to the primary, judged in %s",
			st.Step+1, len(e.s.Restore.Steps), step.Weight, left(st.StepSince, step.Hold))
	}
	return ""
}

func builtinOnly(specs []action.Spec) []action.Spec {
	var out []action.Spec
	for _, s := range specs {
		if s.Type == action.TypeBuiltin {
			out = append(out, s)
		}
	}
	return out
}

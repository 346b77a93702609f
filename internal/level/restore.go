package level

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// beginRestore starts the staged return to the primary. Triggers start
// from a clean slate: traffic-based ones saw no primary traffic while it
// was isolated, so their old verdicts say nothing about it now.
//
// The first step's hold starts when traffic moved, after BeforeRestore
// (the journal replay, minutes for a large journal): started before it,
// the replay would eat the canary step, which then is never judged.
func (e *Engine) beginRestore(ctx context.Context, now time.Time) {
	w := e.startWatch(now)
	if e.o.BeforeRestore != nil {
		if err := e.o.BeforeRestore(ctx); err != nil {
			e.emit(event.Warning, "restore held: "+err.Error(), fact.RestoreWaiting{})
			return
		}
	}
	e.o.Triggers.Reset()
	st := e.state()
	st.Phase, st.Step = Restoring, 0
	st.StepSince = e.enterStep(ctx, 0, "restore started", w)
	e.save(st)
}

// ExtraRestoreStep is the action context's Extra key that numbers a
// restore step's actions from 1, so commands see LIFEBOAT_RESTORE_STEP
// and a step log can tell step 2's "scale" from step 3's.
const ExtraRestoreStep = "restore_step"

// enterStep moves traffic to step i and runs its actions, and returns
// when the traffic moved, on the engine's time base: the step's hold
// counts from then.
func (e *Engine) enterStep(ctx context.Context, i int, why string, w stopwatch) time.Time {
	step := e.s.Restore.Steps[i]
	e.emit(event.Info, fmt.Sprintf("restore step %d/%d: %d%% to the primary for %s (%s)",
		i+1, len(e.s.Restore.Steps), step.Weight, step.Hold, why),
		fact.RestoreStep{Step: i + 1, Weight: step.Weight, Hold: step.Hold.String()})
	e.route(proxy.Routing{Mode: proxy.ModeSplit, PrimaryWeight: step.Weight}, why)
	moved := w.at()
	e.runSpecs(ctx, step.Actions, fmt.Sprintf("restore step %d", i+1), map[string]string{ExtraRestoreStep: strconv.Itoa(i + 1)})
	return moved
}

// stopwatch carries a Step's now forward by the time spent since Step
// began, read from Options.Clock, so a hold can start when traffic really
// moved rather than when the evaluation that moved it began.
type stopwatch struct {
	now, began time.Time
	clock      func() time.Time
}

func (e *Engine) startWatch(now time.Time) stopwatch {
	return stopwatch{now: now, began: e.o.Clock(), clock: e.o.Clock}
}

// at is now plus the time elapsed since startWatch.
func (w stopwatch) at() time.Time { return w.now.Add(w.clock().Sub(w.began)) }

// restoreStep judges the running step once it has been held long enough,
// and aborts it at once if the primary falls over meanwhile.
func (e *Engine) restoreStep(ctx context.Context, now time.Time, st State) {
	if imm := e.o.Triggers.Firing(trigger.Immediate); len(imm) > 0 {
		e.failRestore(now, "immediate trigger fired: "+imm[0].Trigger, imm)
		return
	}
	if ok, why := e.o.Verifier.PrimaryHealthy(ctx); !ok {
		e.failRestore(now, "primary unhealthy: "+why, nil)
		return
	}
	step := e.s.Restore.Steps[st.Step]
	if now.Sub(st.StepSince) < step.Hold {
		return
	}
	if ok, why := e.o.Verifier.JudgeStep(ctx, st.StepSince, now); !ok {
		e.failRestore(now, fmt.Sprintf("step %d (%d%%) failed: %s", st.Step+1, step.Weight, why), nil)
		return
	}
	if st.Step == len(e.s.Restore.Steps)-1 {
		e.emit(event.Info, fmt.Sprintf("restore completed: the primary serves everything (last step held %s)",
			now.Sub(st.StepSince).Round(time.Millisecond)), fact.RestoreCompleted{})
		e.toNormal(ctx, now, "restore completed")
		return
	}
	held := now.Sub(st.StepSince).Round(time.Millisecond)
	st.Step++
	st.StepSince = e.enterStep(ctx, st.Step, fmt.Sprintf("step %d passed after %s held", st.Step, held), e.startWatch(now))
	e.save(st)
}

// failRestore returns traffic to the fallback and starts waiting again.
func (e *Engine) failRestore(now time.Time, why string, ev []trigger.Evidence) {
	st := e.state()
	st.Phase, st.HealthySince, st.Acked, st.Step = OnFallback, time.Time{}, false, 0
	e.save(st)
	e.emit(event.Warning, "restore aborted, traffic back on the fallback: "+why,
		fact.RestoreFailed{Reason: why, Triggers: ev})
	e.route(fallbackRouting, "restore aborted")
}

package level

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// Kinds of events the engine emits.
const (
	KindLevelChanged      = "level.changed"
	KindTriggerFired      = "trigger.fired"
	KindTriggerCleared    = "trigger.cleared"
	KindAction            = "action.ran"
	KindActionFailed      = "action.failed"
	KindFallbackVerified  = "rollback.fallback_verified"
	KindFallbackUnhealthy = "rollback.fallback_unhealthy"
	KindRollback          = "rollback.result"
	KindRestoreWaiting    = "restore.waiting"
	KindRestoreStep       = "restore.step"
	KindRestoreFailed     = "restore.failed"
	KindRestoreDone       = "restore.completed"
	KindDecision          = "level.decision"
	KindControl           = "level.control"
	KindStateSaveFailed   = "level.state_save_failed"
)

func (e *Engine) emit(sev event.Severity, kind, msg string, fields map[string]any) {
	if e.o.Events == nil {
		return
	}
	if fields == nil {
		fields = map[string]any{}
	}
	st := e.state()
	fields["level"] = st.Level.String()
	fields["phase"] = string(st.Phase)
	if e.s.DryRun {
		fields["dry_run"] = true
	}
	e.o.Events.Emit(event.Event{Time: time.Now(), Kind: kind, Source: "level", Severity: sev, Message: msg, Fields: fields})
}

func (e *Engine) levelChanged(from, to Level, why string, ev []trigger.Evidence) {
	sev := event.Warning
	switch {
	case to == L3:
		sev = event.Critical
	case to < from:
		sev = event.Info
	}
	e.emit(sev, KindLevelChanged, fmt.Sprintf("%s -> %s: %s", from, to, why),
		map[string]any{"from": from.String(), "to": to.String(), "reason": why, "evidence": ev,
			// The incident this opens records which services it is about.
			"primary": e.o.Upstreams.Primary, "fallback": e.o.Upstreams.Fallback})
}

// reportTransitions turns trigger transitions into events: firing and
// clearing are decisions people want to see; pending and resolving are
// visible in status.
func (e *Engine) reportTransitions(tx []trigger.Transition, paused bool) {
	for _, t := range tx {
		switch t.To {
		case trigger.Firing:
			if t.From == trigger.Resolving {
				continue
			}
			sev := event.Warning
			if t.Kind == string(trigger.Immediate) {
				sev = event.Critical
			}
			e.emit(sev, KindTriggerFired, fmt.Sprintf("trigger %s fired: %g %s %s %g %s",
				t.Trigger, t.Value, t.Unit, t.Op, t.Threshold, t.Unit), map[string]any{"evidence": t.Evidence, "paused": paused})
		case trigger.Inactive:
			if t.From != trigger.Resolving && t.From != trigger.Firing {
				continue
			}
			e.emit(event.Info, KindTriggerCleared, "trigger "+t.Trigger+" cleared", map[string]any{"evidence": t.Evidence})
		}
	}
}

func (e *Engine) runActions(ctx context.Context, l Level, from Level, why string) {
	e.runSpecsAt(ctx, e.s.Actions.For(l), l, from, why)
}

func (e *Engine) runSpecs(ctx context.Context, specs []action.Spec, why string) {
	st := e.state()
	e.runSpecsAt(ctx, specs, st.Level, st.Level, why)
}

func (e *Engine) runSpecsAt(ctx context.Context, specs []action.Spec, l, from Level, why string) {
	if len(specs) == 0 {
		return
	}
	c := action.Context{}
	if e.o.Context != nil {
		c = e.o.Context()
	}
	c.Level, c.PreviousLevel, c.Reason, c.DryRun = l.String(), from.String(), why, e.s.DryRun
	for _, r := range e.o.Actions.RunAll(ctx, specs, c) {
		kind, sev := KindAction, event.Info
		if !r.OK {
			kind, sev = KindActionFailed, event.Warning
		}
		e.emit(sev, kind, fmt.Sprintf("action %s (%s) %s", r.Name, r.Type, okWord(r.OK)), map[string]any{"result": r})
	}
}

func okWord(ok bool) string {
	if ok {
		return "succeeded"
	}
	return "failed"
}

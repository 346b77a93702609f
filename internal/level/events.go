package level

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// Kinds of events the engine emits: the kinds of its facts, which the
// fact package defines once for every reader.
const (
	KindLevelChanged      = fact.KindLevelChanged
	KindTriggerFired      = fact.KindTriggerFired
	KindTriggerCleared    = fact.KindTriggerCleared
	KindAction            = fact.KindActionRan
	KindActionFailed      = fact.KindActionFailed
	KindFallbackVerified  = fact.KindFallbackVerified
	KindFallbackUnhealthy = fact.KindFallbackUnhealthy
	KindRollback          = fact.KindRollback
	KindRestoreWaiting    = fact.KindRestoreWaiting
	KindRestoreStep       = fact.KindRestoreStep
	KindRestoreFailed     = fact.KindRestoreFailed
	KindRestoreDone       = fact.KindRestoreDone
	KindDecision          = fact.KindDecision
	KindControl           = fact.KindControl
	KindStateSaveFailed   = fact.KindStateSaveFailed
)

// emit reports f with the engine's level and phase (and dry run) added
// to its fields, as every engine event carries them.
func (e *Engine) emit(sev event.Severity, msg string, f fact.Fact) {
	if e.o.Events == nil {
		return
	}
	ev := event.Of(time.Now(), "level", sev, msg, f)
	st := e.state()
	ev.Fields["level"] = st.Level.String()
	ev.Fields["phase"] = string(st.Phase)
	if e.s.DryRun {
		ev.Fields["dry_run"] = true
	}
	e.o.Events.Emit(ev)
}

func (e *Engine) levelChanged(from, to Level, why string, ev []trigger.Evidence) {
	sev := event.Warning
	switch {
	case to == L3:
		sev = event.Critical
	case to < from:
		sev = event.Info
	}
	e.emit(sev, fmt.Sprintf("%s -> %s: %s", from, to, why),
		fact.LevelChanged{From: from.Name(), To: to.Name(), Reason: why, Evidence: ev,
			// The incident this opens records which services it is about.
			Primary: e.o.Upstreams.Primary, Fallback: e.o.Upstreams.Fallback})
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
			e.emit(sev, fmt.Sprintf("trigger %s fired: %g %s %s %g %s",
				t.Trigger, t.Value, t.Unit, t.Op, t.Threshold, t.Unit), fact.TriggerFired{Evidence: t.Evidence, Paused: paused})
		case trigger.Inactive:
			if t.From != trigger.Resolving && t.From != trigger.Firing {
				continue
			}
			e.emit(event.Info, "trigger "+t.Trigger+" cleared", fact.TriggerCleared{Evidence: t.Evidence})
		}
	}
}

func (e *Engine) runActions(ctx context.Context, l Level, from Level, why string) {
	e.runSpecsAt(ctx, e.s.Actions.For(l), l, from, why, nil)
}

// runSpecs runs specs at the current level, with extra added to their
// context's Extra.
func (e *Engine) runSpecs(ctx context.Context, specs []action.Spec, why string, extra map[string]string) {
	st := e.state()
	e.runSpecsAt(ctx, specs, st.Level, st.Level, why, extra)
}

func (e *Engine) runSpecsAt(ctx context.Context, specs []action.Spec, l, from Level, why string, extra map[string]string) {
	if len(specs) == 0 {
		return
	}
	c := action.Context{}
	if e.o.Context != nil {
		c = e.o.Context()
	}
	c.Level, c.PreviousLevel, c.Reason, c.DryRun = l.String(), from.String(), why, e.s.DryRun
	if len(extra) > 0 {
		c.Extra = maps.Clone(c.Extra)
		if c.Extra == nil {
			c.Extra = map[string]string{}
		}
		maps.Copy(c.Extra, extra)
	}
	for _, r := range e.o.Actions.RunAll(ctx, specs, c) {
		var f fact.Fact = fact.ActionRan{Result: r}
		sev := event.Info
		if !r.OK {
			f, sev = fact.ActionFailed{Result: r}, event.Warning
		}
		e.emit(sev, fmt.Sprintf("action %s (%s) %s", r.Name, r.Type, okWord(r.OK)), f)
	}
}

func okWord(ok bool) string {
	if ok {
		return "succeeded"
	}
	return "failed"
}

package level

import (
	"context"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// decide applies the plan's rules for the current state.
func (e *Engine) decide(ctx context.Context, now time.Time) {
	st := e.state()
	imm := e.o.Triggers.Firing(trigger.Immediate)
	warn := e.o.Triggers.Firing(trigger.Warning)
	issue := len(imm)+len(warn) > 0
	if issue && st.Level < L3 {
		st.LastIssue = now
		e.save(st)
	}
	// An active trigger keeps an issue alive (no settling back to L0), but
	// only a fresh firing one may escalate: see override.go.
	imm, warn = fresh(imm, st.Held), fresh(warn, st.Held)
	switch st.Level {
	case L0:
		e.atNormal(ctx, now, imm, warn)
	case L1, L2:
		e.atDegraded(ctx, now, st, imm, warn, issue)
	case L3:
		e.atRollback(ctx, now, st, imm)
	}
}

func (e *Engine) atNormal(ctx context.Context, now time.Time, imm, warn []trigger.Evidence) {
	switch {
	case len(imm) > 0:
		e.escalate(ctx, now, L3, "immediate trigger fired", imm)
	case len(warn) > 0:
		e.escalate(ctx, now, L1, "warning trigger fired", warn)
	case e.o.OnHealthy != nil && e.quiet():
		e.o.OnHealthy(now)
	}
}

// quiet reports whether no trigger is pending, firing or resolving.
func (e *Engine) quiet() bool {
	for _, ev := range e.o.Triggers.Status() {
		if ev.State != trigger.Inactive {
			return false
		}
	}
	return true
}

func (e *Engine) atDegraded(ctx context.Context, now time.Time, st State, imm, warn []trigger.Evidence, issue bool) {
	switch {
	case len(imm) > 0:
		e.escalate(ctx, now, L3, "immediate trigger fired", imm)
	case len(warn) > 0 && st.Level == L2 && now.Sub(st.IncidentStart) >= e.s.L3After:
		e.escalate(ctx, now, L3, "issue outlived "+e.s.L3After.String()+" since it began", warn)
	case len(warn) > 0 && st.Level == L1 && now.Sub(st.Since) >= e.s.L1Window:
		e.escalate(ctx, now, L2, "issue outlived Level 1's "+e.s.L1Window.String()+" window", warn)
	case !issue && now.Sub(st.LastIssue) >= e.s.Settle:
		e.toNormal(ctx, now, "no trigger fired for "+e.s.Settle.String())
	}
}

// escalate moves up to level to, running its actions. L3 starts with
// verification of the fallback, done by atRollback on this same step.
func (e *Engine) escalate(ctx context.Context, now time.Time, to Level, why string, ev []trigger.Evidence) {
	st := e.state()
	from := st.Level
	if st.Level == L0 {
		st.IncidentStart = now
		st.Manual, st.Rollback = false, ""
	}
	st.Level, st.Since, st.LastIssue = to, now, now
	st.Phase = phaseOf(to)
	e.save(st)
	e.levelChanged(from, to, why, ev)
	switch to {
	case L1:
		e.runActions(ctx, L1, from, why)
	case L2:
		if from < L1 {
			e.runActions(ctx, L1, from, why)
		}
		e.route(backupRouting, why)
		e.runActions(ctx, L2, from, why)
	case L3:
		e.atRollback(ctx, now, e.state(), ev)
	}
}

// toNormal returns to L0: base routing, the Normal actions, a clean slate.
func (e *Engine) toNormal(ctx context.Context, now time.Time, why string) {
	from := e.state().Level
	st := normalState(now)
	st.Manual, st.Held = e.state().Manual, e.state().Held
	e.save(st)
	e.levelChanged(from, L0, why, nil)
	e.route(e.o.BaseRouting, why)
	e.runActions(ctx, L0, from, why)
}

func phaseOf(l Level) Phase {
	switch l {
	case L1:
		return Degraded
	case L2:
		return Isolated
	case L3:
		return Verifying
	}
	return Normal
}

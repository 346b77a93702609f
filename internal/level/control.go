package level

import (
	"context"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// The commands below let people take control. Each marks the incident as
// manually handled, is recorded as an event naming who asked, and waits at
// most until ctx ends for a running evaluation to finish.

// SetLevel forces a level. L3 goes through the same verification as an
// automatic rollback; L0 ends the incident and restores base routing.
// The person's level holds against the triggers active when they acted:
// those must fire anew, after the command, to move the level again (see
// fresh in decide.go), and the command's event names them.
func (e *Engine) SetLevel(ctx context.Context, l Level, by string) error {
	return e.command(ctx, by, "set level "+l.String(), func(now time.Time) (string, error) {
		cur := e.state().Level
		held := e.activeTriggers()
		switch {
		case l == cur:
		case l == L0:
			e.toNormal(ctx, now, "set by "+by)
		case l > cur:
			e.escalate(ctx, now, l, "set by "+by, nil)
		default:
			e.deescalate(ctx, now, l, by)
		}
		e.markManual()
		e.hold(held)
		return overrideNote(cur, held), nil
	})
}

// deescalate steps down to L1 or L2 from a higher level.
func (e *Engine) deescalate(ctx context.Context, now time.Time, l Level, by string) {
	st := e.state()
	from := st.Level
	st.Level, st.Phase, st.Since = l, phaseOf(l), now
	e.save(st)
	e.levelChanged(from, l, "set by "+by, nil)
	if l == L2 {
		e.route(backupRouting, "set by "+by)
	} else {
		e.route(e.o.BaseRouting, "set by "+by)
	}
}

// ForceRollback is SetLevel(L3).
func (e *Engine) ForceRollback(ctx context.Context, by string) error {
	return e.SetLevel(ctx, L3, by)
}

// StartRestore begins stepping traffic back now, skipping the hold-down
// and the acknowledgement, but not the primary's health check.
func (e *Engine) StartRestore(ctx context.Context, by string) error {
	return e.command(ctx, by, "start restore", func(now time.Time) (string, error) {
		st := e.state()
		if st.Level != L3 || (st.Phase != OnFallback && st.Phase != AwaitAck) {
			return "", ErrState
		}
		if ok, why := e.o.Verifier.PrimaryHealthy(ctx); !ok {
			return "", &stateError{"the primary is not healthy: " + why}
		}
		st.Manual = true
		e.save(st)
		e.beginRestore(ctx, now)
		return "", nil
	})
}

// AbortRestore sends traffic back to the fallback.
func (e *Engine) AbortRestore(ctx context.Context, by string) error {
	return e.command(ctx, by, "abort restore", func(now time.Time) (string, error) {
		st := e.state()
		if st.Phase != Restoring {
			return "", ErrState
		}
		st.Manual = true
		e.save(st)
		e.failRestore(now, "aborted by "+by, nil)
		return "", nil
	})
}

// Ack approves the restore when Restore.RequireAck is set.
func (e *Engine) Ack(ctx context.Context, by string) error {
	return e.command(ctx, by, "acknowledge restore", func(time.Time) (string, error) {
		st := e.state()
		if st.Level != L3 {
			return "", ErrState
		}
		st.Acked, st.AckedBy, st.Manual = true, by, true
		e.save(st)
		return "", nil
	})
}

// Pause stops automation; Resume restarts it.
func (e *Engine) Pause(ctx context.Context, by string) error  { return e.setPaused(ctx, true, by) }
func (e *Engine) Resume(ctx context.Context, by string) error { return e.setPaused(ctx, false, by) }

func (e *Engine) setPaused(ctx context.Context, p bool, by string) error {
	what := map[bool]string{true: "pause automation", false: "resume automation"}[p]
	return e.command(ctx, by, what, func(time.Time) (string, error) {
		st := e.state()
		st.Paused = p
		if p && st.Level > L0 {
			st.Manual = true
		}
		e.save(st)
		return "", nil
	})
}

// command runs f under the engine's lock and records who asked; f may
// return a note saying what the command overrode, added to the event.
func (e *Engine) command(ctx context.Context, by, what string, f func(now time.Time) (string, error)) error {
	if err := e.acquire(ctx); err != nil {
		return err
	}
	defer e.release()
	note, err := f(time.Now())
	if err != nil {
		return err
	}
	msg := what + " by " + by
	if note != "" {
		msg += ": " + note
	}
	e.emit(event.Warning, msg, fact.Control{By: by, Command: what, Overrode: note})
	return nil
}

// markManual records that a person acted during this incident. Set after
// a transition, since entering an incident from L0 starts a fresh record.
func (e *Engine) markManual() {
	st := e.state()
	if !st.Manual {
		st.Manual = true
		e.save(st)
	}
}

type stateError struct{ msg string }

func (e *stateError) Error() string        { return "level: " + e.msg }
func (e *stateError) Is(target error) bool { return target == ErrState }

// resume re-applies a stored level after a restart: routing and built-in
// gateway changes, which lived in memory, but not external actions, which
// already ran.
func (e *Engine) resume(ctx context.Context) {
	st := e.state()
	e.emit(event.Warning, "resumed at "+st.Level.String()+" ("+string(st.Phase)+") after restart", fact.Decision{})
	e.reapply(ctx, st, "resume after restart")
}

// reapply applies st's routing and built-in gateway changes, which live
// in memory, and no external action: those ran where st was decided.
func (e *Engine) reapply(ctx context.Context, st State, why string) {
	for l := L1; l <= min(st.Level, L2); l++ {
		e.runSpecsAt(ctx, builtinOnly(e.s.Actions.For(l)), l, l, why, nil)
	}
	switch {
	case st.Level == L2:
		e.route(backupRouting, why)
	case st.Phase == OnFallback || st.Phase == AwaitAck:
		e.route(fallbackRouting, why)
	case st.Phase == Restoring:
		w := e.s.Restore.Steps[min(st.Step, len(e.s.Restore.Steps)-1)].Weight
		e.route(proxy.Routing{Mode: proxy.ModeSplit, PrimaryWeight: w}, why)
	}
}

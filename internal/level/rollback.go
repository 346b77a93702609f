package level

import (
	"context"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

var (
	backupRouting   = proxy.Routing{Mode: proxy.ModeBackup, PrimaryWeight: 100}
	fallbackRouting = proxy.Routing{Mode: proxy.ModeFallback, PrimaryWeight: 0}
)

// atRollback walks Level 3's phases.
func (e *Engine) atRollback(ctx context.Context, now time.Time, st State, ev []trigger.Evidence) {
	switch st.Phase {
	case Verifying:
		e.verifyAndIsolate(ctx, st, ev)
	case OnFallback, AwaitAck:
		e.waitForPrimary(ctx, now, st)
	case Restoring:
		e.restoreStep(ctx, now, st)
	}
}

// verifyAndIsolate moves all traffic to the fallback only once the
// fallback is proven healthy: rolling onto a broken stand-in would turn a
// degraded service into an outage (Flagger once did exactly that).
func (e *Engine) verifyAndIsolate(ctx context.Context, st State, ev []trigger.Evidence) {
	if err := e.o.Verifier.Fallback(ctx); err != nil {
		if !st.Critical {
			st.Critical = true
			e.save(st)
			e.emit(event.Critical, "fallback is not healthy; traffic stays where it is: "+err.Error(),
				fact.FallbackUnhealthy{Error: err.Error()})
		}
		if e.o.Router.Routing().Mode == proxy.ModePrimary {
			e.route(backupRouting, "best available mode while the fallback is unproven")
		}
		return
	}
	st.Critical = false
	e.save(st)
	e.emit(event.Info, "fallback verified healthy", fact.FallbackVerified{})
	e.route(fallbackRouting, "Level 3: isolate the primary")
	e.runActions(ctx, L3, L2, "full rollback")
	e.recordRollback(ctx, ev)
}

// recordRollback verifies end to end and records the plan's verdict.
func (e *Engine) recordRollback(ctx context.Context, ev []trigger.Evidence) {
	st := e.state()
	st.Phase, st.HealthySince = OnFallback, time.Time{}
	if err := e.o.Verifier.EndToEnd(ctx); err != nil {
		st.Rollback = RollbackFailed
		e.save(st)
		e.emit(event.Critical, RollbackFailed+": "+err.Error(),
			fact.RollbackResult{Verdict: fact.RollbackFailed, Triggers: ev, Error: err.Error()})
		return
	}
	st.Rollback = RollbackSuccessful
	e.save(st)
	e.emit(event.Info, RollbackSuccessful, fact.RollbackResult{Verdict: fact.RollbackSuccessful, Triggers: ev})
}

// waitForPrimary holds traffic on the fallback until the primary has been
// healthy for the hold-down, and approved when a person must approve.
func (e *Engine) waitForPrimary(ctx context.Context, now time.Time, st State) {
	ok, why := e.recovered(ctx)
	switch {
	case !ok:
		if !st.HealthySince.IsZero() || st.Phase == AwaitAck {
			st.HealthySince, st.Phase = time.Time{}, OnFallback
			e.save(st)
			e.emit(event.Warning, "primary unhealthy again; hold-down reset: "+why, fact.RestoreWaiting{})
		}
	case st.HealthySince.IsZero():
		st.HealthySince = now
		e.save(st)
		e.emit(event.Info, "primary healthy; hold-down of "+e.s.Restore.HoldDown.String()+" started", fact.RestoreWaiting{})
	case now.Sub(st.HealthySince) < e.s.Restore.HoldDown:
	case e.s.Restore.RequireAck && !st.Acked:
		if st.Phase != AwaitAck {
			st.Phase = AwaitAck
			e.save(st)
			e.emit(event.Warning, "primary healthy for the hold-down; waiting for an acknowledgement to restore", fact.RestoreWaiting{})
		}
	default:
		e.beginRestore(ctx, now)
	}
}

// route moves traffic, or records that it would in a dry run.
func (e *Engine) route(r proxy.Routing, why string) {
	if e.s.DryRun {
		e.emit(event.Info, "dry run: would route "+r.Mode.String()+" ("+why+")",
			fact.RouteDecision{Mode: r.Mode.String(), PrimaryWeight: r.PrimaryWeight})
		return
	}
	if err := e.o.Router.SetRouting(r); err != nil {
		e.emit(event.Critical, "cannot route "+r.Mode.String()+": "+err.Error(), fact.Decision{})
	}
}

// recoveryJudge is a Verifier that judges the hold-down more strictly
// than a running step: by every immediate trigger's signal, not only the
// primary's health endpoint.
type recoveryJudge interface {
	PrimaryRecovered(ctx context.Context) (bool, string)
}

// recovered asks the Verifier's PrimaryRecovered when it has one, and
// PrimaryHealthy otherwise.
func (e *Engine) recovered(ctx context.Context) (bool, string) {
	if j, ok := e.o.Verifier.(recoveryJudge); ok {
		return j.PrimaryRecovered(ctx)
	}
	return e.o.Verifier.PrimaryHealthy(ctx)
}

package level

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// The start period keeps a booting system from judging a primary that is
// still starting. Compose files and rolling restarts start the gateway and
// the primary together, and a primary that needs 40 s to come up looks,
// to the health checks, exactly like one that went down: without a start
// period the engine would roll back at every boot and its Level 3 actions
// would stop the primary while it starts.
//
// Until the primary has been seen healthy once, or Settings.StartPeriod
// has passed since the first evaluation, the engine neither evaluates
// triggers nor decides anything: no trigger fires, no incident opens, no
// action runs. Traffic is still routed around the primary, because the
// gateway's health checks mark it down meanwhile. After the start period a
// primary that never came up is judged like any other: its health trigger
// fires on the first evaluation, with its evidence. An engine resuming a
// stored incident above L0 has no start period.

// starting reports whether now falls in the start period, and ends the
// period for good the first time it does not. The caller holds e.lock.
func (e *Engine) starting(now time.Time) bool {
	e.mu.Lock()
	if e.started {
		e.mu.Unlock()
		return false
	}
	if e.bootAt.IsZero() {
		e.bootAt = now
	}
	boot := e.bootAt
	e.mu.Unlock()
	up := e.o.PrimaryUp == nil || e.o.PrimaryUp()
	if !up && e.s.StartPeriod > 0 && now.Sub(boot) < e.s.StartPeriod {
		return true
	}
	e.mu.Lock()
	e.started = true
	e.mu.Unlock()
	if e.o.PrimaryUp != nil && e.s.StartPeriod > 0 {
		why := "the primary was seen healthy"
		if !up {
			why = "the primary did not become healthy within " + e.s.StartPeriod.String() + "; it is judged like any outage from now on"
		}
		e.emit(event.Info, "start period over: "+why, fact.StartDecision{PrimaryUp: up})
	}
	return false
}

// startLeft is how much of the start period remains at now; zero once it
// is over.
func (e *Engine) startLeft(now time.Time) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.started || e.o.PrimaryUp == nil || e.s.StartPeriod <= 0 {
		return 0
	}
	if e.bootAt.IsZero() {
		return e.s.StartPeriod
	}
	return max(e.s.StartPeriod-now.Sub(e.bootAt), time.Nanosecond)
}

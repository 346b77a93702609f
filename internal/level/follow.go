package level

import "context"

// Follow makes st, decided by another replica of a cluster, this engine's
// state. It re-applies st's routing and built-in gateway changes as a
// restart's resume does, and below L2 returns traffic to the base routing;
// it runs no external action and saves nothing, because the replica that
// decided st did both. A state equal to the current one changes nothing.
// The engine must not be running (Run) meanwhile: only a decider runs.
func (e *Engine) Follow(ctx context.Context, st State) error {
	if err := e.acquire(ctx); err != nil {
		return err
	}
	defer e.release()
	prev := e.state()
	st.Upstreams = e.o.Upstreams
	e.mu.Lock()
	e.st = st
	e.started = e.started || st.Level > L0 // a follower joining an outage has no start period
	e.mu.Unlock()
	if st.Level == prev.Level && st.Phase == prev.Phase && st.Step == prev.Step {
		return nil
	}
	const why = "follow the decider"
	if st.Level <= L1 && prev.Level >= L2 {
		e.route(e.o.BaseRouting, why)
	}
	if st.Level == L0 && prev.Level > L0 {
		e.runSpecsAt(ctx, builtinOnly(e.s.Actions.For(L0)), L0, prev.Level, why, nil)
	}
	e.reapply(ctx, st, why)
	return nil
}

package drill

import (
	"context"
	"fmt"
	"time"
)

// preflight waits until the gateway can be drilled, up to ReadyWait, and
// checks that it has a trigger able to see the scenario's fault.
func (d *run) preflight(ctx context.Context) (gatewayStatus, error) {
	deadline := time.Now().Add(d.o.ReadyWait)
	for {
		st, err := readStatus(ctx, d.cl)
		why, lasting := "", false
		if err != nil {
			why = err.Error()
		} else {
			why, lasting = st.notReady(d.o.DryRun)
		}
		switch {
		case why == "" && !st.detects(d.sc.Detects):
			return st, fmt.Errorf("%w: %s needs %s", ErrUnsupported, d.sc.Name, d.sc.Needs)
		case why == "":
			return st, nil
		case lasting || time.Now().After(deadline):
			return st, fmt.Errorf("%w: %s", ErrNotReady, why)
		}
		if err := sleep(ctx, d.o.Poll); err != nil {
			return st, fmt.Errorf("%w: %w", ErrInterrupted, err)
		}
	}
}

// watch reads the gateway every Poll for up to limit: it narrates new
// events, runs the guard, watches the load, and stops early when done
// says so. It reports whether done did.
func (d *run) watch(ctx context.Context, ld *loadRun, limit time.Duration, done func(gatewayStatus) (bool, error)) (bool, error) {
	deadline := time.Now().Add(limit)
	var unreachable time.Time
	for {
		st, err := readStatus(ctx, d.cl)
		switch {
		case ctx.Err() != nil:
			return false, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
		case err != nil:
			if unreachable.IsZero() {
				unreachable = time.Now()
			}
			if time.Since(unreachable) >= d.o.Guard.For {
				return false, d.abort(fmt.Sprintf("the gateway has not answered for %s: %v", d.o.Guard.For, err))
			}
		default:
			unreachable = time.Time{}
			if ok, err := d.observe(st, ld, done); ok || err != nil {
				return ok, err
			}
		}
		if !time.Now().Before(deadline) {
			return false, nil
		}
		if err := sleep(ctx, min(d.o.Poll, time.Until(deadline))); err != nil {
			return false, fmt.Errorf("%w: %w", ErrInterrupted, err)
		}
	}
}

// observe handles one reading of the gateway.
func (d *run) observe(st gatewayStatus, ld *loadRun, done func(gatewayStatus) (bool, error)) (bool, error) {
	for _, n := range d.feed.next(st.Events) {
		d.note(n)
	}
	if why := d.guard.check(st, time.Now()); why != "" {
		return false, d.abort(why)
	}
	if err := ld.failed(); err != nil {
		return false, fmt.Errorf("drill: load: %w", err)
	}
	return done(st)
}

// abort records why the guard stopped the drill.
func (d *run) abort(why string) error {
	d.res.Aborted = why
	d.sayAs("critical", "ABORT: %s; reverting the fault", why)
	return fmt.Errorf("%w: %s", ErrAborted, why)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

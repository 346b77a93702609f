package health

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Hooks receive what a Checker observes. Each may be nil, in which case the
// event is not reported anywhere. Hooks run synchronously on the probing
// goroutine, one at a time and in order, so they must return quickly; they
// may call State and Status but must not call CheckNow, which would
// deadlock.
type Hooks struct {
	// OnProbe is called with every counted probe result.
	OnProbe func(name string, r Result)
	// OnChange is called after every state change, after OnProbe for the
	// probe that caused it.
	OnChange func(Change)
}

// Checker watches one upstream. Its configuration is fixed at creation;
// everything else is live state guarded as documented per field.
type Checker struct {
	name     string
	prober   Prober
	settings Settings
	hooks    Hooks

	// state mirrors tally.state for lock-free reads on the request path.
	state atomic.Int32
	// wake tells Run to recompute its schedule after CheckNow.
	wake chan struct{}
	// notifyMu serialises counting and hook calls, so hooks observe state
	// changes in the order they happened. It is taken before mu.
	notifyMu sync.Mutex

	mu        sync.Mutex // guards the fields below
	tally     tally
	last      Result
	since     time.Time
	lastStart time.Time
	// failingSince is when the first probe of the current failure streak
	// started; zero while the latest probe passed.
	failingSince time.Time
	checks       int64
	failures     int64
}

// NewChecker returns a checker named name (the upstream's name, passed to
// hooks) that probes with p. It panics when s.Validate fails, because the
// configuration is expected to be validated when it is loaded.
func NewChecker(name string, p Prober, s Settings, hooks Hooks) *Checker {
	return &Checker{
		name:     name,
		prober:   p,
		settings: s.mustValid(),
		hooks:    hooks,
		wake:     make(chan struct{}, 1),
	}
}

// Name returns the name given to NewChecker.
func (c *Checker) Name() string { return c.name }

// State returns the current state without locking.
func (c *Checker) State() State { return State(c.state.Load()) }

// Status returns a consistent snapshot of the live state.
func (c *Checker) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Status{
		Name:                c.name,
		State:               c.tally.state,
		Since:               c.since,
		ConsecutivePasses:   c.tally.passes,
		ConsecutiveFailures: c.tally.failures,
		Last:                c.last,
		FailingSince:        c.failingSince,
		Checks:              c.checks,
		Failures:            c.failures,
	}
}

// CheckNow probes immediately and counts the result toward rise and fall
// exactly like a scheduled probe; a running Run then schedules its next
// probe from this one. When ctx ends before the probe does, the result is
// returned but not counted, since it says nothing about the upstream.
func (c *Checker) CheckNow(ctx context.Context) Result {
	r := c.probe(ctx)
	select {
	case c.wake <- struct{}{}:
	default: // A wake-up is already pending; one is enough.
	}
	return r
}

// probe runs the prober under the configured timeout and counts the result
// unless the caller's ctx ended meanwhile.
func (c *Checker) probe(ctx context.Context) Result {
	start := time.Now()
	c.mu.Lock()
	c.lastStart = start
	c.mu.Unlock()
	pctx, cancel := context.WithTimeout(ctx, c.settings.Timeout)
	r := c.prober.Probe(pctx)
	cancel()
	if r.At.IsZero() {
		r.At = start
	}
	if ctx.Err() == nil {
		c.count(r)
	}
	return r
}

// count feeds one result to the hysteresis and reports it through hooks.
func (c *Checker) count(r Result) {
	c.notifyMu.Lock()
	defer c.notifyMu.Unlock()
	c.mu.Lock()
	from := c.tally.state
	to, changed := c.tally.observe(r.OK, c.settings.Rise, c.settings.Fall)
	c.last = r
	c.checks++
	if !r.OK {
		c.failures++
		if c.failingSince.IsZero() {
			c.failingSince = r.At
		}
	} else {
		c.failingSince = time.Time{}
	}
	if changed {
		c.since = r.At
		c.state.Store(int32(to))
	}
	c.mu.Unlock()
	if c.hooks.OnProbe != nil {
		c.hooks.OnProbe(c.name, r)
	}
	if changed && c.hooks.OnChange != nil {
		c.hooks.OnChange(Change{Name: c.name, From: from, To: to, At: r.At, Result: r})
	}
}

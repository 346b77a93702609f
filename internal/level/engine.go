package level

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// Triggers are the evaluated rules the engine reacts to.
type Triggers interface {
	Evaluate(ctx context.Context, now time.Time, scale float64) []trigger.Transition
	Firing(kind trigger.Kind) []trigger.Evidence
	Status() []trigger.Evidence
	Reset()
}

// Router moves traffic.
type Router interface {
	SetRouting(proxy.Routing) error
	Routing() proxy.Routing
}

// ActionRunner runs a level's actions; a failing action never stops the
// escalation.
type ActionRunner interface {
	RunAll(ctx context.Context, specs []action.Spec, c action.Context) []action.Result
}

// Verifier proves things before traffic moves.
type Verifier interface {
	// Fallback checks that the fallback is healthy and answers correctly.
	Fallback(ctx context.Context) error
	// EndToEnd checks that clients are served through the gateway.
	EndToEnd(ctx context.Context) error
	// PrimaryHealthy reports whether the primary may take traffic again.
	PrimaryHealthy(ctx context.Context) (bool, string)
	// JudgeStep judges the primary's traffic during a restore step.
	JudgeStep(ctx context.Context, since, now time.Time) (bool, string)
}

// Store keeps the state across restarts.
type Store interface {
	Load() (State, bool, error)
	Save(State) error
}

// Options are the engine's collaborators. Triggers, Router, Actions,
// Verifier and Store are required.
type Options struct {
	Settings Settings
	Triggers Triggers
	Router   Router
	Actions  ActionRunner
	Verifier Verifier
	Store    Store
	// Events receives every decision. Nil means none.
	Events event.Sink
	// BaseRouting is where traffic goes at L0 and L1. Zero means primary.
	BaseRouting proxy.Routing
	// OnHealthy is called on every evaluation at L0 with no trigger
	// pending or firing, so baselines learn only from good times. Nil is
	// fine.
	OnHealthy func(now time.Time)
	// BeforeRestore runs before traffic first steps back to the primary
	// (the write journal replays here). An error keeps traffic on the
	// fallback and is retried on the next evaluation. Nil is fine.
	BeforeRestore func(ctx context.Context) error
	// Context adds fields to every action's context. Nil is fine.
	Context func() action.Context
	// Clock measures the time spent inside one evaluation, such as the
	// journal replay before a restore, so a restore step's hold starts
	// when traffic moved. Default time.Now.
	Clock func() time.Time
	// PrimaryUp reports whether the primary's health check says it is up;
	// it ends the start period (Settings.StartPeriod) early. Nil means
	// no start period: the primary is taken as seen healthy.
	PrimaryUp func() bool
	// Upstreams are the services the engine fronts. A stored state bound
	// to others is not resumed: the engine starts at L0 and reports it
	// (see binding.go). Zero binds nothing and resumes any state.
	Upstreams Upstreams
}

// Engine is the level state machine. All decisions happen under one lock,
// taken with a bounded wait so a command never hangs behind a slow action.
type Engine struct {
	o    Options
	s    Settings
	lock chan struct{}

	mu   sync.Mutex // guards st, bootAt and started for readers that must not wait for lock
	st   State
	poke chan struct{}
	// bootAt is the first evaluation's time and started is set once the
	// start period is over (see start.go).
	bootAt  time.Time
	started bool
	// foreign is the stored state found bound to other upstreams, nil
	// when there was none; set once by New.
	foreign *State
}

// New builds an engine and loads its state; a stored state above L0 is
// resumed: its routing and built-in gateway changes are applied again, but
// external actions, which already ran, are not.
func New(ctx context.Context, o Options) (*Engine, error) {
	if err := o.Settings.Validate(); err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.BaseRouting == (proxy.Routing{}) {
		o.BaseRouting = proxy.Routing{Mode: proxy.ModePrimary, PrimaryWeight: 100}
	}
	e := &Engine{o: o, s: o.Settings.WithDefaults(), lock: make(chan struct{}, 1), poke: make(chan struct{}, 1)}
	st, ok, err := o.Store.Load()
	if err != nil {
		return nil, fmt.Errorf("level: load state: %w", err)
	}
	if !ok {
		st = normalState(time.Now())
	}
	e.st = e.adopt(st, time.Now())
	if ok && e.st.Upstreams != st.Upstreams {
		e.save(e.st) // bound from now on, on disk too
	}
	if e.foreign != nil {
		e.reportForeign()
		return e, nil
	}
	if ok && st.Level > L0 {
		// An incident in progress goes on being judged: the start period
		// is for a system booting at L0, not for one resuming an outage.
		e.started = true
		e.resume(ctx)
	}
	return e, nil
}

// Run evaluates every Settings.Evaluate, or at once when poked, until ctx
// ends. The caller owns the goroutine.
func (e *Engine) Run(ctx context.Context) {
	t := time.NewTicker(e.s.Evaluate)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-e.poke:
		}
		_ = e.Step(ctx, time.Now())
	}
}

// Poke asks for an evaluation now, for example when a health check flips.
func (e *Engine) Poke() {
	select {
	case e.poke <- struct{}{}:
	default:
	}
}

// Step evaluates the triggers and takes the decisions due at now.
func (e *Engine) Step(ctx context.Context, now time.Time) error {
	if err := e.acquire(ctx); err != nil {
		return err
	}
	defer e.release()
	if e.starting(now) {
		return nil
	}
	st := e.state()
	scale := 1.0
	if st.Level == L2 {
		scale = e.s.L2Scale
	}
	tx := e.o.Triggers.Evaluate(ctx, now, scale)
	e.reportTransitions(tx, st.Paused)
	if st.Paused {
		return nil
	}
	e.decide(ctx, now)
	return nil
}

func (e *Engine) acquire(ctx context.Context) error {
	select {
	case e.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Engine) release() { <-e.lock }

// state returns a copy of the current state.
func (e *Engine) state() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st
}

// save replaces the state and persists it. A failed save is reported but
// does not stop the engine: acting correctly now matters more than
// remembering it.
func (e *Engine) save(st State) {
	e.mu.Lock()
	e.st = st
	e.mu.Unlock()
	if err := e.o.Store.Save(st); err != nil {
		e.emit(event.Critical, "cannot persist level state: "+err.Error(), fact.StateSaveFailed{})
	}
}

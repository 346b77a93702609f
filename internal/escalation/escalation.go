// Package escalation assembles the decision path from configuration: the
// triggers and the latency baseline they judge against, the level engine
// with its built-in actions and Level 3 verifier, and the incidents it
// records, preserves and pages about. The app builds one Escalation when
// escalation is enabled and lends it the data plane through Deps; in a
// cluster, Fleet is where the replicas' sharing hooks in, and the
// decider's term calls PickUp, Chain and RunEngine itself.
package escalation

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
	"github.com/lifeboat-sre/lifeboat/internal/verify"
)

// PrimaryUpstream is the primary's index in the traffic recorder, whose
// traffic the triggers and the baseline judge.
const PrimaryUpstream = 0

// Escalation is the decision path, from the triggers to the pages.
type Escalation struct {
	cfg config.Config
	d   Deps

	book *incident.Book
	// alerts is the escalation chain in a single process; in a cluster
	// each decider's term makes its own (Chain).
	alerts        *alert.Alerts
	baseline      *signal.Baseline
	baselineSaved time.Time
	triggers      *trigger.Set
	runner        *action.Runner
	verifier      *verify.Verifier
	preserver     *incident.Preserver
	engine        *level.Engine
	decisions     *metrics.Decisions

	mu  sync.Mutex
	ctx context.Context // Start's, for preservation; nil before
	wg  sync.WaitGroup
}

// Open opens the incidents' book under the data directory and, in a
// single process, the escalation chain that pages about them. The engine
// is built by Build afterwards, once the app routes its events to Emit:
// the engine's resume at build must land on the incident still open.
func Open(ctx context.Context, c config.Config, d Deps) (*Escalation, error) {
	e := &Escalation{cfg: c, d: d}
	if err := EnsureDataDir(c.Escalation.DataDir); err != nil {
		return nil, err
	}
	src := history.RecorderSource{Recorder: d.Stats, Targets: proxy.TargetNames, Resources: e.resourceReader()}
	book, err := incident.OpenBook(ctx, incident.BookOptions{Dir: c.Escalation.DataDir,
		History:         history.Options{Source: src, OnError: e.logError("history")},
		HistorySettings: history.Settings{Interval: c.Incidents.HistoryInterval, Retention: c.Incidents.HistoryRetention},
		Records: incident.Options{Now: d.Now, OnChange: e.onIncidentChange, OnEntry: e.onIncidentEntry,
			OnError: e.logError("incident"), DataLoss: d.Side.DataLoss()},
	})
	if err != nil {
		return nil, fmt.Errorf("app: incidents: %w", err)
	}
	e.book = book
	if d.Fleet != nil {
		d.Fleet.Mirror(book.Recorder) // the decider builds its chain each term
		return e, nil
	}
	if e.alerts, err = alert.New(e.alertOptions()); err != nil {
		e.Close()
		return nil, fmt.Errorf("app: %w", err)
	}
	return e, nil
}

// Build creates the triggers, the action runner, the verifier, the level
// engine and the decision metrics.
func (e *Escalation) Build(ctx context.Context) error {
	c := e.cfg.Escalation
	// In a cluster the decider learns what normal looks like from the
	// fleet's traffic, which its latency triggers also judge.
	baseline, err := signal.NewBaseline(e.d.Traffic, PrimaryUpstream, e.d.Keys, signal.BaselineSettings{})
	if err != nil {
		return err
	}
	e.baseline = baseline
	e.loadBaseline()
	rules, direct, err := e.rules(baseline)
	if err != nil {
		return err
	}
	set, err := trigger.NewSet(rules)
	if err != nil {
		return fmt.Errorf("app: triggers: %w", err)
	}
	e.triggers = set
	settings, secrets, err := levelSettings(c)
	if err != nil {
		return err
	}
	e.runner = action.NewRunner(action.Options{Builtins: e.builtins(), Redact: secrets})
	e.preserver = &incident.Preserver{Records: e.book.Recorder, Runner: e.runner, Actions: e.cfg.Incidents.Preserve,
		Dir: c.DataDir, Events: e.d.Events, Now: e.d.Now}
	if e.verifier, err = e.buildVerifier(rules, direct); err != nil {
		return err
	}
	var actions level.ActionRunner = e.runner
	if e.d.Fleet != nil {
		actions = e.d.Fleet.Actions(e.runner)
	}
	e.engine, err = level.New(ctx, level.Options{
		Settings:      settings,
		Triggers:      set,
		Router:        e.d.Gateway,
		Actions:       actions,
		Verifier:      e.verifier,
		Store:         e.d.Store,
		Events:        e.d.Events,
		BaseRouting:   e.d.Gateway.Routing(),
		OnHealthy:     e.learn,
		Context:       e.actionContext,
		BeforeRestore: e.beforeRestore,
		Clock:         e.engineClock(),
		PrimaryUp:     func() bool { return e.d.Primary.State() == health.Up },
		Upstreams:     e.upstreams(),
	})
	if err != nil {
		return err
	}
	return e.registerDecisions()
}

// Start runs the book and, in a single process, the chain under ctx, and
// closes an incident a crash left open while the engine came back at L0,
// or resumes it otherwise. In a cluster the decider's term does the
// chain's part (Chain, PickUp).
func (e *Escalation) Start(ctx context.Context) {
	e.mu.Lock()
	e.ctx = ctx
	e.mu.Unlock()
	e.wg.Go(func() { e.book.Run(ctx) })
	if e.alerts == nil {
		return
	}
	e.wg.Go(func() { e.alerts.Run(ctx) })
	e.PickUp(ctx, e.alerts)
}

// RunEngine starts the engine's evaluations under ctx, owned by wg:
// for the app's life in a single process, for a term in a cluster. Under
// Manual the caller steps the engine instead.
func (e *Escalation) RunEngine(ctx context.Context, wg *sync.WaitGroup) {
	if e != nil && !e.d.Manual {
		wg.Go(func() { e.engine.Run(ctx) })
	}
}

// Drain delivers the chain's queued notices until ctx ends; the app calls
// it before ending Start's context.
func (e *Escalation) Drain(ctx context.Context) {
	if e == nil || e.alerts == nil {
		return
	}
	if err := e.alerts.Stop(ctx); err != nil {
		e.d.Log.Warn("alerts not delivered before stop", "err", err)
	}
}

// Close waits for the goroutines Start began, which end with its
// context, saves the latency baseline when started, and closes the
// incidents' database. It is safe on an escalation never started.
func (e *Escalation) Close() {
	if e == nil {
		return
	}
	e.mu.Lock()
	started := e.ctx != nil
	e.mu.Unlock()
	if started {
		e.wg.Wait()
		e.saveBaseline()
	}
	if err := e.book.Close(); err != nil {
		e.d.Log.Warn("closing the incidents database", "err", err)
	}
}

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
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fallback"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
	"github.com/lifeboat-sre/lifeboat/internal/verify"
)

// PrimaryUpstream is the primary's index in the traffic recorder, whose
// traffic the triggers and the baseline judge.
const PrimaryUpstream = 0

// Deps is what the escalation needs from the data plane the app built.
type Deps struct {
	// Gateway is the data plane the engine routes and the built-ins act on.
	Gateway *proxy.Gateway
	// Ops are the gateway's operations with the configured defaults, the
	// admin API's, which the built-in actions call by name.
	Ops operation.Ops
	// Stats is this replica's recorder, whose per-second figures the
	// incidents' history keeps.
	Stats *stats.Recorder
	// Traffic is what the triggers, the baseline and the verifier read:
	// the recorder, or in a cluster the fleet's merged traffic.
	Traffic signal.Traffic
	// Keys are the key routes' indexes in the recorder.
	Keys []int
	// Primary and Fallback are the upstreams' active health checks.
	Primary, Fallback *health.Checker
	// PrimaryHealth is the primary's health as the triggers read it.
	PrimaryHealth signal.HealthStatuser
	// Side is the fallback side: the journal's data loss, its replay
	// before a restore, and the journals held aside at start.
	Side Side
	// Probe wraps the transports of the triggers' probes with the drills'
	// faults, as the health checks' are.
	Probe func(http.RoundTripper) http.RoundTripper
	// Transport makes an upstream transport the app closes at Stop.
	Transport func(proxy.TransportSettings) *http.Transport
	// Addr is the gateway's client address, known once it listens.
	Addr func() string
	// Local serves the verifier's requests to the gateway itself in
	// process; nil without TLS.
	Local http.Handler
	// Recent are the recent events the archive_events built-in writes.
	Recent *event.Ring
	// Events is the app's sink, which brings every event back to Emit.
	Events event.Sink
	// Registry receives the decision metrics.
	Registry prometheus.Registerer
	// Store keeps the level state: level.json, or etcd in a cluster.
	Store level.Store
	// Fleet is the cluster's share in the incidents and the actions, nil
	// in a single process.
	Fleet Fleet
	Log   *slog.Logger
	// Now stamps what the escalation records itself (see app.Options).
	Now func() time.Time
	// Manual leaves the engine's evaluations and the chain's ticks to the
	// caller.
	Manual bool
}

// Side is the fallback side as the escalation uses it.
type Side interface {
	DataLoss() func(incident.Incident) (lost, total int, ok bool)
	BeforeRestore(ctx context.Context) error
	StaleReason(id string, f fallback.Foreigner, now level.Upstreams) (string, error)
}

// Fleet is what a cluster adds to the escalation. Only the decider's term
// records incidents, pages and runs actions; every replica's book is
// mirrored from the decider's.
type Fleet interface {
	// Mirror is handed the book's recorder once it is open, before the
	// engine is built.
	Mirror(*incident.Recorder)
	// Actions wraps the engine's action runner (the step log).
	Actions(level.ActionRunner) level.ActionRunner
	// Change is an incident change for the term's chain.
	Change(incident.Change)
	// Entry says incident id has a new timeline entry.
	Entry(id string)
	// Follows tells whether this replica is not deciding now.
	Follows() bool
}

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

// Engine is the level engine, nil before Build or on a nil Escalation.
func (e *Escalation) Engine() *level.Engine {
	if e == nil {
		return nil
	}
	return e.engine
}

// Incidents exposes the incident store and history, nil on a nil
// Escalation.
func (e *Escalation) Incidents() (*incident.Recorder, *history.Sampler) {
	if e == nil {
		return nil, nil
	}
	return e.book.Recorder, e.book.History
}

// Alerts is the single process's escalation chain, nil in a cluster or
// on a nil Escalation.
func (e *Escalation) Alerts() *alert.Alerts {
	if e == nil {
		return nil
	}
	return e.alerts
}

// Note records a person's note on an incident; nothing on a nil
// Escalation.
func (e *Escalation) Note(ctx context.Context, id, by, msg string, fields map[string]any) error {
	if e == nil {
		return nil
	}
	return e.book.Recorder.Note(ctx, id, by, msg, fields)
}

// upstreams are the configured upstreams, which the level state belongs
// to.
func (e *Escalation) upstreams() level.Upstreams {
	return level.Upstreams{Primary: e.cfg.Upstreams.Primary.URL, Fallback: e.cfg.Upstreams.Fallback.URL}
}

// engineClock is the clock the engine measures time spent inside one
// evaluation with. Under Manual the caller's now is the only timeline,
// so no time passes inside an evaluation; otherwise the wall clock, so a
// long journal replay does not eat the first restore step.
func (e *Escalation) engineClock() func() time.Time {
	if !e.d.Manual {
		return time.Now
	}
	frozen := time.Now()
	return func() time.Time { return frozen }
}

func (e *Escalation) actionContext() action.Context {
	return action.Context{
		Mode:        e.d.Gateway.Routing().Mode.String(),
		PrimaryURL:  e.cfg.Upstreams.Primary.URL,
		FallbackURL: e.cfg.Upstreams.Fallback.URL,
	}
}

// beforeRestore replays the journal before traffic steps back to the
// primary; the restore waits for it and stops when it fails. The
// configured verification suite then runs against the primary itself: a
// primary that answers its health checks but not its API stops the
// restore too.
func (e *Escalation) beforeRestore(ctx context.Context) error {
	if err := e.d.Side.BeforeRestore(ctx); err != nil {
		return err
	}
	return e.verifier.RunSuite(ctx, e.cfg.Upstreams.Primary.URL)
}

// levelSettings maps the file's escalation section onto the engine's
// settings and lists the secrets its actions carry, for redaction. The
// actions are the file's own action.Specs, which config.Validate has
// checked with the action package's rules.
func levelSettings(c config.Escalation) (level.Settings, []string, error) {
	acts := c.Actions
	s := level.Settings{
		Evaluate: c.EvaluateEvery, L1Window: c.L1Window, L3After: c.L3After, Settle: c.Settle,
		L2Scale: c.L2ThresholdScale, DryRun: c.DryRun, StartPeriod: c.StartPeriod,
		Actions: level.Actions{L1: acts.L1, L2: acts.L2, L3: acts.L3, Normal: acts.Normal},
		Restore: level.Restore{HoldDown: c.Restore.HoldDown, RequireAck: c.Restore.RequireAck, Steps: c.Restore.Steps},
	}
	return s, action.Secrets(actionLists(c)...), s.Validate()
}

// actionLists are the configured actions: the levels' and the restore
// steps'.
func actionLists(c config.Escalation) [][]action.Spec {
	lists := [][]action.Spec{c.Actions.L1, c.Actions.L2, c.Actions.L3, c.Actions.Normal}
	for _, st := range c.Restore.Steps {
		lists = append(lists, st.Actions)
	}
	return lists
}

func (e *Escalation) logError(what string) func(error) {
	return func(err error) { e.d.Log.Warn(what+" write failed", "err", err) }
}

package app

import (
	"context"
	"net/http"
	"path/filepath"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/escalation"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// buildEscalation opens the incident records and builds the decision
// path over the data plane, when escalation is enabled: incidents are
// excursions from L0. The records open first and a.esc is set before the
// engine is built, so the engine's resume reaches the incident still
// open through the app's sink.
func (a *App) buildEscalation() error {
	if !a.cfg.Escalation.Enabled {
		return nil
	}
	d := escalation.Deps{
		Gateway: a.plane.Gateway, Ops: a.plane.Operations(), Stats: a.plane.Stats, Traffic: a.traffic(), Keys: a.plane.Routes.Keys(),
		Primary: a.plane.Primary.Check, Fallback: a.plane.Fallback.Check, PrimaryHealth: a.primaryHealth(),
		Side: a.plane.Side, Probe: a.plane.Faults.Wrap, Transport: a.plane.Transport, Addr: a.Addr,
		Recent: a.events, Events: a.sink, Registry: a.reg, Store: a.levelStore(),
		Log: a.log, Now: a.now, Manual: a.manual,
	}
	if a.cfg.TLS.Enabled() {
		// The listeners are built last: look them up when a request comes.
		d.Local = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.servers.ServeClient(w, r) })
	}
	if a.clu != nil {
		d.Fleet = a.clu
	}
	esc, err := escalation.Open(context.Background(), a.cfg, d)
	if err != nil {
		return err
	}
	a.esc = esc
	return esc.Build(context.Background())
}

// levelStore is where the engine keeps its state: the decided state in
// etcd in cluster mode, level.json in the data directory otherwise.
func (a *App) levelStore() level.Store {
	if a.clu != nil {
		return a.clu.Store()
	}
	return level.FileStore{Path: filepath.Join(a.cfg.Escalation.DataDir, "level.json")}
}

// onEvent wakes the journal's drain on a routing change and hands every
// event to the escalation.
func (a *App) onEvent(e event.Event) {
	if _, ok := e.Typed().(fact.RoutingChanged); ok && a.plane != nil {
		a.plane.Side.Wake()
	}
	a.esc.Emit(e)
}

// closeStores closes the incidents database and the journal, which a
// failed build or a stopped app may hold open; the goroutines writing
// them have stopped with the app's context.
func (a *App) closeStores() {
	a.esc.Close()
	a.plane.Close()
}

// Engine is the level engine, nil when escalation is disabled.
func (a *App) Engine() *level.Engine { return a.esc.Engine() }

// Incidents exposes the incident store and history, nil when escalation
// is disabled.
func (a *App) Incidents() (*incident.Recorder, *history.Sampler) { return a.esc.Incidents() }

// TickAlerts does the escalation chain's work due at now: it pages the
// tiers whose delay has passed, repeats at the level's cadence and
// re-triggers acknowledged incidents whose acknowledgement timed out.
// Deliveries happen in the background. Under ManualEscalation the chain
// has no clock of its own and moves only when this is called, as the
// engine moves only on Engine().Step; otherwise it also ticks every second
// by itself. It does nothing when escalation is disabled.
func (a *App) TickAlerts(now time.Time) {
	al := a.esc.Alerts()
	if a.clu != nil {
		al = a.clu.Alerts() // the decider's chain, nil while following
	}
	if al != nil {
		al.Tick(now)
	}
}

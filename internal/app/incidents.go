package app

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// incidents holds the durable side of escalation: the database, the
// incident recorder and the metric history.
type incidents struct {
	db       *sql.DB
	store    *incident.Store
	recorder *incident.Recorder
	history  *history.Sampler
}

// buildIncidents opens the database under the data directory and creates
// the recorder and the history sampler. It runs only with escalation,
// since incidents are excursions from L0.
func (a *App) buildIncidents(ctx context.Context) error {
	c := a.cfg
	if err := ensureDir(c.Escalation.DataDir); err != nil {
		return err
	}
	db, err := incident.OpenDB(filepath.Join(c.Escalation.DataDir, "lifeboat.db"))
	if err != nil {
		return fmt.Errorf("app: incidents database: %w", err)
	}
	in := &incidents{db: db}
	if in.store, err = incident.NewStore(db); err != nil {
		db.Close()
		return fmt.Errorf("app: incidents: %w", err)
	}
	src := history.RecorderSource{Recorder: a.stats, Targets: proxy.TargetNames, Resources: a.resourceReader()}
	in.history, err = history.New(ctx, history.Options{DB: db, Source: src, OnError: a.logError("history")},
		history.Settings{Interval: c.Incidents.HistoryInterval, Retention: c.Incidents.HistoryRetention})
	if err != nil {
		db.Close()
		return fmt.Errorf("app: history: %w", err)
	}
	in.recorder = incident.NewRecorder(in.store, incident.Options{
		Now:      a.now,
		OnChange: a.onIncidentChange,
		OnError:  a.logError("incident"),
		Downtime: in.history.Downtime,
		DataLoss: a.dataLoss(),
	})
	a.inc = in
	return a.buildAlerts()
}

// runIncidents starts the recorder and the sampler under the app's
// context, and closes an incident a crash left open while the engine came
// back at L0.
func (a *App) runIncidents(ctx context.Context) {
	in := a.inc
	a.wg.Go(func() { in.recorder.Run(ctx) })
	a.wg.Go(func() { in.history.Run(ctx) })
	a.alerts.run(a, ctx)
	id, ok := in.recorder.Current()
	if !ok {
		return
	}
	if a.engine.Status(a.now()).Level == level.L0 {
		if err := in.recorder.Resolve(ctx, id, "lifeboat", a.staleIncidentReason(id)); err != nil {
			a.log.Warn("cannot close the incident left open", "incident", id, "err", err)
		}
		return
	}
	if inc, err := in.recorder.Get(ctx, id); err == nil {
		a.resumeIncident(inc)
	}
}

// resumeIncident picks up an incident left open by the previous run. It
// keeps paging from where it is, but an acknowledgement still holds, with
// its timeout counted from when it was given: otherwise a restart would
// page the later tiers of an incident someone has taken on. State that was
// preserved stays as it is, rather than being overwritten by this run's
// (nearly empty) event log when traffic next moves to the fallback.
func (a *App) resumeIncident(inc incident.Incident) {
	a.alerts.chain.Open(inc.ID, a.alerts.notice(inc, inc.OpenedAt))
	if inc.AckedBy != "" {
		a.alerts.chain.Ack(inc.ID, inc.AckedBy, inc.AckedAt)
	}
	if len(inc.Artifacts) > 0 {
		a.preserver.Preserved(inc.ID)
	}
}

// closeIncidents flushes what was recorded and closes the database; the
// recorder and sampler have already stopped with the app's context.
func (a *App) closeIncidents() {
	if a.inc == nil {
		return
	}
	if err := a.inc.db.Close(); err != nil {
		a.log.Warn("closing the incidents database", "err", err)
	}
}

// onEvent routes every event to the incident recorder and starts state
// preservation when the primary is isolated.
func (a *App) onEvent(e event.Event) {
	routing, isRouting := e.Typed().(fact.RoutingChanged)
	if isRouting && a.standby != nil {
		a.standby.wake()
	}
	if a.inc == nil || a.follows() { // only the decider records incidents
		return
	}
	a.inc.recorder.Emit(e)
	if isRouting && routing.Isolates() {
		a.preserve()
	}
}

func (a *App) onIncidentChange(ch incident.Change) {
	if a.alerts != nil {
		a.alerts.change(ch)
	}
}

func (a *App) logError(what string) func(error) {
	return func(err error) { a.log.Warn(what+" write failed", "err", err) }
}

// Incidents exposes the incident store and history, nil when escalation
// is disabled.
func (a *App) Incidents() (*incident.Recorder, *history.Sampler) {
	if a.inc == nil {
		return nil, nil
	}
	return a.inc.recorder, a.inc.history
}

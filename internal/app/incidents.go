package app

import (
	"context"
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// buildIncidents opens the incidents' book under the data directory and
// the escalation chain that pages about them. It runs only with
// escalation, since incidents are excursions from L0.
func (a *App) buildIncidents(ctx context.Context) error {
	c := a.cfg
	if err := ensureDir(c.Escalation.DataDir); err != nil {
		return err
	}
	src := history.RecorderSource{Recorder: a.stats, Targets: proxy.TargetNames, Resources: a.resourceReader()}
	book, err := incident.OpenBook(ctx, incident.BookOptions{Dir: c.Escalation.DataDir,
		History:         history.Options{Source: src, OnError: a.logError("history")},
		HistorySettings: history.Settings{Interval: c.Incidents.HistoryInterval, Retention: c.Incidents.HistoryRetention},
		Records: incident.Options{Now: a.now, OnChange: a.onIncidentChange, OnEntry: a.onIncidentEntry,
			OnError: a.logError("incident"), DataLoss: a.side.DataLoss()},
	})
	if err != nil {
		return fmt.Errorf("app: incidents: %w", err)
	}
	a.book = book
	if a.clu != nil {
		a.mirrorIncidents() // the decider builds its chain each term
		return nil
	}
	return a.buildAlerts()
}

// runIncidents starts the book and the chain under the app's context,
// and closes an incident a crash left open while the engine came back at
// L0, or resumes it otherwise.
func (a *App) runIncidents(ctx context.Context) {
	a.wg.Go(func() { a.book.Run(ctx) })
	if a.clu != nil {
		a.wg.Go(func() { a.clu.mirror.Run(ctx) }) // the decider's term takes over what is open
		return
	}
	a.wg.Go(func() { a.alerts.Run(ctx) })
	a.pickUpIncident(ctx, a.alerts)
}

// pickUpIncident closes an incident a crash (or a dead decider) left open
// while the engine came back at L0, or resumes it otherwise: its paging
// goes on through al (see alert.Alerts.Resume), and state that was
// preserved stays as it is, rather than being overwritten by this run's
// (nearly empty) event log when traffic next moves to the fallback.
func (a *App) pickUpIncident(ctx context.Context, al *alert.Alerts) {
	settled := func() bool { return a.engine.Status(a.now()).Level == level.L0 }
	inc, resume, err := a.book.LeftOpen(ctx, settled, a.staleIncidentReason)
	if err != nil {
		a.log.Warn("cannot close the incident left open", "incident", inc.ID, "err", err)
	}
	if !resume {
		return
	}
	al.Resume(inc)
	if len(inc.Artifacts) > 0 {
		a.preserver.Preserved(inc.ID)
	}
}

// closeStores closes the incidents database and the journal, which a
// failed build or a stopped app may hold open; the goroutines writing
// them have stopped with the app's context.
func (a *App) closeStores() {
	if a.book != nil {
		if err := a.book.Close(); err != nil {
			a.log.Warn("closing the incidents database", "err", err)
		}
	}
	if a.side != nil {
		if err := a.side.Close(); err != nil {
			a.log.Warn("closing the journal", "err", err)
		}
	}
}

// onEvent routes every event to the incident recorder and starts state
// preservation when the primary is isolated.
func (a *App) onEvent(e event.Event) {
	routing, isRouting := e.Typed().(fact.RoutingChanged)
	if isRouting && a.side != nil {
		a.side.Wake()
	}
	if a.book == nil || a.follows() { // only the decider records incidents
		return
	}
	a.book.Recorder.Emit(e)
	if isRouting && routing.Isolates() {
		a.preserve()
	}
}

func (a *App) onIncidentChange(ch incident.Change) {
	if a.clu != nil {
		a.clu.incidentChange(ch)
		return
	}
	if a.alerts != nil {
		a.alerts.Change(ch)
	}
}

func (a *App) logError(what string) func(error) {
	return func(err error) { a.log.Warn(what+" write failed", "err", err) }
}

// Incidents exposes the incident store and history, nil when escalation
// is disabled.
func (a *App) Incidents() (*incident.Recorder, *history.Sampler) {
	if a.book == nil {
		return nil, nil
	}
	return a.book.Recorder, a.book.History
}

package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// In a cluster every replica keeps the incidents' book, which the mirror
// fills from the decider's; only a decider's term records into it, pages
// and runs actions. A term begins by importing what the last decider left,
// so the new decider continues the same incident; its chain reads the
// paging ledger in etcd, so nobody is paged twice; and its engine runs
// external actions through the step log, so none runs twice.

var _ cluster.Incidents = (*incident.Recorder)(nil)

// drainBound is how long a term's end waits for queued notices.
const drainBound = 2 * time.Second

// mirrorIncidents makes the mirror of the book's incidents in cluster
// mode.
func (a *App) mirrorIncidents() {
	if a.clu != nil && a.book != nil {
		a.clu.mirror = cluster.NewMirror(a.clu.member, a.book.Recorder)
	}
}

// engineActions is the engine's action runner: through the step log in a
// cluster, so a new decider neither repeats nor skips an action, and after
// the mirror published the incident, so no action runs before the
// incident that explains it is in etcd. The mirror is made before the
// engine (buildIncidents runs first).
func (a *App) engineActions() level.ActionRunner {
	if a.clu == nil || a.book == nil {
		return a.runner
	}
	return cluster.NewStepRunner(a.clu.member, a.runner, a.clu.mirror.Settled)
}

// beginTerm takes over as the decider: the incidents first, then the
// chain with the etcd ledger and the open incident's paging, then the
// engine and the journal's replay.
func (a *App) beginTerm(ctx context.Context, wg *sync.WaitGroup) error {
	if a.book != nil {
		if err := a.clu.mirror.Sync(ctx); err != nil {
			a.log.Warn("cannot take over the incidents; trying again", "err", err)
			return err
		}
		al, err := a.termAlerts()
		if err != nil {
			a.log.Warn("cannot build the escalation chain; trying again", "err", err)
			return err
		}
		a.clu.alerts.Store(al)
		wg.Go(func() { al.Run(ctx) })
		a.pickUpIncident(ctx, al)
	}
	a.runDecider(ctx, wg)
	return nil
}

// termAlerts builds a term's escalation chain on the paging ledger in
// etcd.
func (a *App) termAlerts() (*alert.Alerts, error) {
	ledger, err := cluster.NewLedger(a.clu.member, "chain")
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	o := a.alertOptions()
	o.Ledger = ledger
	al, err := alert.New(o)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return al, nil
}

// drainTerm delivers the ended term's queued notices and drops its chain.
func (a *App) drainTerm() {
	al := a.clu.alerts.Swap(nil)
	if al == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), drainBound)
	defer cancel()
	if err := al.Stop(ctx); err != nil {
		a.log.Warn("alerts not delivered before the term ended", "err", err)
	}
}

// incidentChange tells the term's chain about an incident change; the
// mirror hears of it through onIncidentEntry, since every change is a
// timeline entry.
func (c *clusterMode) incidentChange(ch incident.Change) {
	if al := c.alerts.Load(); al != nil {
		al.Change(ch)
	}
}

// onIncidentEntry has the mirror publish incident id after each timeline
// entry, not only every cluster.interval: a decider killed with -9 loses
// no more than the entries of the publish under way. The mirror's kick
// coalesces a burst of entries into one publish or two.
func (a *App) onIncidentEntry(id string) {
	if a.clu != nil && a.clu.mirror != nil {
		a.clu.mirror.Changed(id)
	}
}

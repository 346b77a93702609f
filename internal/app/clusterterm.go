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

// runIncidents starts the escalation's records under the app's context;
// in a cluster the mirror too, and the decider's term takes over what is
// open.
func (a *App) runIncidents(ctx context.Context) {
	if a.esc == nil {
		return
	}
	a.esc.Start(ctx)
	if a.clu != nil {
		a.wg.Go(func() { a.clu.mirror.Run(ctx) })
	}
}

// Mirror makes the mirror of the book's incidents once the book is open.
func (c *clusterMode) Mirror(r *incident.Recorder) { c.mirror = cluster.NewMirror(c.member, r) }

// Actions is the engine's action runner through the step log, so a new
// decider neither repeats nor skips an action, and after the mirror
// published the incident, so no action runs before the incident that
// explains it is in etcd. The mirror is made before the engine (the
// escalation opens its book first).
func (c *clusterMode) Actions(next level.ActionRunner) level.ActionRunner {
	return cluster.NewStepRunner(c.member, next, c.mirror.Settled)
}

// beginTerm takes over as the decider: the incidents first, then the
// chain with the etcd ledger and the open incident's paging, then the
// engine and the journal's replay.
func (a *App) beginTerm(ctx context.Context, wg *sync.WaitGroup) error {
	if a.esc != nil {
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
		a.esc.PickUp(ctx, al)
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
	return a.esc.Chain(ledger)
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

// Change tells the term's chain about an incident change; the mirror
// hears of it through Entry, since every change is a timeline entry.
func (c *clusterMode) Change(ch incident.Change) {
	if al := c.alerts.Load(); al != nil {
		al.Change(ch)
	}
}

// Entry has the mirror publish incident id after each timeline entry,
// not only every cluster.interval: a decider killed with -9 loses no more
// than the entries of the publish under way. The mirror's kick coalesces
// a burst of entries into one publish or two.
func (c *clusterMode) Entry(id string) {
	if c.mirror != nil {
		c.mirror.Changed(id)
	}
}

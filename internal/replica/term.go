package replica

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/escalation"
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

// Mirror makes the mirror of the book's incidents once the book is open.
func (r *Replica) Mirror(rec *incident.Recorder) { r.mirror = cluster.NewMirror(r.member, rec) }

// Actions is the engine's action runner through the step log, so a new
// decider neither repeats nor skips an action, and after the mirror
// published the incident, so no action runs before the incident that
// explains it is in etcd. The mirror is made before the engine (the
// escalation opens its book first).
func (r *Replica) Actions(next level.ActionRunner) level.ActionRunner {
	return cluster.NewStepRunner(r.member, next, r.mirror.Settled)
}

// beginTerm takes over as the decider: the incidents first, then the
// chain with the etcd ledger and the open incident's paging, then the
// engine and the journal's replay.
func (r *Replica) beginTerm(ctx context.Context, wg *sync.WaitGroup) error {
	if esc := r.term.Escalation; esc != nil {
		if err := r.mirror.Sync(ctx); err != nil {
			r.log.Warn("cannot take over the incidents; trying again", "err", err)
			return err
		}
		al, err := r.termChain(esc)
		if err != nil {
			r.log.Warn("cannot build the escalation chain; trying again", "err", err)
			return err
		}
		r.alerts.Store(al)
		wg.Go(func() { al.Run(ctx) })
		esc.PickUp(ctx, al)
	}
	r.term.Decide(ctx, wg)
	return nil
}

// termChain builds a term's escalation chain on the paging ledger in
// etcd.
func (r *Replica) termChain(esc *escalation.Escalation) (*alert.Alerts, error) {
	ledger, err := cluster.NewLedger(r.member, "chain")
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return esc.Chain(ledger)
}

// drainTerm delivers the ended term's queued notices and drops its chain.
func (r *Replica) drainTerm() {
	al := r.alerts.Swap(nil)
	if al == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), drainBound)
	defer cancel()
	if err := al.Stop(ctx); err != nil {
		r.log.Warn("alerts not delivered before the term ended", "err", err)
	}
}

// Change tells the term's chain about an incident change; the mirror
// hears of it through Entry, since every change is a timeline entry.
func (r *Replica) Change(ch incident.Change) {
	if al := r.alerts.Load(); al != nil {
		al.Change(ch)
	}
}

// Entry has the mirror publish incident id after each timeline entry,
// not only every cluster.interval: a decider killed with -9 loses no more
// than the entries of the publish under way. The mirror's kick coalesces
// a burst of entries into one publish or two.
func (r *Replica) Entry(id string) {
	if r.mirror != nil {
		r.mirror.Changed(id)
	}
}

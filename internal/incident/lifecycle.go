package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// The engine emits the trigger.fired events that cause an escalation just
// before the level change, while no incident is open yet; the writer keeps
// those of the last triggerLookback (at most maxPending) and puts them on
// the new incident's timeline first. A fault injected toward the primary
// is kept for faultLookback: it is the incident's onset (see onset.go).
const (
	triggerLookback = time.Minute
	maxPending      = 64
)

// errNotOpen tells the writer its incident was closed under it (Resolve).
var errNotOpen = errors.New("incident: not open")

// record applies one event to the incident lifecycle: a level change
// from L0 opens an incident, every event while one is open joins its
// timeline, and the change back to L0 closes it. Other events are not
// stored.
func (r *Recorder) record(ctx context.Context, ev event.Event) {
	e := entryOf(ev)
	id, open := r.Current()
	if open && !opens(e.fact) && r.append(ctx, id, e) {
		return
	}
	switch e.fact.(type) {
	case fact.LevelChanged:
		if !opens(e.fact) {
			return
		}
		if open {
			r.closeStale(ctx, id, e.Time)
		}
		r.open(ctx, e)
	case fact.TriggerFired, fact.FaultSet:
		r.hold(e)
	}
}

// open starts an incident with the held triggers and e, in one
// transaction.
func (r *Recorder) open(ctx context.Context, e Entry) {
	id := newID(e.Time)
	var first Entry
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		if err := create(tx, id, e.Time); err != nil {
			return err
		}
		for _, p := range r.held(e.Time) {
			if _, err := appendEntry(tx, id, p); err != nil {
				return err
			}
		}
		var err error
		first, err = appendEntry(tx, id, e)
		return err
	})
	if err != nil {
		r.fail(err)
		return
	}
	r.pending = r.pending[:0]
	r.setCurrent(id)
	r.entered(id)
	r.changed(ctx, Opened, id, first)
}

// append adds e to the open incident, closing it when e is the return to
// L0. It reports false when the incident turned out to be closed already,
// so e belongs to no incident.
func (r *Recorder) append(ctx context.Context, id string, e Entry) bool {
	var stored Entry
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		if err := mustBeOpen(tx, id, errNotOpen); err != nil {
			return err
		}
		var err error
		if stored, err = appendEntry(tx, id, e); err == nil && ends(stored.fact) {
			err = closeTx(tx, id, stored.Time)
		}
		return err
	})
	switch {
	case errors.Is(err, errNotOpen):
		r.clearCurrent(id)
		return false
	case err != nil:
		r.fail(err)
	default:
		r.appended(ctx, id, stored)
	}
	return true
}

// appended tells whom it concerns that e joined incident id's timeline.
func (r *Recorder) appended(ctx context.Context, id string, e Entry) {
	r.entered(id)
	switch {
	case ends(e.fact):
		r.clearCurrent(id)
		r.changed(ctx, Resolved, id, e)
	case updates(e.fact):
		r.changed(ctx, Updated, id, e)
	}
}

// closeStale ends an incident whose return to L0 was never recorded (the
// process died with the event still queued): the engine has since started
// a new one from L0.
func (r *Recorder) closeStale(ctx context.Context, id string, at time.Time) {
	err := r.resolve(ctx, id, entryOf(event.Of(at, sourceIncident, event.Warning,
		"closed: the engine left L0 again, so this incident had ended unrecorded",
		fact.Closed{By: ByAutomation, Reason: "stale"})))
	if err != nil && !errors.Is(err, ErrClosed) {
		r.fail(err)
	}
}

// hold keeps a trigger.fired or fault.set event in case an incident opens
// shortly.
func (r *Recorder) hold(e Entry) {
	keep := r.pending[:0]
	for _, p := range r.pending {
		if e.Time.Sub(p.Time) <= lookback(p) {
			keep = append(keep, p)
		}
	}
	if len(keep) == maxPending {
		keep = append(keep[:0], keep[1:]...)
	}
	r.pending = append(keep, e)
}

// held returns the triggers that fired within the lookback before at.
func (r *Recorder) held(at time.Time) []Entry {
	var out []Entry
	for _, p := range r.pending {
		if at.Sub(p.Time) <= lookback(p) {
			out = append(out, p)
		}
	}
	return out
}

// lookback is how long a held event stays relevant to an incident that
// opens after it.
func lookback(e Entry) time.Duration {
	if _, ok := e.fact.(fact.FaultSet); ok {
		return faultLookback
	}
	return triggerLookback
}

// clearCurrent forgets id as the open incident, unless another has
// replaced it meanwhile.
func (r *Recorder) clearCurrent(id string) {
	r.mu.Lock()
	if r.cur == id {
		r.cur = ""
	}
	r.mu.Unlock()
}

// mustBeOpen returns ErrNotFound for an unknown incident and closed for
// one that has ended.
func mustBeOpen(tx *sql.Tx, id string, closed error) error {
	var open bool
	err := tx.QueryRow(`SELECT open FROM incidents WHERE id = ?`, id).Scan(&open)
	switch {
	case err == sql.ErrNoRows:
		return fmt.Errorf("%w: incident %s", ErrNotFound, id)
	case err != nil:
		return err
	case !open:
		return closed
	}
	return nil
}

package metrics

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

var _ event.Sink = (*Decisions)(nil)

// Engine is the escalation engine as the decision series read it.
type Engine interface {
	Status(now time.Time) level.Status
}

// Escalation is where the decision series read their Decision at each
// scrape: the engine, and whether an incident is open.
type Escalation struct {
	// Engine is the escalation engine. Required.
	Engine Engine
	// Open reports whether an incident is open. Nil means never: the
	// gateway keeps no incidents.
	Open func() bool
	// Now is the clock. Required.
	Now func() time.Time
}

// Phases lists every phase the engine knows, as NewDecisions takes them.
func Phases() []string {
	out := make([]string, len(level.Phases))
	for i, p := range level.Phases {
		out[i] = string(p)
	}
	return out
}

// Read is the engine's state for one scrape, NewDecisions' read.
func (s Escalation) Read() Decision {
	st := s.Engine.Status(s.Now())
	d := Decision{Level: int(st.Level), Phase: string(st.Phase), Rollback: -1, Paused: st.Paused}
	switch st.Rollback {
	case level.RollbackSuccessful:
		d.Rollback = 1
	case level.RollbackFailed:
		d.Rollback = 0
	}
	if st.Phase == level.Restoring {
		d.RestoreStep = st.Step + 1
	}
	if s.Open != nil {
		d.IncidentOpen = s.Open()
	}
	for _, ev := range st.Triggers {
		d.Triggers = append(d.Triggers, TriggerReading{Name: ev.Trigger, Value: ev.Value,
			Threshold: ev.Threshold, Valid: ev.Valid, Firing: ev.State.Active()})
	}
	return d
}

// Emit counts action runs and notification deliveries from the events
// that report them, so neither the runner nor the dispatcher needs to
// know about metrics. A nil Decisions (escalation disabled, or not built
// yet) counts nothing.
func (d *Decisions) Emit(e event.Event) {
	if d == nil {
		return
	}
	switch f := e.Typed().(type) {
	case fact.ActionRan:
		d.countAction(f.Result)
	case fact.ActionFailed:
		d.countAction(f.Result)
	case fact.NotifySent:
		d.Notified(f.Notifier, true)
	case fact.NotifyFailed:
		d.Notified(f.Notifier, false)
	}
}

// countAction counts a run the engine reported with its action.Result.
func (d *Decisions) countAction(result any) {
	if r, ok := result.(action.Result); ok {
		d.ActionRan(r.Name, r.OK)
	}
}

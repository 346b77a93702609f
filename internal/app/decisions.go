package app

import (
	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
)

// registerDecisions exports the escalation engine's decisions and the last
// drill's figures, when escalation is enabled.
func (a *App) registerDecisions() error {
	if a.engine == nil {
		return nil
	}
	phases := make([]string, len(level.Phases))
	for i, p := range level.Phases {
		phases[i] = string(p)
	}
	var channels []string
	for _, n := range a.cfg.Notify.Notifiers {
		channels = append(channels, n.Name)
	}
	d, err := metrics.NewDecisions(a.reg, phases, channels, a.actionNames(), a.decision)
	if err != nil {
		return err
	}
	a.decisions = d
	return metrics.NewDrills(a.reg, a.drills.last)
}

// actionNames lists every configured action once: the levels' and the
// restore steps'.
func (a *App) actionNames() []string {
	c := a.cfg.Escalation
	lists := [][]action.Spec{c.Actions.L1, c.Actions.L2, c.Actions.L3, c.Actions.Normal}
	for _, st := range c.Restore.Steps {
		lists = append(lists, st.Actions)
	}
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, ac := range l {
			if !seen[ac.Name] {
				seen[ac.Name] = true
				out = append(out, ac.Name)
			}
		}
	}
	return out
}

// decision reads the engine's state for one scrape.
func (a *App) decision() metrics.Decision {
	st := a.engine.Status(a.now())
	d := metrics.Decision{Level: int(st.Level), Phase: string(st.Phase), Rollback: -1, Paused: st.Paused}
	switch st.Rollback {
	case level.RollbackSuccessful:
		d.Rollback = 1
	case level.RollbackFailed:
		d.Rollback = 0
	}
	if st.Phase == level.Restoring {
		d.RestoreStep = st.Step + 1
	}
	if a.inc != nil {
		_, d.IncidentOpen = a.inc.recorder.Current()
	}
	for _, ev := range st.Triggers {
		d.Triggers = append(d.Triggers, metrics.TriggerReading{Name: ev.Trigger, Value: ev.Value,
			Threshold: ev.Threshold, Valid: ev.Valid, Firing: ev.State.Active()})
	}
	return d
}

// countDecision counts action runs and notification deliveries from the
// events that report them, so neither the runner nor the dispatcher needs
// to know about metrics.
func (a *App) countDecision(e event.Event) {
	if a.decisions == nil {
		return
	}
	switch e.Kind {
	case level.KindAction, level.KindActionFailed:
		if r, ok := e.Fields["result"].(action.Result); ok {
			a.decisions.ActionRan(r.Name, r.OK)
		}
	case incident.KindNotifySent, kindNotifyFailed:
		if name, ok := e.Fields["notifier"].(string); ok {
			a.decisions.Notified(name, e.Kind == incident.KindNotifySent)
		}
	}
}

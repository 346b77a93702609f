package app

import (
	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
)

// registerDecisions exports the escalation engine's decisions and the last
// drill's figures, when escalation is enabled.
func (a *App) registerDecisions() error {
	if a.engine == nil {
		return nil
	}
	var channels []string
	for _, n := range a.cfg.Notify.Notifiers {
		channels = append(channels, n.Name)
	}
	src := metrics.Escalation{Engine: a.engine, Now: a.now}
	if a.book != nil {
		src.Open = func() bool { _, open := a.book.Recorder.Current(); return open }
	}
	d, err := metrics.NewDecisions(a.reg, metrics.Phases(), channels, a.actionNames(), src.Read)
	if err != nil {
		return err
	}
	a.decisions = d
	return metrics.NewDrills(a.reg, a.drills.Last)
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

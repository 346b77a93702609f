package escalation

import "github.com/lifeboat-sre/lifeboat/internal/metrics"

// registerDecisions exports the engine's decisions: its level, phase and
// open incident at scrape time, and the actions and deliveries its events
// count.
func (e *Escalation) registerDecisions() error {
	var channels []string
	for _, n := range e.cfg.Notify.Notifiers {
		channels = append(channels, n.Name)
	}
	src := metrics.Escalation{Engine: e.engine, Now: e.d.Now,
		Open: func() bool { _, open := e.book.Recorder.Current(); return open }}
	d, err := metrics.NewDecisions(e.d.Registry, metrics.Phases(), channels, e.actionNames(), src.Read)
	if err != nil {
		return err
	}
	e.decisions = d
	return nil
}

// actionNames lists every configured action once: the levels' and the
// restore steps'.
func (e *Escalation) actionNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range actionLists(e.cfg.Escalation) {
		for _, ac := range l {
			if !seen[ac.Name] {
				seen[ac.Name] = true
				out = append(out, ac.Name)
			}
		}
	}
	return out
}

package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"time"

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
	d, err := metrics.NewDecisions(a.reg, phases, channels, a.decision)
	if err != nil {
		return err
	}
	a.decisions = d
	last := &lastDrill{path: filepath.Join(a.cfg.Escalation.DataDir, drillsFile)}
	return metrics.NewDrills(a.reg, last.read)
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

// drillsFile is the drill history's file in the data directory. The drill
// package, which owns it, depends on this one, so the name is repeated
// here and the reader below decodes only the fields the series need.
const drillsFile = "drills.jsonl"

// lastDrill reads the last line of the drill history, again only when the
// file changed, since a scrape comes every few seconds and drills rarely.
type lastDrill struct {
	path string

	mu    sync.Mutex
	stamp time.Time
	size  int64
	last  metrics.Drill
	ok    bool
}

func (l *lastDrill) read() (metrics.Drill, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fi, err := os.Stat(l.path)
	if err != nil {
		return metrics.Drill{}, false
	}
	if fi.ModTime().Equal(l.stamp) && fi.Size() == l.size {
		return l.last, l.ok
	}
	l.stamp, l.size = fi.ModTime(), fi.Size()
	l.last, l.ok = parseLastDrill(l.path)
	return l.last, l.ok
}

// parseLastDrill decodes the last whole line of the history; a line cut
// short by a crash is skipped, as the drill package does.
func parseLastDrill(path string) (metrics.Drill, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return metrics.Drill{}, false
	}
	type record struct {
		Ended   time.Time         `json:"ended"`
		Figures []incident.Metric `json:"figures"`
	}
	var rec record
	found := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var r record
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			rec, found = r, true
		}
	}
	if !found {
		return metrics.Drill{}, false
	}
	d := metrics.Drill{Ended: rec.Ended}
	for _, f := range rec.Figures {
		d.Figures = append(d.Figures, metrics.DrillFigure{Name: f.Name, Seconds: f.Unit == incident.UnitSeconds,
			Value: f.Value, Measured: f.Measured, Pass: f.Pass})
	}
	return d, true
}

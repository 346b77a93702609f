package escalation

import (
	"context"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// Emit routes an event to the incident recorder, starts state
// preservation when the primary is isolated, and counts it among the
// decisions. The app's sink calls it for every event; on a nil
// Escalation it does nothing.
func (e *Escalation) Emit(ev event.Event) {
	if e == nil {
		return
	}
	e.record(ev)
	e.decisions.Emit(ev)
}

func (e *Escalation) record(ev event.Event) {
	if e.book == nil || e.d.Fleet != nil && e.d.Fleet.Follows() { // only the decider records incidents
		return
	}
	e.book.Recorder.Emit(ev)
	if routing, ok := ev.Typed().(fact.RoutingChanged); ok && routing.Isolates() {
		e.preserve()
	}
}

func (e *Escalation) onIncidentChange(ch incident.Change) {
	if e.d.Fleet != nil {
		e.d.Fleet.Change(ch)
		return
	}
	if e.alerts != nil {
		e.alerts.Change(ch)
	}
}

// onIncidentEntry tells the cluster's mirror of each timeline entry.
func (e *Escalation) onIncidentEntry(id string) {
	if e.d.Fleet != nil {
		e.d.Fleet.Entry(id)
	}
}

// PickUp closes an incident a crash (or a dead decider) left open while
// the engine came back at L0, or resumes it otherwise: its paging goes on
// through al (see alert.Alerts.Resume), and state that was preserved
// stays as it is, rather than being overwritten by this run's (nearly
// empty) event log when traffic next moves to the fallback.
func (e *Escalation) PickUp(ctx context.Context, al *alert.Alerts) {
	settled := func() bool { return e.engine.Status(e.d.Now()).Level == level.L0 }
	inc, resume, err := e.book.LeftOpen(ctx, settled, e.staleIncidentReason)
	if err != nil {
		e.d.Log.Warn("cannot close the incident left open", "incident", inc.ID, "err", err)
	}
	if !resume {
		return
	}
	al.Resume(inc)
	if len(inc.Artifacts) > 0 {
		e.preserver.Preserved(inc.ID)
	}
}

// staleIncidentReason is why an incident left open by the previous run is
// closed at start (see fallback.Side.StaleReason).
func (e *Escalation) staleIncidentReason(id string) string {
	reason, err := e.d.Side.StaleReason(id, e.engine, e.upstreams())
	if err != nil {
		e.d.Log.Warn("cannot tie the held journal to its incident", "incident", id, "err", err)
	}
	return reason
}

// preserve runs the incident's state preservation in the background when
// the primary is isolated, so a slow snapshot never delays the rollback;
// the escalation's wait group owns the goroutine and Close waits for it.
func (e *Escalation) preserve() {
	e.mu.Lock()
	ctx := e.ctx
	e.mu.Unlock()
	if ctx == nil || ctx.Err() != nil || e.preserver == nil {
		return
	}
	e.wg.Go(func() { e.preserver.Run(ctx) })
}

// builtinExportConfig writes the effective configuration, secrets
// redacted, as an artifact of the open incident.
func (e *Escalation) builtinExportConfig(ctx context.Context, _ map[string]any) (string, error) {
	data, err := yaml.Marshal(e.cfg)
	if err != nil {
		return "", err
	}
	return e.preserver.WriteConfig(ctx, data)
}

// builtinArchiveEvents writes Lifeboat's recent events as an artifact of
// the open incident.
func (e *Escalation) builtinArchiveEvents(ctx context.Context, _ map[string]any) (string, error) {
	return e.preserver.WriteEvents(ctx, e.d.Recent.Recent(1<<20))
}

// EnsureDataDir makes a data directory readable by Lifeboat's user alone:
// it holds incidents, callers' addresses and the configuration. A
// directory left more open by an older version is tightened.
func EnsureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	return nil
}

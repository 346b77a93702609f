package escalation

import (
	"context"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// Engine is the level engine, nil before Build or on a nil Escalation.
func (e *Escalation) Engine() *level.Engine {
	if e == nil {
		return nil
	}
	return e.engine
}

// Incidents exposes the incident store and history, nil on a nil
// Escalation.
func (e *Escalation) Incidents() (*incident.Recorder, *history.Sampler) {
	if e == nil {
		return nil, nil
	}
	return e.book.Recorder, e.book.History
}

// Alerts is the single process's escalation chain, nil in a cluster or
// on a nil Escalation.
func (e *Escalation) Alerts() *alert.Alerts {
	if e == nil {
		return nil
	}
	return e.alerts
}

// Note records a person's note on an incident; nothing on a nil
// Escalation.
func (e *Escalation) Note(ctx context.Context, id, by, msg string, fields map[string]any) error {
	if e == nil {
		return nil
	}
	return e.book.Recorder.Note(ctx, id, by, msg, fields)
}

// upstreams are the configured upstreams, which the level state belongs
// to.
func (e *Escalation) upstreams() level.Upstreams {
	return level.Upstreams{Primary: e.cfg.Upstreams.Primary.URL, Fallback: e.cfg.Upstreams.Fallback.URL}
}

// engineClock is the clock the engine measures time spent inside one
// evaluation with. Under Manual the caller's now is the only timeline,
// so no time passes inside an evaluation; otherwise the wall clock, so a
// long journal replay does not eat the first restore step.
func (e *Escalation) engineClock() func() time.Time {
	if !e.d.Manual {
		return time.Now
	}
	frozen := time.Now()
	return func() time.Time { return frozen }
}

func (e *Escalation) actionContext() action.Context {
	return action.Context{
		Mode:        e.d.Gateway.Routing().Mode.String(),
		PrimaryURL:  e.cfg.Upstreams.Primary.URL,
		FallbackURL: e.cfg.Upstreams.Fallback.URL,
	}
}

// beforeRestore replays the journal before traffic steps back to the
// primary; the restore waits for it and stops when it fails. The
// configured verification suite then runs against the primary itself: a
// primary that answers its health checks but not its API stops the
// restore too.
func (e *Escalation) beforeRestore(ctx context.Context) error {
	if err := e.d.Side.BeforeRestore(ctx); err != nil {
		return err
	}
	return e.verifier.RunSuite(ctx, e.cfg.Upstreams.Primary.URL)
}

// levelSettings maps the file's escalation section onto the engine's
// settings and lists the secrets its actions carry, for redaction. The
// actions are the file's own action.Specs, which config.Validate has
// checked with the action package's rules.
func levelSettings(c config.Escalation) (level.Settings, []string, error) {
	acts := c.Actions
	s := level.Settings{
		Evaluate: c.EvaluateEvery, L1Window: c.L1Window, L3After: c.L3After, Settle: c.Settle,
		L2Scale: c.L2ThresholdScale, DryRun: c.DryRun, StartPeriod: c.StartPeriod,
		Actions: level.Actions{L1: acts.L1, L2: acts.L2, L3: acts.L3, Normal: acts.Normal},
		Restore: level.Restore{HoldDown: c.Restore.HoldDown, RequireAck: c.Restore.RequireAck, Steps: c.Restore.Steps},
	}
	return s, action.Secrets(actionLists(c)...), s.Validate()
}

// actionLists are the configured actions: the levels' and the restore
// steps'.
func actionLists(c config.Escalation) [][]action.Spec {
	lists := [][]action.Spec{c.Actions.L1, c.Actions.L2, c.Actions.L3, c.Actions.Normal}
	for _, st := range c.Restore.Steps {
		lists = append(lists, st.Actions)
	}
	return lists
}

func (e *Escalation) logError(what string) func(error) {
	return func(err error) { e.d.Log.Warn(what+" write failed", "err", err) }
}

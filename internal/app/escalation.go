package app

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// buildEscalation creates the triggers, the action runner, the verifier
// and the level engine, when escalation is enabled.
func (a *App) buildEscalation(ctx context.Context) error {
	c := a.cfg.Escalation
	if !c.Enabled {
		return nil
	}
	keys := a.routes.Keys()
	// In a cluster the decider learns what normal looks like from the
	// fleet's traffic, which its latency triggers also judge.
	baseline, err := signal.NewBaseline(a.traffic(), primaryUpstream, keys, signal.BaselineSettings{})
	if err != nil {
		return err
	}
	a.baseline = baseline
	a.loadBaseline()
	rules, direct, err := a.rules(baseline)
	if err != nil {
		return err
	}
	set, err := trigger.NewSet(rules)
	if err != nil {
		return fmt.Errorf("app: triggers: %w", err)
	}
	a.triggers = set
	settings, secrets, err := levelSettings(c)
	if err != nil {
		return err
	}
	a.runner = action.NewRunner(action.Options{Builtins: a.builtins(), Redact: secrets})
	a.buildPreserver()
	if a.verifier, err = a.buildVerifier(rules, direct); err != nil {
		return err
	}
	a.engine, err = level.New(ctx, level.Options{
		Settings:      settings,
		Triggers:      set,
		Router:        a.gateway,
		Actions:       a.engineActions(),
		Verifier:      a.verifier,
		Store:         a.levelStore(),
		Events:        a.sink,
		BaseRouting:   a.gateway.Routing(),
		OnHealthy:     a.learn,
		Context:       a.actionContext,
		BeforeRestore: a.beforeRestore,
		Clock:         a.engineClock(),
		PrimaryUp:     func() bool { return a.primary.check.State() == health.Up },
		Upstreams:     level.Upstreams{Primary: a.cfg.Upstreams.Primary.URL, Fallback: a.cfg.Upstreams.Fallback.URL},
	})
	return err
}

// engineClock is the clock the engine measures time spent inside one
// evaluation with. Under ManualEscalation the caller's now is the only
// timeline, so no time passes inside an evaluation; otherwise the wall
// clock, so a long journal replay does not eat the first restore step.
func (a *App) engineClock() func() time.Time {
	if !a.manual {
		return time.Now
	}
	frozen := time.Now()
	return func() time.Time { return frozen }
}

// learn feeds the latency baseline at Level 0 and persists it now and
// then, so a restart does not forget what normal looks like.
func (a *App) learn(now time.Time) {
	a.baseline.Learn(now)
	if now.Sub(a.baselineSaved) >= time.Minute {
		a.saveBaseline()
		a.baselineSaved = now
	}
}

func (a *App) actionContext() action.Context {
	return action.Context{
		Mode:        a.gateway.Routing().Mode.String(),
		PrimaryURL:  a.cfg.Upstreams.Primary.URL,
		FallbackURL: a.cfg.Upstreams.Fallback.URL,
	}
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
	lists := [][]action.Spec{acts.L1, acts.L2, acts.L3, acts.Normal}
	for _, st := range c.Restore.Steps {
		lists = append(lists, st.Actions)
	}
	return s, action.Secrets(lists...), s.Validate()
}

// Engine is the level engine, nil when escalation is disabled.
func (a *App) Engine() *level.Engine { return a.engine }

package app_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// These tests drive the simulators' fault knobs into each of the plan's
// triggers and walk the levels with an injected clock: the engine only
// evaluates when a test calls step, so the plan's 5- and 15-minute windows
// pass in milliseconds while traffic, health checks and probes stay real.

// The plan's "more than 3 consecutive failed health checks": a dead primary
// is rolled back to the fallback within a few check intervals.
func TestHealthChecksTriggerRollback(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, nil)
	if st := r.stepNow(); st.Level != level.L0 || evidence(t, st, "health_checks").Value != 0 {
		t.Fatalf("healthy primary: %s, health_checks %+v", st.Level, evidence(t, st, "health_checks"))
	}
	start := time.Now()
	r.fault(r.ov, sim.Fault{Down: true})
	st := r.stepUntil("L3 after the primary died", func(st level.Status) bool { return st.Level == level.L3 })
	t.Logf("health_checks: primary down -> verified rollback in %s (wall clock)", time.Since(start).Round(time.Millisecond))
	r.rolledBack(st, "health_checks", "L0->L3")
	ev := r.fired("health_checks")
	if ev.Value <= 3 || ev.Threshold != 3 || ev.Op != ">" || ev.Kind != string(trigger.Immediate) {
		t.Fatalf("fired evidence %+v, want more than 3 failed checks against threshold 3", ev)
	}
}

// The plan's "error rate above 20 %" over the key endpoints, with the
// default 2 s for: pending on the first bad reading, firing 2 s later.
func TestErrorRateTriggerRollback(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "error_rate")}, func(c *config.Config) {
		c.Breaker.Enabled = false // an open breaker would stop the failures from being judged
	})
	r.fault(r.ov, sim.Fault{ErrorRate: 1, ErrorStatus: 503})
	for _, code := range r.burst(20, "/api/v1/sessions", `{}`) {
		if code != 503 {
			t.Fatalf("a session request through the gateway answered %d, want the primary's 503", code)
		}
	}
	t0 := time.Now()
	st := r.step(t0)
	if ev := evidence(t, st, "error_rate"); st.Level != level.L0 || ev.State != trigger.Pending || !ev.Valid || ev.Value != 1 {
		t.Fatalf("first bad reading: %s, %+v; want L0 with error_rate pending at 1", st.Level, ev)
	}
	if st = r.step(t0.Add(1900 * time.Millisecond)); st.Level != level.L0 {
		t.Fatalf("error_rate fired before its 2s for: %s", st.Level)
	}
	st = r.step(t0.Add(2 * time.Second))
	r.rolledBack(st, "error_rate", "L0->L3")
	if ev := r.fired("error_rate"); ev.Value != 1 || ev.Threshold != 0.2 || !strings.Contains(ev.Detail, "20 failed") {
		t.Fatalf("fired evidence %+v, want 20 of 20 failed against 0.2", ev)
	}
}

// The plan's "average response time above 5000 ms", here 150 ms against a
// primary slowed to 300 ms, with the default 5 s for.
func TestResponseTimeTriggerRollback(t *testing.T) {
	rt := planTrigger(t, "response_time")
	rt.Threshold = 150
	r := newRig(t, []config.Trigger{rt}, func(c *config.Config) {
		c.Upstreams.Primary.Health.Timeout = 2 * time.Second // slow is not down
	})
	r.fault(r.ov, sim.Fault{LatencyMS: 300})
	r.burst(10, "/api/v1/sessions", `{}`)
	t0 := time.Now()
	if st := r.step(t0); st.Level != level.L0 || evidence(t, st, "response_time").State != trigger.Pending {
		t.Fatalf("first slow window: %s, %+v", st.Level, evidence(t, st, "response_time"))
	}
	if st := r.step(t0.Add(4900 * time.Millisecond)); st.Level != level.L0 {
		t.Fatalf("response_time fired before its 5s for: %s", st.Level)
	}
	r.rolledBack(r.step(t0.Add(5*time.Second)), "response_time", "L0->L3")
	ev := r.fired("response_time")
	if ev.Value < 300 || ev.Threshold != 150 || ev.Unit != signal.UnitMS || !strings.Contains(ev.Detail, "p95") {
		t.Fatalf("fired evidence %+v, want an average of at least 300ms against 150ms, with p95", ev)
	}
}

// The plan's "CPU above 90 % for more than 5 minutes", read from the
// primary's /metrics: pending at 4m59s, firing at 5m.
func TestCPUTriggerHonoursItsFiveMinutes(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "cpu")}, nil)
	if ev := evidence(t, r.stepNow(), "cpu"); !ev.Valid || ev.Value >= 90 || ev.State != trigger.Inactive {
		t.Fatalf("idle primary: cpu %+v", ev)
	}
	r.fault(r.ov, sim.Fault{CPUPercent: 95})
	t0 := later(time.Now(), r.last)
	st := r.step(t0)
	if ev := evidence(t, st, "cpu"); ev.State != trigger.Pending || ev.Value != 95 {
		t.Fatalf("first hot reading: %+v", ev)
	}
	for _, d := range []time.Duration{4 * time.Minute, 4*time.Minute + 59*time.Second} {
		if st = r.step(t0.Add(d)); st.Level != level.L0 || evidence(t, st, "cpu").State != trigger.Pending {
			t.Fatalf("at +%s: %s, cpu %s; want L0 with cpu pending", d, st.Level, evidence(t, st, "cpu").State)
		}
	}
	r.rolledBack(r.step(t0.Add(5*time.Minute)), "cpu", "L0->L3")
	ev := r.fired("cpu")
	if ev.Value != 95 || ev.Threshold != 90 || ev.For != 5*time.Minute || !ev.BadSince.Equal(t0) || ev.Since.Sub(ev.BadSince) != 5*time.Minute {
		t.Fatalf("fired evidence %+v, want 95 > 90 bad since %s for 5m", ev, t0)
	}
}

// The plan's data-integrity check as a functional probe: a search index
// that finds nothing while /health stays green is an immediate trigger.
func TestSilentSearchCorruptionTriggersRollback(t *testing.T) {
	probe := config.Trigger{Name: "search_integrity", Kind: "immediate", Op: ">", Threshold: 0, ClearFor: 30 * time.Second,
		Signal: config.Signal{Type: "functional_probe", Probe: config.Probe{
			Method: "POST", Path: "/api/v1/search/find", Body: fmt.Sprintf(`{"query":%q}`, signal.CanaryQuery),
			ExpectStatus: []int{200}, Expect: config.Expect{Path: "result.resources[].uri", Contains: signal.CanaryURI},
		}}}
	r := newRig(t, []config.Trigger{probe}, nil)
	if ev := evidence(t, r.stepNow(), "search_integrity"); ev.Value != 0 || !ev.Valid {
		t.Fatalf("intact index: %+v", ev)
	}
	r.fault(r.ov, sim.Fault{CorruptSearch: true})
	st := r.stepNow()
	if code, body := get(t, r.ov.URL()+"/health"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("the corrupted primary's own /health: %d %s, want green", code, body)
	}
	if p, _ := r.states(); p != "up" {
		t.Fatalf("active checks say the corrupted primary is %s, want up: only the probe can see this", p)
	}
	r.rolledBack(st, "search_integrity", "L0->L3")
	if ev := r.fired("search_integrity"); ev.Value != 1 || !strings.Contains(ev.Detail, signal.CanaryURI) {
		t.Fatalf("fired evidence %+v, want a failed check naming the canary", ev)
	}
}

// A warning walks the plan's levels on its windows: L1 at once, L2 when the
// issue outlives 5 minutes at L1, L3 when it outlives 15 minutes since the
// incident began.
func TestWarningWalksLevelsOnThePlansWindows(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "session_failures")}, func(c *config.Config) { c.Breaker.Enabled = false })
	g := r.a.Gateway()
	if g.Breaker() != nil || g.Queue() != nil || g.CacheStore().Snapshot().MaxEntries != 1000 {
		t.Fatal("the gateway does not start as configured")
	}
	tL1 := r.reachL1()
	if st := r.step(tL1.Add(5*time.Minute - time.Second)); st.Level != level.L1 {
		t.Fatalf("at L1+4m59s: %s, want L1", st.Level)
	}
	st := r.step(tL1.Add(5 * time.Minute))
	r.atL2(st)
	if st = r.step(tL1.Add(15*time.Minute - time.Second)); st.Level != level.L2 {
		t.Fatalf("at +14m59s: %s, want L2", st.Level)
	}
	if ev := evidence(t, st, "session_failures"); ev.Threshold != 0.05 || ev.Scale != 0.5 || ev.State != trigger.Firing {
		t.Fatalf("at L2 the warning is %s at threshold %g (scale %g), want firing at the plan's 50%% lower 0.05", ev.State, ev.Threshold, ev.Scale)
	}
	st = r.step(tL1.Add(15 * time.Minute))
	r.rolledBack(st, "session_failures", "L0->L1", "L1->L2", "L2->L3")
	if !st.IncidentStart.Equal(tL1) || !st.Since.Equal(tL1.Add(15*time.Minute)) {
		t.Fatalf("incident began %s, L3 since %s; want %s and 15m later", st.IncidentStart, st.Since, tL1)
	}
	ev := r.fired("session_failures")
	t.Logf("warning path: first bad reading %s, L1 +%s, L2 +%s, L3 +%s (injected clock)", ev.BadSince.Format(time.TimeOnly),
		tL1.Sub(ev.BadSince), tL1.Add(5*time.Minute).Sub(ev.BadSince), st.Since.Sub(ev.BadSince))
}

// reachL1 fails every session creation and steps through the warning's 10 s
// for; it returns when L1 began.
func (r *rig) reachL1() time.Time {
	r.t.Helper()
	r.fault(r.ov, sim.Fault{ErrorRate: 1})
	r.burst(20, "/api/v1/sessions", `{}`)
	t0 := later(time.Now(), r.last)
	if st := r.step(t0); st.Level != level.L0 {
		r.t.Fatalf("the first bad reading moved to %s: the warning has a 10s for", st.Level)
	}
	st := r.step(t0.Add(10 * time.Second))
	if st.Level != level.L1 || st.Phase != level.Degraded || st.Mode != "primary" {
		r.t.Fatalf("after 10s of failed session creation: %s %s mode %s, want L1 degraded on the primary", st.Level, st.Phase, st.Mode)
	}
	r.l1Applied()
	if ev := r.fired("session_failures"); ev.Value != 1 || ev.Threshold != 0.1 || ev.Kind != string(trigger.Warning) {
		r.t.Fatalf("fired evidence %+v, want 1 > 0.1", ev)
	}
	return st.Since
}

// l1Applied checks the plan's Level 1 gateway calls took effect.
func (r *rig) l1Applied() {
	r.t.Helper()
	g := r.a.Gateway()
	b, q := g.Breaker(), g.Queue()
	if b == nil || b.Snapshot().Settings.FailureThreshold != 5 || b.Snapshot().Settings.RecoveryTimeout != 30*time.Second {
		r.t.Fatal("Level 1 did not enable the breaker with 5 failures and 30s")
	}
	if q == nil || q.Snapshot().Settings.MaxQueueSize != 1000 || q.Snapshot().Settings.Timeout != 30*time.Second {
		r.t.Fatal("Level 1 did not enable the queue with 1000 places and 30s")
	}
	if n := g.CacheStore().Snapshot().MaxEntries; n != 2000 {
		r.t.Fatalf("Level 1 cache max_size %d, want 2000", n)
	}
}

// atL2 checks the plan's Level 2: backup mode and aggressive caching, with
// Level 1's changes still in force.
func (r *rig) atL2(st level.Status) {
	r.t.Helper()
	if st.Level != level.L2 || st.Phase != level.Isolated || st.Mode != "backup" || r.a.Gateway().Routing().Mode.String() != "backup" {
		r.t.Fatalf("want L2 isolated in backup mode, got %s %s mode %s", st.Level, st.Phase, st.Mode)
	}
	c := r.a.Gateway().CacheStore().Snapshot()
	if !c.Aggressive || c.AggressiveTTL != time.Hour || !r.a.Gateway().CacheEnabled() {
		r.t.Fatalf("Level 2 cache: aggressive %v ttl %s, want on for 1h", c.Aggressive, c.AggressiveTTL)
	}
	r.l1Applied()
}

// Level 3 with a dead fallback: traffic stays where it is (the best
// available mode), a CRITICAL event is raised once, and the rollback goes
// ahead when the fallback comes back.
func TestUnhealthyFallbackKeepsTrafficPut(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, nil)
	r.fault(r.lr, sim.Fault{Down: true})
	r.fault(r.ov, sim.Fault{Down: true})
	st := r.stepUntil("L3 after the primary died", func(st level.Status) bool { return st.Level == level.L3 })
	for range 3 {
		st = r.stepNow()
	}
	if st.Phase != level.Verifying || !st.Critical || st.Mode != "backup" || st.Rollback != "" {
		t.Fatalf("want L3 verifying, critical, in backup mode; got %s %s critical %v mode %s rollback %q", st.Level, st.Phase, st.Critical, st.Mode, st.Rollback)
	}
	if got := r.a.Gateway().Routing().Mode.String(); got != "backup" {
		t.Fatalf("gateway routes %s, want backup: the fallback is unproven", got)
	}
	crit := r.events(level.KindFallbackUnhealthy)
	if len(crit) != 1 || crit[0].Severity != "critical" || !strings.Contains(crit[0].Message, "fallback health check") {
		t.Fatalf("want one critical fallback_unhealthy event naming the failed check, got %+v", crit)
	}
	if n := len(r.events(level.KindRollback)); n != 0 {
		t.Fatalf("%d rollback results recorded while the fallback was down", n)
	}
	out := runStatus(t, r.a.Addr())
	for _, want := range []string{"L3 (verifying)", "mode:", "backup", "CRITICAL:", "health_checks", "> 3 count", "next: verifying the fallback"} {
		if !strings.Contains(out, want) {
			t.Errorf("lifeboat status lacks %q:\n%s", want, out)
		}
	}
	t.Logf("lifeboat status at L3 with a dead fallback:\n%s", out)
	r.fault(r.lr, sim.Fault{})
	st = r.stepUntil("the primary isolated once the fallback is back", func(st level.Status) bool { return st.Phase != level.Verifying })
	r.rolledBack(st, "health_checks", "L0->L3")
}

// Lifeboat restarted during Level 2 comes back in Level 2: backup mode and
// the Level 1 and 2 gateway changes, which lived in memory, are applied
// again, and the incident keeps the clock it began with.
func TestRestartDuringL2ResumesL2(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "session_failures")}, func(c *config.Config) { c.Breaker.Enabled = false })
	tL1 := r.reachL1()
	tL2 := tL1.Add(5 * time.Minute)
	r.atL2(r.step(tL2))
	stopApp(t, r.a)

	r.a = startManual(t, r.cfg)
	r.base = "http://" + r.a.Addr()
	st := r.a.Engine().Status(tL2)
	if st.Level != level.L2 || st.Phase != level.Isolated || !st.IncidentStart.Equal(tL1) {
		t.Fatalf("after restart: %s %s incident began %s, want L2 isolated since %s", st.Level, st.Phase, st.IncidentStart, tL1)
	}
	r.atL2(st)
	if ev := r.events(level.KindDecision); len(ev) == 0 || !strings.Contains(ev[0].Message, "resumed at L2") {
		t.Fatalf("no resume decision recorded: %+v", ev)
	}
	st = r.step(tL2.Add(30 * time.Second))
	if st.Level != level.L2 || !strings.Contains(st.Next, "L3 in 9m30s") {
		t.Fatalf("30s after restart: %s, next %q; want L2 with L3 due 15m after the incident began", st.Level, st.Next)
	}
}

// A failing restore step returns traffic to the fallback and says why.
func TestFailingRestoreStepReturnsToFallback(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, nil)
	r.toFallback()
	tStep := r.startRestore()
	r.fault(r.ov, sim.Fault{Down: true})
	var st level.Status
	eventually(t, "restore aborted after the primary died again", func() bool {
		st = r.step(r.last.Add(100 * time.Millisecond))
		return st.Phase != level.Restoring
	})
	if st.Level != level.L3 || st.Phase != level.OnFallback || st.Mode != "fallback" || r.a.Gateway().Routing().Mode.String() != "fallback" {
		t.Fatalf("after a failed step: %s %s mode %s, want L3 on the fallback", st.Level, st.Phase, st.Mode)
	}
	failed := r.events(level.KindRestoreFailed)
	if len(failed) != 1 {
		t.Fatalf("want one restore.failed event, got %+v", failed)
	}
	why, _ := failed[0].Fields["reason"].(string)
	if !strings.Contains(why, "health") {
		t.Fatalf("restore.failed reason %q does not say the primary's checks failed", why)
	}
	t.Logf("restore step 1 failed %s (injected) after it began: %s", r.last.Sub(tStep), why)
}

// A healthy primary comes back in the plan's stages, each held a minute,
// and the incident ends at Level 0 with the gateway as configured.
func TestStagedRestoreReturnsToNormal(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, func(c *config.Config) {
		c.Escalation.Actions.L3 = []action.Spec{{Name: "queue_on", Type: "builtin", Builtin: "enable_queue",
			Params: map[string]any{"max_queue_size": 500}}}
	})
	r.toFallback()
	if r.a.Gateway().Queue() == nil {
		t.Fatal("the Level 3 action did not run")
	}
	at := r.startRestore()
	for _, w := range []int{25, 50, 75, 100} {
		if st := r.step(at.Add(59 * time.Second)); r.a.Gateway().Routing().PrimaryWeight == w || st.Phase != level.Restoring {
			t.Fatalf("step to %d%% before its predecessor was held a minute (%s)", w, st.Phase)
		}
		at = at.Add(time.Minute)
		st := r.step(at)
		if rt := r.a.Gateway().Routing(); rt.Mode.String() != "split" || rt.PrimaryWeight != w || st.Phase != level.Restoring {
			t.Fatalf("a minute into the previous step: routing %s %d%%, phase %s; want split %d%%", rt.Mode, rt.PrimaryWeight, st.Phase, w)
		}
	}
	st := r.step(at.Add(time.Minute))
	if st.Level != level.L0 || st.Mode != "primary" || r.a.Gateway().Routing().Mode.String() != "primary" {
		t.Fatalf("after the last step: %s mode %s, want L0 on the primary", st.Level, st.Mode)
	}
	if len(r.events(level.KindRestoreDone)) != 1 || r.actionRan("restore_defaults") == nil || r.a.Gateway().Queue() != nil {
		t.Fatal("return to L0 did not complete the restore and put the gateway back as configured")
	}
	if got := r.levelPath(); !slices.Equal(got, []string{"L0->L3", "L3->L0"}) {
		t.Fatalf("level path %v", got)
	}
	if steps := r.events(level.KindRestoreStep); len(steps) != 5 {
		t.Fatalf("%d restore steps recorded, want the plan's 5", len(steps))
	}
}

// A single slow request and a single failed check change nothing.
func TestBlipsChangeNothing(t *testing.T) {
	rt := planTrigger(t, "response_time")
	rt.Threshold, rt.For = 150, 0
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks"), rt, planTrigger(t, "error_rate")}, func(c *config.Config) {
		h := &c.Upstreams.Primary.Health
		h.Interval, h.FastInterval, h.Timeout = 200*time.Millisecond, 200*time.Millisecond, 2*time.Second
	})
	r.fault(r.ov, sim.Fault{LatencyMS: 600})
	r.burst(1, "/api/v1/sessions", `{}`)
	r.fault(r.ov, sim.Fault{})
	st := r.stepNow()
	if ev := evidence(t, st, "response_time"); st.Level != level.L0 || ev.Valid || ev.State != trigger.Inactive || ev.Value < 600 {
		t.Fatalf("one 600ms request: %s, %+v; want L0 with an unjudged reading", st.Level, ev)
	}
	r.fault(r.ov, sim.Fault{Down: true})
	r.stepUntil("one failed check seen", func(st level.Status) bool { return evidence(t, st, "health_checks").Value >= 1 })
	r.fault(r.ov, sim.Fault{})
	worst := 0.0
	st = r.stepUntil("the check streak reset", func(st level.Status) bool {
		worst = max(worst, evidence(t, st, "health_checks").Value)
		return st.Level != level.L0 || evidence(t, st, "health_checks").Value == 0
	})
	if st.Level != level.L0 || worst > 3 {
		t.Fatalf("after one failed check: %s, worst streak %g", st.Level, worst)
	}
	if n := len(r.events(level.KindTriggerFired)) + len(r.events(level.KindLevelChanged)); n != 0 {
		t.Fatalf("%d trigger or level events after two blips", n)
	}
}

// A trigger on a route class the routes do not define reads "no data", as
// the configuration promises, instead of crashing the engine.
func TestTriggerOnUnknownRouteHasNoData(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "session_failures")}, func(c *config.Config) {
		c.Routes = []route.Spec{{Name: "search", Methods: []string{"POST"}, Paths: []string{"/api/v1/search/find"}, Key: true}}
	})
	st := r.stepNow()
	if ev := evidence(t, st, "session_failures"); st.Level != level.L0 || ev.Valid || !strings.Contains(ev.Detail, "not defined") {
		t.Fatalf("unknown route: %s, %+v", st.Level, ev)
	}
}

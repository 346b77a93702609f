package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/cli"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// rig is a gateway under manual escalation in front of both simulators.
// The engine evaluates only when the test calls step, with the test's own
// clock; the simulators, the traffic and the health checks stay real.
type rig struct {
	t      *testing.T
	ov, lr *sim.Server
	cfg    config.Config
	a      *app.App
	base   string
	last   time.Time // the latest injected time: trigger clocks never go back
}

// newRig starts both simulators and a gateway with escalation on, a fresh
// state directory, the given triggers and the plan's level windows; edit
// adjusts the configuration before the gateway starts.
func newRig(t *testing.T, triggers []config.Trigger, edit func(*config.Config)) *rig {
	t.Helper()
	ov, lr, c := escalationConfig(t, triggers)
	c.Stats.MinVolume = 10
	if edit != nil {
		edit(&c)
	}
	r := &rig{t: t, ov: ov, lr: lr, cfg: c}
	r.a = startManual(t, c)
	r.base = "http://" + r.a.Addr()
	r.waitStates("up", "up")
	return r
}

// escalationConfig starts both simulators and configures a gateway in
// front of them with escalation on, a fresh state directory and the given
// triggers.
func escalationConfig(t *testing.T, triggers []config.Trigger) (ov, lr *sim.Server, c config.Config) {
	t.Helper()
	ov = startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr = startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c = testConfig(ov.URL(), lr.URL())
	c.Escalation.Enabled = true
	c.Escalation.DataDir = t.TempDir()
	c.Journal.Enabled = true
	// The plan's own Level 0 routes to the primary alone; these tests walk
	// the plan's levels from there (the default, backup, is the demo's).
	c.Routing.Mode = "primary"
	c.Triggers = triggers
	return ov, lr, c
}

// startManual runs the gateway with the level engine left to the test.
func startManual(t *testing.T, c config.Config) *app.App {
	t.Helper()
	a, err := app.New(app.Options{Config: c, Version: "test", ManualEscalation: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopApp(t, a) })
	return a
}

func stopApp(t *testing.T, a *app.App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Stop(ctx); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// step evaluates at now, which must not go back, and returns the status.
func (r *rig) step(now time.Time) level.Status {
	r.t.Helper()
	if now.Before(r.last) {
		r.t.Fatalf("step at %s goes back before %s", now, r.last)
	}
	r.last = now
	if err := r.a.Engine().Step(context.Background(), now); err != nil {
		r.t.Fatalf("step: %v", err)
	}
	return r.a.Engine().Status(now)
}

// stepNow evaluates at the wall clock, or just after the latest injected
// time when the test has jumped ahead of it.
func (r *rig) stepNow() level.Status {
	r.t.Helper()
	return r.step(later(time.Now(), r.last.Add(time.Millisecond)))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// stepUntil steps at the wall clock until cond holds, bounded by eventually.
func (r *rig) stepUntil(what string, cond func(level.Status) bool) level.Status {
	r.t.Helper()
	var st level.Status
	eventually(r.t, what, func() bool { st = r.stepNow(); return cond(st) })
	return st
}

// waitStates polls the gateway's /health until the active checks report
// the given primary and fallback states.
func (r *rig) waitStates(primary, fallback string) {
	r.t.Helper()
	eventually(r.t, "checks say primary "+primary+", fallback "+fallback, func() bool {
		p, f := r.states()
		return p == primary && f == fallback
	})
}

// states reads the active checks' verdicts from /health.
func (r *rig) states() (primary, fallback string) {
	_, body := get(r.t, r.base+"/lifeboat/health")
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		r.t.Fatalf("/health is not JSON: %s", body)
	}
	p, _ := field(doc, "upstreams", "primary", "state").(string)
	f, _ := field(doc, "upstreams", "fallback", "state").(string)
	return p, f
}

func (r *rig) fault(s *sim.Server, f sim.Fault) {
	r.t.Helper()
	if err := s.SetFault(f); err != nil {
		r.t.Fatal(err)
	}
}

// burst sends n requests through the gateway at once and returns their
// statuses, so a window fills in one round trip of the slowest.
func (r *rig) burst(n int, path, body string) []int {
	r.t.Helper()
	codes := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, err := http.Post(r.base+path, "application/json", strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			codes[i] = resp.StatusCode
			resp.Body.Close()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			r.t.Fatal(err)
		}
	}
	return codes
}

// events returns the recorded events of one kind, oldest first.
func (r *rig) events(kind string) []event.Event {
	var out []event.Event
	for _, e := range r.a.Events().Recent(256) {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// fired returns the evidence of the trigger.fired event of name.
func (r *rig) fired(name string) trigger.Evidence {
	r.t.Helper()
	for _, e := range r.events(level.KindTriggerFired) {
		if ev, ok := e.Fields["evidence"].(trigger.Evidence); ok && ev.Trigger == name {
			return ev
		}
	}
	r.t.Fatalf("no trigger.fired event for %s", name)
	return trigger.Evidence{}
}

// levelPath lists the level changes recorded so far, such as "L0->L1".
func (r *rig) levelPath() []string {
	var out []string
	for _, e := range r.events(level.KindLevelChanged) {
		out = append(out, e.Fields["from"].(string)+"->"+e.Fields["to"].(string))
	}
	return out
}

// rolledBack asserts a verified Level 3 reached by path (such as
// "L0->L3"): all traffic on the fallback, the plan's verdict recorded, the
// rollback event naming the trigger, and a client served by the fallback.
func (r *rig) rolledBack(st level.Status, trig string, path ...string) {
	r.t.Helper()
	if st.Level != level.L3 || st.Phase != level.OnFallback || st.Mode != "fallback" {
		r.t.Fatalf("want L3 on_fallback in mode fallback, got %s %s mode %s (next: %s)", st.Level, st.Phase, st.Mode, st.Next)
	}
	if st.Rollback != level.RollbackSuccessful || st.Critical {
		r.t.Fatalf("rollback %q critical %v, want %q", st.Rollback, st.Critical, level.RollbackSuccessful)
	}
	if got := r.a.Gateway().Routing().Mode.String(); got != "fallback" {
		r.t.Fatalf("gateway routes %s, want fallback", got)
	}
	res := r.events(level.KindRollback)
	if len(res) != 1 || res[0].Message != level.RollbackSuccessful {
		r.t.Fatalf("rollback.result events: %+v", res)
	}
	evs, _ := res[0].Fields["triggers"].([]trigger.Evidence)
	if len(evs) == 0 || evs[0].Trigger != trig {
		r.t.Fatalf("rollback evidence names %+v, want %s", evs, trig)
	}
	if got := r.levelPath(); !slices.Equal(got, path) {
		r.t.Fatalf("level path %v, want %v", got, path)
	}
	// Clients keep speaking OpenViking; the fallback answers through the
	// translation, in OpenViking's envelope.
	resp, err := http.Post(r.base+"/api/v1/search/find", "application/json", strings.NewReader(`{"query":"context database"}`))
	if err != nil {
		r.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if up := resp.Header.Get("X-Lifeboat-Upstream"); resp.StatusCode != 200 || up != "fallback" || !strings.Contains(string(body), `"resources":[{`) {
		r.t.Fatalf("a client search after the rollback: %d from %q (%s), want 200 from the fallback with resources", resp.StatusCode, up, body)
	}
}

// evidence returns the named trigger's current evidence from a status.
func evidence(t *testing.T, st level.Status, name string) trigger.Evidence {
	t.Helper()
	for _, ev := range st.Triggers {
		if ev.Trigger == name {
			return ev
		}
	}
	t.Fatalf("no trigger %s in status", name)
	return trigger.Evidence{}
}

// runStatus runs `lifeboat status` against the gateway.
func runStatus(t *testing.T, addr string) string {
	t.Helper()
	var out, errs bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	if code := cli.Run(context.Background(), []string{"status", "--addr", addr}, env); code != 0 {
		t.Fatalf("lifeboat status exited %d: %s", code, errs.String())
	}
	return out.String()
}

// planTrigger returns the plan's default trigger of that name, so tests
// change only what they must.
func planTrigger(t *testing.T, name string) config.Trigger {
	t.Helper()
	for _, tr := range config.DefaultTriggers() {
		if tr.Name == name {
			return tr
		}
	}
	t.Fatalf("no default trigger %s", name)
	return config.Trigger{}
}

// toFallback kills the primary and steps until the verified rollback.
func (r *rig) toFallback() {
	r.t.Helper()
	r.fault(r.ov, sim.Fault{Down: true})
	st := r.stepUntil("L3 after the primary died", func(st level.Status) bool { return st.Level == level.L3 })
	r.rolledBack(st, "health_checks", "L0->L3")
}

// startRestore heals the primary, holds it healthy for the plan's 2 minute
// hold-down and returns when restore step 1 (10 %) began.
func (r *rig) startRestore() time.Time {
	r.t.Helper()
	r.fault(r.ov, sim.Fault{})
	r.waitStates("up", "up")
	t0 := later(time.Now(), r.last)
	if st := r.step(t0); st.Phase != level.OnFallback || !st.HealthySince.Equal(t0) || !strings.Contains(st.Next, "restore starts in 2m0s") {
		r.t.Fatalf("healthy primary: %s healthy since %s, next %q", st.Phase, st.HealthySince, st.Next)
	}
	if st := r.step(t0.Add(2*time.Minute - time.Second)); st.Phase != level.OnFallback || st.Mode != "fallback" {
		r.t.Fatalf("before the hold-down ended: %s mode %s, want still on the fallback", st.Phase, st.Mode)
	}
	at := t0.Add(2 * time.Minute)
	st := r.step(at)
	if rt := r.a.Gateway().Routing(); st.Phase != level.Restoring || rt.Mode.String() != "split" || rt.PrimaryWeight != 10 {
		r.t.Fatalf("after the hold-down: %s, routing %s %d%%; want restoring at 10%%", st.Phase, rt.Mode, rt.PrimaryWeight)
	}
	return at
}

// actionRan returns the result of the named action's first successful run.
func (r *rig) actionRan(name string) *action.Result {
	for _, e := range r.events(level.KindAction) {
		if res, ok := e.Fields["result"].(action.Result); ok && res.Name == name && res.OK {
			return &res
		}
	}
	return nil
}

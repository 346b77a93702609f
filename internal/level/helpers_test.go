package level

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// knob is a signal whose reading the test sets, standing in for a real
// measurement so the state machine's timing can be driven exactly.
type knob struct {
	mu sync.Mutex
	r  signal.Reading
}

func (k *knob) set(v float64) {
	k.mu.Lock()
	k.r = signal.Reading{Value: v, Valid: true, Unit: signal.UnitCount}
	k.mu.Unlock()
}

func (k *knob) Read(context.Context, time.Time) signal.Reading {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.r
}

// checks is a Verifier whose answers the test sets.
type checks struct {
	mu                         sync.Mutex
	fallbackErr, endToEndErr   error
	primaryOK, stepOK          bool
	fallbackCalls, judgedSteps int
}

func (c *checks) Fallback(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fallbackCalls++
	return c.fallbackErr
}
func (c *checks) EndToEnd(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endToEndErr
}
func (c *checks) PrimaryHealthy(context.Context) (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.primaryOK, "test says so"
}
func (c *checks) JudgeStep(context.Context, time.Time, time.Time) (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.judgedSteps++
	return c.stepOK, "test verdict"
}
func (c *checks) setPrimary(ok bool) { c.mu.Lock(); c.primaryOK = ok; c.mu.Unlock() }

// rig is an engine with real triggers, a real gateway as router, a real
// action runner whose built-ins record their calls, and a memory store.
type rig struct {
	t        *testing.T
	e        *Engine
	warn     *knob
	imm      *knob
	gw       *proxy.Gateway
	verify   *checks
	store    *MemStore
	events   *event.Ring
	mu       sync.Mutex
	builtins []string
	t0       time.Time
	// spent is the process time the engine's Clock has seen pass inside
	// evaluations; beforeRestore, when set, runs as Options.BeforeRestore.
	spent         time.Duration
	beforeRestore func(context.Context) error
}

// clock is the engine's process clock: it moves only by spent.
func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.t0.Add(r.spent)
}

// spend moves the process clock, as a slow action or replay would.
func (r *rig) spend(d time.Duration) {
	r.mu.Lock()
	r.spent += d
	r.mu.Unlock()
}

func newRig(t *testing.T, mutate func(*Settings)) *rig {
	t.Helper()
	r := &rig{t: t, warn: &knob{}, imm: &knob{}, verify: &checks{primaryOK: true, stepOK: true},
		store: &MemStore{}, events: event.NewRing(512), t0: time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)}
	u, _ := url.Parse("http://127.0.0.1:1")
	routes := route.New(route.Defaults())
	r.gw = proxy.New(proxy.Options{Primary: u, Fallback: u, Routes: routes,
		Stats:   stats.NewRecorder(proxy.TargetNames, routes.Names(), stats.WindowSettings{}),
		Routing: proxy.Routing{Mode: proxy.ModePrimary, PrimaryWeight: 100}})
	s := Settings{Actions: Actions{
		L1:     []action.Spec{r.builtin("enable_breaker")},
		L2:     []action.Spec{r.builtin("aggressive_cache")},
		L3:     []action.Spec{{Name: "stop_primary", Type: action.TypeCommand, Command: []string{"/bin/true"}}},
		Normal: []action.Spec{r.builtin("restore_defaults")},
	}}
	if mutate != nil {
		mutate(&s)
	}
	r.e = r.newEngine(s)
	return r
}

func (r *rig) builtin(name string) action.Spec {
	return action.Spec{Name: name, Type: action.TypeBuiltin, Builtin: name}
}

func (r *rig) newEngine(s Settings) *Engine {
	r.t.Helper()
	return r.newEngineWith(s, nil)
}

// newEngineWith is newEngine with edit applied to the options last.
func (r *rig) newEngineWith(s Settings, edit func(*Options)) *Engine {
	r.t.Helper()
	set, err := trigger.NewSet([]trigger.Rule{
		{Name: "slow", Kind: trigger.Warning, Source: r.warn, Op: trigger.Above, Threshold: 1, For: 30 * time.Second, ClearFor: time.Minute},
		{Name: "down", Kind: trigger.Immediate, Source: r.imm, Op: trigger.Above, Threshold: 3, ClearFor: 30 * time.Second},
	})
	if err != nil {
		r.t.Fatal(err)
	}
	record := func(name string) action.Builtin {
		return func(context.Context, map[string]any) (string, error) {
			r.mu.Lock()
			r.builtins = append(r.builtins, name)
			r.mu.Unlock()
			return "ok", nil
		}
	}
	runner := action.NewRunner(action.Options{Builtins: map[string]action.Builtin{
		"enable_breaker": record("enable_breaker"), "aggressive_cache": record("aggressive_cache"),
		"restore_defaults": record("restore_defaults"),
	}})
	o := Options{Settings: s, Triggers: set, Router: r.gw, Actions: runner, Verifier: r.verify, Store: r.store, Events: r.events,
		Clock: r.clock, BeforeRestore: func(ctx context.Context) error {
			if r.beforeRestore == nil {
				return nil
			}
			return r.beforeRestore(ctx)
		}}
	if edit != nil {
		edit(&o)
	}
	e, err := New(context.Background(), o)
	if err != nil {
		r.t.Fatal(err)
	}
	return e
}

// at steps the engine at t0+d.
func (r *rig) at(d time.Duration) Status {
	r.t.Helper()
	now := r.t0.Add(d)
	if err := r.e.Step(context.Background(), now); err != nil {
		r.t.Fatal(err)
	}
	return r.e.Status(now)
}

func (r *rig) expect(d time.Duration, l Level, p Phase, mode proxy.Mode) Status {
	r.t.Helper()
	st := r.at(d)
	if st.Level != l || st.Phase != p || r.gw.Routing().Mode != mode {
		r.t.Fatalf("at +%s: %s/%s mode %s, want %s/%s mode %s; events:\n%s", d, st.Level, st.Phase,
			r.gw.Routing().Mode, l, p, mode, r.eventLog())
	}
	return st
}

func (r *rig) calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.builtins...)
}

func (r *rig) eventLog() string {
	var s string
	for _, e := range r.events.Recent(512) {
		s += "  " + e.Kind + ": " + e.Message + "\n"
	}
	return s
}

func (r *rig) kinds() map[string]int {
	out := map[string]int{}
	for _, e := range r.events.Recent(512) {
		out[e.Kind]++
	}
	return out
}

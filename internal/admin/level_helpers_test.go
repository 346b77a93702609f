package admin

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// stubTriggers reports fixed evidence: the admin API only shows it.
type stubTriggers struct {
	mu  sync.Mutex
	evs []trigger.Evidence
}

func (s *stubTriggers) Evaluate(context.Context, time.Time, float64) []trigger.Transition { return nil }
func (s *stubTriggers) Reset()                                                            {}

func (s *stubTriggers) Status() []trigger.Evidence {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]trigger.Evidence(nil), s.evs...)
}

func (s *stubTriggers) Firing(kind trigger.Kind) []trigger.Evidence {
	var out []trigger.Evidence
	for _, ev := range s.Status() {
		if ev.State == trigger.Firing && ev.Kind == string(kind) {
			out = append(out, ev)
		}
	}
	return out
}

// stubVerifier passes the fallback, and the primary when told to. A
// non-nil hold makes Fallback wait for it to close, after closing entered.
type stubVerifier struct {
	mu        sync.Mutex
	primaryOK bool
	hold      chan struct{}
	entered   chan struct{}
}

func (v *stubVerifier) setPrimary(ok bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.primaryOK = ok
}

func (v *stubVerifier) Fallback(ctx context.Context) error {
	if v.hold != nil {
		close(v.entered)
		select {
		case <-v.hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (v *stubVerifier) EndToEnd(context.Context) error { return nil }

func (v *stubVerifier) PrimaryHealthy(context.Context) (bool, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.primaryOK {
		return false, "health checks failing"
	}
	return true, ""
}

func (v *stubVerifier) JudgeStep(context.Context, time.Time, time.Time) (bool, string) {
	return true, ""
}

// noActions runs nothing: these tests are about the API, not actions.
type noActions struct{}

func (noActions) RunAll(_ context.Context, specs []action.Spec, _ action.Context) []action.Result {
	return nil
}

// levelFixture is an admin API over a real gateway and a real engine.
type levelFixture struct {
	srv    *httptest.Server
	gw     *proxy.Gateway
	engine *level.Engine
	ver    *stubVerifier
	ring   *event.Ring
}

func sampleEvidence() []trigger.Evidence {
	return []trigger.Evidence{
		{Trigger: "health_checks", Kind: string(trigger.Immediate), State: trigger.Inactive,
			Valid: true, Value: 0, Op: ">", Threshold: 3, Unit: "count", Detail: "0 consecutive failures"},
		{Trigger: "cpu", Kind: string(trigger.Immediate), State: trigger.Inactive,
			Op: ">", Threshold: 90, Unit: "percent", Detail: "scrape failed"},
	}
}

func newLevelFixture(t *testing.T, ver *stubVerifier, edit func(*Options)) *levelFixture {
	t.Helper()
	gw, _ := newGateway(t)
	ring := event.NewRing(64)
	eng, err := level.New(context.Background(), level.Options{
		Triggers: &stubTriggers{evs: sampleEvidence()}, Router: gw, Actions: noActions{},
		Verifier: ver, Store: &level.MemStore{}, Events: ring,
	})
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(gw, "", ring)
	o.Levels = eng
	if edit != nil {
		edit(&o)
	}
	return &levelFixture{srv: serve(t, o), gw: gw, engine: eng, ver: ver, ring: ring}
}

// result returns the "result" object of an answer.
func result(t *testing.T, out map[string]any) map[string]any {
	t.Helper()
	r, ok := out["result"].(map[string]any)
	if !ok {
		t.Fatalf("no result object in %v", out)
	}
	return r
}

func errorOf(out map[string]any) map[string]any {
	e, _ := out["error"].(map[string]any)
	if e == nil {
		return map[string]any{}
	}
	return e
}

var errNotFound = errors.New("not found")

// controlEvent returns the engine's record of a command, naming who asked.
func controlEvent(ring *event.Ring, command string) (event.Event, error) {
	for _, e := range ring.Recent(64) {
		if e.Kind == level.KindControl && e.Fields["command"] == command {
			return e, nil
		}
	}
	return event.Event{}, errNotFound
}

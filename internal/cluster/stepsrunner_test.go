package cluster

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// actions stands for the action runner: it counts what really ran, across
// every decider, and can run a hook inside an action (to kill its decider
// in the middle of it).
type actions struct {
	mu     sync.Mutex
	ran    []string
	during map[string]func()
}

func (a *actions) RunAll(_ context.Context, specs []action.Spec, c action.Context) []action.Result {
	out := make([]action.Result, 0, len(specs))
	for _, s := range specs {
		a.mu.Lock()
		a.ran = append(a.ran, StepKey(c, s.Name))
		hook := a.during[s.Name]
		a.mu.Unlock()
		if hook != nil {
			hook()
		}
		out = append(out, action.Result{Name: s.Name, Type: s.Type, OK: true, Output: "done"})
	}
	return out
}

func (a *actions) count(key string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, k := range a.ran {
		if k == key {
			n++
		}
	}
	return n
}

var l3Specs = []action.Spec{
	{Name: "page-dba", Type: action.TypeHTTP},
	{Name: "scale-down", Type: action.TypeCommand},
	{Name: "isolate", Type: action.TypeBuiltin, Builtin: "enable_breaker"},
}

var toL3 = action.Context{Level: "L3", PreviousLevel: "L2", Incident: "INC-1"}

// TestStepRunnerOnceAcrossTakeOver kills the decider inside an external
// action: its successor must not repeat the finished page nor the
// interrupted command, must report the latter, and must re-apply the
// built-in; a third pass runs nothing external at all.
func TestStepRunnerOnceAcrossTakeOver(t *testing.T) {
	_, a, b := deciderAndFollower(t)
	ran := &actions{during: map[string]func(){"scale-down": func() { kill(a) }}}
	first := NewStepRunner(a, ran, nil).RunAll(ctx(t), l3Specs, toL3)
	if len(first) != 3 || !first[0].OK {
		t.Fatalf("first decider's results %+v", first)
	}
	waitFor(t, "b decides", b.IsDecider)
	ran.during = nil
	rb := NewStepRunner(b, ran, func(context.Context, bool) (string, error) { return "INC-1", nil })
	c := toL3
	c.Incident = "" // Named by the recorder instead.
	for pass := range 2 {
		got := rb.RunAll(ctx(t), l3Specs, c)
		if !got[0].OK || got[0].Output != "done" {
			t.Errorf("pass %d: page %+v, want the recorded result", pass, got[0])
		}
		if got[1].OK || !strings.Contains(got[1].Error, ErrInterrupted.Error()) || !strings.Contains(got[1].Error, "begun by a") {
			t.Errorf("pass %d: interrupted command %+v", pass, got[1])
		}
		if !got[2].OK {
			t.Errorf("pass %d: built-in %+v", pass, got[2])
		}
	}
	for key, want := range map[string]int{"L2>L3/page-dba": 1, "L2>L3/scale-down": 1, "L2>L3/isolate": 3} {
		if n := ran.count(key); n != want {
			t.Errorf("%s ran %d times, want %d", key, n, want)
		}
	}
	steps, err := b.Steps(ctx(t), "INC-1")
	if err != nil || len(steps) != 2 || len(steps.Open()) != 0 {
		t.Fatalf("step log %+v, %v: want page and command, both closed", steps, err)
	}
}

// TestStepRunnerRestoreSteps keys a restore step's actions by the step, so
// the same action in the next step runs, and a step entered again does
// not.
func TestStepRunnerRestoreSteps(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	ran := &actions{}
	r := NewStepRunner(a, ran, nil)
	scale := []action.Spec{{Name: "scale", Type: action.TypeCommand}}
	at := func(step string) action.Context {
		return action.Context{Level: "L3", PreviousLevel: "L3", Incident: "INC-2", Extra: map[string]string{level.ExtraRestoreStep: step}}
	}
	for _, step := range []string{"1", "2", "1"} {
		if got := r.RunAll(ctx(t), scale, at(step)); !got[0].OK {
			t.Fatalf("step %s: %+v", step, got[0])
		}
	}
	if n1, n2 := ran.count("L3>L3/restore 1/scale"), ran.count("L3>L3/restore 2/scale"); n1 != 1 || n2 != 1 {
		t.Fatalf("scale ran %d times at step 1 and %d at step 2, want once each", n1, n2)
	}
	dry := at("3")
	dry.DryRun = true
	r.RunAll(ctx(t), scale, dry)
	r.RunAll(ctx(t), scale, action.Context{Level: "L1", PreviousLevel: "L0"})
	if steps, _ := a.Steps(ctx(t), "INC-2"); len(steps) != 2 {
		t.Fatalf("a dry run or an action outside an incident was logged: %+v", steps)
	}
	if n := ran.count("L3>L3/restore 3/scale") + ran.count("L0>L1/scale"); n != 2 {
		t.Fatalf("dry run and incident-less action ran %d times, want 2 (passed through)", n)
	}
}

// TestStepRunnerFenced refuses external actions to a follower and to an
// old decider etcd has fenced, while built-ins still apply locally.
func TestStepRunnerFenced(t *testing.T) {
	_, a, b := deciderAndFollower(t)
	ran := &actions{}
	got := NewStepRunner(b, ran, nil).RunAll(ctx(t), l3Specs, toL3)
	if got[0].OK || !strings.Contains(got[0].Error, ErrNotDecider.Error()) || !got[2].OK {
		t.Fatalf("follower's results %+v", got)
	}
	if _, err := b.c.Delete(ctx(t), a.term.Load().key); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b decides", b.IsDecider)
	got = NewStepRunner(a, ran, nil).RunAll(ctx(t), l3Specs, toL3)
	if got[0].OK || got[1].OK || !strings.Contains(got[0].Error, "fenced") {
		t.Fatalf("old decider's results %+v", got)
	}
	if n := ran.count("L2>L3/page-dba") + ran.count("L2>L3/scale-down"); n != 0 {
		t.Fatalf("external actions ran %d times without the election", n)
	}
	if steps, err := b.Steps(ctx(t), "INC-1"); err != nil || len(steps) != 0 {
		t.Fatalf("refused steps were logged: %+v, %v", steps, err)
	}
}

// TestStepRunnerRecordsTheIncidentFirst emits the level change that opens
// an incident and runs its L1 action at once, as the engine does: when
// the action runs, the incident is recorded, open, in etcd with the level
// change on its timeline, and the action's intent is logged under it.
// The return to L0 keys its actions by the incident it just closed.
func TestStepRunnerRecordsTheIncidentFirst(t *testing.T) {
	_, a, b := deciderAndFollower(t)
	ra := newReplicaRecord(t, a)
	var seen []string
	ran := &actions{during: map[string]func(){"page": func() { seen = append(seen, inEtcd(t, b)...) }}}
	r := NewStepRunner(a, ran, ra.mirror.Settled)
	page := []action.Spec{{Name: "page", Type: action.TypeHTTP}}
	ra.rec.Emit(event.Of(mirrorT0, "level", event.Warning, "L0 -> L1", fact.LevelChanged{From: "L0", To: "L1", Reason: "test"}))
	if got := r.RunAll(ctx(t), page, action.Context{Level: "L1", PreviousLevel: "L0"}); !got[0].OK {
		t.Fatalf("L1 action %+v", got[0])
	}
	id, _ := ra.rec.Current()
	if want := []string{"open " + id, "intent " + id + " L0>L1/page"}; !slices.Equal(seen, want) {
		t.Fatalf("etcd held %q when the L1 action ran, want %q", seen, want)
	}
	seen = nil
	ra.rec.Emit(event.Of(mirrorT0.Add(time.Minute), "level", event.Info, "L1 -> L0", fact.LevelChanged{From: "L1", To: "L0", Reason: "test"}))
	r.RunAll(ctx(t), page, action.Context{Level: "L0", PreviousLevel: "L1"})
	if want := []string{"closed " + id, "intent " + id + " L0>L1/page", "intent " + id + " L1>L0/page"}; !slices.Equal(seen, want) {
		t.Fatalf("etcd held %q when the L0 action ran, want %q", seen, want)
	}
}

// inEtcd lists, as m reads etcd, each incident document as "open <id>"
// or "closed <id>" and then each step intent as "intent <id> <key>".
func inEtcd(t *testing.T, m *Member) []string {
	docs, err := m.Incidents(context.Background())
	if err != nil {
		t.Error(err)
		return nil
	}
	var out []string
	for _, d := range docs {
		var doc struct {
			Incident struct {
				Open bool `json:"open"`
			} `json:"incident"`
		}
		state := "closed "
		if json.Unmarshal(d.Value, &doc) == nil && doc.Incident.Open {
			state = "open "
		}
		out = append(out, state+d.ID)
		steps, err := m.Steps(context.Background(), d.ID)
		if err != nil {
			t.Error(err)
		}
		for _, st := range steps {
			out = append(out, "intent "+d.ID+" "+st.Key)
		}
	}
	return out
}

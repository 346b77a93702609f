package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

func TestNewSetValidates(t *testing.T) {
	src := &scripted{}
	good := Rule{Name: "a", Kind: Warning, Source: src, Op: Above, Threshold: 1}
	mutate := func(f func(*Rule)) []Rule { r := good; f(&r); return []Rule{r} }
	cases := map[string][]Rule{
		"empty name":         mutate(func(r *Rule) { r.Name = "" }),
		"bad kind":           mutate(func(r *Rule) { r.Kind = "urgent" }),
		"bad op":             mutate(func(r *Rule) { r.Op = ">=" }),
		"no source":          mutate(func(r *Rule) { r.Source = nil }),
		"NaN threshold":      mutate(func(r *Rule) { r.Threshold = math.NaN() }),
		"infinite threshold": mutate(func(r *Rule) { r.Threshold = math.Inf(1) }),
		"negative for":       mutate(func(r *Rule) { r.For = -time.Second }),
		"negative clear_for": mutate(func(r *Rule) { r.ClearFor = -time.Second }),
		"scalable below":     mutate(func(r *Rule) { r.Op, r.Scalable = Below, true }),
		"duplicate name":     {good, good},
	}
	for name, rules := range cases {
		if _, err := NewSet(rules); !errors.Is(err, ErrInvalidRule) {
			t.Errorf("%s: err = %v, want ErrInvalidRule", name, err)
		}
	}
	if _, err := NewSet([]Rule{good}); err != nil {
		t.Fatalf("good rule refused: %v", err)
	}
}

// twoRules returns a set of an immediate latency rule and a warning cache
// rule with their scripted sources.
func twoRules(t *testing.T) (*Set, *scripted, *scripted) {
	t.Helper()
	lat, hit := &scripted{}, &scripted{}
	set, err := NewSet([]Rule{
		{Name: "latency", Kind: Immediate, Source: lat, Op: Above, Threshold: 5000, Unit: "ms",
			For: time.Minute, ClearFor: time.Minute, Scalable: true},
		{Name: "cache_hit", Kind: Warning, Source: hit, Op: Below, Threshold: 0.5},
	})
	if err != nil {
		t.Fatal(err)
	}
	return set, lat, hit
}

func TestStatusAndEvidence(t *testing.T) {
	set, lat, hit := twoRules(t)
	st := set.Status()
	if len(st) != 2 || st[0].State != Inactive || st[0].Detail != "not evaluated yet" || st[0].Threshold != 5000 {
		t.Fatalf("initial status %+v", st)
	}

	lat.set(signal.Reading{Value: 3000, Valid: true, Unit: "ms", Detail: "60s window, 143 requests"})
	hit.set(signal.Reading{Unit: "ratio", Detail: "3 lookups", Err: errors.New("boom")})
	trs := set.Evaluate(context.Background(), t0, 0.5)
	if len(trs) != 1 || trs[0].Trigger != "latency" || trs[0].To != Pending {
		t.Fatalf("transitions %+v", trs)
	}
	e := trs[0].Evidence
	want := Evidence{Trigger: "latency", Kind: "immediate", State: Pending, Value: 3000, Threshold: 2500,
		Scale: 0.5, Op: ">", Unit: "ms", Valid: true, Detail: "60s window, 143 requests",
		Since: t0, BadSince: t0, Onset: t0, At: t0, For: time.Minute, ClearFor: time.Minute}
	if e != want {
		t.Fatalf("evidence\n got %+v\nwant %+v", e, want)
	}
	cache := set.Status()[1]
	if cache.Valid || cache.Unit != "ratio" || cache.Error != "boom" || cache.Scale != 0 || !cache.At.Equal(t0) {
		t.Fatalf("invalid reading evidence %+v", cache)
	}
}

func TestEvidenceJSON(t *testing.T) {
	data, err := json.Marshal(Transition{Evidence: Evidence{Trigger: "x"}, From: Pending, To: Firing})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"trigger"`, `"clear_for"`, `"bad_since"`, `"from":"pending"`, `"to":"firing"`, `"threshold"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON %s lacks %s", data, key)
		}
	}
	if strings.Contains(string(data), `"scale"`) || strings.Contains(string(data), `"error"`) {
		t.Errorf("JSON %s shows empty optional fields", data)
	}
}

func TestFiringAndFirstBad(t *testing.T) {
	set, lat, hit := twoRules(t)
	ctx := context.Background()
	lat.set(val(6000))
	hit.set(val(0.9))
	set.Evaluate(ctx, t0, 1)
	if got := set.FirstBad("latency"); !got.Equal(t0) {
		t.Fatalf("FirstBad while pending = %s", got)
	}
	if len(set.Firing(Immediate)) != 0 {
		t.Fatal("pending counted as firing")
	}
	trs := set.Evaluate(ctx, t0.Add(time.Minute), 1)
	if len(trs) != 1 || !trs[0].Fired() || trs[0].Cleared() {
		t.Fatalf("want a fired transition, got %+v", trs)
	}
	// Detection time: first bad reading to firing.
	if d := trs[0].Since.Sub(set.FirstBad("latency")); d != time.Minute {
		t.Fatalf("detection time %s", d)
	}

	lat.set(val(100))
	trs = set.Evaluate(ctx, t0.Add(75*time.Second), 1)
	if len(trs) != 1 || trs[0].To != Resolving || trs[0].Fired() || trs[0].Cleared() {
		t.Fatalf("want resolving, got %+v", trs)
	}
	if f := set.Firing(Immediate); len(f) != 1 || f[0].State != Resolving {
		t.Fatalf("resolving is still firing: %+v", f)
	}
	if len(set.Firing(Warning)) != 0 {
		t.Fatal("warning firing")
	}
	if !set.FirstBad("latency").Equal(t0) {
		t.Fatal("bad streak forgotten while resolving")
	}

	lat.set(val(6000))
	trs = set.Evaluate(ctx, t0.Add(90*time.Second), 1)
	if len(trs) != 1 || trs[0].To != Firing || trs[0].Fired() {
		t.Fatalf("resolving -> firing is not a new firing: %+v", trs)
	}
	lat.set(val(100))
	set.Evaluate(ctx, t0.Add(105*time.Second), 1)
	trs = set.Evaluate(ctx, t0.Add(165*time.Second), 1)
	if len(trs) != 1 || !trs[0].Cleared() {
		t.Fatalf("want cleared, got %+v", trs)
	}
	if !set.FirstBad("latency").IsZero() || !set.FirstBad("nope").IsZero() {
		t.Fatal("FirstBad not zero after clearing")
	}
}

func TestTransitionsInRuleOrder(t *testing.T) {
	set, lat, hit := twoRules(t)
	set.rules[0].For = 0
	lat.set(val(9000))
	hit.set(val(0.1))
	trs := set.Evaluate(context.Background(), t0, 1)
	if len(trs) != 2 || trs[0].Trigger != "latency" || trs[1].Trigger != "cache_hit" {
		t.Fatalf("transitions %+v", trs)
	}
}

func TestConcurrentEvaluateAndStatus(t *testing.T) {
	set, lat, hit := twoRules(t)
	lat.set(val(9000))
	hit.set(val(0.1))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			set.Evaluate(context.Background(), t0.Add(time.Duration(i)*2*time.Second), 1)
		}
	}()
	for range 50 {
		set.Status()
		set.Firing(Warning)
		set.FirstBad("latency")
	}
	<-done
	if len(set.Firing(Immediate)) != 1 {
		t.Fatal("latency did not fire")
	}
}

func TestResetForgetsStates(t *testing.T) {
	src := &scripted{}
	s, err := NewSet([]Rule{{Name: "r", Kind: Immediate, Source: src, Op: Above, Threshold: 1, ClearFor: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	src.set(signal.Reading{Value: 5, Valid: true})
	s.Evaluate(context.Background(), time.Unix(100, 0), 1)
	if len(s.Firing(Immediate)) != 1 {
		t.Fatal("trigger should fire on a bad reading with For 0")
	}
	s.Reset()
	if got := s.Status()[0]; got.State != Inactive || len(s.Firing(Immediate)) != 0 {
		t.Fatalf("after Reset: %+v, want inactive", got)
	}
}

package fact_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// An engine's own value, as trigger.Evidence travels in the events.
type reading struct {
	Trigger  string    `json:"trigger"`
	Value    float64   `json:"value"`
	BadSince time.Time `json:"bad_since"`
}

var since = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// Each fact's event has the kind and the JSON fields the engines emitted
// before facts had types, written here as they were.
func TestEventJSONKeepsItsShape(t *testing.T) {
	ev := reading{Trigger: "error_rate", Value: 0.5, BadSince: since}
	for _, c := range []struct {
		f    fact.Fact
		kind string
		want string
	}{
		{fact.LevelChanged{From: fact.L0, To: fact.L3, Reason: "why", Evidence: []reading{ev}, Primary: "p", Fallback: "f"},
			"level.changed", `{"evidence":[{"trigger":"error_rate","value":0.5,"bad_since":"2025-03-01T12:00:00Z"}],"fallback":"f","from":"L0","primary":"p","reason":"why","to":"L3"}`},
		{fact.TriggerFired{Evidence: ev, Paused: true}, "trigger.fired",
			`{"evidence":{"trigger":"error_rate","value":0.5,"bad_since":"2025-03-01T12:00:00Z"},"paused":true}`},
		{fact.TriggerCleared{Evidence: ev}, "trigger.cleared", `{"evidence":{"trigger":"error_rate","value":0.5,"bad_since":"2025-03-01T12:00:00Z"}}`},
		{fact.ActionRan{Result: map[string]any{"name": "a", "ok": true}}, "action.ran", `{"result":{"name":"a","ok":true}}`},
		{fact.ActionFailed{Result: map[string]any{"name": "a", "ok": false}}, "action.failed", `{"result":{"name":"a","ok":false}}`},
		{fact.FallbackVerified{}, "rollback.fallback_verified", `{}`},
		{fact.FallbackUnhealthy{Error: "boom"}, "rollback.fallback_unhealthy", `{"error":"boom"}`},
		{fact.RollbackResult{Verdict: fact.RollbackSuccessful, Triggers: []reading{}}, "rollback.result", `{"triggers":[]}`},
		{fact.RollbackResult{Verdict: fact.RollbackFailed, Triggers: []reading(nil), Error: "500"}, "rollback.result", `{"error":"500","triggers":null}`},
		{fact.RestoreWaiting{}, "restore.waiting", `{}`},
		{fact.RestoreStep{Step: 2, Weight: 50, Hold: "1m0s"}, "restore.step", `{"hold":"1m0s","step":2,"weight":50}`},
		{fact.RestoreFailed{Reason: "r", Triggers: []reading(nil)}, "restore.failed", `{"reason":"r","triggers":null}`},
		{fact.RestoreCompleted{}, "restore.completed", `{}`},
		{fact.Decision{}, "level.decision", `{}`},
		{fact.RouteDecision{Mode: "fallback", PrimaryWeight: 0}, "level.decision", `{"mode":"fallback","primary_weight":0}`},
		{fact.StartDecision{PrimaryUp: true}, "level.decision", `{"primary_up":true}`},
		{fact.Control{By: "carol", Command: "pause", Overrode: ""}, "level.control", `{"by":"carol","command":"pause","overrode":""}`},
		{fact.StateSaveFailed{}, "level.state_save_failed", `{}`},
		{fact.ForeignState{FoundLevel: fact.L2, FoundPhase: "hold", FoundSince: since, FoundPrimary: "a", FoundFallback: "b", Primary: "c", Fallback: "d"},
			"level.foreign_state", `{"fallback":"d","found_fallback":"b","found_level":"L2","found_phase":"hold","found_primary":"a","found_since":"2025-03-01T12:00:00Z","primary":"c"}`},
		{fact.Acked{By: "dan"}, "incident.acked", `{"by":"dan"}`},
		{fact.Ticked{Checklist: "c", Item: "i", Position: 3, By: "dan"}, "incident.ticked", `{"by":"dan","checklist":"c","item":"i","position":3}`},
		{fact.Artifact{Name: "redis", Location: "/tmp/x"}, "incident.artifact", `{"location":"/tmp/x","name":"redis"}`},
		{fact.Closed{By: "automation", Reason: "stale"}, "incident.closed", `{"by":"automation","reason":"stale"}`},
		{fact.NotifySent{Delivery: delivery}, "notify.sent", `{"action":"trigger","attempts":1,"incident":"INC-1","notifier":"slack","repeat":false,"tier":"primary"}`},
		{fact.NotifyFailed{Delivery: delivery, Error: "410"}, "notify.failed", `{"action":"trigger","attempts":1,"error":"410","incident":"INC-1","notifier":"slack","repeat":false,"tier":"primary"}`},
		{fact.HealthChanged{Upstream: "primary", From: "up", To: "down", Reason: "timeout", StatusCode: 0}, "health.changed",
			`{"from":"up","reason":"timeout","status_code":0,"to":"down","upstream":"primary"}`},
		{fact.BreakerChanged{From: "closed", To: "open", ConsecutiveFailures: 5, OpenFor: "30s"}, "breaker.changed",
			`{"consecutive_failures":5,"from":"closed","open_for":"30s","to":"open"}`},
		{fact.RoutingChanged{From: "primary", To: "fallback", PrimaryWeight: 0}, "routing.changed", `{"from":"primary","primary_weight":0,"to":"fallback"}`},
		{fact.FaultSet{By: "drill", Until: since}, "fault.set", `{"by":"drill","until":"2025-03-01T12:00:00Z"}`},
	} {
		e := event.Of(since, "test", event.Info, "msg", c.f)
		raw, err := json.Marshal(e.Fields)
		if err != nil || e.Kind != c.kind || string(raw) != c.want {
			t.Errorf("%T: kind %q fields %s (%v)\nwant kind %q fields %s", c.f, e.Kind, raw, err, c.kind, c.want)
		}
	}
}

var delivery = fact.Delivery{Notifier: "slack", Tier: "primary", Action: "trigger", Attempts: 1, Incident: "INC-1"}

// A level name is a plain string in the fields, as readers of the
// fields have always compared it.
func TestFieldsKeepStringsPlain(t *testing.T) {
	f := fact.Fields(fact.LevelChanged{From: fact.L0, To: fact.L1})
	if f["to"] != "L1" {
		t.Fatalf("to = %#v, want the plain string L1", f["to"])
	}
}

// What an event carries decodes back to the fact it came from, whether
// its fields are the emitters' values or read back from JSON.
func TestDecodeReadsBothShapes(t *testing.T) {
	ev := reading{Trigger: "latency", BadSince: since}
	for _, f := range []fact.Fact{
		fact.LevelChanged{From: fact.L0, To: fact.L3, Evidence: []reading{ev}},
		fact.RollbackResult{Verdict: fact.RollbackFailed, Error: "e"},
		fact.RollbackResult{Verdict: fact.RollbackSuccessful},
		fact.RestoreStep{Step: 1, Weight: 10, Hold: "1s"},
		fact.NotifySent{Delivery: delivery},
		fact.StartDecision{PrimaryUp: false},
		fact.RouteDecision{Mode: "split", PrimaryWeight: 10},
		fact.Decision{},
	} {
		live := fact.Fields(f)
		raw, _ := json.Marshal(live)
		var stored map[string]any
		_ = json.Unmarshal(raw, &stored)
		for _, fields := range []map[string]any{live, stored} {
			got, ok := fact.Decode(f.Kind(), fields)
			if !ok || reflect.TypeOf(got) != reflect.TypeOf(f) {
				t.Errorf("Decode(%s) = %#v, %v; want a %T", f.Kind(), got, ok, f)
			}
		}
	}
	lc, _ := fact.Decode(fact.KindLevelChanged, map[string]any{"from": "L0", "to": "L3", "evidence": []any{map[string]any{"trigger": "latency", "bad_since": "2025-03-01T12:00:00Z"}}})
	if r := lc.(fact.LevelChanged).FirstReading(); r.Trigger != "latency" || !r.BadSince.Equal(since) || !lc.(fact.LevelChanged).Opens() {
		t.Errorf("first reading %+v of %+v", r, lc)
	}
	rr, _ := fact.Decode(fact.KindRollback, map[string]any{"error": "e"})
	if rr.(fact.RollbackResult).Succeeded() {
		t.Error("a rollback result with an error decoded as successful")
	}
	if _, ok := fact.Decode("journal.replayed", nil); ok {
		t.Error("a kind without a fact decoded")
	}
}

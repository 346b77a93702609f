package drill

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/load"
	"github.com/lifeboat-sre/lifeboat/internal/message"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// The drill's fault is the simulators' fault, field for field.
func TestFaultConvertsToTheSimulators(t *testing.T) {
	f := Fault{LatencyMS: 1, JitterMS: 2, ErrorRate: 0.5, ErrorStatus: 502, Down: true, Hang: true,
		CorruptSearch: true, CPUPercent: 3, MemoryPercent: 4, DurationMS: 5}
	s := sim.Fault(f)
	if s.LatencyMS != 1 || s.ErrorStatus != 502 || !s.CorruptSearch || s.MemoryPercent != 4 || s.DurationMS != 5 {
		t.Fatalf("converted %+v", s)
	}
	for f, want := range map[Fault]string{
		{}:                                  "no fault",
		{Down: true}:                        "outage (connections refused)",
		{ErrorRate: 0.5}:                    "50% errors (HTTP 503)",
		{LatencyMS: 600, JitterMS: 5}:       "latency 600ms ±5ms",
		{CPUPercent: 95, MemoryPercent: 90}: "CPU 95%, memory 90%",
	} {
		if got := f.String(); got != want {
			t.Errorf("%+v reads %q, want %q", f, got, want)
		}
	}
}

func TestLookupNamesTheScenarios(t *testing.T) {
	if sc, err := Lookup("error_spike"); err != nil || sc.Fault.ErrorRate != 0.5 || sc.Fault.ErrorStatus != 503 {
		t.Fatalf("error_spike: %+v, %v", sc, err)
	}
	_, err := Lookup("flood")
	if !errors.Is(err, ErrScenario) || !strings.Contains(err.Error(), "performance_degradation, outage, error_spike") {
		t.Fatalf("unknown scenario: %v", err)
	}
}

// Each of the gateway's events is narrated once, however many polls of
// /status show it, and only if it happened since the drill started.
func TestEventFeedNarratesEachEventOnce(t *testing.T) {
	t0 := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	ev := func(s int, kind, msg string) event.Event {
		return event.Event{Time: t0.Add(time.Duration(s) * time.Second), Kind: kind, Message: msg, Severity: event.Info}
	}
	f := newEventFeed(t0)
	first := f.next([]event.Event{ev(-1, "level.changed", "old"), ev(1, "level.changed", "L0 -> L3"), ev(2, "level.state_save_failed", "disk")})
	second := f.next([]event.Event{ev(1, "level.changed", "L0 -> L3"), ev(3, "notify.sent", "alert sent"), ev(2, "routing.changed", "late")})
	if len(first) != 1 || first[0].Tag != "level" || first[0].Text != "L0 -> L3" {
		t.Fatalf("first poll: %+v", first)
	}
	if len(second) != 2 || second[0].Tag != "alert" || second[1].Tag != "routing" || !second[1].At.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("second poll: %+v", second)
	}
	if _, ok := f.seen[eventKey(ev(1, "level.changed", "L0 -> L3"))]; !ok {
		t.Fatal("an event still in the ring was forgotten")
	}
	f.next([]event.Event{ev(3, "notify.sent", "alert sent")})
	if len(f.seen) != 1 {
		t.Fatalf("keys older than the ring are kept: %d", len(f.seen))
	}
}

func TestGuardActsOnlyOnLastingHarm(t *testing.T) {
	t0 := time.Now()
	g := guardState{g: Guard{MaxFallbackErrorRate: 0.2, For: 5 * time.Second}}
	var st gatewayStatus
	st.Routing.Mode = "fallback"
	st.Upstreams = map[string]upstreamStatus{"fallback": {State: "down"}}
	if why := g.check(st, t0); why != "" {
		t.Fatalf("aborted at once: %s", why)
	}
	if why := g.check(st, t0.Add(5*time.Second)); !strings.Contains(why, "health checks say down for 5s") {
		t.Fatalf("after 5s down: %q", why)
	}
	st.Upstreams["fallback"] = upstreamStatus{State: "up"}
	if why := g.check(st, t0.Add(6*time.Second)); why != "" || !g.badSince.IsZero() {
		t.Fatalf("recovered fallback: %q", why)
	}
	st.Upstreams["fallback"] = upstreamStatus{State: "up", Traffic: &trafficStatus{Requests: 100, ErrorRate: 0.5, Enough: true}}
	g.check(st, t0.Add(7*time.Second))
	if why := g.check(st, t0.Add(12*time.Second)); !strings.Contains(why, "fails 50% of its requests (limit 20%)") {
		t.Fatalf("failing fallback: %q", why)
	}
	st.Routing.Mode = "primary"
	if why := g.check(st, t0.Add(20*time.Second)); why != "" {
		t.Fatalf("errors of a fallback without traffic: %q", why)
	}
	g.g.Off = true
	st.Upstreams["fallback"] = upstreamStatus{State: "down"}
	if why := g.check(st, t0.Add(99*time.Second)); why != "" {
		t.Fatalf("guard off: %q", why)
	}
}

func TestClientViewNarratesChangesOnly(t *testing.T) {
	var got []string
	c := clientView{note: func(n Note) { got = append(got, n.Severity+": "+n.Text) }}
	for _, s := range []load.Snapshot{{Requests: 100}, {Requests: 200, Failed: 3}, {Requests: 300, Failed: 90}, {Requests: 400, Failed: 90}, {Requests: 500, Failed: 90}} {
		c.observe(s)
	}
	want := []string{"warning: requests failing: 3 of 100 in the last second", "info: every request succeeding again (100 in the last second)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("narrated %q, want %q", got, want)
	}
}

// Client downtime counts the seconds of load that saw any failure.
func TestClientDowntimeCountsFailingSeconds(t *testing.T) {
	secs := make([]load.Second, 40)
	for i := range secs {
		secs[i] = load.Second{Requests: 10}
		if i >= 5 && i < 36 {
			secs[i].Failed = 1
		}
	}
	m := clientDowntime(load.Result{Total: 400, Seconds: secs, Status: map[int]int64{200: 369, 404: 20, 502: 3},
		Errors: map[load.ErrorClass]int64{"connect_refused": 8}})
	if m.Value != 31 || m.Pass || m.Status != incident.StatusFail || m.Text != "31s (31 of 40 seconds saw failures)" {
		t.Fatalf("31 failing seconds: %+v", m)
	}
	if m.Note != "failed requests by answer: 404 ×20, connect_refused ×8, 502 ×3" {
		t.Fatalf("note %q", m.Note)
	}
	if m := clientDowntime(load.Result{}); m.Measured || m.Status != incident.StatusUnmeasured {
		t.Fatalf("no load: %+v", m)
	}
}

// A drill that opened no incident misses every stage it needed, while
// figures it could not measure do not fail it.
func TestPassedJudgesStagesAndMeasuredFigures(t *testing.T) {
	res := Result{Figures: figures(incident.Incident{}, false, load.Result{}, lossCheck{note: "no sessions API"}, false)}
	if res.Passed() || len(res.Missed()) != 4 {
		t.Fatalf("no incident: passed %v, missed %+v", res.Passed(), res.Missed())
	}
	ok := func(name string) incident.Metric {
		return incident.Metric{Name: name, Measured: true, Pass: true, Status: incident.StatusPass}
	}
	res.Figures = []incident.Metric{ok("detection"), {Name: "data_loss", Status: incident.StatusUnmeasured}}
	if !res.Passed() {
		t.Fatalf("an unmeasured figure failed the drill: %+v", res.Missed())
	}
	res.Aborted = "the fallback is down"
	if res.Passed() {
		t.Fatal("an aborted drill passed")
	}
}

func TestSleepEndsWithItsDurationOrContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if err := sleep(t.Context(), 3*time.Second); err != nil || time.Since(start) != 3*time.Second {
			t.Fatalf("sleep: %v after %s", err, time.Since(start))
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if err := sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 4*time.Second {
			t.Fatalf("cancelled sleep: %v after %s", err, time.Since(start))
		}
	})
}

func TestNewIDSortsByTime(t *testing.T) {
	a := newID(time.Date(2026, 2, 3, 14, 0, 0, 5e6, time.UTC))
	b := newID(time.Date(2026, 2, 3, 14, 0, 1, 0, time.UTC))
	if a != "drill-20260203-140000.005" || a >= b {
		t.Fatalf("ids %s, %s", a, b)
	}
}

// A session read back must hold the acknowledged writes exactly: a
// duplicate or a reordering is caught even when nothing is missing.
func TestMismatchComparesContentAndOrder(t *testing.T) {
	w := []load.Write{{Content: "a"}, {Content: "b"}}
	msgs := func(c ...string) session {
		s := session{Messages: []message.Message{}}
		for _, x := range c {
			s.Messages = append(s.Messages, message.Message{Role: "user", Parts: []message.Part{{"type": "text", "text": x}}})
		}
		return s
	}
	cases := []struct {
		s    session
		want bool
	}{
		{msgs("a", "b"), true}, {msgs("a", "b", "b"), false}, {msgs("b", "a"), false}, {msgs("a"), false},
		{session{Count: 2}, true}, {session{Count: 1}, false},
	}
	// A field the primary did not keep is caught too.
	sent := []load.Write{{Content: "a", Message: []byte(`{"role":"user","turn_id":"t1","parts":[{"type":"text","text":"a"}]}`)}}
	if d, _ := mismatch(msgs("a"), sent, nil); !strings.Contains(d, "turn_id") {
		t.Errorf("a lost turn_id is not reported: %q", d)
	}
	kept := msgs("a")
	t1 := "t1"
	kept.Messages[0].TurnID = &t1
	if d, _ := mismatch(kept, sent, nil); d != "" {
		t.Errorf("every field kept, yet: %q", d)
	}
	for _, c := range cases {
		if d, _ := mismatch(c.s, w, nil); (d == "") != c.want {
			t.Errorf("mismatch(%+v) = %q, want exact %v", c.s, d, c.want)
		}
		if c.want && missing(c.s, true, w) != 0 {
			t.Errorf("an exact session %+v reports missing writes", c.s)
		}
	}
	// A write sent without an acknowledgement may be there, once, in any
	// place; twice is a duplicate.
	maybe := map[string]bool{"x": true}
	if d, extra := mismatch(msgs("a", "x", "b"), w, maybe); d != "" || extra != 1 {
		t.Errorf("an unacknowledged write that landed: %q, %d extra; want exact with 1", d, extra)
	}
	if d, _ := mismatch(msgs("a", "x", "b", "x"), w, maybe); d == "" {
		t.Error("an unacknowledged write that landed twice passed")
	}
}

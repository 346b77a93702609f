package lab

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Timings compress the plan's timeline for a Lab: the same levels,
// triggers and restore steps, with seconds where the plan has minutes.
// Every field is required; DemoTimings and TestTimings are the two in use.
type Timings struct {
	// Health is the active checks' interval; they run twice as often while
	// a state is changing, and time out after HealthTimeout, which must
	// exceed the performance drill's latency so slow is not taken for down.
	Health, HealthTimeout time.Duration
	// Bucket is the width of one of the 20 buckets of the statistics
	// window that traffic triggers read.
	Bucket time.Duration
	// Evaluate is how often the engine evaluates its triggers.
	Evaluate time.Duration
	// L1Window, L3After and Settle are the plan's 5, 15 and 2 minutes.
	L1Window, L3After, Settle time.Duration
	// TriggerFor is the "for" of the latency, error and resource triggers
	// (the plan's 5 s, 2 s and 5 min), and ClearFor every trigger's
	// "clear_for".
	TriggerFor, ClearFor time.Duration
	// HoldDown is how long the primary must stay healthy before the
	// restore; StepHold is each of its five steps (10, 25, 50, 75, 100 %).
	HoldDown, StepHold time.Duration
	// History is the interval of the metric history behind downtime.
	History time.Duration
	// Warmup is the steady load before the fault, and Poll how often the
	// drill reads the gateway.
	Warmup, Poll time.Duration
	// Outage is the default fault duration of drills in the lab.
	Outage time.Duration
}

// DemoTimings tell the story of `lifeboat demo` in well under a minute
// while leaving each step long enough to read.
func DemoTimings() Timings {
	return Timings{
		Health: 100 * time.Millisecond, HealthTimeout: time.Second, Bucket: 250 * time.Millisecond,
		Evaluate: 100 * time.Millisecond, L1Window: 5 * time.Second, L3After: 15 * time.Second, Settle: 5 * time.Second,
		TriggerFor: time.Second, ClearFor: 2 * time.Second, HoldDown: 3 * time.Second, StepHold: 1500 * time.Millisecond,
		History: 250 * time.Millisecond, Warmup: 3 * time.Second, Poll: 100 * time.Millisecond, Outage: 8 * time.Second,
	}
}

// TestTimings are as short as the machinery allows, for the tests.
func TestTimings() Timings {
	return Timings{
		Health: 50 * time.Millisecond, HealthTimeout: time.Second, Bucket: 100 * time.Millisecond,
		Evaluate: 50 * time.Millisecond, L1Window: 2 * time.Second, L3After: 4 * time.Second, Settle: time.Second,
		TriggerFor: 300 * time.Millisecond, ClearFor: 500 * time.Millisecond, HoldDown: time.Second, StepHold: 400 * time.Millisecond,
		History: 100 * time.Millisecond, Warmup: time.Second, Poll: 50 * time.Millisecond, Outage: 2 * time.Second,
	}
}

// labLatencyThreshold is the lab's response_time threshold in ms, the
// plan's 5000 ms scaled down with the performance drill's latency.
const labLatencyThreshold = 250

// Config is the gateway configuration of a lab in front of the two
// simulators: the plan's defaults with these timings, an integrity
// trigger on the simulators' canary, and dataDir for state.
func (t Timings) Config(primaryURL, fallbackURL, dataDir string) config.Config {
	c := config.Default()
	c.Listen = "127.0.0.1:0"
	c.Upstreams.Primary.URL, c.Upstreams.Fallback.URL = primaryURL, fallbackURL
	for _, h := range []*config.HealthCheck{&c.Upstreams.Primary.Health, &c.Upstreams.Fallback.Health} {
		h.Interval, h.FastInterval, h.Timeout = t.Health, t.Health/2, t.HealthTimeout
	}
	c.Stats = stats.WindowSettings{Buckets: 20, BucketWidth: t.Bucket, MinVolume: 10}
	c.Breaker.RecoveryTimeout, c.Breaker.MaxRecoveryTimeout = t.StepHold, 2*t.StepHold
	c.Queue.Timeout = 10 * t.StepHold
	c.Triggers = t.triggers()
	c.Incidents.HistoryInterval, c.Incidents.HistoryRetention = t.History, time.Hour
	t.escalation(&c.Escalation, dataDir)
	return c
}

func (t Timings) escalation(e *config.Escalation, dataDir string) {
	e.DataDir, e.EvaluateEvery = dataDir, t.Evaluate
	e.L1Window, e.L3After, e.Settle = t.L1Window, t.L3After, t.Settle
	e.Restore.HoldDown = t.HoldDown
	for i := range e.Restore.Steps {
		e.Restore.Steps[i].Hold = t.StepHold
	}
	// The plan's Level 1 calls, with the breaker's and the queue's
	// timeouts scaled like everything else.
	for _, a := range e.Actions.L1 {
		switch a.Builtin {
		case "enable_breaker":
			a.Params["recovery_timeout"] = max(1, int(t.StepHold/time.Second))
		case "enable_queue":
			a.Params["timeout_ms"] = int(10 * t.StepHold / time.Millisecond)
		}
	}
}

// triggers are the plan's defaults on this timeline, the latency one
// scaled down, and the integrity check the plan asks for.
func (t Timings) triggers() []config.Trigger {
	list := config.DefaultTriggers()
	for i := range list {
		tr := &list[i]
		tr.ClearFor = t.ClearFor
		if tr.For > 0 {
			tr.For = t.TriggerFor
		}
		if tr.Name == "response_time" {
			tr.Threshold = labLatencyThreshold
		}
	}
	return append(list, IntegrityTrigger(t.ClearFor))
}

// IntegrityTrigger is the plan's "any data-integrity failure" as a
// functional probe: the canary query must find the canary document on the
// primary. The data_corruption drill needs it (or one like it).
func IntegrityTrigger(clearFor time.Duration) config.Trigger {
	return config.Trigger{
		Name: "search_integrity", Kind: "immediate", Op: ">", Threshold: 0, ClearFor: clearFor,
		Signal: config.Signal{Type: "functional_probe", Probe: config.Probe{
			Method: "POST", Path: "/api/v1/search/find", Body: fmt.Sprintf(`{"query":%q}`, signal.CanaryQuery),
			ExpectStatus: []int{200}, Expect: config.Expect{Path: "result.resources[].uri", Contains: signal.CanaryURI},
		}},
	}
}

// FaultFor sizes a scenario's fault for a lab's thresholds: the latency
// drill runs at 600 ms against the lab's 250 ms instead of 6 s against
// 5000 ms. The other faults need no scaling.
func FaultFor(sc drill.Scenario) drill.Fault {
	f := sc.Fault
	if f.LatencyMS > 0 {
		f.LatencyMS, f.JitterMS = 600, 100
	}
	return f
}

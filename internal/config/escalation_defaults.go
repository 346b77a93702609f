package config

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// DefaultEscalation is the plan's escalation: its level windows, its
// Level 1 and Level 2 gateway calls, and a staged restore.
func DefaultEscalation() Escalation {
	return Escalation{
		Enabled:          true,
		DataDir:          "lifeboat-data",
		StartPeriod:      40 * time.Second,
		EvaluateEvery:    500 * time.Millisecond,
		L1Window:         5 * time.Minute,
		L3After:          15 * time.Minute,
		Settle:           2 * time.Minute,
		L2ThresholdScale: 0.5,
		Actions: LevelActions{
			L1: []action.Spec{
				builtin("enable_breaker", map[string]any{"failure_threshold": 5, "recovery_timeout": 30}),
				builtin("resize_cache", map[string]any{"max_size": 2000}),
				builtin("enable_queue", map[string]any{"max_queue_size": 1000, "timeout_ms": 30000}),
			},
			L2: []action.Spec{
				builtin("aggressive_cache", map[string]any{"cache_ttl_seconds": 3600, "force_cache": true}),
			},
			Normal: []action.Spec{builtin("restore_defaults", nil)},
		},
		Restore: RestoreConfig{
			HoldDown: 2 * time.Minute,
			Steps: []level.Step{
				{Weight: 10, Hold: time.Minute}, {Weight: 25, Hold: time.Minute}, {Weight: 50, Hold: time.Minute},
				{Weight: 75, Hold: time.Minute}, {Weight: 100, Hold: time.Minute},
			},
			MaxErrorRate:    0.05,
			MaxLatencyRatio: 2,
		},
		Verify: Verify{FallbackProbe: Probe{
			Method: "POST", Path: "/query/data",
			Body:         `{"query":"lifeboat fallback probe","mode":"naive","top_k":1}`,
			ExpectStatus: []int{200},
		}, GatewayProbe: Probe{
			Method: "POST", Path: "/api/v1/search/find",
			Body:         `{"query":"lifeboat gateway probe","limit":1}`,
			ExpectStatus: []int{200},
			Expect:       Expect{Path: "status", Contains: "ok"},
		}},
	}
}

func builtin(name string, params map[string]any) action.Spec {
	return action.Spec{Name: name, Type: action.TypeBuiltin, Builtin: name, Params: params}
}

package config

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// Escalation configures the automatic walk through the plan's levels.
type Escalation struct {
	// Enabled runs the level engine. Default true.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// DryRun evaluates and records every decision without moving traffic
	// or running actions. Default false.
	DryRun bool `yaml:"dry_run" json:"dry_run"`
	// DataDir holds the level state (and, later, incidents) so they
	// survive a restart. Default "lifeboat-data".
	DataDir string `yaml:"data_dir" json:"data_dir"`
	// StartPeriod is how long after the gateway starts a primary that has
	// not been seen healthy yet is left to start: traffic goes around it,
	// but no trigger fires, no incident opens and no action runs. Seeing
	// it healthy once ends the period early; after it, a primary that
	// never came up is an outage like any other. 0 turns it off. Default
	// 40s, the start period of the plan's compose health check.
	StartPeriod time.Duration `yaml:"start_period" json:"start_period"`
	// EvaluateEvery is how often triggers are evaluated. Default 500ms.
	EvaluateEvery time.Duration `yaml:"evaluate_every" json:"evaluate_every"`
	// L1Window is how long an issue may last at Level 1 before Level 2
	// (the plan's first 5 minutes). Default 5m.
	L1Window time.Duration `yaml:"l1_window" json:"l1_window"`
	// L3After is how long an issue may last before Level 3 (the plan's
	// 15 minutes). Default 15m.
	L3After time.Duration `yaml:"l3_after" json:"l3_after"`
	// Settle is how long Level 1 or 2 must go without a firing trigger
	// before returning to Level 0. Default 2m.
	Settle time.Duration `yaml:"settle" json:"settle"`
	// L2ThresholdScale multiplies scalable trigger thresholds at Level 2
	// (the plan lowers alert thresholds by 50%). Default 0.5.
	L2ThresholdScale float64 `yaml:"l2_threshold_scale" json:"l2_threshold_scale"`
	// Actions run on entering each level. Default: the plan's Level 1 and
	// Level 2 gateway calls as built-ins; none external.
	Actions LevelActions `yaml:"actions" json:"actions,omitempty"`
	// Restore is the staged return to the primary after Level 3.
	Restore RestoreConfig `yaml:"restore" json:"restore"`
	// Verify configures the checks made before and after moving traffic.
	Verify Verify `yaml:"verify" json:"verify"`
}

// LevelActions lists the actions of each level. An action is action.Spec,
// which states each field's default; its header values are secrets.
type LevelActions struct {
	// L1 default: enable_breaker {failure_threshold 5, recovery_timeout 30},
	// resize_cache {max_size 2000}, enable_queue {max_queue_size 1000,
	// timeout_ms 30000}.
	L1 []action.Spec `yaml:"l1" json:"l1"`
	// L2 default: aggressive_cache {cache_ttl_seconds 3600, force_cache
	// true}. Routing to backup mode is done by the engine itself.
	L2 []action.Spec `yaml:"l2" json:"l2"`
	// L3 runs after the fallback is verified and traffic moved (the plan's
	// "stop OpenViking" and load balancer commands). Default none.
	L3 []action.Spec `yaml:"l3" json:"l3"`
	// Normal runs on returning to Level 0. Default restore_defaults, which
	// puts breaker, cache and queue back as configured.
	Normal []action.Spec `yaml:"normal" json:"normal"`
}

// RestoreConfig configures the staged restore.
type RestoreConfig struct {
	// HoldDown is how long the primary must stay healthy before traffic
	// steps back. Default 2m.
	HoldDown time.Duration `yaml:"hold_down" json:"hold_down"`
	// RequireAck makes a person approve the restore. Default false.
	RequireAck bool `yaml:"require_ack" json:"require_ack"`
	// Steps are the traffic weights toward the primary, each with its hold
	// and the actions run as it begins (see level.Step). Default 10, 25,
	// 50, 75, 100 %, each held 60s, no actions.
	Steps []level.Step `yaml:"steps" json:"steps"`
	// MaxErrorRate is the highest primary error rate a step may show.
	// Default 0.05.
	MaxErrorRate float64 `yaml:"max_error_rate" json:"max_error_rate"`
	// MaxLatencyRatio is the highest ratio of the primary's latency to its
	// learned baseline a step may show. Default 2.
	MaxLatencyRatio float64 `yaml:"max_latency_ratio" json:"max_latency_ratio"`
}

// Verify configures the proofs the engine asks for.
type Verify struct {
	// FallbackProbe is a request sent straight to the fallback before
	// traffic moves to it, and through the gateway after. Default: LightRAG
	// POST /query/data {"query":"lifeboat fallback probe","mode":"naive",
	// "top_k":1} expecting 200.
	FallbackProbe Probe `yaml:"fallback_probe" json:"fallback_probe"`
	// GatewayProbe is a request in OpenViking's API sent through the
	// gateway once traffic is on the fallback: it proves clients are
	// answered there, translation included. Default: POST
	// /api/v1/search/find {"query":"lifeboat gateway probe","limit":1}
	// expecting 200 and an envelope whose status is "ok". With translation
	// disabled, set it to a call the fallback answers as it is.
	GatewayProbe Probe `yaml:"gateway_probe" json:"gateway_probe"`
	// Suite is a verification suite (see lifeboat verify) run through the
	// gateway once traffic is on the fallback, after the gateway probe,
	// and against the primary itself after the journal's replay, before a
	// restore's first step: "openviking" for the built-in suite, a path to
	// a suite file, or "" for none. Each run creates a session and a
	// resource named after the run, on the fallback side and then on the
	// primary. Default "".
	Suite string `yaml:"suite" json:"suite"`
}

// Probe is one HTTP request and what its answer must hold.
type Probe struct {
	// Method is the HTTP method. Default GET.
	Method string `yaml:"method" json:"method"`
	// Path is appended to the upstream's URL. Required.
	Path string `yaml:"path" json:"path"`
	// Body is sent as JSON when set.
	Body string `yaml:"body" json:"body"`
	// Headers are added to the request.
	Headers map[string]Secret `yaml:"headers,omitempty" json:"headers,omitempty"`
	// ExpectStatus lists passing statuses. Default [200].
	ExpectStatus []int `yaml:"expect_status,omitempty" json:"expect_status,omitempty"`
	// Expect is checked against the JSON answer when Path is set.
	Expect Expect `yaml:"expect" json:"expect"`
}

// Expect is a check on a JSON answer: the value at Path (dots, and "[]"
// to look into every element of an array) must contain Contains, or be a
// number of at least Min.
type Expect struct {
	Path     string   `yaml:"path" json:"path"`
	Contains string   `yaml:"contains" json:"contains"`
	Min      *float64 `yaml:"min,omitempty" json:"min,omitempty"`
}

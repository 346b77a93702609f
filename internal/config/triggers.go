package config

import "time"

// Trigger is one rule: a signal compared with a threshold, with hysteresis.
type Trigger struct {
	// Name identifies the trigger in events and status. Required, unique.
	Name string `yaml:"name" json:"name"`
	// Kind is immediate (goes to Level 3) or warning (Level 1). Required.
	Kind string `yaml:"kind" json:"kind"`
	// Signal is where the value comes from. Required.
	Signal Signal `yaml:"signal" json:"signal"`
	// Op is ">" or "<". Default ">".
	Op string `yaml:"op" json:"op"`
	// Threshold is compared with the signal's value in its unit (ms for
	// latency, a 0-1 ratio for rates, percent for resources, 1 for a
	// failed integrity check).
	Threshold float64 `yaml:"threshold" json:"threshold"`
	// For is how long the condition must hold before the trigger fires, so
	// a blip does not. Default 0 (the signal's own minimum volume or
	// consecutive count is the guard).
	For time.Duration `yaml:"for" json:"for"`
	// ClearFor is how long the condition must be false before the trigger
	// clears, so a recovering primary does not flap. Default 30s.
	ClearFor time.Duration `yaml:"clear_for" json:"clear_for"`
	// Scalable lowers the threshold by the Level 2 scale. Default false.
	Scalable bool `yaml:"scalable" json:"scalable"`
}

// Signal selects a source of values. Type decides which other fields apply.
type Signal struct {
	// Type is one of: health_failures (consecutive failed checks of the
	// primary), error_rate, avg_latency (ms), latency_ratio (to the learned
	// baseline), route_error_rate (Route), cache_hit_rate, prom_query (URL,
	// Query), metrics_scrape (URL, Metric, Labels), process (PID,
	// Resource), cgroup (Path, Resource), command (Command: prints a
	// number), redis_ping (Addr, Password), functional_probe (Probe, sent
	// to the primary), command_check (Command: exit status 0 passes).
	Type string `yaml:"type" json:"type"`
	// Route is the route class for route_error_rate.
	Route string `yaml:"route" json:"route"`
	// URL is the Prometheus server (prom_query) or the /metrics endpoint
	// (metrics_scrape; default the primary's /metrics).
	URL string `yaml:"url" json:"url"`
	// Query is a PromQL instant query.
	Query string `yaml:"query" json:"query"`
	// Metric and Labels select one sample of a scraped /metrics.
	Metric string            `yaml:"metric" json:"metric"`
	Labels map[string]string `yaml:"labels,omitempty" json:"labels,omitempty"`
	// PID, Path and Resource (cpu or memory) select a local reading.
	PID      int    `yaml:"pid" json:"pid"`
	Path     string `yaml:"path" json:"path"`
	Resource string `yaml:"resource" json:"resource"`
	// Command is an argv list, never a shell string.
	Command []string `yaml:"command,omitempty" json:"command,omitempty"`
	// Timeout bounds one reading. Default 2s.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// Addr and Password reach Redis for redis_ping.
	Addr     string `yaml:"addr" json:"addr"`
	Password Secret `yaml:"password" json:"password"`
	// Probe is the functional probe's request and expectation.
	Probe Probe `yaml:"probe" json:"probe"`
	// MinLookups is the fewest cache lookups between readings for
	// cache_hit_rate to judge. Default 50.
	MinLookups int `yaml:"min_lookups" json:"min_lookups"`
}

// DefaultTriggers are the plan's triggers that need no site knowledge.
// Integrity probes (a known query that must find a known item, a Redis
// PING) and the cache hit-rate warning need site knowledge or would fire on
// every cache that mostly misses, so the example configuration shows them
// instead of the defaults enabling them.
func DefaultTriggers() []Trigger {
	return []Trigger{
		{Name: "health_checks", Kind: "immediate", Signal: Signal{Type: "health_failures"}, Op: ">", Threshold: 3, ClearFor: 30 * time.Second},
		{Name: "response_time", Kind: "immediate", Signal: Signal{Type: "avg_latency"}, Op: ">", Threshold: 5000,
			For: 5 * time.Second, ClearFor: 60 * time.Second, Scalable: true},
		{Name: "error_rate", Kind: "immediate", Signal: Signal{Type: "error_rate"}, Op: ">", Threshold: 0.20,
			For: 2 * time.Second, ClearFor: 60 * time.Second, Scalable: true},
		{Name: "cpu", Kind: "immediate", Signal: Signal{Type: "metrics_scrape", Metric: "openviking_cpu_usage_percent"},
			Op: ">", Threshold: 90, For: 5 * time.Minute, ClearFor: 60 * time.Second},
		{Name: "memory", Kind: "immediate", Signal: Signal{Type: "metrics_scrape", Metric: "openviking_memory_usage_percent"},
			Op: ">", Threshold: 90, For: 5 * time.Minute, ClearFor: 60 * time.Second},
		{Name: "slow_vs_baseline", Kind: "warning", Signal: Signal{Type: "latency_ratio"}, Op: ">", Threshold: 2,
			For: 30 * time.Second, ClearFor: 60 * time.Second, Scalable: true},
		{Name: "session_failures", Kind: "warning", Signal: Signal{Type: "route_error_rate", Route: "session-create"},
			Op: ">", Threshold: 0.10, For: 10 * time.Second, ClearFor: 60 * time.Second, Scalable: true},
	}
}

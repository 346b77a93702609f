package history

import "time"

// Target names as the gateway records them (see proxy.TargetNames). Client
// is the outcome as clients saw it, whoever served them.
const (
	Primary  = "primary"
	Fallback = "fallback"
	Cache    = "cache"
	Client   = "client"
)

// Sample is what happened during one interval, which ends at Time and
// began Interval earlier.
type Sample struct {
	Time     time.Time     `json:"time"`
	Interval time.Duration `json:"interval_ns"`
	// Targets holds the targets that saw requests during the interval; an
	// idle target is absent (see Target).
	Targets []Figures `json:"targets"`
	// CPU and Memory are the primary's resource use in percent, nil when
	// they could not be read.
	CPU    *float64 `json:"cpu_percent,omitempty"`
	Memory *float64 `json:"memory_percent,omitempty"`
}

// Figures are one target's traffic during one interval.
type Figures struct {
	Target string `json:"target"`
	// Requests counts every request that ended in the interval.
	Requests int64 `json:"requests"`
	// Failures counts server errors, connect errors and timeouts: for the
	// client target, the failures clients saw.
	Failures int64 `json:"failures"`
	// Judged counts the requests that enter the error rate (all but
	// clients that gave up and requests the gateway rejected).
	Judged int64 `json:"judged"`
	// ErrorRate is Failures / Judged in [0, 1]; 0 when nothing was judged.
	ErrorRate float64 `json:"error_rate"`
	// AvgLatency, P95 and P99 are the Source's recent latencies; see the
	// package documentation for the window they cover.
	AvgLatency time.Duration `json:"avg_latency_ns"`
	P95        time.Duration `json:"p95_latency_ns"`
	P99        time.Duration `json:"p99_latency_ns"`
}

// Start returns the beginning of the interval.
func (s Sample) Start() time.Time { return s.Time.Add(-s.Interval) }

// Target returns the named target's figures, zero when it was idle.
func (s Sample) Target(name string) Figures {
	for _, f := range s.Targets {
		if f.Target == name {
			return f
		}
	}
	return Figures{Target: name}
}

// errorRate is failures over judged, 0 when nothing was judged.
func errorRate(failures, judged int64) float64 {
	if judged <= 0 {
		return 0
	}
	return float64(failures) / float64(judged)
}

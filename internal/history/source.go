package history

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Source reports the gateway's figures at one instant. Read is called from
// the Sampler's goroutine only, once per interval.
type Source interface {
	Read(now time.Time) Reading
}

// SourceFunc adapts a function to Source.
type SourceFunc func(now time.Time) Reading

// Read calls f.
func (f SourceFunc) Read(now time.Time) Reading { return f(now) }

// Reading is one instant's figures.
type Reading struct {
	Targets []TargetReading
	// CPU and Memory are the primary's resource use in percent; nil when
	// unknown.
	CPU, Memory *float64
}

// TargetReading is one target's figures at one instant.
type TargetReading struct {
	Name string
	// Totals are lifetime counts. The Sampler stores the difference from
	// the previous reading; counts that go down (a restarted recorder)
	// start over from zero.
	Totals stats.Counts
	// AvgLatency, P95 and P99 describe recent traffic, stored as they are.
	AvgLatency, P95, P99 time.Duration
}

// RecorderSource reads a stats.Recorder: counts from its lifetime totals,
// latencies from its sliding window (an approximation the package
// documentation explains).
type RecorderSource struct {
	// Recorder is read. Required.
	Recorder *stats.Recorder
	// Targets are the upstream names to read. Nil means every upstream.
	Targets []string
	// Routes are the route class indexes summed. Nil means every route.
	Routes []int
	// Resources returns the primary's CPU and memory percent. Nil means
	// samples carry no resource figures; either result may be nil.
	Resources func(now time.Time) (cpu, memory *float64)
}

// Read implements Source.
func (r RecorderSource) Read(now time.Time) Reading {
	names := r.Targets
	if names == nil {
		names = r.Recorder.Upstreams()
	}
	var out Reading
	for _, name := range names {
		up, ok := r.Recorder.UpstreamIndex(name)
		if !ok {
			continue
		}
		win := r.Recorder.Upstream(up, r.Routes, now)
		out.Targets = append(out.Targets, TargetReading{
			Name: name, Totals: r.Recorder.Totals(up, r.Routes),
			AvgLatency: win.AvgLatency, P95: win.P95, P99: win.P99,
		})
	}
	if r.Resources != nil {
		out.CPU, out.Memory = r.Resources(now)
	}
	return out
}

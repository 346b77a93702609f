package signal

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Defaults applied to zero BaselineSettings fields.
const (
	DefaultBaselineInterval   = time.Minute
	DefaultBaselineAlpha      = 0.1
	DefaultBaselineMinSamples = 5
	DefaultBaselineFloor      = 10 * time.Millisecond
)

// BaselineSettings shape how a Baseline learns. The zero value learns one
// sample a minute per route with weight 0.1, trusts a route after 5
// samples and never compares against less than 10ms.
type BaselineSettings struct {
	// Interval is the least time between two samples of one route, so the
	// learning speed does not depend on how often Learn is called. Default 1m.
	Interval time.Duration
	// Alpha is the weight of a new sample in the moving average, in (0, 1].
	// 0.1 means the last ~10 samples dominate. Default 0.1.
	Alpha float64
	// MinSamples is how many samples a route needs before its baseline is
	// used, so one quiet minute is not taken as typical. Default 5.
	MinSamples int
	// Floor is the least baseline LatencyRatio divides by: a route that
	// answers in 2ms from memory would otherwise read "5x" at 10ms.
	// Default 10ms.
	Floor time.Duration
}

// Validate reports every out-of-range field; zero fields mean the default.
func (s BaselineSettings) Validate() error {
	switch {
	case s.Interval < 0:
		return fmt.Errorf("%w: baseline Interval must not be negative, got %s", ErrConfig, s.Interval)
	case math.IsNaN(s.Alpha) || s.Alpha < 0 || s.Alpha > 1:
		return fmt.Errorf("%w: baseline Alpha must be in (0, 1], got %g", ErrConfig, s.Alpha)
	case s.MinSamples < 0:
		return fmt.Errorf("%w: baseline MinSamples must not be negative, got %d", ErrConfig, s.MinSamples)
	case s.Floor < 0:
		return fmt.Errorf("%w: baseline Floor must not be negative, got %s", ErrConfig, s.Floor)
	}
	return nil
}

func (s BaselineSettings) withDefaults() BaselineSettings {
	s.Interval = cmp0(s.Interval, DefaultBaselineInterval)
	s.Alpha = cmp0(s.Alpha, DefaultBaselineAlpha)
	s.MinSamples = cmp0(s.MinSamples, DefaultBaselineMinSamples)
	s.Floor = cmp0(s.Floor, DefaultBaselineFloor)
	return s
}

// cmp0 returns def when v is the zero value.
func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Baseline learns the typical average latency of each key route of one
// upstream, as a moving average of window averages, only while the caller
// says the system is healthy (the engine calls Learn at Level 0). It reads
// any Traffic, so that a cluster's decider learns from the whole fleet's
// requests rather than from the few it serves itself. Its
// learned state is serialisable (MarshalJSON, UnmarshalJSON) so it survives
// restarts. It is safe for concurrent use.
type Baseline struct {
	rec      Traffic
	upstream int
	routes   []int
	names    []string // every route name of the recorder, by index
	settings BaselineSettings

	mu     sync.Mutex
	learnt map[string]*routeBaseline // by route name, for stable persistence
}

// routeBaseline is the learned state of one route.
type routeBaseline struct {
	latency time.Duration
	samples int
	updated time.Time
}

// BaselineRoute is one route's learned baseline, for status pages.
type BaselineRoute struct {
	Route   string        `json:"route"`
	Latency time.Duration `json:"latency"`
	Samples int           `json:"samples"`
	Updated time.Time     `json:"updated"`
	// Ready reports Samples >= MinSamples: the baseline is in use.
	Ready bool `json:"ready"`
}

// NewBaseline learns for upstream across routes (nil means every route).
func NewBaseline(rec Traffic, upstream int, routes []int, s BaselineSettings) (*Baseline, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	b := &Baseline{rec: rec, upstream: upstream, names: rec.Routes(), settings: s.withDefaults(),
		learnt: make(map[string]*routeBaseline)}
	b.routes = routes
	if routes == nil {
		b.routes = allIndices(len(b.names))
	}
	for _, r := range b.routes {
		if r < 0 || r >= len(b.names) {
			return nil, fmt.Errorf("%w: baseline route index %d out of range", ErrConfig, r)
		}
	}
	return b, nil
}

// Learn samples every route whose window holds enough requests and whose
// last sample is at least Interval old. Call it only while the system is
// healthy, or the baseline learns the outage as normal.
func (b *Baseline) Learn(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.routes {
		sum := b.rec.Window(b.upstream, r, now)
		if sum.Enough {
			b.sampleLocked(b.names[r], sum.AvgLatency, now)
		}
	}
}

func (b *Baseline) sampleLocked(name string, avg time.Duration, now time.Time) {
	rb := b.learnt[name]
	switch {
	case rb == nil:
		b.learnt[name] = &routeBaseline{latency: avg, samples: 1, updated: now}
	case now.Sub(rb.updated) >= b.settings.Interval:
		a := b.settings.Alpha
		rb.latency = time.Duration(a*float64(avg) + (1-a)*float64(rb.latency))
		rb.samples++
		rb.updated = now
	}
}

// Value returns the learned baseline of the route with that index, and
// whether it is ready (MinSamples reached).
func (b *Baseline) Value(route int) (time.Duration, bool) {
	if route < 0 || route >= len(b.names) {
		return 0, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	rb := b.learnt[b.names[route]]
	if rb == nil || rb.samples < b.settings.MinSamples {
		return 0, false
	}
	return rb.latency, true
}

// floor is the configured least baseline a ratio divides by.
func (b *Baseline) floor() time.Duration { return b.settings.Floor }

// Snapshot returns every configured route's baseline in route order;
// routes not sampled yet have zero Samples.
func (b *Baseline) Snapshot() []BaselineRoute {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]BaselineRoute, 0, len(b.routes))
	for _, r := range b.routes {
		name := b.names[r]
		br := BaselineRoute{Route: name}
		if rb := b.learnt[name]; rb != nil {
			br.Latency, br.Samples, br.Updated = rb.latency, rb.samples, rb.updated
			br.Ready = rb.samples >= b.settings.MinSamples
		}
		out = append(out, br)
	}
	return out
}

func allIndices(n int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

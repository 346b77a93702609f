package stats

import (
	"slices"
	"time"
)

// Recorder holds one Window per (upstream, route class) pair. Upstreams and
// route classes are fixed at creation and addressed by their index in the
// lists given to NewRecorder, so recording does no map lookup. All methods
// are safe for concurrent use; an index out of range panics.
type Recorder struct {
	upstreams []string
	routes    []string
	minVolume int
	clock     clock      // shared by every window, so their buckets align
	windows   [][]Window // [upstream][route]
}

// NewRecorder returns a recorder for every pair of upstreams and routes.
// It panics when s.Validate fails.
func NewRecorder(upstreams, routes []string, s WindowSettings) *Recorder {
	s = s.mustValid()
	r := &Recorder{
		upstreams: slices.Clone(upstreams),
		routes:    slices.Clone(routes),
		minVolume: s.MinVolume,
		clock:     newClock(s, time.Now()),
		windows:   make([][]Window, len(upstreams)),
	}
	for up := range r.windows {
		r.windows[up] = make([]Window, len(routes))
		for route := range r.windows[up] {
			r.windows[up][route].init(s, r.clock)
		}
	}
	return r
}

// Upstreams returns the upstream names; an upstream's index is its position.
func (r *Recorder) Upstreams() []string { return slices.Clone(r.upstreams) }

// Routes returns the route class names; a route's index is its position.
func (r *Recorder) Routes() []string { return slices.Clone(r.routes) }

// UpstreamIndex returns the index of the named upstream.
func (r *Recorder) UpstreamIndex(name string) (int, bool) { return indexOf(r.upstreams, name) }

// RouteIndex returns the index of the named route class.
func (r *Recorder) RouteIndex(name string) (int, bool) { return indexOf(r.routes, name) }

func indexOf(names []string, name string) (int, bool) {
	i := slices.Index(names, name)
	return i, i >= 0
}

// Record counts one request to upstream up on route class route that ended
// at now with outcome o after latency d.
func (r *Recorder) Record(up, route int, o Outcome, d time.Duration, now time.Time) {
	r.windows[up][route].Record(o, d, now)
}

// Window summarises one pair over the window ending at now.
func (r *Recorder) Window(up, route int, now time.Time) Summary {
	return r.windows[up][route].Summary(now)
}

// Upstream summarises upstream up across the given route classes (the "key
// endpoints") as if they were one window; nil routes means every route.
func (r *Recorder) Upstream(up int, routes []int, now time.Time) Summary {
	var a aggregate
	for _, route := range r.pick(routes) {
		r.windows[up][route].collect(&a, now)
	}
	return a.summary(r.minVolume, r.clock.span(now))
}

// Totals returns lifetime counts of upstream up across the given route
// classes; nil routes means every route.
func (r *Recorder) Totals(up int, routes []int) Counts {
	var sum Counts
	for _, route := range r.pick(routes) {
		sum = sum.plus(r.windows[up][route].Totals())
	}
	return sum
}

// pick returns routes, or every route index when routes is nil.
func (r *Recorder) pick(routes []int) []int {
	if routes != nil {
		return routes
	}
	all := make([]int, len(r.routes))
	for i := range all {
		all[i] = i
	}
	return all
}

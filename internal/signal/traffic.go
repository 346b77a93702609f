package signal

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Traffic is the passive statistics the traffic signals read: a
// stats.Recorder in a single process, or in a cluster the sum of every
// live replica's traffic, so that the decider's triggers judge the whole
// fleet's requests and not only its own.
type Traffic interface {
	// Upstream summarises upstream up across routes (nil means every
	// route) over the window ending at now.
	Upstream(up int, routes []int, now time.Time) stats.Summary
	// Window summarises one route class of upstream up.
	Window(up, route int, now time.Time) stats.Summary
	// Slices are the window's buckets, oldest first, for Onset.
	Slices(up int, routes []int, now time.Time) []stats.Slice
	// Routes names the route classes by index.
	Routes() []string
	// RouteIndex finds a route class by name.
	RouteIndex(name string) (int, bool)
}

var _ Traffic = (*stats.Recorder)(nil)

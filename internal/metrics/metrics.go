// Package metrics exports Lifeboat's traffic to Prometheus.
//
// Label values (target, route class, outcome) are known at start, so every
// series is created up front and the per-request path indexes slices
// instead of hashing label values.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Buckets for request latency, in seconds: fine below a millisecond, where
// a cache hit or a healthy upstream lands, and up to the plan's 5 s trigger
// and the 30 s timeouts.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Traffic holds the request counters and latency histograms.
type Traffic struct {
	requests [][][]prometheus.Counter // [target][route][outcome]
	latency  [][]prometheus.Observer  // [target][route]
}

// NewTraffic registers lifeboat_requests_total and
// lifeboat_request_duration_seconds on reg.
func NewTraffic(reg prometheus.Registerer, targets, routes []string) (*Traffic, error) {
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lifeboat_requests_total",
		Help: "Requests by target (primary, fallback, cache, or client for what the client saw), route class and outcome.",
	}, []string{"target", "route", "outcome"})
	lat := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "lifeboat_request_duration_seconds",
		Help:    "Request latency by target and route class.",
		Buckets: latencyBuckets,
	}, []string{"target", "route"})
	for _, c := range []prometheus.Collector{reqs, lat} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	t := &Traffic{requests: make([][][]prometheus.Counter, len(targets)), latency: make([][]prometheus.Observer, len(targets))}
	for ti, target := range targets {
		t.requests[ti] = make([][]prometheus.Counter, len(routes))
		t.latency[ti] = make([]prometheus.Observer, len(routes))
		for ri, rt := range routes {
			t.latency[ti][ri] = lat.WithLabelValues(target, rt)
			t.requests[ti][ri] = make([]prometheus.Counter, stats.NumOutcomes)
			for o := range stats.NumOutcomes {
				t.requests[ti][ri][o] = reqs.WithLabelValues(target, rt, stats.Outcome(o).String())
			}
		}
	}
	return t, nil
}

// Observe counts one outcome. It implements proxy.Observer.
func (t *Traffic) Observe(target, route int, o stats.Outcome, d time.Duration) {
	t.requests[target][route][o].Inc()
	t.latency[target][route].Observe(d.Seconds())
}

// Gauge registers a gauge read from fn at scrape time.
func Gauge(reg prometheus.Registerer, name, help string, labels prometheus.Labels, fn func() float64) error {
	return reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels}, fn))
}

// Counter registers a counter read from fn at scrape time.
func Counter(reg prometheus.Registerer, name, help string, labels prometheus.Labels, fn func() float64) error {
	return reg.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels}, fn))
}

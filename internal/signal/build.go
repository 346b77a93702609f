package signal

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
)

// Spec is one trigger's signal as configured. Type decides which other
// fields apply; the configuration's documentation lists them per type.
type Spec struct {
	// Trigger names the trigger that reads the signal; Resource reads it.
	// Default "".
	Trigger string
	// Type is the signal's type, such as "error_rate". Required.
	Type string
	// Route is the route class of route_error_rate. Default "".
	Route string
	// URL is the Prometheus server (prom_query) or the /metrics endpoint
	// (metrics_scrape). Default "": the primary's /metrics for a scrape.
	URL string
	// Query is a PromQL instant query. Default "".
	Query string
	// Metric and Labels select one sample of a scraped /metrics. Default
	// "" and nil.
	Metric string
	Labels map[string]string
	// PID, Path and Resource (cpu or memory) select a local reading.
	// Default 0, "" and "".
	PID      int
	Path     string
	Resource string
	// Command is an argv list, never a shell string. Default nil.
	Command []string
	// Timeout bounds one reading. Default 0: 2s.
	Timeout time.Duration
	// Addr and Password reach Redis for redis_ping. Default "".
	Addr     string
	Password string
	// Probe is the functional probe's request and expectation, sent to
	// the primary. Default zero.
	Probe Probe
	// MinLookups is the fewest cache lookups between readings for
	// cache_hit_rate to judge. Default 0: 50.
	MinLookups int
}

// Probe is one HTTP request and what its answer must hold.
type Probe struct {
	// Method is the HTTP method. Default "": GET.
	Method string
	// Path is appended to the base URL. Default "": no probe.
	Path string
	// Body is sent as JSON when set. Default "".
	Body string
	// Header is added to the request. Default nil.
	Header http.Header
	// ExpectStatus lists passing statuses. Default nil: 200.
	ExpectStatus []int
	// Expect is checked against the JSON answer when its Path is set.
	// Default zero: the status alone decides.
	Expect Expect
}

// Deps are what sources read besides their Spec: the primary, its
// traffic and the gateway's cache.
type Deps struct {
	// Primary is the primary's base URL. Required for metrics_scrape
	// without a URL and for functional_probe.
	Primary string
	// Health is the primary's active checker. Required for health_failures.
	Health HealthStatuser
	// Stats is the traffic, a *stats.Recorder or in a cluster every
	// replica's; Keys are the key routes whose traffic the traffic signals
	// read. Required for the traffic signals.
	Stats Traffic
	Keys  []int
	// Baseline is the learned latency baseline. Required for latency_ratio.
	Baseline *Baseline
	// Cache reads the response cache's counters. Required for
	// cache_hit_rate.
	Cache func() cache.Snapshot
	// ScrapeTransport carries metrics_scrape's requests, usually to the
	// primary with its TLS settings. Nil means http.DefaultTransport.
	ScrapeTransport func() http.RoundTripper
	// ProbeTransport carries functional_probe's requests to the primary.
	// It should go through the drills' fault injector, like the health
	// checks and client traffic: a probe of the primary must see what
	// clients see, or an injected corruption is invisible. Nil means
	// http.DefaultTransport.
	ProbeTransport func() http.RoundTripper
}

// Build makes the source a Spec describes.
func Build(s Spec, d Deps) (Source, error) {
	timeout := cmp.Or(s.Timeout, 2*time.Second)
	switch s.Type {
	case "health_failures":
		return HealthFailures(d.Health), nil
	case "error_rate":
		return ErrorRate(d.Stats, 0, d.Keys), nil
	case "avg_latency":
		return AvgLatency(d.Stats, 0, d.Keys), nil
	case "latency_ratio":
		return LatencyRatio(d.Stats, 0, d.Keys, d.Baseline), nil
	case "route_error_rate":
		return routeErrorRate(s, d), nil
	case "cache_hit_rate":
		return CacheHitRate(d.Cache, cmp.Or(s.MinLookups, 50)), nil
	}
	return buildProbing(s, d, timeout)
}

// buildProbing makes the sources that reach out for their reading.
func buildProbing(s Spec, d Deps, timeout time.Duration) (Source, error) {
	client := &http.Client{Timeout: timeout}
	primary := strings.TrimRight(d.Primary, "/")
	switch s.Type {
	case "prom_query":
		return PromQuery(client, s.URL, s.Query)
	case "metrics_scrape":
		client.Transport = transport(d.ScrapeTransport)
		return MetricsScrape(client, cmp.Or(s.URL, primary+"/metrics"), s.Metric, s.Labels, nil)
	case "process":
		return Process(s.PID, Resource(s.Resource))
	case "cgroup":
		return Cgroup(s.Path, Resource(s.Resource))
	case "command":
		return Command(s.Command, timeout)
	case "command_check":
		return CommandCheck(s.Command, timeout)
	case "redis_ping":
		return RedisPing(s.Addr, s.Password, timeout)
	case "functional_probe":
		client.Transport = transport(d.ProbeTransport)
		p := s.Probe
		return FunctionalProbe(client, primary, p.Method, p.Path, []byte(p.Body), p.Header, p.Expect)
	}
	return nil, fmt.Errorf("%w: unknown signal type %q", ErrConfig, s.Type)
}

func transport(f func() http.RoundTripper) http.RoundTripper {
	if f == nil {
		return nil
	}
	return f()
}

// routeErrorRate reads one route class's error rate, or no data when the
// routes do not define it.
func routeErrorRate(s Spec, d Deps) Source {
	ri, ok := d.Stats.RouteIndex(s.Route)
	if !ok {
		return noData{unit: UnitRatio, why: fmt.Sprintf("route class %q is not defined", s.Route)}
	}
	return RouteErrorRate(d.Stats, 0, ri)
}

// noData is a source that can never be judged. The configuration promises
// that a trigger on a route class the routes do not define shows "no data"
// rather than being refused, so replacing the routes keeps the default
// session-failure trigger valid; reading an unknown route's window would
// instead panic on the first evaluation.
type noData struct{ unit, why string }

var _ Source = noData{}

func (n noData) Read(context.Context, time.Time) Reading {
	return Reading{Unit: n.unit, Detail: "no data: " + n.why}
}

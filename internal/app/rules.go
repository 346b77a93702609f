package app

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// directSignals read the primary itself rather than its traffic, so they
// keep telling the truth while the primary is isolated and can judge
// whether it has recovered.
var directSignals = map[string]bool{
	"health_failures": true, "prom_query": true, "metrics_scrape": true, "process": true, "cgroup": true,
	"command": true, "redis_ping": true, "functional_probe": true, "command_check": true,
}

// rules builds the configured triggers. direct names those whose signal
// reads the primary directly.
func (a *App) rules(b *signal.Baseline) ([]trigger.Rule, map[string]bool, error) {
	direct := map[string]bool{}
	var rules []trigger.Rule
	for i, t := range a.cfg.Triggers {
		src, err := a.source(t.Signal, b)
		if err != nil {
			return nil, nil, fmt.Errorf("app: triggers[%d] (%s): %w", i, t.Name, err)
		}
		rules = append(rules, trigger.Rule{
			Name: t.Name, Kind: trigger.Kind(t.Kind), Source: src, Signal: t.Signal.Type, Op: trigger.Op(cmp.Or(t.Op, ">")),
			Threshold: t.Threshold, For: t.For, ClearFor: t.ClearFor, Scalable: t.Scalable,
		})
		direct[t.Name] = directSignals[t.Signal.Type]
	}
	return rules, direct, nil
}

// source builds one signal source from configuration.
func (a *App) source(s config.Signal, b *signal.Baseline) (signal.Source, error) {
	primaryURL := strings.TrimRight(a.cfg.Upstreams.Primary.URL, "/")
	timeout := cmp.Or(s.Timeout, 2*time.Second)
	client := &http.Client{Timeout: timeout}
	keys := a.routes.Keys()
	switch s.Type {
	case "health_failures":
		return signal.HealthFailures(a.checkers[0]), nil
	case "error_rate":
		return signal.ErrorRate(a.stats, 0, keys), nil
	case "avg_latency":
		return signal.AvgLatency(a.stats, 0, keys), nil
	case "latency_ratio":
		return signal.LatencyRatio(a.stats, 0, keys, b), nil
	case "route_error_rate":
		ri, ok := a.stats.RouteIndex(s.Route)
		if !ok {
			return noData{unit: signal.UnitRatio, why: fmt.Sprintf("route class %q is not defined", s.Route)}, nil
		}
		return signal.RouteErrorRate(a.stats, 0, ri), nil
	case "cache_hit_rate":
		return signal.CacheHitRate(a.gateway.CacheStore().Snapshot, cmp.Or(s.MinLookups, 50)), nil
	case "prom_query":
		return signal.PromQuery(client, s.URL, s.Query)
	case "metrics_scrape":
		// Usually the primary's own /metrics: its TLS settings apply.
		client.Transport = a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2})
		return signal.MetricsScrape(client, cmp.Or(s.URL, primaryURL+"/metrics"), s.Metric, s.Labels, nil)
	case "process":
		return signal.Process(s.PID, signal.Resource(s.Resource))
	case "cgroup":
		return signal.Cgroup(s.Path, signal.Resource(s.Resource))
	case "command":
		return signal.Command(s.Command, timeout)
	case "command_check":
		return signal.CommandCheck(s.Command, timeout)
	case "redis_ping":
		return signal.RedisPing(s.Addr, s.Password.Reveal(), timeout)
	case "functional_probe":
		// The probe goes through the drills' fault injector, like the
		// health checks and client traffic: a probe of the primary must
		// see what clients see, or an injected corruption is invisible.
		client.Transport = a.faults.Wrap(a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}))
		p := s.Probe
		return signal.FunctionalProbe(client, primaryURL, p.Method, p.Path, []byte(p.Body), probeHeader(p), probeExpect(p))
	}
	return nil, fmt.Errorf("unknown signal type %q", s.Type)
}

// noData is a source that can never be judged. The configuration promises
// that a trigger on a route class the routes do not define shows "no data"
// rather than being refused, so replacing the routes keeps the default
// session-failure trigger valid; reading an unknown route's window would
// instead panic on the first evaluation.
type noData struct{ unit, why string }

func (n noData) Read(context.Context, time.Time) signal.Reading {
	return signal.Reading{Unit: n.unit, Detail: "no data: " + n.why}
}

package escalation

import (
	"cmp"
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// rules builds the configured triggers. direct names those whose signal
// reads the primary directly.
func (e *Escalation) rules(b *signal.Baseline) ([]trigger.Rule, map[string]bool, error) {
	direct := map[string]bool{}
	var rules []trigger.Rule
	deps := e.signalDeps(b)
	for i, t := range e.cfg.Triggers {
		spec := t.SignalSpec()
		src, err := signal.Build(spec, deps)
		if err != nil {
			return nil, nil, fmt.Errorf("app: triggers[%d] (%s): %w", i, t.Name, err)
		}
		rules = append(rules, trigger.Rule{
			Name: t.Name, Kind: trigger.Kind(t.Kind), Source: src, Signal: t.Signal.Type, Op: trigger.Op(cmp.Or(t.Op, ">")),
			Threshold: t.Threshold, For: t.For, ClearFor: t.ClearFor, Scalable: t.Scalable,
		})
		direct[t.Name] = spec.Direct()
	}
	return rules, direct, nil
}

// signalDeps connects the signals to the primary and its traffic. Their
// transports are made only for a trigger that needs one, so Stop closes
// no more than were used.
func (e *Escalation) signalDeps(b *signal.Baseline) signal.Deps {
	return signal.Deps{
		Primary: e.cfg.Upstreams.Primary.URL, Health: e.d.PrimaryHealth, Stats: e.d.Traffic, Keys: e.d.Keys,
		Baseline: b, Cache: e.d.Gateway.CacheStore().Snapshot,
		// Usually the primary's own /metrics: its TLS settings apply.
		ScrapeTransport: func() http.RoundTripper { return e.d.Transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}) },
		ProbeTransport: func() http.RoundTripper {
			return e.d.Probe(e.d.Transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}))
		},
	}
}

// resourceReader gives the metric history the primary's CPU and memory,
// from the latest valid readings of the triggers that read them, so that
// `lifeboat analyze` can compare them; the gateway does not scrape twice.
// Readings older than staleAfter are not used: the engine stopped
// evaluating, and an old figure would pass for a current one.
func (e *Escalation) resourceReader() func(now time.Time) (cpu, memory *float64) {
	which := map[string]string{}
	for _, t := range e.cfg.Triggers {
		if r := t.SignalSpec().Reads(); r != "" {
			which[t.Name] = r
		}
	}
	if len(which) == 0 {
		return nil
	}
	staleAfter := 3 * max(e.cfg.Escalation.EvaluateEvery, time.Second)
	return func(now time.Time) (cpu, memory *float64) {
		if e.triggers == nil {
			return nil, nil
		}
		for _, ev := range e.triggers.Status() {
			if !ev.Valid || ev.At.IsZero() || now.Sub(ev.At) > staleAfter {
				continue
			}
			v := ev.Value
			switch which[ev.Trigger] {
			case "cpu":
				cpu = &v
			case "memory":
				memory = &v
			}
		}
		return cpu, memory
	}
}

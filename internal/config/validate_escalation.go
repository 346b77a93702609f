package config

import (
	"fmt"
	"net/url"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/field"
)

func (c *checker) escalation(e Escalation) {
	if e.DataDir == "" {
		c.add("escalation.data_dir", "is required")
	}
	c.durRange("escalation.start_period", e.StartPeriod, 0, time.Hour)
	c.durRange("escalation.evaluate_every", e.EvaluateEvery, 10*time.Millisecond, time.Minute)
	c.durRange("escalation.l1_window", e.L1Window, time.Millisecond, 24*time.Hour)
	c.durRange("escalation.l3_after", e.L3After, time.Millisecond, 24*time.Hour)
	c.durRange("escalation.settle", e.Settle, time.Millisecond, 24*time.Hour)
	if e.L2ThresholdScale <= 0 || e.L2ThresholdScale > 1 {
		c.add("escalation.l2_threshold_scale", "must be above 0 and at most 1, got %g", e.L2ThresholdScale)
	}
	for name, list := range map[string][]action.Spec{"l1": e.Actions.L1, "l2": e.Actions.L2, "l3": e.Actions.L3, "normal": e.Actions.Normal} {
		c.actions("escalation.actions."+name, list)
	}
	c.restore(e.Restore)
	c.probe("escalation.verify.fallback_probe", e.Verify.FallbackProbe)
	c.probe("escalation.verify.gateway_probe", e.Verify.GatewayProbe)
	c.text("escalation.verify.suite", e.Verify.Suite)
}

// actions validates a list with the action engine's own rules, each
// mistake under the action's YAML path, and bounds a timeout to an hour.
func (c *checker) actions(path string, list []action.Spec) {
	for i, a := range list {
		f := fmt.Sprintf("%s[%d]", path, i)
		c.join(field.Prefix(f, ErrInvalid, a.Validate()))
		if a.Timeout > time.Hour {
			c.durRange(f+".timeout", a.Timeout, 0, time.Hour)
		}
	}
	c.join(field.Prefix(path, ErrInvalid, action.UniqueNames(list)))
}

func (c *checker) restore(r RestoreConfig) {
	c.durRange("escalation.restore.hold_down", r.HoldDown, 0, 24*time.Hour)
	last := 0
	for i, s := range r.Steps {
		f := fmt.Sprintf("escalation.restore.steps[%d]", i)
		if s.Weight <= last || s.Weight > 100 {
			c.add(f+".weight", "must rise step by step up to 100, got %d after %d", s.Weight, last)
		}
		c.durRange(f+".hold", s.Hold, time.Millisecond, 24*time.Hour)
		c.actions(f+".actions", s.Actions)
		last = s.Weight
	}
	if len(r.Steps) == 0 || last != 100 {
		c.add("escalation.restore.steps", "must end with weight 100")
	}
	if r.MaxErrorRate < 0 || r.MaxErrorRate > 1 {
		c.add("escalation.restore.max_error_rate", "must be between 0 and 1, got %g", r.MaxErrorRate)
	}
	if r.MaxLatencyRatio < 1 || r.MaxLatencyRatio > 100 {
		c.add("escalation.restore.max_latency_ratio", "must be between 1 and 100, got %g", r.MaxLatencyRatio)
	}
}

func (c *checker) probe(field string, p Probe) {
	if p.Path == "" {
		return
	}
	if p.Path[0] != '/' {
		c.add(field+".path", "must start with /, got %q", p.Path)
	}
	if p.Method != "" && !knownMethods[p.Method] {
		c.add(field+".method", "unknown method %q", p.Method)
	}
	for _, s := range p.ExpectStatus {
		c.intRange(field+".expect_status", s, 100, 599)
	}
}

var signalTypes = []string{"health_failures", "error_rate", "avg_latency", "latency_ratio", "route_error_rate",
	"cache_hit_rate", "prom_query", "metrics_scrape", "process", "cgroup", "command", "redis_ping",
	"functional_probe", "command_check"}

func (c *checker) triggers(list []Trigger) {
	seen := map[string]bool{}
	for i, t := range list {
		f := fmt.Sprintf("triggers[%d]", i)
		if t.Name == "" || seen[t.Name] {
			c.add(f+".name", "must be present and unique, got %q", t.Name)
		}
		seen[t.Name] = true
		c.oneOf(f+".kind", t.Kind, "immediate", "warning")
		c.oneOf(f+".op", t.Op, ">", "<")
		c.durRange(f+".for", t.For, 0, 24*time.Hour)
		c.durRange(f+".clear_for", t.ClearFor, 0, 24*time.Hour)
		c.signal(f+".signal", t.Signal)
	}
}

func (c *checker) signal(f string, s Signal) {
	c.oneOf(f+".type", s.Type, signalTypes...)
	c.durRange(f+".timeout", s.Timeout, 0, time.Minute)
	need := func(ok bool, field, what string) {
		if !ok {
			c.add(f+"."+field, "is required for type %s (%s)", s.Type, what)
		}
	}
	switch s.Type {
	case "route_error_rate":
		// A route class the routes do not define is reported by the
		// trigger as "no data" rather than refused here, so replacing the
		// routes does not break the default session-failure trigger.
		need(s.Route != "", "route", "a route class")
	case "prom_query":
		need(absURL(s.URL), "url", "the Prometheus server")
		need(s.Query != "", "query", "a PromQL query")
	case "metrics_scrape":
		need(s.Metric != "", "metric", "a metric name")
	case "process":
		need(s.PID > 0, "pid", "a process id")
		c.oneOf(f+".resource", s.Resource, "cpu", "memory")
	case "cgroup":
		need(s.Path != "", "path", "a cgroup directory")
		c.oneOf(f+".resource", s.Resource, "cpu", "memory")
	case "command", "command_check":
		need(len(s.Command) > 0 && s.Command[0] != "", "command", "an argv list")
	case "redis_ping":
		need(s.Addr != "", "addr", "host:port")
	case "functional_probe":
		need(s.Probe.Path != "", "probe.path", "the request to send")
		c.probe(f+".probe", s.Probe)
	}
}

func absURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

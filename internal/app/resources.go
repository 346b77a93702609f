package app

import (
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
)

// resourceSignals read the primary's resource use in percent.
var resourceSignals = map[string]bool{
	"metrics_scrape": true, "prom_query": true, "process": true, "cgroup": true, "command": true,
}

// resourceOf says which of the primary's resources a trigger reads:
// "cpu", "memory", or "" for any other trigger. A local reading names
// its resource; a scrape, a query or a command is known by its trigger's
// name or its metric.
func resourceOf(t config.Trigger) string {
	if !resourceSignals[t.Signal.Type] {
		return ""
	}
	if r := t.Signal.Resource; r == "cpu" || r == "memory" {
		return r
	}
	text := strings.ToLower(t.Name + " " + t.Signal.Metric + " " + t.Signal.Query)
	switch {
	case strings.Contains(text, "cpu"):
		return "cpu"
	case strings.Contains(text, "mem"):
		return "memory"
	}
	return ""
}

// resourceReader gives the metric history the primary's CPU and memory,
// from the latest valid readings of the triggers that read them, so that
// `lifeboat analyze` can compare them; the gateway does not scrape twice.
// Readings older than staleAfter are not used: the engine stopped
// evaluating, and an old figure would pass for a current one.
func (a *App) resourceReader() func(now time.Time) (cpu, memory *float64) {
	which := map[string]string{}
	for _, t := range a.cfg.Triggers {
		if r := resourceOf(t); r != "" {
			which[t.Name] = r
		}
	}
	if len(which) == 0 {
		return nil
	}
	staleAfter := 3 * max(a.cfg.Escalation.EvaluateEvery, time.Second)
	return func(now time.Time) (cpu, memory *float64) {
		if a.triggers == nil {
			return nil, nil
		}
		for _, ev := range a.triggers.Status() {
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

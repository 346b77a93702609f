package signal

import "strings"

// directTypes read the primary itself rather than its traffic, so they
// keep telling the truth while the primary is isolated and can judge
// whether it has recovered.
var directTypes = map[string]bool{
	"health_failures": true, "prom_query": true, "metrics_scrape": true, "process": true, "cgroup": true,
	"command": true, "redis_ping": true, "functional_probe": true, "command_check": true,
}

// resourceTypes read the primary's resource use in percent.
var resourceTypes = map[string]bool{
	"metrics_scrape": true, "prom_query": true, "process": true, "cgroup": true, "command": true,
}

// Direct reports whether the Spec's signal reads the primary itself
// rather than the traffic the gateway sends it.
func (s Spec) Direct() bool { return directTypes[s.Type] }

// Reads says which of the primary's resources the signal reads: "cpu",
// "memory", or "" for any other signal. A local reading names its
// resource; a scrape, a query or a command is known by its trigger's name
// or its metric.
func (s Spec) Reads() string {
	if !resourceTypes[s.Type] {
		return ""
	}
	if s.Resource == "cpu" || s.Resource == "memory" {
		return s.Resource
	}
	text := strings.ToLower(s.Trigger + " " + s.Metric + " " + s.Query)
	switch {
	case strings.Contains(text, "cpu"):
		return "cpu"
	case strings.Contains(text, "mem"):
		return "memory"
	}
	return ""
}

package drill

import (
	"fmt"
	"strings"
)

// Scenario is one of the plan's drills: a fault and the kind of trigger
// that must detect it.
type Scenario struct {
	// Name is what --scenario takes.
	Name string
	// Summary says in one line what the drill proves.
	Summary string
	// Fault is injected into the primary, sized for the plan's default
	// thresholds; Options.Fault replaces it for gateways with others.
	Fault Fault
	// Detects lists the signal types of which an immediate trigger must
	// exist for the gateway to see this fault: a trigger of another type
	// cannot, whatever its unit (a Redis PING does not notice an empty
	// search index).
	Detects []string
	// Needs names that trigger for people, in ErrUnsupported.
	Needs string
}

// Scenarios are the plan's drills, in the order the plan lists triggers.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "performance_degradation", Summary: "the primary answers slower than the plan's 5000 ms average",
			Fault: Fault{LatencyMS: 6000, JitterMS: 500}, Detects: []string{"avg_latency", "latency_ratio"}, Needs: "an avg_latency trigger (response_time)"},
		{Name: "outage", Summary: "the primary refuses connections",
			Fault: Fault{Down: true}, Detects: []string{"health_failures", "error_rate", "functional_probe"}, Needs: "a health_failures trigger (health_checks)"},
		{Name: "error_spike", Summary: "half of the primary's answers are 503",
			Fault: Fault{ErrorRate: 0.5, ErrorStatus: 503}, Detects: []string{"error_rate", "route_error_rate", "functional_probe"}, Needs: "an error_rate trigger"},
		{Name: "resource_exhaustion", Summary: "the primary reports 95 % CPU and memory",
			Fault: Fault{CPUPercent: 95, MemoryPercent: 95}, Detects: []string{"metrics_scrape", "prom_query", "process", "cgroup", "command"}, Needs: "a metrics_scrape trigger on CPU or memory"},
		{Name: "data_corruption", Summary: "searches find nothing while /health stays green",
			Fault: Fault{CorruptSearch: true}, Detects: []string{"functional_probe"}, Needs: "an integrity trigger (functional_probe on the canary)"},
	}
}

// Lookup returns the scenario called name.
func Lookup(name string) (Scenario, error) {
	var names []string
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Scenario{}, fmt.Errorf("%w: %q (want one of %s)", ErrScenario, name, strings.Join(names, ", "))
}

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
	// Detects is the unit of the immediate trigger that must exist for the
	// gateway to see this fault ("count" for failed health checks, "ms",
	// "ratio", "percent", "failed" for an integrity check).
	Detects string
	// Needs names that trigger for people, in ErrUnsupported.
	Needs string
}

// Scenarios are the plan's drills, in the order the plan lists triggers.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "performance_degradation", Summary: "the primary answers slower than the plan's 5000 ms average",
			Fault: Fault{LatencyMS: 6000, JitterMS: 500}, Detects: "ms", Needs: "an avg_latency trigger (response_time)"},
		{Name: "outage", Summary: "the primary refuses connections",
			Fault: Fault{Down: true}, Detects: "count", Needs: "a health_failures trigger (health_checks)"},
		{Name: "error_spike", Summary: "half of the primary's answers are 503",
			Fault: Fault{ErrorRate: 0.5, ErrorStatus: 503}, Detects: "ratio", Needs: "an error_rate trigger"},
		{Name: "resource_exhaustion", Summary: "the primary reports 95 % CPU and memory",
			Fault: Fault{CPUPercent: 95, MemoryPercent: 95}, Detects: "percent", Needs: "a metrics_scrape trigger on CPU or memory"},
		{Name: "data_corruption", Summary: "searches find nothing while /health stays green",
			Fault: Fault{CorruptSearch: true}, Detects: "failed", Needs: "an integrity trigger (functional_probe on the canary)"},
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

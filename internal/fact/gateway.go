package fact

// Kinds of the gateway core's facts: an upstream's health, the primary's
// breaker, the routing and the faults injected toward the primary.
const (
	KindHealthChanged  = "health.changed"
	KindBreakerChanged = "breaker.changed"
	KindRoutingChanged = "routing.changed"
	KindFaultSet       = "fault.set"
)

// HealthChanged is an upstream's health verdict changing.
type HealthChanged struct {
	Upstream   string `json:"upstream"`
	From       string `json:"from"`
	To         string `json:"to"`
	Reason     string `json:"reason"`
	StatusCode int    `json:"status_code"`
}

// BreakerChanged is the primary's breaker changing state.
type BreakerChanged struct {
	From                string `json:"from"`
	To                  string `json:"to"`
	ConsecutiveFailures int    `json:"consecutive_failures"`
	OpenFor             string `json:"open_for"`
}

// RoutingChanged is the gateway's routing changing.
type RoutingChanged struct {
	From          string `json:"from"`
	To            string `json:"to"`
	PrimaryWeight int    `json:"primary_weight"`
}

// Isolates reports routing that sends everything to the fallback.
func (f RoutingChanged) Isolates() bool { return f.To == ModeFallback }

// Kind implements Fact.
func (HealthChanged) Kind() string { return KindHealthChanged }

// Kind implements Fact.
func (BreakerChanged) Kind() string { return KindBreakerChanged }

// Kind implements Fact.
func (RoutingChanged) Kind() string { return KindRoutingChanged }

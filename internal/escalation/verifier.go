package escalation

import (
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
	"github.com/lifeboat-sre/lifeboat/internal/verify"
)

// buildVerifier connects the Level 3 verifier to the upstreams' checks,
// the triggers and the traffic (in a cluster the live replicas' merged
// traffic, so a restore step is judged by every replica's share of the
// primary's requests). Its requests to the gateway itself go through
// verify.SelfTransport.
func (e *Escalation) buildVerifier(rules []trigger.Rule, direct map[string]bool) (*verify.Verifier, error) {
	c := e.cfg.Escalation
	suite, err := verify.Named(c.Verify.Suite)
	if err != nil {
		return nil, fmt.Errorf("escalation.verify.suite: %w", err)
	}
	self := verify.SelfTransport{Addr: e.d.Addr, Next: e.d.Transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}),
		Local: e.d.Local}
	client := &http.Client{Timeout: 10 * time.Second, Transport: self}
	return &verify.Verifier{
		Client: client, PrimaryHealth: e.d.Primary, FallbackHealth: e.d.Fallback,
		FallbackURL: e.cfg.Upstreams.Fallback.URL, Gateway: e.d.Addr,
		FallbackProbe: c.Verify.FallbackProbe.Spec(), GatewayProbe: c.Verify.GatewayProbe.Spec(), Suite: suite,
		Triggers: e.triggers, Gate: level.NewHoldGate(rules, direct), Direct: direct,
		Traffic: e.d.Traffic, Keys: e.d.Keys, Baseline: e.baseline,
		Limits: verify.Limits{MaxErrorRate: c.Restore.MaxErrorRate, MaxLatencyRatio: c.Restore.MaxLatencyRatio},
	}, nil
}

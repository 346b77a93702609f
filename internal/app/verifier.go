package app

import (
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
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
func (a *App) buildVerifier(rules []trigger.Rule, direct map[string]bool) (*verify.Verifier, error) {
	c := a.cfg.Escalation
	suite, err := verify.Named(c.Verify.Suite)
	if err != nil {
		return nil, fmt.Errorf("escalation.verify.suite: %w", err)
	}
	self := verify.SelfTransport{Addr: a.Addr, Next: a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2})}
	if a.cfg.TLS.Enabled() {
		// The listeners are built last: look them up when a request comes.
		self.Local = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.servers.ServeClient(w, r) })
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: self}
	return &verify.Verifier{
		Client: client, PrimaryHealth: a.primary.check, FallbackHealth: a.fallback.check,
		FallbackURL: a.cfg.Upstreams.Fallback.URL, Gateway: a.Addr,
		FallbackProbe: c.Verify.FallbackProbe.Spec(), GatewayProbe: c.Verify.GatewayProbe.Spec(), Suite: suite,
		Triggers: a.triggers, Gate: level.NewHoldGate(rules, direct), Direct: direct,
		Traffic: a.traffic(), Keys: a.routes.Keys(), Baseline: a.baseline,
		Limits: verify.Limits{MaxErrorRate: c.Restore.MaxErrorRate, MaxLatencyRatio: c.Restore.MaxLatencyRatio},
	}, nil
}

// buildPreserver prepares the incident's state preservation; it needs
// the incident record, so there is none without one.
func (a *App) buildPreserver() {
	if a.book == nil {
		return
	}
	a.preserver = &incident.Preserver{Records: a.book.Recorder, Runner: a.runner, Actions: a.cfg.Incidents.Preserve,
		Dir: a.cfg.Escalation.DataDir, Events: a.sink, Now: a.now}
}

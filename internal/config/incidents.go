package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
)

// Incidents configures incident records and the metric history behind
// their reports.
type Incidents struct {
	// HistoryInterval is how often traffic figures are sampled into the
	// history used for downtime, charts and analysis. Default 1s.
	HistoryInterval time.Duration `yaml:"history_interval" json:"history_interval"`
	// HistoryRetention is how long samples are kept. Default 168h (7 days).
	HistoryRetention time.Duration `yaml:"history_retention" json:"history_retention"`
	// Preserve runs at containment, when the primary is isolated (the
	// plan's "Preserve Current State"); each action's output names the
	// artifact it made. Default: export_config and archive_events.
	Preserve []action.Spec `yaml:"preserve" json:"preserve,omitempty"`
}

// Notify configures alerts and the escalation chain.
type Notify struct {
	// Notifiers are the places alerts go. Default none.
	Notifiers []NotifierConfig `yaml:"notifiers,omitempty" json:"notifiers,omitempty"`
	// Tiers page people in order: each tier is paged once the incident is
	// older than its After and not acknowledged. Default the plan's chain:
	// devops at 0, director at 15m, cto at 30m, with no notifiers.
	Tiers []Tier `yaml:"tiers" json:"tiers,omitempty"`
	// Cadence repeats alerts per level while unacknowledged. Default L1
	// 30s, L2 15s, L3 15s (the plan's alerting frequency).
	Cadence map[string]time.Duration `yaml:"cadence" json:"cadence,omitempty"`
	// AckTimeout re-triggers an acknowledged incident that is still open.
	// Default 30m.
	AckTimeout time.Duration `yaml:"ack_timeout" json:"ack_timeout"`
	// Attempts is how many times an alert is tried. Default 3.
	Attempts int `yaml:"attempts" json:"attempts"`
	// Backoff is the first pause between attempts; it doubles. Default 1s.
	Backoff time.Duration `yaml:"backoff" json:"backoff"`
	// Timeout bounds one attempt. Default 10s.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
}

// NotifierConfig is one alert destination.
type NotifierConfig struct {
	// Name is referenced by tiers. Required, unique.
	Name string `yaml:"name" json:"name"`
	// Type is webhook, slack or pagerduty. Required.
	Type string `yaml:"type" json:"type"`
	// URL is the webhook or Slack incoming-webhook URL; for pagerduty it
	// overrides the Events API v2 endpoint. Kept secret.
	URL Secret `yaml:"url" json:"url"`
	// RoutingKey is PagerDuty's integration key. Kept secret.
	RoutingKey Secret `yaml:"routing_key" json:"routing_key"`
	// Headers are added to webhook requests. Kept secret.
	Headers map[string]Secret `yaml:"headers,omitempty" json:"headers,omitempty"`
}

// Tier is one step of the escalation chain.
type Tier struct {
	// Name is shown on alerts ("devops"). Required.
	Name string `yaml:"name" json:"name"`
	// After is the incident age at which this tier is paged.
	After time.Duration `yaml:"after" json:"after"`
	// Notifiers names the notifiers this tier is paged through.
	Notifiers []string `yaml:"notifiers,omitempty" json:"notifiers,omitempty"`
}

// DefaultIncidents keeps a week of history and preserves state at
// containment.
func DefaultIncidents() Incidents {
	return Incidents{
		HistoryInterval: time.Second, HistoryRetention: 7 * 24 * time.Hour,
		Preserve: []action.Spec{builtin("export_config", nil), builtin("archive_events", nil)},
	}
}

// DefaultNotify is the plan's escalation chain with nowhere to send yet.
func DefaultNotify() Notify {
	return Notify{
		Tiers: []Tier{
			{Name: "devops", After: 0}, {Name: "director", After: 15 * time.Minute}, {Name: "cto", After: 30 * time.Minute},
		},
		Cadence:    map[string]time.Duration{"L1": 30 * time.Second, "L2": 15 * time.Second, "L3": 15 * time.Second},
		AckTimeout: 30 * time.Minute, Attempts: 3, Backoff: time.Second, Timeout: 10 * time.Second,
	}
}

func (c *checker) incidents(in Incidents) {
	c.durRange("incidents.history_interval", in.HistoryInterval, 10*time.Millisecond, time.Hour)
	c.durRange("incidents.history_retention", in.HistoryRetention, time.Minute, 365*24*time.Hour)
	c.actions("incidents.preserve", in.Preserve)
}

func (c *checker) notify(n Notify) {
	names := map[string]bool{}
	for i, nc := range n.Notifiers {
		f := fmt.Sprintf("notify.notifiers[%d]", i)
		if nc.Name == "" || names[nc.Name] {
			c.add(f+".name", "must be present and unique, got %q", nc.Name)
		}
		names[nc.Name] = true
		c.oneOf(f+".type", nc.Type, "webhook", "slack", "pagerduty")
		switch {
		case nc.Type != "pagerduty" && !absURL(nc.URL.Reveal()):
			c.add(f+".url", "must be an absolute http or https URL")
		case nc.Type == "pagerduty" && nc.RoutingKey == "":
			c.add(f+".routing_key", "is required for pagerduty")
		case nc.Type == "pagerduty" && nc.URL != "" && !absURL(nc.URL.Reveal()):
			c.add(f+".url", "must be an absolute http or https URL")
		}
	}
	var last time.Duration
	for i, t := range n.Tiers {
		f := fmt.Sprintf("notify.tiers[%d]", i)
		if t.Name == "" {
			c.add(f+".name", "is required")
		}
		if t.After < last {
			c.add(f+".after", "must not be earlier than the tier before (%s), got %s", last, t.After)
		}
		last = t.After
		for _, name := range t.Notifiers {
			if !names[name] {
				c.add(f+".notifiers", "names unknown notifier %q", name)
			}
		}
	}
	for lvl, d := range n.Cadence {
		if !slices.Contains([]string{"L1", "L2", "L3"}, lvl) {
			c.add("notify.cadence", "keys must be L1, L2 or L3, got %q", lvl)
		}
		c.durRange("notify.cadence."+lvl, d, time.Second, 24*time.Hour)
	}
	c.durRange("notify.ack_timeout", n.AckTimeout, time.Second, 7*24*time.Hour)
	c.intRange("notify.attempts", n.Attempts, 1, 20)
	c.durRange("notify.backoff", n.Backoff, time.Millisecond, time.Hour)
	c.durRange("notify.timeout", n.Timeout, time.Millisecond, 5*time.Minute)
}

package alert

import (
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/notify"
	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

// Notifier is one alert destination, as the configuration file's notify
// section lists it; its fields match config.NotifierConfig one for one, so
// the file's notifier converts to it without a copy.
type Notifier struct {
	// Name is referenced by tiers. Required, unique.
	Name string `yaml:"name" json:"name"`
	// Type is webhook, slack or pagerduty. Required; anything but slack
	// and pagerduty is sent as the generic webhook.
	Type string `yaml:"type" json:"type"`
	// URL is the webhook or Slack incoming-webhook URL; for pagerduty it
	// overrides the Events API v2 endpoint. Kept secret. Default "":
	// PagerDuty's own endpoint.
	URL secret.Secret `yaml:"url" json:"url"`
	// RoutingKey is PagerDuty's integration key. Kept secret. Default "":
	// unused by the others.
	RoutingKey secret.Secret `yaml:"routing_key" json:"routing_key"`
	// Headers are added to webhook requests. Kept secret. Default none.
	Headers map[string]secret.Secret `yaml:"headers,omitempty" json:"headers,omitempty"`
}

// Tier is one step of the escalation chain, as the configuration file's
// notify section lists it (its fields match config.Tier one for one).
type Tier struct {
	// Name is shown on alerts ("devops"). Required.
	Name string `yaml:"name" json:"name"`
	// After is the incident age at which this tier is paged. Default 0:
	// at once.
	After time.Duration `yaml:"after" json:"after"`
	// Notifiers names the notifiers this tier is paged through. Default
	// none: the tier is recorded as paged but nobody is told.
	Notifiers []string `yaml:"notifiers,omitempty" json:"notifiers,omitempty"`
}

// tiers builds each notifier once, wrapped in its retries, and the
// chain's tiers pointing at them.
func tiers(o Options) []notify.Tier {
	client := &http.Client{Timeout: o.Timeout}
	byName := make(map[string]notify.Notifier, len(o.Notifiers))
	for _, n := range o.Notifiers {
		byName[n.Name] = notify.Retry(n.build(client), o.Attempts, o.Backoff, 32*o.Backoff)
	}
	var out []notify.Tier
	for _, t := range o.Tiers {
		tier := notify.Tier{Name: t.Name, After: t.After}
		for _, name := range t.Notifiers {
			tier.Notifiers = append(tier.Notifiers, byName[name])
		}
		out = append(out, tier)
	}
	return out
}

// build makes the notifier of n's type, sending through client, with its
// secrets revealed to it alone.
func (n Notifier) build(client *http.Client) notify.Notifier {
	switch n.Type {
	case "slack":
		return &notify.Slack{WebhookURL: n.URL.Reveal(), Client: client, Label: n.Name}
	case "pagerduty":
		return &notify.PagerDuty{RoutingKey: n.RoutingKey.Reveal(), URL: n.URL.Reveal(), Client: client, Label: n.Name}
	}
	headers := make(map[string]string, len(n.Headers))
	for k, v := range n.Headers {
		headers[k] = v.Reveal()
	}
	return &notify.Webhook{URL: n.URL.Reveal(), Headers: headers, Client: client, Label: n.Name}
}

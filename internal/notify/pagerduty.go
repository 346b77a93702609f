package notify

import (
	"context"
	"fmt"
	"maps"
	"net/http"
)

// PagerDutyURL is the Events API v2 endpoint.
const PagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

// maxPDSummary is PagerDuty's limit on payload.summary.
const maxPDSummary = 1024

// PagerDuty sends Events API v2 events: trigger, acknowledge and resolve
// with the incident id as dedup_key.
type PagerDuty struct {
	// RoutingKey is the integration key. Required; kept secret.
	RoutingKey string
	// URL overrides the endpoint. Default PagerDutyURL.
	URL string
	// Client sends the request. Default: a client with DefaultTimeout.
	Client *http.Client
	// Label is the notifier's Name. Default "pagerduty".
	Label string
}

type pdEvent struct {
	RoutingKey  string     `json:"routing_key"`
	EventAction Action     `json:"event_action"`
	DedupKey    string     `json:"dedup_key"`
	Payload     *pdPayload `json:"payload,omitempty"`
	Client      string     `json:"client,omitempty"`
	ClientURL   string     `json:"client_url,omitempty"`
}

type pdPayload struct {
	Summary       string         `json:"summary"`
	Source        string         `json:"source"`
	Severity      Severity       `json:"severity"`
	Timestamp     string         `json:"timestamp"`
	CustomDetails map[string]any `json:"custom_details"`
}

// Name returns Label, or "pagerduty".
func (p PagerDuty) Name() string {
	if p.Label != "" {
		return p.Label
	}
	return "pagerduty"
}

// Notify sends one event. PagerDuty answers 202; any 2xx is accepted so
// that compatible receivers work too. 429 and 5xx are retryable, other
// statuses permanent.
func (p PagerDuty) Notify(ctx context.Context, n Notice) error {
	if p.RoutingKey == "" || n.DedupKey == "" {
		return fmt.Errorf("%w: %w: pagerduty needs a routing key and a dedup key", ErrPermanent, ErrConfig)
	}
	endpoint := p.URL
	if endpoint == "" {
		endpoint = PagerDutyURL
	}
	return post(ctx, request{
		client: clientOr(p.Client), url: endpoint, body: newPDEvent(p.RoutingKey, n),
		secrets: append(urlSecrets(endpoint), p.RoutingKey),
	})
}

// newPDEvent builds the event; only a trigger carries a payload.
func newPDEvent(key string, n Notice) pdEvent {
	n = n.shown()
	e := pdEvent{RoutingKey: key, EventAction: n.Action, DedupKey: n.DedupKey}
	if n.Action != Trigger {
		return e
	}
	source := n.Source
	if source == "" {
		source = "lifeboat"
	}
	e.Client, e.ClientURL = "Lifeboat", n.URL
	e.Payload = &pdPayload{
		Summary: truncate(n.Summary, maxPDSummary), Source: source, Severity: n.Severity.orDefault(),
		Timestamp: timestamp(n), CustomDetails: pdDetails(n),
	}
	return e
}

// pdDetails adds level and tier to a copy of the evidence, so responders
// see them in PagerDuty without the fields PagerDuty does not have.
func pdDetails(n Notice) map[string]any {
	d := make(map[string]any, len(n.Details)+3)
	maps.Copy(d, n.Details)
	d["level"], d["tier"] = n.Level, n.Tier
	if n.Repeat {
		d["repeat"] = true
	}
	return d
}

// truncate cuts s to at most limit bytes on a rune boundary, marking the cut.
func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit - len("…")
	for cut > 0 && !runeStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func runeStart(b byte) bool { return b&0xC0 != 0x80 }

package notify

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// Webhook POSTs the generic JSON body described in the package comment.
type Webhook struct {
	// URL receives the POST. Required; kept secret.
	URL string
	// Headers are added to every request (e.g. Authorization). Default
	// none; their values are kept secret.
	Headers map[string]string
	// Client sends the request. Default: a client with DefaultTimeout.
	Client *http.Client
	// Label is the notifier's Name. Default "webhook".
	Label string
}

// webhookBody is the generic JSON shape; see the package comment.
type webhookBody struct {
	Status    Action   `json:"status"`
	DedupKey  string   `json:"dedup_key"`
	Summary   string   `json:"summary"`
	Severity  Severity `json:"severity"`
	Level     string   `json:"level"`
	Tier      string   `json:"tier"`
	Source    string   `json:"source,omitempty"`
	Timestamp string   `json:"timestamp"`
	Repeat    bool     `json:"repeat,omitempty"`
	// IncidentKey is the stable key updates to one incident thread on,
	// Sequence its state change (see Notice.Seq).
	IncidentKey string         `json:"incident_key"`
	Sequence    int            `json:"sequence,omitempty"`
	By          string         `json:"by,omitempty"`
	URL         string         `json:"url,omitempty"`
	Details     map[string]any `json:"details,omitempty"`
}

// Name returns Label, or "webhook".
func (w Webhook) Name() string {
	if w.Label != "" {
		return w.Label
	}
	return "webhook"
}

// Notify POSTs n; any 2xx answer is success.
func (w Webhook) Notify(ctx context.Context, n Notice) error {
	if w.URL == "" {
		return fmt.Errorf("%w: %w: webhook has no URL", ErrPermanent, ErrConfig)
	}
	return post(ctx, request{
		client: clientOr(w.Client), url: w.URL, headers: w.Headers, body: newWebhookBody(n),
		secrets: append(urlSecrets(w.URL), slices.Collect(maps.Values(w.Headers))...),
	})
}

func newWebhookBody(n Notice) webhookBody {
	n = n.shown()
	return webhookBody{
		Status: n.Action, DedupKey: n.DedupKey, Summary: n.Summary, Severity: n.Severity.orDefault(),
		Level: n.Level, Tier: n.Tier, Source: n.Source, Timestamp: timestamp(n),
		Repeat: n.Repeat, By: n.By, URL: n.URL, Details: n.Details, IncidentKey: n.DedupKey, Sequence: n.Seq,
	}
}

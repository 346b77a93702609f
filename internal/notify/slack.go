package notify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Slack limits: header text 150 characters, section text 3000.
const (
	maxSlackHeader  = 150
	maxSlackSection = 3000
)

// Slack posts to an incoming webhook: a header, the summary, fields for
// level, severity and tier, and a context line.
type Slack struct {
	// WebhookURL is the incoming-webhook URL. Required; kept secret.
	WebhookURL string
	// Client sends the request. Default: a client with DefaultTimeout.
	Client *http.Client
	// Label is the notifier's Name. Default "slack".
	Label string
}

type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Fields   []slackText `json:"fields,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackText struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

// Name returns Label, or "slack".
func (s Slack) Name() string {
	if s.Label != "" {
		return s.Label
	}
	return "slack"
}

// Notify posts n; Slack answers 200 "ok".
func (s Slack) Notify(ctx context.Context, n Notice) error {
	if s.WebhookURL == "" {
		return fmt.Errorf("%w: %w: slack has no webhook URL", ErrPermanent, ErrConfig)
	}
	return post(ctx, request{
		client: clientOr(s.Client), url: s.WebhookURL, body: newSlackMessage(n), secrets: urlSecrets(s.WebhookURL),
	})
}

func newSlackMessage(n Notice) slackMessage {
	n = n.shown()
	head := slackHeadline(n)
	summary := truncate(slackEscape(n.Summary), maxSlackSection)
	return slackMessage{
		Text: head + ": " + slackEscape(n.Summary),
		Blocks: []slackBlock{
			{Type: "header", Text: &slackText{Type: "plain_text", Text: truncate(head, maxSlackHeader), Emoji: true}},
			{Type: "section", Text: &slackText{Type: "mrkdwn", Text: summary}},
			{Type: "section", Fields: []slackText{
				mrkdwn("*Level*\n" + orDash(n.Level)),
				mrkdwn("*Severity*\n" + string(n.Severity.orDefault())),
				mrkdwn("*Tier*\n" + orDash(n.Tier)),
			}},
			{Type: "context", Elements: []slackText{mrkdwn(slackContext(n))}},
		},
	}
}

// slackHeadline gives each action its own wording, so a resolution does
// not look like another page.
func slackHeadline(n Notice) string {
	switch {
	case n.Action == Resolve:
		return ":white_check_mark: Resolved: incident " + n.DedupKey
	case n.Action == Acknowledge && n.By != "":
		return ":eyes: Acknowledged by " + n.By + ": incident " + n.DedupKey
	case n.Action == Acknowledge:
		return ":eyes: Acknowledged: incident " + n.DedupKey
	case n.DryRun:
		return fmt.Sprintf(":test_tube: DRY RUN, %s %s: incident %s (traffic did not move)", orDash(n.Level), n.Severity.orDefault(), n.DedupKey)
	case n.Repeat:
		return fmt.Sprintf(":rotating_light: Still open, %s %s: incident %s", orDash(n.Level), n.Severity.orDefault(), n.DedupKey)
	}
	return fmt.Sprintf(":rotating_light: %s %s: incident %s", orDash(n.Level), n.Severity.orDefault(), n.DedupKey)
}

func slackContext(n Notice) string {
	parts := []string{"Lifeboat"}
	if n.Source != "" {
		parts = append(parts, slackEscape(n.Source))
	}
	parts = append(parts, timestamp(n))
	if n.URL != "" {
		parts = append(parts, "<"+n.URL+"|status page>")
	}
	return strings.Join(parts, " · ")
}

func mrkdwn(s string) slackText { return slackText{Type: "mrkdwn", Text: s} }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// slackEscape escapes the three characters Slack's mrkdwn treats as markup.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

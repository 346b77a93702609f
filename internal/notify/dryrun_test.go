package notify

import (
	"context"
	"strings"
	"testing"
)

// A dry run's L3 reaches every receiver marked as a rehearsal: the
// summary says so, the severity is at most warning so nobody is paged as
// for a critical incident, and the details carry dry_run. The notice
// handed in is left as it was.
func TestDryRunIsMarkedInEveryChannel(t *testing.T) {
	r := newReceiver(t)
	n := sample()
	n.DryRun = true
	ctx := context.Background()
	notifiers := []Notifier{
		Slack{WebhookURL: r.URL + "/slack"},
		PagerDuty{RoutingKey: "key", URL: r.URL + "/pd"},
		Webhook{URL: r.URL + "/hook"},
	}
	for _, nt := range notifiers {
		if err := nt.Notify(ctx, n); err != nil {
			t.Fatalf("%s: %v", nt.Name(), err)
		}
	}
	got := r.got()
	slack := jsonOf(t, got[0].Body)
	if text, _ := slack["text"].(string); !strings.HasPrefix(text, ":test_tube: DRY RUN, L3 warning") || !strings.Contains(text, "[DRY RUN] Lifeboat L3") {
		t.Errorf("slack text %q", text)
	}
	pd := jsonOf(t, got[1].Body)["payload"].(map[string]any)
	details := pd["custom_details"].(map[string]any)
	if pd["severity"] != "warning" || details["dry_run"] != true || !strings.HasPrefix(pd["summary"].(string), "[DRY RUN] ") {
		t.Errorf("pagerduty payload %v", pd)
	}
	hook := jsonOf(t, got[2].Body)
	if hook["severity"] != "warning" || hook["details"].(map[string]any)["dry_run"] != true || !strings.HasPrefix(hook["summary"].(string), "[DRY RUN] ") {
		t.Errorf("webhook body %v", hook)
	}
	if n.Severity != SeverityCritical || n.Details["dry_run"] != nil {
		t.Errorf("the caller's notice changed: %+v", n)
	}
}

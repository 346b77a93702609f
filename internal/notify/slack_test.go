package notify

import (
	"context"
	"strings"
	"testing"
)

func TestSlackTriggerBlocks(t *testing.T) {
	r := newReceiver(t)
	n := sample()
	n.URL = "https://status.example/inc-1"
	if err := (Slack{WebhookURL: r.URL + "/services/T000/B000/XXXX"}).Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, r.got()[0].Body, `{
	 "text":":rotating_light: L3 critical: incident inc-1: Lifeboat L3: ROLLBACK SUCCESSFUL (trigger error_rate 0.62 &gt; 0.2)",
	 "blocks":[
	  {"type":"header","text":{"type":"plain_text","text":":rotating_light: L3 critical: incident inc-1","emoji":true}},
	  {"type":"section","text":{"type":"mrkdwn","text":"Lifeboat L3: ROLLBACK SUCCESSFUL (trigger error_rate 0.62 &gt; 0.2)"}},
	  {"type":"section","fields":[{"type":"mrkdwn","text":"*Level*\nL3"},{"type":"mrkdwn","text":"*Severity*\ncritical"},{"type":"mrkdwn","text":"*Tier*\ndevops"}]},
	  {"type":"context","elements":[{"type":"mrkdwn","text":"Lifeboat · 127.0.0.1:8080 · 2025-03-01T12:00:00Z · <https://status.example/inc-1|status page>"}]}
	 ]}`)
}

func TestSlackWordingPerAction(t *testing.T) {
	cases := map[string]func(*Notice){
		":white_check_mark: Resolved: incident inc-1":              func(n *Notice) { n.Action = Resolve },
		":eyes: Acknowledged by alice: incident inc-1":             func(n *Notice) { n.Action, n.By = Acknowledge, "alice" },
		":eyes: Acknowledged: incident inc-1":                      func(n *Notice) { n.Action = Acknowledge },
		":rotating_light: Still open, L3 critical: incident inc-1": func(n *Notice) { n.Repeat = true },
	}
	for want, edit := range cases {
		n := sample()
		edit(&n)
		m := newSlackMessage(n)
		if m.Blocks[0].Text.Text != want || !strings.HasPrefix(m.Text, want+": ") {
			t.Errorf("header = %q, text %q, want %q", m.Blocks[0].Text.Text, m.Text, want)
		}
	}
}

func TestSlackHeaderIsTruncated(t *testing.T) {
	n := sample()
	n.DedupKey = strings.Repeat("é", 200)
	h := newSlackMessage(n).Blocks[0].Text.Text
	if len(h) > maxSlackHeader || !strings.HasSuffix(h, "…") || !strings.ContainsRune(h, 'é') {
		t.Fatalf("header of %d bytes: %q", len(h), h)
	}
}

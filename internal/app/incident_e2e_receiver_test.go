package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// e2eDelivery is one request the receiver got, read back into the
// notice it carried whatever the notifier's format.
type e2eDelivery struct {
	Seq      int    // arrival order across all notifiers
	Notifier string // slack, pagerduty or webhook, from the path
	Action   string // trigger, acknowledge or resolve
	Tier     string // empty for PagerDuty's acknowledge and resolve
	Repeat   bool
	By       string
	DedupKey string
	Stamp    string // the notice's time as sent, RFC 3339 to the second
	Secret   string // routing key or Authorization header as received
	Summary  string // Slack's summary section
	State    int    // the webhook's sequence: the incident's state change
}

// String is the delivery as the sequences in the tests spell it.
func (d e2eDelivery) String() string {
	parts := []string{d.Action}
	for _, p := range []string{d.Tier, map[bool]string{true: "repeat"}[d.Repeat], d.By} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// e2eReceiver stands in for Slack, PagerDuty and a generic webhook, and
// records every request.
type e2eReceiver struct {
	t   *testing.T
	srv *httptest.Server
	mu  sync.Mutex
	got []e2eDelivery
}

func newE2EReceiver(t *testing.T) *e2eReceiver {
	r := &e2eReceiver{t: t}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *e2eReceiver) serve(w http.ResponseWriter, req *http.Request) {
	raw, _ := io.ReadAll(req.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		r.t.Errorf("receiver: %s sent a body that is not JSON: %s", req.URL.Path, raw)
	}
	var d e2eDelivery
	switch {
	case strings.HasPrefix(req.URL.Path, "/slack/"):
		d = e2eSlack(body)
		w.Write([]byte("ok"))
	case req.URL.Path == "/pagerduty":
		d = e2ePagerDuty(body)
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"status":"success"}`))
	default:
		d = e2eWebhook(body)
		d.Secret = req.Header.Get("Authorization")
	}
	r.mu.Lock()
	d.Seq = len(r.got) + 1
	r.got = append(r.got, d)
	r.mu.Unlock()
}

func e2eSlack(b map[string]any) e2eDelivery {
	d := e2eDelivery{Notifier: "slack"}
	blocks, _ := b["blocks"].([]any)
	if len(blocks) < 4 {
		return d
	}
	head := e2eStr(e2eDig(blocks[0], "text", "text"))
	switch {
	case strings.HasPrefix(head, ":white_check_mark: Resolved"):
		d.Action = "resolve"
	case strings.HasPrefix(head, ":eyes: Acknowledged by "):
		d.Action = "acknowledge"
		d.By, _, _ = strings.Cut(strings.TrimPrefix(head, ":eyes: Acknowledged by "), ":")
	default:
		d.Action, d.Repeat = "trigger", strings.HasPrefix(head, ":rotating_light: Still open")
	}
	_, d.DedupKey, _ = strings.Cut(head, "incident ")
	d.Summary = e2eStr(e2eDig(blocks[1], "text", "text"))
	if fields, _ := e2eDig(blocks[2], "fields").([]any); len(fields) == 3 {
		d.Tier = strings.TrimPrefix(e2eStr(e2eDig(fields[2], "text")), "*Tier*\n")
	}
	if els, _ := e2eDig(blocks[3], "elements").([]any); len(els) == 1 {
		parts := strings.Split(e2eStr(e2eDig(els[0], "text")), " · ")
		d.Stamp = parts[len(parts)-1]
	}
	return d
}

func e2ePagerDuty(b map[string]any) e2eDelivery {
	return e2eDelivery{
		Notifier: "pagerduty", Action: e2eStr(b["event_action"]), DedupKey: e2eStr(b["dedup_key"]),
		Tier: e2eStr(e2eDig(b, "payload", "custom_details", "tier")), Repeat: e2eDig(b, "payload", "custom_details", "repeat") == true,
		Stamp: e2eStr(e2eDig(b, "payload", "timestamp")), Secret: e2eStr(b["routing_key"]),
	}
}

func e2eWebhook(b map[string]any) e2eDelivery {
	return e2eDelivery{
		Notifier: "webhook", Action: e2eStr(b["status"]), Tier: e2eStr(b["tier"]), Repeat: b["repeat"] == true,
		By: e2eStr(b["by"]), DedupKey: e2eStr(b["dedup_key"]), Stamp: e2eStr(b["timestamp"]),
		State: e2eInt(b["sequence"]),
	}
}

func e2eDig(v any, path ...string) any {
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func e2eStr(v any) string { s, _ := v.(string); return s }

// of returns what one notifier received, in order.
func (r *e2eReceiver) of(notifier string) []e2eDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []e2eDelivery
	for _, d := range r.got {
		if d.Notifier == notifier {
			out = append(out, d)
		}
	}
	return out
}

// waitFor waits until notifier has received at least n requests.
func (r *e2eReceiver) waitFor(notifier string, n int) []e2eDelivery {
	r.t.Helper()
	var got []e2eDelivery
	eventually(r.t, notifier+" receives "+strconv.Itoa(n)+" requests", func() bool { got = r.of(notifier); return len(got) >= n })
	return got
}

// sequence spells what one notifier received.
func (r *e2eReceiver) sequence(notifier string) []string {
	var out []string
	for _, d := range r.of(notifier) {
		out = append(out, d.String())
	}
	return out
}

// e2eStamp is how the notifiers write a notice's time.
func e2eStamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func e2eInt(v any) int {
	f, _ := v.(float64)
	return int(f)
}

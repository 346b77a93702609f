package notify

import (
	"fmt"
	"testing"
	"time"
)

// The whole path over loopback: chain → dispatcher → retry → receivers
// standing in for Slack, PagerDuty and a webhook, through an L1 → L3
// incident that is acknowledged and resolved.
func TestEndToEndOverHTTP(t *testing.T) {
	slack, pd, hook := newReceiver(t), newReceiver(t, 500, 202), newReceiver(t)
	results := make(chan Result, 64)
	d := New(Options{Timeout: 5 * time.Second, OnResult: func(r Result) { results <- r }})
	startDispatcher(t, d)
	retry := func(n Notifier) Notifier { return Retry(n, 3, time.Millisecond, 10*time.Millisecond) }
	c, err := NewChain(ChainSettings{
		Tiers: []Tier{
			{Name: "devops", Notifiers: []Notifier{retry(Slack{WebhookURL: slack.URL + "/services/T/B/X"}), retry(Webhook{URL: hook.URL})}},
			{Name: "director", After: 15 * time.Minute, Notifiers: []Notifier{retry(PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: pd.URL})}},
		},
		Cadence: map[string]time.Duration{"L1": 30 * time.Second},
	}, d)
	if err != nil {
		t.Fatal(err)
	}
	// Each step's deliveries are awaited before the next, so what the
	// receivers see does not depend on how fast loopback delivers (a
	// dispatcher lane keeps only the latest of notices still waiting).
	var pdAttempts []int
	await := func(n int) {
		t.Helper()
		for range n {
			select {
			case r := <-results:
				if r.Err != nil {
					t.Fatalf("%s: %v", r.Notifier, r.Err)
				}
				if r.Notifier == "pagerduty" {
					pdAttempts = append(pdAttempts, r.Attempts)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("deliveries did not finish")
			}
		}
	}
	c.Open("inc-7", notice("L1", "latency p95 2.1s > 2s", 0))
	await(2)
	c.Tick(t0.Add(30 * time.Second)) // repeat to devops
	await(2)
	c.Tick(t0.Add(15 * time.Minute)) // director paged; devops repeats on its own cadence
	await(3)
	c.Update("inc-7", notice("L3", "ROLLBACK SUCCESSFUL", 16*time.Minute)) // both tiers
	await(3)
	c.Ack("inc-7", "alice", t0.Add(17*time.Minute))
	await(3)
	c.Resolve("inc-7", notice("L0", "restored", 20*time.Minute))
	await(3)

	if fmt.Sprint(pdAttempts) != "[2 1 1 1]" {
		t.Fatalf("pagerduty attempts %v: the first 500 is retried once", pdAttempts)
	}
	var pdActions []string
	for _, h := range pd.got() {
		m := jsonOf(t, h.Body)
		if m["dedup_key"] != "inc-7" {
			t.Fatalf("dedup_key %v", m["dedup_key"])
		}
		pdActions = append(pdActions, m["event_action"].(string))
	}
	if fmt.Sprint(pdActions) != "[trigger trigger trigger acknowledge resolve]" {
		t.Fatalf("pagerduty saw %v (first trigger twice: 500 then 202)", pdActions)
	}
	var hookSeen []string
	for _, h := range hook.got() {
		m := jsonOf(t, h.Body)
		hookSeen = append(hookSeen, fmt.Sprintf("%s/%v/%s", m["status"], m["repeat"] == true, m["level"]))
	}
	if want := "[trigger/false/L1 trigger/true/L1 trigger/true/L1 trigger/false/L3 acknowledge/false/L3 resolve/false/L0]"; fmt.Sprint(hookSeen) != want {
		t.Fatalf("webhook saw %v, want %s", hookSeen, want)
	}
	if len(slack.got()) != 6 {
		t.Fatalf("slack saw %d posts", len(slack.got()))
	}
}

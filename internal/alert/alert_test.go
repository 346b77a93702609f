package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/notify"
	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

var t0 = time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)

// receiver is a webhook that keeps the bodies it was sent.
type receiver struct {
	mu     sync.Mutex
	bodies []map[string]any
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, body)
	rc.mu.Unlock()
}

// running starts Alerts paging devops through one webhook, under the
// test's control of the chain's clock, and stops it when the test ends.
func running(t *testing.T, url string, events event.Sink) *Alerts {
	t.Helper()
	a, err := New(Options{Notifiers: []Notifier{{Name: "ops", URL: secret.Secret(url)}}, Tiers: []Tier{{Name: "devops", Notifiers: []string{"ops"}}},
		Attempts: 1, Dir: t.TempDir(), Source: "lifeboat@test", Manual: true, Events: events, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { a.Run(ctx) })
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		_ = a.Stop(stop)
		cancel()
		wg.Wait()
	})
	return a
}

// An opened incident pages the first tier, in one line with its level and
// trigger, and the delivery comes back as a notify.sent fact.
func TestOpenedIncidentPagesAndReportsTheDelivery(t *testing.T) {
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	results := make(chan event.Event, 4)
	a := running(t, srv.URL, event.SinkFunc(func(e event.Event) { results <- e }))
	inc := incident.Incident{ID: "INC-1", Level: "L3", MaxLevel: "L3", Trigger: "primary_down", Rollback: "ROLLBACK SUCCESSFUL", OpenedAt: t0}
	a.Change(incident.Change{Kind: incident.Opened, Incident: inc, Entry: incident.Entry{Time: t0}})
	var sent event.Event
	select {
	case sent = <-results:
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery reported")
	}
	d, ok := sent.Typed().(fact.NotifySent)
	if !ok || d.Notifier != "ops" || d.Tier != "devops" || d.Incident != "INC-1" || sent.Message != "alert sent: trigger to ops (devops)" {
		t.Fatalf("delivery event %+v (%T)", sent, sent.Typed())
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	body := rc.bodies[0]
	if body["summary"] != "Lifeboat L3: incident INC-1, trigger primary_down — ROLLBACK SUCCESSFUL" ||
		body["severity"] != "critical" || body["source"] != "lifeboat@test" || body["status"] != "trigger" {
		t.Fatalf("notice %v", body)
	}
}

// The level sets the notice's severity: L3 critical, L2 error, below a
// warning.
func TestSeverityFollowsTheLevel(t *testing.T) {
	for level, want := range map[string]notify.Severity{"L3": notify.SeverityCritical, "L2": notify.SeverityError,
		"L1": notify.SeverityWarning, "L0": notify.SeverityWarning} {
		if got := severity(level); got != want {
			t.Errorf("severity(%s) = %s, want %s", level, got, want)
		}
	}
}

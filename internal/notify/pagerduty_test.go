package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPagerDutyTriggerEvent(t *testing.T) {
	r := newReceiver(t, 202)
	r.body = `{"status":"success","message":"Event processed","dedup_key":"inc-1"}`
	p := PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: r.URL + "/v2/enqueue"}
	n := sample()
	n.URL = "https://status.example/inc-1"
	if err := p.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	h := r.got()[0]
	if h.Path != "/v2/enqueue" {
		t.Fatalf("path %q", h.Path)
	}
	sameJSON(t, h.Body, `{"routing_key":"R0UTINGKEY0123456789","event_action":"trigger","dedup_key":"inc-1",
	  "client":"Lifeboat","client_url":"https://status.example/inc-1",
	  "payload":{"summary":"Lifeboat L3: ROLLBACK SUCCESSFUL (trigger error_rate 0.62 \u003e 0.2)",
	    "source":"127.0.0.1:8080","severity":"critical","timestamp":"2025-03-01T12:00:00Z",
	    "custom_details":{"mode":"fallback","error_rate":0.62,"level":"L3","tier":"devops"}}}`)
}

func TestPagerDutyAckAndResolveHaveNoPayload(t *testing.T) {
	r := newReceiver(t, 202)
	p := PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: r.URL}
	for _, a := range []Action{Acknowledge, Resolve} {
		n := sample()
		n.Action = a
		if err := p.Notify(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	got := r.got()
	sameJSON(t, got[0].Body, `{"routing_key":"R0UTINGKEY0123456789","event_action":"acknowledge","dedup_key":"inc-1"}`)
	sameJSON(t, got[1].Body, `{"routing_key":"R0UTINGKEY0123456789","event_action":"resolve","dedup_key":"inc-1"}`)
}

func TestPagerDutyDefaultsAndLimits(t *testing.T) {
	n := sample()
	n.Source, n.Summary, n.Severity, n.Repeat = "", strings.Repeat("x", 2000), "bogus", true
	e := newPDEvent("k", n)
	if e.Payload.Source != "lifeboat" || e.Payload.Severity != SeverityError || len(e.Payload.Summary) > maxPDSummary {
		t.Fatalf("payload = %+v", e.Payload)
	}
	if e.Payload.CustomDetails["repeat"] != true || n.Details["level"] != nil {
		t.Fatal("repeat must be marked in a copy of the details, leaving the notice's map alone")
	}
	if (PagerDuty{}).Name() != "pagerduty" {
		t.Fatal("default name")
	}
}

func TestPagerDutyStatuses(t *testing.T) {
	cases := []struct {
		code      int
		permanent bool
	}{{400, true}, {403, true}, {429, false}, {500, false}, {502, false}}
	for _, c := range cases {
		r := newReceiver(t, c.code)
		err := PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: r.URL}.Notify(context.Background(), sample())
		if !errors.Is(err, ErrStatus) || errors.Is(err, ErrPermanent) != c.permanent {
			t.Errorf("%d: err = %v, want permanent %v", c.code, err, c.permanent)
		}
	}
}

func TestPagerDutyRetryAfterIsRead(t *testing.T) {
	r := newReceiver(t, 429)
	r.header.Set("Retry-After", "7")
	err := PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: r.URL}.Notify(context.Background(), sample())
	var se *statusError
	if !errors.As(err, &se) || se.retryAfter != 7*time.Second {
		t.Fatalf("err = %#v", err)
	}
}

func TestPagerDutyNeedsKeys(t *testing.T) {
	for _, p := range []PagerDuty{{}, {RoutingKey: "k"}} {
		n := sample()
		if p.RoutingKey != "" {
			n.DedupKey = ""
		}
		if err := p.Notify(context.Background(), n); !errors.Is(err, ErrConfig) || !errors.Is(err, ErrPermanent) {
			t.Fatalf("err = %v", err)
		}
	}
}

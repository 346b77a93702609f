package notify

import (
	"context"
	"errors"
	"testing"
)

func TestWebhookPostsGenericJSON(t *testing.T) {
	r := newReceiver(t)
	w := Webhook{URL: r.URL + "/hooks/lifeboat?token=s3cret", Headers: map[string]string{"Authorization": "Bearer tok-123"}}
	if err := w.Notify(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	h := r.got()[0]
	sameJSON(t, h.Body, `{"status":"trigger","dedup_key":"inc-1","incident_key":"inc-1",
		"summary":"Lifeboat L3: ROLLBACK SUCCESSFUL (trigger error_rate 0.62 \u003e 0.2)",
		"severity":"critical","level":"L3","tier":"devops","source":"127.0.0.1:8080",
		"timestamp":"2025-03-01T12:00:00Z","details":{"mode":"fallback","error_rate":0.62}}`)
	if h.Header.Get("Authorization") != "Bearer tok-123" || h.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers = %v", h.Header)
	}
	if h.Path != "/hooks/lifeboat?token=s3cret" {
		t.Fatalf("path = %q", h.Path)
	}
}

func TestWebhookAckAndResolveShape(t *testing.T) {
	r := newReceiver(t, 204)
	w := Webhook{URL: r.URL}
	ack := sample()
	ack.Action, ack.By, ack.Details, ack.URL = Acknowledge, "alice", nil, "http://status.example/inc-1"
	if err := w.Notify(context.Background(), ack); err != nil {
		t.Fatal(err)
	}
	rep := sample()
	rep.Repeat, rep.Severity = true, ""
	if err := w.Notify(context.Background(), rep); err != nil {
		t.Fatal(err)
	}
	got := r.got()
	m := jsonOf(t, got[0].Body)
	if m["status"] != "acknowledge" || m["by"] != "alice" || m["url"] != "http://status.example/inc-1" || m["details"] != nil {
		t.Fatalf("ack body = %v", m)
	}
	m = jsonOf(t, got[1].Body)
	if m["repeat"] != true || m["severity"] != "error" {
		t.Fatalf("repeat body = %v (empty severity must become error)", m)
	}
}

func TestWebhookStatusClasses(t *testing.T) {
	cases := []struct {
		code      int
		permanent bool
	}{{400, true}, {404, true}, {429, false}, {500, false}, {503, false}}
	for _, c := range cases {
		r := newReceiver(t, c.code)
		err := Webhook{URL: r.URL}.Notify(context.Background(), sample())
		if !errors.Is(err, ErrStatus) || errors.Is(err, ErrPermanent) != c.permanent {
			t.Errorf("%d: err = %v, permanent want %v", c.code, err, c.permanent)
		}
	}
}

func TestWebhookWithoutURLIsPermanent(t *testing.T) {
	err := Webhook{}.Notify(context.Background(), sample())
	if !errors.Is(err, ErrConfig) || !errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v", err)
	}
	if (Webhook{}).Name() != "webhook" || (Webhook{Label: "ops-hook"}).Name() != "ops-hook" {
		t.Fatal("Name must default to the type and honour Label")
	}
}

func TestUnencodableDetailsArePermanent(t *testing.T) {
	r := newReceiver(t)
	n := sample()
	n.Details = map[string]any{"f": func() {}}
	err := Webhook{URL: r.URL}.Notify(context.Background(), n)
	if !errors.Is(err, ErrEncode) || !errors.Is(err, ErrPermanent) || len(r.got()) != 0 {
		t.Fatalf("err = %v, hits %d", err, len(r.got()))
	}
}

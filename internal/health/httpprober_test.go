package health

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// serve starts a loopback server answering every request with status and body.
func serve(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func probeOnce(t *testing.T, url string, s Settings) Result {
	t.Helper()
	return NewHTTPProber(nil, url, s).Probe(context.Background())
}

func TestHTTPProberStatus(t *testing.T) {
	cases := []struct {
		name   string
		status int
		expect []int
		ok     bool
		reason string
	}{
		{"default expects 200", 200, nil, true, "ok"},
		{"503 fails", 503, nil, false, "status 503"},
		{"204 fails by default", 204, nil, false, "status 204"},
		{"204 listed", 204, []int{200, 204}, true, "ok"},
		{"redirect is not followed", 302, nil, false, "status 302"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := probeOnce(t, serve(t, c.status, "{}"), Settings{ExpectStatus: c.expect})
			if r.OK != c.ok || r.Reason != c.reason || r.StatusCode != c.status {
				t.Errorf("got OK=%v reason=%q code=%d, want %v %q %d", r.OK, r.Reason, r.StatusCode, c.ok, c.reason, c.status)
			}
		})
	}
}

func TestHTTPProberJSONField(t *testing.T) {
	upValues := []string{"ok", "healthy", "true"}
	cases := []struct {
		name, field, body string
		ok                bool
		reason            string
	}{
		{"openviking ok", "status", `{"status":"ok","healthy":true}`, true, "ok"},
		{"lightrag healthy", "status", `{"status":"healthy","pipeline_busy":false}`, true, "ok"},
		{"degraded", "status", `{"status":"degraded"}`, false, `field status="degraded"`},
		{"boolean field", "healthy", `{"status":"ok","healthy":true}`, true, "ok"},
		{"boolean false", "healthy", `{"healthy":false}`, false, "field healthy=false"},
		{"number", "status", `{"status":1}`, false, "field status=1"},
		{"null", "status", `{"status":null}`, false, "field status=null"},
		{"nested", "checks.db", `{"checks":{"db":"ok"}}`, true, "ok"},
		{"nested bad", "checks.db", `{"checks":{"db":"down"}}`, false, `field checks.db="down"`},
		{"nested through scalar", "checks.db", `{"checks":"ok"}`, false, "field checks.db missing"},
		{"missing", "status", `{"healthy":true}`, false, "field status missing"},
		{"object value", "checks", `{"checks":{"db":"ok"}}`, false, "field checks not a scalar"},
		{"plain text", "status", `OK`, false, "body not JSON"},
		{"json array", "status", `["ok"]`, false, "body not JSON"},
		{"empty body", "status", ``, false, "body not JSON"},
		{"case matters", "status", `{"status":"OK"}`, false, `field status="OK"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Settings{JSONField: c.field, HealthyValues: upValues}
			r := probeOnce(t, serve(t, 200, c.body), s)
			if r.OK != c.ok || r.Reason != c.reason {
				t.Errorf("got OK=%v reason=%q (error %q), want %v %q", r.OK, r.Reason, r.Error, c.ok, c.reason)
			}
			if !r.OK && r.Error == "" {
				t.Error("failed probe carries no error text")
			}
		})
	}
}

func TestHTTPProberStatusIsCheckedBeforeBody(t *testing.T) {
	s := Settings{JSONField: "status", HealthyValues: []string{"ready"}}
	r := probeOnce(t, serve(t, 503, `{"status":"not_ready"}`), s)
	if r.OK || r.Reason != "status 503" {
		t.Errorf("got OK=%v reason=%q, want status 503", r.OK, r.Reason)
	}
}

func TestHTTPProberLongValueIsShortened(t *testing.T) {
	long := strings.Repeat("x", 500)
	s := Settings{JSONField: "status", HealthyValues: []string{"ok"}}
	r := probeOnce(t, serve(t, 200, `{"status":"`+long+`"}`), s)
	if r.OK || len(r.Reason) > 100 || !strings.HasSuffix(r.Reason, "...") {
		t.Errorf("reason = %q (%d bytes), want a shortened value", r.Reason, len(r.Reason))
	}
}

func TestHTTPProberBodyLimit(t *testing.T) {
	s := Settings{JSONField: "status", HealthyValues: []string{"ok"}}
	big := `{"status":"ok","pad":"` + strings.Repeat("x", maxBody) + `"}`
	if r := probeOnce(t, serve(t, 200, big), s); r.OK || r.Reason != "body too large" {
		t.Errorf("got OK=%v reason=%q, want body too large", r.OK, r.Reason)
	}
}

func TestHTTPProberMeasures(t *testing.T) {
	before := time.Now()
	r := probeOnce(t, serve(t, 200, ""), Settings{})
	if r.At.Before(before) || r.Latency <= 0 {
		t.Errorf("At=%v Latency=%v, want At after %v and positive latency", r.At, r.Latency, before)
	}
}

func TestHTTPProberTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // Hang until the prober gives up.
	}))
	t.Cleanup(srv.Close)
	r := probeOnce(t, srv.URL, Settings{Timeout: 50 * time.Millisecond})
	if r.OK || r.Reason != "timeout" || r.StatusCode != 0 {
		t.Errorf("got OK=%v reason=%q code=%d (error %q), want timeout", r.OK, r.Reason, r.StatusCode, r.Error)
	}
}

func TestHTTPProberBodyTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"status":`))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // Stall in the middle of the body.
	}))
	t.Cleanup(srv.Close)
	s := Settings{Timeout: 50 * time.Millisecond, JSONField: "status", HealthyValues: []string{"ok"}}
	r := probeOnce(t, srv.URL, s)
	if r.OK || r.Reason != "body read timeout" || r.StatusCode != 200 {
		t.Errorf("got OK=%v reason=%q code=%d, want body read timeout", r.OK, r.Reason, r.StatusCode)
	}
}

func TestHTTPProberConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // Nothing listens on addr any more.
	r := probeOnce(t, "http://"+addr+"/health", Settings{})
	if r.OK || r.Reason != "connect refused" || r.Error == "" {
		t.Errorf("got OK=%v reason=%q error=%q, want connect refused", r.OK, r.Reason, r.Error)
	}
}

func TestHTTPProberInvalidURL(t *testing.T) {
	r := probeOnce(t, "http://[::1", Settings{})
	if r.OK || r.Reason != "invalid request" {
		t.Errorf("got OK=%v reason=%q, want invalid request", r.OK, r.Reason)
	}
}

func TestHTTPProberUsesGivenClient(t *testing.T) {
	accept := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept <- r.Header.Get("Accept")
	}))
	t.Cleanup(srv.Close)
	r := NewHTTPProber(srv.Client(), srv.URL, Settings{}).Probe(context.Background())
	if sawHeader := <-accept; !r.OK || sawHeader != "application/json" {
		t.Errorf("OK=%v Accept=%q, want pass with Accept: application/json", r.OK, sawHeader)
	}
}

package notify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func noSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error leaks %q: %v", s, err)
		}
	}
}

func TestTransportErrorsHideURL(t *testing.T) {
	r := newReceiver(t)
	addr := r.URL
	r.Close() // connection refused from now on
	s := Slack{WebhookURL: addr + "/services/T0SECRET/B0SECRET/XXSECRETXX"}
	err := s.Notify(context.Background(), sample())
	noSecrets(t, err, "T0SECRET", "XXSECRETXX")
	if !errors.Is(err, ErrSend) || !strings.Contains(err.Error(), addr+"/<redacted>") {
		t.Fatalf("err = %v", err)
	}
	w := Webhook{URL: addr + "/h?token=QSECRET", Headers: map[string]string{"X-Key": "HSECRET"}}
	noSecrets(t, w.Notify(context.Background(), sample()), "QSECRET", "HSECRET")
}

func TestEchoedSecretsAreScrubbed(t *testing.T) {
	r := newReceiver(t, 400)
	r.body = `{"status":"invalid event","message":"bad routing key R0UTINGKEY0123456789"}`
	err := PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: r.URL}.Notify(context.Background(), sample())
	noSecrets(t, err, "R0UTINGKEY0123456789")
	if !strings.Contains(err.Error(), "bad routing key <redacted>") || !strings.Contains(err.Error(), "400") {
		t.Fatalf("err = %v", err)
	}
	r2 := newReceiver(t, 403)
	r2.body = "invalid_token for /services/T0SECRET/B0SECRET/XXSECRETXX"
	noSecrets(t, Slack{WebhookURL: r2.URL + "/services/T0SECRET/B0SECRET/XXSECRETXX"}.Notify(context.Background(), sample()), "XXSECRETXX")
}

func TestBadURLIsNotQuoted(t *testing.T) {
	err := Webhook{URL: "http://host:port/x?token=QSECRET\x7f"}.Notify(context.Background(), sample())
	noSecrets(t, err, "QSECRET")
	if !errors.Is(err, ErrConfig) || !errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v", err)
	}
}

func TestTimeoutErrorHidesURL(t *testing.T) {
	release := make(chan struct{})
	r := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer r.Close()
	defer close(release)
	c := &http.Client{Timeout: 50 * time.Millisecond}
	err := Webhook{URL: r.URL + "/h/TSECRET", Client: c}.Notify(context.Background(), sample())
	noSecrets(t, err, "TSECRET")
	if !errors.Is(err, ErrSend) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"https://hooks.slack.com/services/T/B/X": "https://hooks.slack.com/<redacted>",
		"https://u:pw@example.com":               "https://example.com",
		"https://example.com/":                   "https://example.com",
		"https://example.com?k=v":                "https://example.com/<redacted>",
		"::nonsense":                             "<redacted> URL",
	}
	for in, want := range cases {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

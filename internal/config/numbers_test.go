package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The plan writes durations as plain seconds; they read as seconds, in
// every place a duration is expected, and the line numbers of other errors
// stay true.
func TestPlainNumbersAreSeconds(t *testing.T) {
	c, err := Parse([]byte("breaker:\n  recovery_timeout: 30\n  max_recovery_timeout: 1.5\n" +
		"notify: {cadence: {L1: 10}}\nroutes: [{name: a, paths: [/a], cache_ttl: 90}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Breaker.RecoveryTimeout != 30*time.Second || c.Breaker.MaxRecoveryTimeout != 1500*time.Millisecond ||
		c.Notify.Cadence["L1"] != 10*time.Second || c.Routes[0].CacheTTL != 90*time.Second {
		t.Fatalf("got %s, %s, %s, %s", c.Breaker.RecoveryTimeout, c.Breaker.MaxRecoveryTimeout, c.Notify.Cadence["L1"], c.Routes[0].CacheTTL)
	}
	if _, err := Parse([]byte("breaker: {recovery_timeout: -30}\n")); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), "breaker.recovery_timeout") {
		t.Fatalf("a negative number: %v, want the field named", err)
	}
}

// A value of the wrong type is refused naming its line, its field and,
// for durations, the forms wanted.
func TestWrongTypesNameTheField(t *testing.T) {
	_, err := Parse([]byte("breaker: {recovery_timeout: 30}\nqueue:\n  timeout: soon\n  max_queue_size: many\n"))
	if !errors.Is(err, ErrParse) {
		t.Fatalf("err %v, want ErrParse", err)
	}
	for _, want := range []string{"line 3, queue.timeout:", `"30s"`, "plain number of seconds", "line 4, queue.max_queue_size:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// The reports' other three: a plain HTTP health check is accepted, an
// invalid max_bytes does not become another field's bound, and a fallback
// that is the primary is refused.
func TestConfigurationThatMisled(t *testing.T) {
	c, err := Parse([]byte("upstreams: {primary: {health: {json_field: \"\"}}}\n"))
	if err != nil || c.Upstreams.Primary.Health.JSONField != "" {
		t.Fatalf("a plain HTTP check: %v", err)
	}
	_, err = Parse([]byte("cache: {max_bytes: -1}\n"))
	if err == nil || strings.Contains(err.Error(), "max_entry_bytes") || !strings.Contains(err.Error(), "cache.max_bytes") {
		t.Fatalf("max_bytes -1: %v; want only cache.max_bytes named", err)
	}
	_, err = Parse([]byte("upstreams: {fallback: {url: \"http://127.0.0.1:1933/\"}}\n"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "upstreams.fallback.url: must differ") {
		t.Fatalf("fallback = primary: %v", err)
	}
}

package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/route"
)

func TestParseEmptyIsDefault(t *testing.T) {
	for _, in := range []string{"", "{}", "---\n", "# only a comment\n", "~\n"} {
		got, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		assertEqualConfig(t, got, Default())
	}
}

func TestParsePartialKeepsDefaults(t *testing.T) {
	got, err := Parse([]byte("breaker: {failure_threshold: 7}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Breaker.RecoveryTimeout != 30*time.Second {
		t.Errorf("recovery_timeout = %v, want the default 30s", got.Breaker.RecoveryTimeout)
	}
	want := Default()
	want.Breaker.FailureThreshold = 7
	assertEqualConfig(t, got, want)
}

func TestParseDeepPartialKeepsSiblings(t *testing.T) {
	got, err := Parse([]byte("upstreams:\n  fallback:\n    health:\n      fall: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Upstreams.Fallback.Health.Fall = 2
	assertEqualConfig(t, got, want)
}

func TestParseDurations(t *testing.T) {
	in := "breaker: {recovery_timeout: 30s, max_recovery_timeout: 1h30m}\n" +
		"upstreams: {primary: {health: {fast_interval: 250ms}}}\n" +
		"cache: {aggressive_ttl: 3600s}\nqueue: {timeout: 30000ms}\n"
	got, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want time.Duration
	}{
		{"recovery_timeout", got.Breaker.RecoveryTimeout, 30 * time.Second},
		{"max_recovery_timeout", got.Breaker.MaxRecoveryTimeout, 90 * time.Minute},
		{"fast_interval", got.Upstreams.Primary.Health.FastInterval, 250 * time.Millisecond},
		{"aggressive_ttl", got.Cache.AggressiveTTL, time.Hour},
		{"queue timeout", got.Queue.Timeout, 30 * time.Second},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseListsReplaceDefaults(t *testing.T) {
	in := "cache: {tenant_headers: [X-Team]}\n" +
		"upstreams: {primary: {health: {expect_status: [204, 200]}}}\n" +
		"routes: [{name: only, paths: [/only]}]\n"
	got, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if h := got.Cache.TenantHeaders; len(h) != 1 || h[0] != "X-Team" {
		t.Errorf("tenant_headers = %v, want [X-Team]", h)
	}
	if s := got.Upstreams.Primary.Health.ExpectStatus; len(s) != 2 || s[0] != 204 || s[1] != 200 {
		t.Errorf("expect_status = %v, want [204 200]", s)
	}
	// A listed route starts from zero, not from the default route at its index.
	want := []route.Spec{{Name: "only", Paths: []string{"/only"}}}
	assertEqualConfig(t, Config{Routes: got.Routes}, Config{Routes: want})
}

func TestParseUnknownKeys(t *testing.T) {
	cases := map[string]string{
		"top level":   "listne: 127.0.0.1:8002\n",
		"nested":      "breaker: {failure_treshold: 5}\n",
		"deep":        "upstreams: {primary: {health: {intervall: 1s}}}\n",
		"in a route":  "routes: [{name: a, paths: [/a], ttl: 1s}]\n",
		"wrong level": "failure_threshold: 5\n",
	}
	keys := map[string]string{"top level": "listne", "nested": "failure_treshold",
		"deep": "intervall", "in a route": "ttl", "wrong level": "failure_threshold"}
	for name, in := range cases {
		_, err := Parse([]byte(in))
		if !errors.Is(err, ErrParse) {
			t.Errorf("%s: err = %v, want ErrParse", name, err)
			continue
		}
		if !strings.Contains(err.Error(), keys[name]) {
			t.Errorf("%s: error %q does not name the key %q", name, err, keys[name])
		}
	}
}

func TestParseWrongTypes(t *testing.T) {
	for _, in := range []string{
		"breaker: {failure_threshold: five}\n",
		"breaker: {recovery_timeout: 30 seconds}\n",
		"cache: {enabled: maybe}\n",
		"cache: {max_size: 99999999999999999999999}\n",
		"routes: {name: a}\n",
		"listen: [a, b]\n",
		"breaker: 5\n",
		"just a string\n",
		"- a list\n",
		"breaker: {enabled: [\n", // malformed YAML
	} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrParse) {
			t.Errorf("Parse(%q) err = %v, want ErrParse", in, err)
		}
	}
}

func TestParseRefusesASecondDocument(t *testing.T) {
	for _, in := range []string{
		"listen: 127.0.0.1:9000\n---\nlisten: 0.0.0.0:9000\n",
		"listen: 127.0.0.1:9000\n---\nbreaker: {enabled: [\n",
	} {
		_, err := Parse([]byte(in))
		if !errors.Is(err, ErrParse) {
			t.Errorf("Parse(%q) err = %v, want ErrParse", in, err)
		}
	}
	_, err := Parse([]byte("listen: 127.0.0.1:9000\n---\nlisten: 0.0.0.0:9000\n"))
	if err == nil || !strings.Contains(err.Error(), "second YAML document") {
		t.Errorf("err = %v, want it to say there is a second document", err)
	}
}

func TestParseValidates(t *testing.T) {
	_, err := Parse([]byte("breaker: {failure_threshold: 0}\n"))
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrParse) {
		t.Fatalf("err = %v, want ErrInvalid only", err)
	}
	if !strings.Contains(err.Error(), "breaker.failure_threshold") {
		t.Errorf("error %q does not name the field", err)
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lifeboat.yaml")
	if err := os.WriteFile(path, []byte("listen: 127.0.0.1:9100\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Listen = "127.0.0.1:9100"
	assertEqualConfig(t, got, want)
}

func TestLoadMissingFileNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
}

func TestLoadInvalidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("log: {level: loud}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

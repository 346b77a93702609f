package proxy

import (
	"net/http"
	"strings"
	"testing"
)

// A simulator's fault knobs sent through the gateway once took the primary
// down for an hour. Paths under an internal prefix are answered 404 by the
// gateway and never reach an upstream, however the path is spelled.
func TestInternalPathsAreNeverForwarded(t *testing.T) {
	f := newFixtureWith(t, nil, nil, ModeBackup, func(o *Options) { o.InternalPrefixes = []string{"/_sim/"} })
	for _, p := range []string{"/_sim/fault", "//_sim/fault", "/api/../_sim/fault", "/_sim/"} {
		code, _, body := f.do(t, "POST", p, `{"down":true,"duration_ms":3600000}`)
		if code != http.StatusNotFound || !strings.Contains(body, "NOT_FOUND") {
			t.Fatalf("POST %s: %d %s, want the gateway's 404", p, code, body)
		}
	}
	if n := f.primary.hits.Load() + f.fallback.hits.Load(); n != 0 {
		t.Fatalf("%d requests reached an upstream", n)
	}
	if code, _, _ := f.do(t, "GET", "/api/v1/_sim/x", ""); code != 200 {
		t.Fatalf("a path that only contains the prefix further down: %d, want forwarded", code)
	}
}

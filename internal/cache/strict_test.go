package cache

import (
	"strings"
	"testing"
	"time"
)

// RFC 9111 section 5.3: an Expires that is not a valid HTTP-date means
// already expired. Go's time parser would take each of these.
func TestMalformedExpiresIsAlreadyStale(t *testing.T) {
	good := httpDate(t0.Add(time.Hour)) // "Sat, 01 Mar 2025 13:00:00 GMT"
	for name, h := range map[string][]string{
		"one-digit hour":   {"Expires", strings.Replace(good, " 13:", " 9:", 1)},
		"extra spaces":     {"Expires", strings.Replace(good, ", ", ",  ", 1)},
		"two header lines": {"Expires", good, "Expires", good},
		"lower-case month": {"Expires", strings.Replace(good, "Mar", "mar", 1)},
	} {
		if got := lifetime(hdr(h...), parseCacheControl(hdr(h...)), t0, time.Minute); got != 0 {
			t.Errorf("%s (%q): lifetime %v, want 0", name, h[1], got)
		}
	}
	for name, v := range map[string]string{
		"IMF-fixdate": good,
		"RFC 850":     t0.Add(time.Hour).Format("Monday, 02-Jan-06 15:04:05 GMT"),
		"asctime":     t0.Add(time.Hour).Format("Mon Jan _2 15:04:05 2006"),
	} {
		if got := lifetime(hdr("Expires", v), directives{}, t0, 0); got != time.Hour {
			t.Errorf("%s (%q): lifetime %v, want 1h", name, v, got)
		}
	}
}

// An Age that is not a single non-negative integer cannot vouch for a
// young response: the response counts as stale and is not stored.
func TestMalformedAgeIsStale(t *testing.T) {
	for _, ages := range [][]string{{"abc"}, {"-7200"}, {"7200.0"}, {"1, 2"}, {"1", "2"}, {" 1"}, {"+1"}} {
		h := hdr("Cache-Control", "max-age=3600")
		h["Age"] = ages
		if got := initialAge(h, t0); got != maxDelta {
			t.Errorf("Age %q: initial age %v, want the largest, %v", ages, got, maxDelta)
		}
		c, _ := newTestCache(Settings{})
		r := req("GET", "/a")
		k, _ := c.Key(r)
		if c.Store(k, r, 200, h, []byte("x")) {
			t.Errorf("Age %q: stored, want a stale response refused", ages)
		}
	}
	if got := initialAge(hdr("Age", "30"), t0); got != 30*time.Second {
		t.Fatalf("Age 30: %v", got)
	}
	if got := initialAge(hdr("Age", "99999999999999999999"), t0); got != maxDelta {
		t.Fatalf("a huge Age: %v, want %v", got, maxDelta)
	}
}

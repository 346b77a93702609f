package route

import "testing"

func TestPatternMatch(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/health", "/health", true},
		{"/health", "/health/", false},
		{"/api/v1/sessions/*", "/api/v1/sessions/s1", true},
		{"/api/v1/sessions/*", "/api/v1/sessions/", false},
		{"/api/v1/sessions/*", "/api/v1/sessions/s1/messages", false},
		{"/api/v1/sessions/**", "/api/v1/sessions/s1/messages", true},
		{"/api/v1/sessions/**", "/api/v1/sessions/", false},
		{"/api/v1/sessions/**", "/api/v1/sessions", false},
		{"/", "/", true},
		{"/", "/x", false},
	}
	for _, c := range cases {
		if got := ParsePattern(c.pattern).Match(c.path); got != c.want {
			t.Errorf("%q matching %q = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestMatcherMethodsAndPatterns(t *testing.T) {
	m := Matcher{Methods: []string{"POST"}, Patterns: []Pattern{ParsePattern("/a"), ParsePattern("/b/*")}}
	cases := []struct {
		method, path string
		want         bool
	}{
		{"POST", "/a", true},
		{"POST", "/b/x", true},
		{"GET", "/a", false},
		{"POST", "/c", false},
	}
	for _, c := range cases {
		if got := m.Match(c.method, c.path); got != c.want {
			t.Errorf("%s %s = %v, want %v", c.method, c.path, got, c.want)
		}
	}
	if anyMethod := (&Matcher{Patterns: m.Patterns}); !anyMethod.Match("DELETE", "/a") {
		t.Error("a matcher without methods must match any method")
	}
	if (&Matcher{Methods: []string{"GET"}}).Match("GET", "/a") {
		t.Error("a matcher without patterns must match nothing")
	}
}

// TestMatcherAllocatesNothing pins the hot path's zero allocations.
func TestMatcherAllocatesNothing(t *testing.T) {
	m := Matcher{Methods: []string{"GET", "POST"}, Patterns: []Pattern{ParsePattern("/api/v1/sessions/*/messages")}}
	if n := testing.AllocsPerRun(100, func() { m.Match("POST", "/api/v1/sessions/abc/messages") }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

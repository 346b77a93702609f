package route

import (
	"testing"
)

func TestMatchDefaultRoutes(t *testing.T) {
	tbl := New(Defaults())
	cases := []struct{ method, path, want string }{
		{"GET", "/health", "health"},
		{"GET", "/health/", Other},
		{"POST", "/health", Other},
		{"POST", "/api/v1/search/find", "search"},
		{"POST", "/api/v1/search/search", "search"},
		{"GET", "/api/v1/search/find", Other},
		{"POST", "/api/v1/sessions", "session-create"},
		{"GET", "/api/v1/sessions", "sessions"},
		{"POST", "/api/v1/sessions/abc/messages", "sessions"},
		{"DELETE", "/api/v1/sessions/abc", "sessions"},
		{"GET", "/api/v1/sessions/", Other},
		{"POST", "/api/v1/resources", "resources"},
		{"POST", "/query/data", "query"},
		{"POST", "/query/data/x", Other},
		{"GET", "/", Other},
		{"GET", "/api/v1/sessionsX", Other},
	}
	for _, c := range cases {
		if got := tbl.Class(tbl.Match(c.method, c.path)).Name; got != c.want {
			t.Errorf("%s %s: got class %q, want %q", c.method, c.path, got, c.want)
		}
	}
}

func TestMatchSingleSegmentWildcard(t *testing.T) {
	tbl := New([]Spec{{Name: "msgs", Paths: []string{"/api/v1/sessions/*/messages"}}})
	for path, want := range map[string]string{
		"/api/v1/sessions/s1/messages":   "msgs",
		"/api/v1/sessions//messages":     Other,
		"/api/v1/sessions/s1/messages/x": Other,
		"/api/v1/sessions/s1":            Other,
	} {
		if got := tbl.Class(tbl.Match("POST", path)).Name; got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}

func TestIdempotentAndKeys(t *testing.T) {
	tbl := New(Defaults())
	search := tbl.Class(tbl.Match("POST", "/api/v1/search/find"))
	create := tbl.Class(tbl.Match("POST", "/api/v1/sessions"))
	if !search.Replayable("POST") || create.Replayable("POST") || !create.Replayable("GET") {
		t.Fatalf("idempotency: search=%v create(POST)=%v create(GET)=%v",
			search.Replayable("POST"), create.Replayable("POST"), create.Replayable("GET"))
	}
	if got := len(tbl.Keys()); got != 5 {
		t.Fatalf("key classes: got %d, want 5 (search, session-create, sessions, resources, query)", got)
	}
	if names := tbl.Names(); names[len(names)-1] != Other {
		t.Fatalf("last class must be %q, got %v", Other, names)
	}
}

func BenchmarkMatch(b *testing.B) {
	tbl := New(Defaults())
	b.ReportAllocs()
	for b.Loop() {
		tbl.Match("POST", "/api/v1/sessions/abc/messages")
	}
}

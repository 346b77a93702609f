package cache

import (
	"testing"
	"time"
)

func TestParseCacheControl(t *testing.T) {
	sec := func(n int) delta { return delta{time.Duration(n) * time.Second, true} }
	tests := []struct {
		name  string
		lines []string
		want  directives
	}{
		{"empty", nil, directives{}},
		{"flags", []string{"no-store, No-Cache ,PRIVATE,public"},
			directives{noStore: true, noCache: true, private: true, public: true}},
		{"revalidate", []string{"must-revalidate", "proxy-revalidate"},
			directives{mustRevalidate: true, proxyRevalidate: true}},
		{"deltas", []string{`max-age=60, s-maxage="120", min-fresh=5`},
			directives{maxAge: sec(60), sMaxAge: sec(120), minFresh: sec(5)}},
		{"stale windows", []string{"stale-if-error=30,stale-while-revalidate=10"},
			directives{staleIfError: sec(30), staleWhileRevalidate: sec(10)}},
		{"invalid max-age is stale", []string{"max-age=soon"}, directives{maxAge: delta{0, true}}},
		{"negative max-age is stale", []string{"max-age=-1"}, directives{maxAge: delta{0, true}}},
		{"invalid window ignored", []string{"stale-if-error=x"}, directives{}},
		{"huge capped", []string{"max-age=99999999999999999999"}, directives{maxAge: delta{maxDelta, true}}},
		{"quoted comma", []string{`no-cache="Set-Cookie, X-A", max-age=5`},
			directives{noCache: true, maxAge: sec(5)}},
		{"unknown ignored", []string{"immutable, community=\"x\""}, directives{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseCacheControl(hdr(pairs("Cache-Control", tt.lines)...)); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPragmaNoCacheOnlyWithoutCacheControl(t *testing.T) {
	if !parseRequestCacheControl(hdr("Pragma", "no-cache")).noCache {
		t.Error("Pragma: no-cache alone should mean no-cache")
	}
	if parseRequestCacheControl(hdr("Pragma", "no-cache", "Cache-Control", "max-age=5")).noCache {
		t.Error("Cache-Control should take precedence over Pragma")
	}
}

func TestParseCacheControlDoesNotAllocate(t *testing.T) {
	h := hdr("Cache-Control", `max-age=60, no-cache="a,b", stale-if-error=5`)
	if n := testing.AllocsPerRun(100, func() { parseCacheControl(h) }); n != 0 {
		t.Errorf("allocs = %v, want 0", n)
	}
}

func pairs(name string, values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, name, v)
	}
	return out
}
